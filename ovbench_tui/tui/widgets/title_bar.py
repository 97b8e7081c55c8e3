"""A one-row title bar (Textual's Header takes a row and races screen switches)."""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    def set_text(self, title: str, detail: str = "") -> None:
        self.update(f"[b]{title}[/b]  {detail}" if detail else f"[b]{title}[/b]")
