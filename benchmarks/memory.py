"""Memory per inference of timed runs: peak RSS growth between a short and a long ``-t`` run,
ours against ``benchmark_app``, on the same model and flags.

What a tool keeps (or copies at the end) per inference grows its peak RSS with the count, while
fixed costs (openvino, the compiled model, input data) cancel in the difference.  Timed runs
are the case that matters: with ``-t`` the count is not known in advance, so latencies are
stored in growing chunks and gathered at the end (``-niter`` runs fill one array made up
front; ``vs_benchmark_app.py`` measures those).

Run:  .venv/bin/python benchmarks/memory.py [--model demo:tiny] [--short 3] [--long 20]
      [--pairs 2] [--flags "-nireq 4"]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time

from _common import RunResult, find_tool, fmt, median, resolve_model, run_child

TOOLS = ("benchmark_app", "ours")
OVERHEAD_S = 180.0
# Below this many extra inferences, RSS page granularity and allocator noise dominate.
MIN_COUNT_DELTA = 50_000


def command(tool: str, path: str, seconds: float, flags: list[str]) -> list[str]:
    limit = ["-m", path, "-t", f"{seconds:g}", *flags]
    if tool == "benchmark_app":
        return [find_tool("benchmark_app"), *limit]
    return [find_tool("ovbench-tui"), "run", "--no-history", *limit]


def per_inference(short: RunResult, long: RunResult) -> float | None:
    if not (short.ok and long.ok) or short.count is None or long.count is None:
        return None
    delta = long.count - short.count
    if delta <= 0:
        return None
    return (long.peak_rss_kb - short.peak_rss_kb) * 1024 / delta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("--help", action="help", help="show this help message and exit")
    parser.add_argument("--model", default="demo:tiny", help="model file or demo:<name>")
    parser.add_argument("--short", type=float, default=3.0, help="short run, -t seconds")
    parser.add_argument("--long", type=float, default=20.0, help="long run, -t seconds")
    parser.add_argument("--pairs", type=int, default=2, help="short+long rounds per tool")
    parser.add_argument("--flags", default="", help="extra flags for every run")
    args = parser.parse_args(argv)
    path = resolve_model(args.model)
    flags = shlex.split(args.flags)
    print(
        f"# memory.py  {time.strftime('%Y-%m-%d %H:%M:%S')}  model {args.model}  "
        f"-t {args.short:g} vs {args.long:g}  pairs {args.pairs}  cpus {os.cpu_count()}  "
        f"loadavg {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    figures: dict[str, list[float]] = {tool: [] for tool in TOOLS}
    failed = 0
    for pair in range(args.pairs):
        order = TOOLS if pair % 2 == 0 else TOOLS[::-1]
        for tool in order:
            runs = {}
            for seconds in (args.short, args.long):
                result = run_child(command(tool, path, seconds, flags), seconds + OVERHEAD_S)
                runs[seconds] = result
                if not result.ok:
                    failed += 1
                    print(result.describe_failure(), file=sys.stderr, flush=True)
            short, long = runs[args.short], runs[args.long]
            value = per_inference(short, long)
            note = ""
            if value is not None:
                figures[tool].append(value)
                assert long.count is not None and short.count is not None
                if long.count - short.count < MIN_COUNT_DELTA:
                    note = "  (few inferences: within RSS noise)"
            print(
                f"  {tool:<13} peak RSS {short.peak_rss_kb / 1024:7.1f} -> "
                f"{long.peak_rss_kb / 1024:7.1f} MiB, count {short.count} -> {long.count}: "
                f"{fmt(value, '.1f')} B/inference{note}",
                flush=True,
            )
    print(f"\n# loadavg at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n| tool | peak RSS growth per inference (median of pairs) | pairs |")
    print("|---|---|---|")
    for tool in TOOLS:
        values = figures[tool]
        print(
            f"| {tool} | {fmt(median(values), '.1f')} B | {', '.join(f'{v:.1f}' for v in values)} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
