"""What screens may ask of the app and of a running engine, typed.

Screens reach the app through `ovbench_app(self)` rather than `self.app`, which
Textual types as a plain `App`: a renamed or missing method is then a mypy error,
not an AttributeError at the press of a key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..engine.runner import LiveWindow
    from .app import OvbenchApp


class RunningEngine(Protocol):
    """What the run screen uses of an engine (the real Engine, or a replay in tests)."""

    def run(self) -> object: ...

    def stop(self) -> None: ...

    def sample_window(self) -> LiveWindow | None: ...


def ovbench_app(node: DOMNode) -> OvbenchApp:
    """The app `node` runs in, as the OvbenchApp it is."""
    from .app import OvbenchApp

    app = node.app
    if not isinstance(app, OvbenchApp):  # a screen hosted by some other App
        raise TypeError(f"{type(node).__name__} needs OvbenchApp, not {type(app).__name__}")
    return app
