"""How precisely open-loop arrivals are dispatched, at rates up to a fast model's maximum.

    .venv/bin/python benchmarks/dispatcher_accuracy.py [--model demo:tiny] [--pairs 1] [--time 3]

First measures the model's closed-loop throughput (`ovbench-tui run`), then runs
`ovbench-tui run -rate R` at shares of it (5 % .. 100 %) and reads the result
file's open-loop figures.  Dispatch lateness is the time from an arrival's
scheduled instant to the start of its inference, over the arrivals that found
a free request (the others waited for one: that is queueing, not the
dispatcher).  Prints, per rate, the median over `--pairs` repeats of: the
median and p99 lateness, achieved / offered, and the share of arrivals that
waited.  Alternating nothing (there is no benchmark_app equivalent), so on a
busy machine the figures are noisy: repeat on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
OVBENCH = str(BIN / "ovbench-tui")
SHARES = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0)


def run(args: list[str], folder: Path, name: str) -> dict:
    out = folder / f"{name}.json"
    command = [
        OVBENCH,
        "run",
        *args,
        "-progress",
        "false",
        "--no-history",
        "-json_out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return json.loads(out.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="demo:tiny")
    parser.add_argument("--pairs", type=int, default=1, help="repeats per rate (default 1)")
    parser.add_argument("--time", type=int, default=3, help="seconds per run (default 3)")
    parser.add_argument("--nireq", type=int, default=4, help="infer requests (default 4)")
    options = parser.parse_args()
    base = ["-m", options.model, "-t", str(options.time), "-nireq", str(options.nireq)]
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        closed = run(base, folder, "closed")["statistics"]
        maximum = closed["count"] / (closed["duration_ms"] / 1000)
        print(
            f"{options.model}: closed-loop maximum {maximum:.0f} requests/s "
            f"({options.nireq} requests, {options.time} s runs, {options.pairs} repeat(s))"
        )
        print(
            f"{'share':>6} {'rate /s':>9} {'late p50 us':>12} {'late p99 us':>12} "
            f"{'achieved':>9} {'waited':>7}"
        )
        for share in SHARES:
            rate = maximum * share
            rows = []
            for repeat in range(options.pairs):
                figures = run([*base, "-rate", f"{rate:.3f}"], folder, f"r{share}-{repeat}")
                rows.append(figures["open_loop"])

            def median(key: str, rows: list[dict] = rows) -> float:
                values = [row[key] for row in rows if row.get(key) is not None]
                return statistics.median(values) if values else float("nan")

            ratio = statistics.median(row["achieved_rps"] / row["offered_rps"] for row in rows)
            print(
                f"{share * 100:>5.0f}% {rate:>9.0f} {median('dispatch_late_median_us'):>12.0f} "
                f"{median('dispatch_late_p99_us'):>12.0f} {ratio * 100:>8.1f}% "
                f"{median('waited_share') * 100:>6.1f}%"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
