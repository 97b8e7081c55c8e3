"""`ovbench-tui compare RUN_A RUN_B [RUN ...]`: how the runs differ from the first one.

Each RUN is a result file (`--json-out`, or saved from the app with `w`) or the
id of a run in the history (`ovbench-tui history` lists them); a path that
exists is read as a file even when its name is digits.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import Any

from .errors import UsageError
from .run_args import OneLineParser, history_file, print_command_output

PROG = "ovbench-tui compare"


def threshold_value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of percent") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a percentage of 0 or more")
    return value


def build_compare_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "runs", nargs="+", metavar="RUN", help="result file or history run id; the first is A"
    )
    parser.add_argument(
        "--threshold",
        type=threshold_value,
        default=5.0,
        metavar="PCT",
        help="list layers whose time differs by at least PCT %% (default 5)",
    )
    parser.add_argument(
        "--min-effect",
        type=threshold_value,
        default=2.0,
        metavar="PCT",
        help="call a run faster or slower only when the whole 95 %% interval of the "
        "difference lies beyond PCT %% of A (default 2: runs of the same settings differ "
        "by a few %% from run to run, which the interval cannot see)",
    )
    parser.add_argument(
        "--history",
        type=history_file,
        default=None,
        metavar="PATH",
        help="history file (default: user data folder)",
    )
    parser.add_argument("--json", default="", metavar="FILE", help="also write the comparison")
    parser.add_argument(
        "--md", default="", metavar="FILE", help="also write the comparison as Markdown tables"
    )
    return parser


class _RunLoader:
    """Reads each RUN; opens the history only when an id is given."""

    def __init__(self, history_path: str) -> None:
        self.history_path = history_path
        self.store: Any = None

    def load(self, spec: str) -> tuple[dict[str, Any], str]:
        from .reports.result_file import read_result_file

        if os.path.isfile(spec):
            return read_result_file(spec), spec
        if os.path.isdir(spec):
            raise UsageError(f"{spec} is a folder: give a result file (.json) or a history run id")
        if spec.isdigit():
            if self.store is None:
                from .history_cli import open_history

                self.store = open_history(self.history_path)
            return self.store.document(int(spec)), f"run {spec}"
        raise UsageError(
            f"{spec!r} is neither a result file nor a history run id: check the path, "
            "or list the ids with ovbench-tui history"
        )

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def _compare(argv: Sequence[str]) -> list[str]:
    from .compare import compare_documents, format_comparison

    args = build_compare_parser().parse_args(list(argv))
    if len(args.runs) < 2:
        raise UsageError(
            f"give 2 or more runs to compare (result files or history ids), not {len(args.runs)}"
        )
    loader = _RunLoader(args.history or "")
    try:
        loaded = [loader.load(spec) for spec in args.runs]
    finally:
        loader.close()
    comparison = compare_documents(
        [document for document, _ in loaded],
        [name for _, name in loaded],
        threshold_pct=args.threshold,
        min_effect_pct=args.min_effect,
    )
    if args.json:
        from .reports.result_file import write_json_file

        write_json_file(args.json, comparison.to_dict(), "--json")
    if args.md:
        from .markdown import comparison_markdown, write_markdown

        write_markdown(args.md, comparison_markdown(comparison))
    return format_comparison(comparison, args.threshold)


def run_compare(argv: Sequence[str]) -> int:

    return print_command_output(PROG, lambda: _compare(argv))
