"""The Stop key of a screen that runs work (sweep, capacity, tune): in the footer
only while the work runs, as htop or k9s show only the keys that do something."""

from __future__ import annotations

from textual.reactive import var
from textual.screen import Screen


class StoppableScreen(Screen[None]):
    """A screen whose `running` work its `stop` action ends: setting `running`
    refreshes the footer, and while nothing runs `stop` is hidden (not offered, not
    in the palette)."""

    running = var(False, bindings=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.running
        return True
