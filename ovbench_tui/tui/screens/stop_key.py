"""A screen that runs work (sweep, capacity, tune): its Stop key is in the footer
only while the work runs, as htop or k9s show only the keys that do something, and
leaving the app stops the work and waits for what it measured to be kept."""

from __future__ import annotations

from textual.reactive import var
from textual.screen import Screen

from ..app_api import StoringWork
from ..leaving import LeavingApp


class StoppableScreen(Screen[None]):
    """A screen whose `running` work its `stop` action ends: setting `running`
    refreshes the footer, and while nothing runs `stop` is hidden (not offered, not
    in the palette)."""

    running = var(False, bindings=True)
    runner: StoringWork | None = None
    KEPT_AS = "work"  # what the work is called ("sweep"), as in the line left after the app

    @property
    def working(self) -> bool:
        return self.running

    def stop_work(self) -> bool:
        """Stops the work (finished points are kept); True if it was running."""
        if self.running and self.runner is not None:
            self.runner.stop()
            return True
        return False

    def watch_running(self, running: bool) -> None:
        if not running and self.is_mounted and isinstance(self.app, LeavingApp):
            if self.app.leaving:
                self.app.leaving_note = self.leaving_note()
            self.app.work_ended()  # a quit that waited for this work can go on

    def leaving_note(self) -> str:
        """The terminal's line after a quit stopped this work: where its points went."""
        runner = self.runner
        if runner is None or runner.history_error:
            why = f": {runner.history_error}" if runner is not None else ""
            return f"ovbench-tui: {self.KEPT_AS} stopped; its points were not stored{why}"
        if not runner.history_path:  # none finished, or --no-history
            return f"ovbench-tui: {self.KEPT_AS} stopped; no point was stored in the history"
        return (
            f"ovbench-tui: {self.KEPT_AS} stopped; its finished points are stored in the history "
            f"({runner.history_path})"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.running
        return True
