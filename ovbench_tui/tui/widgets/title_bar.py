"""A one-row title bar (Textual's Header takes a row and races screen switches)."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from ...text_fit import cut_path, cut_right

PATH = "{path}"  # where in `detail` the path goes, cut to the room left


def _text(title: str, detail: str, path: str, width: int) -> str:
    head = f"[b]{title}[/b]  " if detail else f"[b]{title}[/b]"
    if PATH in detail:
        plain = Text.from_markup(head + detail.replace(PATH, "")).cell_len
        detail = detail.replace(PATH, escape(cut_path(path, max(8, width - plain))))
    line = head + detail
    if Text.from_markup(line).cell_len > width:  # never wrap: the bar is one row
        return escape(cut_right(Text.from_markup(line).plain, width))
    return line


class TitleBar(Static):
    """`detail` is markup; a `{path}` in it is replaced by `path`, cut in the middle
    of its folder so the title fits one row at any width."""

    def __init__(
        self, title: str = "ovbench-tui", detail: str = "", path: str = "", **kwargs: str
    ) -> None:
        self._parts = (title, detail, path)
        # Content from the start, so the very first frame already has the title.
        super().__init__(_text(title, detail, path, 80 - 2), **kwargs)  # type: ignore[arg-type]

    def set_text(self, title: str, detail: str = "", path: str = "") -> None:
        self._parts = (title, detail, path)
        self._fit()

    def _fit(self) -> None:
        width = self.content_size.width or (self.app.size.width - 2 if self.is_attached else 78)
        self.update(_text(*self._parts, width))

    def on_resize(self, event: Resize) -> None:
        self._fit()
