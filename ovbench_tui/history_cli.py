"""`ovbench-tui history`: the stored runs, newest first."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import OvbenchError


def run_history(argv: Sequence[str]) -> int:
    from .reports.history import HistoryStore

    parser = argparse.ArgumentParser(prog="ovbench-tui history", description=__doc__)
    parser.add_argument(
        "text", nargs="?", default="", help="only runs whose model/device/hint has it"
    )
    parser.add_argument("--history", default="", help="history file (default: user data folder)")
    parser.add_argument("--show", type=int, metavar="ID", help="print run ID's result document")
    parser.add_argument("--delete", type=int, metavar="ID", help="delete run ID")
    args = parser.parse_args(list(argv))
    try:
        with HistoryStore(args.history or None) as store:
            if args.show is not None:
                print(json.dumps(store.document(args.show), indent=2))
                return 0
            if args.delete is not None:
                store.delete(args.delete)
                print(f"deleted run {args.delete}")
                return 0
            rows = store.runs(args.text)
    except OvbenchError as error:
        sys.stderr.write(f"ovbench-tui history: error: {error}\n")
        return error.exit_code
    print(
        f"{'id':>5}  {'date':<19}  {'model':<28} {'device':<10} {'hint':<10} "
        f"{'nireq':>5} {'FPS':>10} {'median ms':>10}"
    )
    for row in rows:
        fps = f"{row.fps:.2f}" if row.fps is not None else "-"
        median = f"{row.median_ms:.3f}" if row.median_ms is not None else "-"
        stopped = " (stopped)" if row.stopped_early else ""
        stopped += f"  [{row.tag}]" if row.tag else ""
        print(
            f"{row.id:>5}  {row.created_at[:19]:<19}  {row.model[-28:]:<28} {row.device:<10} "
            f"{row.hint or '-':<10} {row.nireq or '-':>5} {fps:>10} {median:>10}{stopped}"
        )
    return 0
