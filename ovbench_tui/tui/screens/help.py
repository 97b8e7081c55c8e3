"""The keys of the screen below, grouped, with what they do (`?` or F1; escape closes)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..keys import APP_KEYS, EVERYWHERE, MAIN, MORE, screen_key_rows, screen_title


def keys_table(screen: Screen[Any]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    rows = screen_key_rows(screen)
    for group in (MAIN, MORE):
        shown = [row for row in rows if row.group == group]
        if not shown:
            continue
        table.add_row(Text(group, style="bold underline"), "")
        for row in shown:
            table.add_row(row.keys, row.description)
        table.add_row("", "")
    table.add_row(Text(EVERYWHERE, style="bold underline"), "")
    for keys, description in APP_KEYS:
        table.add_row(keys, description)
    return table


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
            yield Static(f"[b]Keys: {screen_title(self.below)}[/b]", id="help-title")
            yield Static(keys_table(self.below), id="help-keys")
            yield Static("[dim]escape, ? or F1 closes[/dim]", id="help-foot")

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Help"

    def action_close(self) -> None:
        self.dismiss(None)
