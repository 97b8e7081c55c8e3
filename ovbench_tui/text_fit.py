"""Fitting text into a column or a title: the one home for cutting strings."""

from __future__ import annotations

import os

ELLIPSIS = "…"


def cut_left(text: str, width: int) -> str:
    """Keep the end (names and paths differ at their end)."""
    if len(text) <= width:
        return text
    return ELLIPSIS + text[len(text) - width + 1 :] if width > 0 else ""


def cut_right(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + ELLIPSIS if width > 0 else ""


def cut_path(path: str, width: int) -> str:
    """A path in `width` characters: the file name whole when it fits, the folder
    cut in the middle (its start says where, its end which project)."""
    if len(path) <= width:
        return path
    folder, name = os.path.split(path)
    if not folder or len(name) + 2 > width:
        return cut_left(name or path, width)
    room = width - len(name) - 1  # the separator before the name stays
    if room < 3:
        return cut_left(name, width) if room < 2 else ELLIPSIS + os.sep + name
    head = (room - 1) // 2
    tail = room - 1 - head
    return folder[:head] + ELLIPSIS + (folder[-tail:] if tail else "") + os.sep + name


def readable_ms(value_ms: float) -> str:
    """A duration in the unit that keeps it short: 850.00 us, 12.30 ms, 1.26 s."""
    if value_ms < 1.0:
        return f"{value_ms * 1000:.2f} us"
    if value_ms >= 1000.0:
        return f"{value_ms / 1000:.2f} s"
    return f"{value_ms:.2f} ms"
