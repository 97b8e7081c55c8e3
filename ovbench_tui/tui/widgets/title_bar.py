"""A one-row title bar (Textual's Header takes a row and races screen switches)."""

from __future__ import annotations

from textual.widgets import Static


def _text(title: str, detail: str) -> str:
    return f"[b]{title}[/b]  {detail}" if detail else f"[b]{title}[/b]"


class TitleBar(Static):
    def __init__(self, title: str = "ovbench-tui", detail: str = "", **kwargs: str) -> None:
        # Content from the start, so the very first frame already has the title.
        super().__init__(_text(title, detail), **kwargs)  # type: ignore[arg-type]

    def set_text(self, title: str, detail: str = "") -> None:
        self.update(_text(title, detail))
