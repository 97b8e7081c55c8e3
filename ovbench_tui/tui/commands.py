"""The command palette's entries (ctrl+p): this screen's actions and the app's own.

Built from the screens' BINDINGS (tui/keys.py), so the palette offers what the
keys do, each with its key shown for next time; fuzzy search is the palette's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.screen import Screen

from .keys import screen_key_rows, screen_title

if TYPE_CHECKING:
    from .app import OvbenchApp


def _allowed(screen: Screen[Any], action: str) -> bool:
    name, _, _ = action.partition("(")
    if "." in name:  # "app.open_history": the app's, always there
        return True
    return screen.check_action(name, ()) is not False and hasattr(screen, f"action_{name}")


def screen_commands(app: OvbenchApp, screen: Screen[Any]) -> Iterator[SystemCommand]:
    title = screen_title(screen)
    for row in screen_key_rows(screen):
        if not _allowed(screen, row.action):
            continue
        run = partial(app.call_later, app.run_action, row.action, screen)
        yield SystemCommand(row.description, f"{title}: {row.keys}", run)


def app_commands(app: OvbenchApp, screen: Screen[Any]) -> Iterator[SystemCommand]:
    """Reachable from any screen: they go through the form when they need its values."""
    from .screens.history import HistoryScreen
    from .screens.setup import SetupScreen
    from .screens.sweep import SweepScreen

    def on_form(then: Callable[[SetupScreen], None]) -> Callable[[], None]:
        def go() -> None:
            app.show_form()
            form = app.setup_screen
            if form is not None:
                app.call_after_refresh(then, form)

        return go

    if not isinstance(screen, SetupScreen):
        yield SystemCommand(
            "Run", "Run the form's settings (ctrl+r on the form)", on_form(SetupScreen.action_start)
        )
        yield SystemCommand("Form", "Back to the form", on_form(lambda form: None))
    yield SystemCommand(
        "Switch model",
        "Pick another model file (ctrl+o on the form)",
        on_form(SetupScreen.action_browse),
    )
    if not isinstance(screen, HistoryScreen):
        yield SystemCommand("History", "Stored runs: open, re-run, compare", app.open_history)
    if not isinstance(screen, (SweepScreen, SetupScreen)):
        yield SystemCommand(
            "Sweep",
            "A grid of settings over the form's (f4 on the form)",
            on_form(SetupScreen.action_sweep),
        )
