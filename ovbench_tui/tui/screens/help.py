"""The keys of the screen below, grouped, with what they do (`?` or F1; escape closes)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..keys import APP_KEYS, EVERYWHERE, MAIN, MORE, screen_key_rows, screen_title


def keys_table(screen: Screen[Any]) -> Group:
    """The screen's keys in the footer, then its other keys, then the app-wide ones."""
    rows = screen_key_rows(screen)
    groups = [
        (group, [(row.keys, row.description) for row in rows if row.group == group])
        for group in (MAIN, MORE)
    ]
    groups.append((EVERYWHERE, list(APP_KEYS)))
    width = max(len(keys) for _, pairs in groups for keys, _ in pairs)
    parts: list[RenderableType] = []
    for group, pairs in groups:
        if not pairs:
            continue
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=width)
        table.add_column()
        for keys, description in pairs:
            table.add_row(keys, description)
        parts += [Text(group, style="bold underline"), table]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False, key_display="?"),
        Binding("f1", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(keys_table(self.below), id="help-keys")

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.border_title = f"Keys: {screen_title(self.below)}"
        box.border_subtitle = "escape, ? or F1 closes"

    def action_close(self) -> None:
        self.dismiss(None)
