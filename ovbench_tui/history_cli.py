"""`ovbench-tui history`: the stored runs, newest first (the last 20 unless -n N or --all)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .errors import UsageError
from .run_args import OneLineParser, history_file, positive_int, print_command_output
from .text_fit import cut_left

if TYPE_CHECKING:
    from .reports.history import HistoryStore, RunRow

PROG = "ovbench-tui history"
DEFAULT_LAST = 20


def open_history(path: str) -> HistoryStore:
    """The store at `path` (default: the user data folder's, created when missing).

    A path given by hand must exist: reading a typo would otherwise create its
    folders and an empty history, and then find no runs in it.
    """
    from .reports.history import HistoryStore

    if path and not os.path.exists(path):
        raise UsageError(
            f"no run history at {path}: check --history "
            "(runs are stored there by ovbench-tui run/the app)"
        )
    return HistoryStore(path or None)


def listing(rows: Sequence[RunRow]) -> list[str]:
    """One line per run; text columns as wide as their widest value (capped), so a
    sweep point's tag at the end of the line still fits about 120 columns."""
    header = ["id", "date", "model", "device", "hint", "nireq", "streams", "batch"]
    header += ["FPS", "median ms"]
    table = [
        [
            str(row.id),
            row.created_at[:16].replace("T", " "),
            cut_left(os.path.basename(row.model) or row.model, 24),  # the file names the model
            cut_left(row.device, 12),
            cut_left(row.hint or "-", 12),
            str(row.nireq) if row.nireq is not None else "-",
            cut_left(row.nstreams or "-", 7),
            cut_left(row.batch or "-", 7),
            f"{row.fps:.2f}" if row.fps is not None else "-",
            f"{row.median_ms:.3f}" if row.median_ms is not None else "-",
        ]
        for row in rows
    ]
    widths = [
        max([len(head), *(len(cells[i]) for cells in table)]) for i, head in enumerate(header)
    ]
    right = {0, 5, 6, 7, 8, 9}

    def line(cells: Sequence[str], end: str) -> str:
        parts = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        # The numbers are right-aligned under distinct headers: one space apart will do.
        return ("  ".join(parts[:6]) + " " + " ".join(parts[6:]) + end).rstrip()

    lines = [line(header, "  tag")]
    for row, cells in zip(rows, table, strict=True):
        note = f"note: {row.note}" if row.note else ""
        marks = ("stopped" if row.stopped_early else "", row.tag, note)
        end = "  ".join(text for text in marks if text)
        lines.append(line(cells, "  " + end))
    return lines


def _history(argv: Sequence[str]) -> list[str]:

    parser = OneLineParser(prog=PROG, description=__doc__)
    parser.add_argument(
        "text", nargs="?", default="", help="only runs whose model/device/hint/tag/note has it"
    )
    parser.add_argument(
        "--history",
        type=history_file,
        default=None,
        help="history file (default: user data folder)",
    )
    one = parser.add_mutually_exclusive_group()
    one.add_argument("--show", type=int, metavar="ID", help="print run ID's result document")
    one.add_argument("--delete", type=int, metavar="ID", help="delete run ID")
    how_many = parser.add_mutually_exclusive_group()
    how_many.add_argument(
        "-n",
        "--last",
        type=positive_int,
        default=DEFAULT_LAST,
        metavar="N",
        help=f"list the newest N runs (default {DEFAULT_LAST})",
    )
    how_many.add_argument("--all", action="store_true", help="list every run")
    args = parser.parse_args(list(argv))
    with open_history(args.history or "") as store:
        if args.show is not None:
            return [json.dumps(store.document(args.show), indent=2)]
        if args.delete is not None:
            store.document(args.delete)  # no such run: a UsageError, not "deleted"
            store.delete(args.delete)
            return [f"deleted run {args.delete}"]
        rows = store.runs(args.text, limit=-1 if args.all else args.last)
        if not rows:
            where = f" matching {args.text!r}" if args.text else ""
            return [f"no runs{where} in {store.path}"]
        older = 0 if args.all or len(rows) < args.last else store.count(args.text) - len(rows)
        more = [f"({older} older run{'s' if older > 1 else ''}: --all)"] if older > 0 else []
        return listing(rows) + more


def run_history(argv: Sequence[str]) -> int:

    return print_command_output(PROG, lambda: _history(argv))
