"""NO_COLOR support that survives segments without a style.

textual-plot's canvases emit segments whose style is None; Textual's
Monochrome filter then fails on `None.color` and the app crashes as soon as a
chart is drawn.  This filter gives such segments an empty style first.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, Monochrome

_EMPTY = Style()


class SafeMonochrome(Monochrome):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        fixed = [Segment(text, style or _EMPTY, control) for text, style, control in segments]
        return super().apply(fixed, background)


def safe_filters(filters: list[LineFilter]) -> list[LineFilter]:
    return [SafeMonochrome(enabled=f.enabled) if type(f) is Monochrome else f for f in filters]
