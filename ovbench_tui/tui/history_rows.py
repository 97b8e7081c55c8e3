"""The History screen's table: its columns and how a stored run fills a row."""

from __future__ import annotations

import datetime
import os

from rich.text import Text

from ..knobs import HINT_ALIASES
from ..reports.history import RunRow
from ..text_fit import cut_left, cut_path

MODEL_WIDTH = 13  # at 80 columns; the column takes what a wider terminal adds
FOLDER_ROOM = 8  # show a folder only with this much room beside the file name
DEVICE_WIDTH = 6
# The hints by their short flag names (tput), so the column stays narrow.
SHORT_HINTS = {long: short for short, long in HINT_ALIASES.items()}
STOPPED_MARK = "■"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def short_model(model: str, width: int = MODEL_WIDTH) -> str:
    """The file name first (the folder rarely tells runs apart); the folder, cut in
    its middle, when the column has room for some of it."""
    name = os.path.basename(model) or model
    if len(model) <= width or len(name) + FOLDER_ROOM <= width:
        return cut_path(model, width)
    return cut_left(name, width)


def short_path(path: str) -> str:
    home = os.path.expanduser("~")
    return "~" + path[len(home) :] if home != "/" and path.startswith(home + os.sep) else path


def local_time(created_at: str, form: str = "%m-%d %H:%M") -> str:
    try:
        moment = datetime.datetime.fromisoformat(created_at)
    except ValueError:
        return created_at[:11]
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # stored in UTC, shown in the viewer's time
    return moment.strftime(form)


def cell(text: str, right: bool = False, style: str = "") -> Text:
    # One space before each cell instead of the table's padding of one on each side:
    # twelve columns fit 80 columns.
    return Text(f" {text}", style=style, justify="right" if right else "left")


RIGHT_COLUMNS = ("id", "req", "str", "fps", "median")


def short_tag(tag: str) -> str:
    """Where a run came from, short ("sweep 3"); the whole tag is in the detail line."""
    words = tag.split()
    if len(words) == 4 and words[0] == "sweep" and words[2] == "point":
        return f"sweep {words[3]}"
    return tag[:8]


# (key, header) of the table's columns, the mark first.
COLUMNS = (
    ("mark", ""),
    ("id", "id"),
    ("date", "date"),
    ("model", "model"),
    ("device", "device"),
    ("hint", "hint"),
    ("req", "req"),
    ("str", "str"),
    ("b", "b"),
    ("fps", "FPS"),
    ("median", "med ms"),
    ("stopped", ""),
    ("tag", "from"),
)


def row_cells(row: RunRow, model_width: int = MODEL_WIDTH) -> list[Text]:
    """A stored run's cells after the mark's, in COLUMNS order."""
    return [
        cell(str(row.id), right=True),
        cell(local_time(row.created_at)),
        cell(short_model(row.model, model_width)),
        cell(cut_left(row.device, DEVICE_WIDTH)),
        cell(SHORT_HINTS.get(row.hint, row.hint) or "-"),
        cell(str(row.nireq) if row.nireq else "-", right=True),
        cell(row.nstreams or "-", right=True),
        cell(row.batch or "-"),
        cell("-" if row.fps is None else f"{row.fps:.1f}", right=True),
        cell("-" if row.median_ms is None else f"{row.median_ms:.3f}", right=True),
        cell(STOPPED_MARK if row.stopped_early else "", style="yellow"),
        cell(short_tag(row.tag)),
    ]
