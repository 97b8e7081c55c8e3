"""What screens may ask of the app and of a running engine, typed.

Screens reach the app through `ovbench_app(self)` rather than `self.app`, which
Textual types as a plain `App`: a renamed or missing method is then a mypy error,
not an AttributeError at the press of a key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..config import BenchmarkConfig
    from ..engine.events import Event
    from ..engine.machine_load import MachineLoad
    from ..engine.runner import LiveWindow
    from .app import OvbenchApp


class StoppableWork(Protocol):
    """What a screen uses of work it runs in a thread: the sweep, capacity and tune
    runners (and, below, the engine). run() blocks; stop() may come from any thread."""

    def run(self) -> object: ...

    def stop(self) -> None: ...


class StoringWork(StoppableWork, Protocol):
    """Work that stores its points in the run history as they end (the sweep,
    capacity and tune runners): where they went, or why they could not."""

    history_path: str
    history_error: str


class RunningEngine(StoppableWork, Protocol):
    """What the run screen uses of an engine: the real Engine, or tests/replay.py's
    ReplayEngine (mypy checks both against this, so the replay cannot drift).

    The group and plan attributes are read once the engine reports the measuring phase."""

    group_labels: list[str]
    group_batches: list[int]
    planned_duration_s: float
    planned_iterations: int | None

    def sample_window(self) -> LiveWindow | None: ...

    def machine_load(self) -> MachineLoad | None: ...


@runtime_checkable
class WorkScreen(Protocol):
    """A screen that runs work (a run, a sweep, a capacity search, a tune): leaving the
    app stops it first and quits once `working` is over (the screen then calls
    `OvbenchApp.work_ended`)."""

    @property
    def working(self) -> bool: ...

    def stop_work(self) -> bool:
        """Stop the work, keeping what it measured; True if it was running."""
        ...


# How the run screen builds its engine: Engine itself, or a replay in snapshot tests.
EngineFactory = Callable[["BenchmarkConfig", Callable[["Event"], None]], RunningEngine]


def ovbench_app(node: DOMNode) -> OvbenchApp:
    """The app `node` runs in, as the OvbenchApp it is."""
    from .app import OvbenchApp

    app = node.app
    if not isinstance(app, OvbenchApp):  # a screen hosted by some other App
        raise TypeError(f"{type(node).__name__} needs OvbenchApp, not {type(app).__name__}")
    return app
