"""A text field that never takes a `?` (numbers, knob names, axes), so `?` opens the
keys there as it does outside a field: on the Sweep, Capacity and Tune screens the
focus is always in a field, and `?` used to be typed into it."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

HELP_CHARACTER = "?"


class KnobInput(Input):
    """An Input whose `?` goes to the app's help binding instead of the text."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # Not consumed: the screen's and the app's `?` binding stay active (and listed).
        return character != HELP_CHARACTER and super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.character == HELP_CHARACTER:
            # Input's own handler (next in the MRO) would type it: the keys instead.
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")
