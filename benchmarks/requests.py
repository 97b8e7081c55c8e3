"""Many requests: ``ovbench-tui run`` against ``benchmark_app`` across ``-nireq`` values, and
(``--designs``) our two loop designs against each other, to place the switch between them.

For each request count the tools run alternately (the order flips every pair) with the same
model and flags; it prints each one's median FPS, the most threads seen in the process and
the median of the per-pair ratios to benchmark_app.  With ``--designs`` it also runs ours
forced to one thread per request (``threads``) and forced to the bounded pool with
``--pool-per-cpu`` threads per CPU (``pool1``, ``pool2``, ...), whatever the threshold says.

Run:  .venv/bin/python benchmarks/requests.py [--model demo:tiny] [--nireq 4,64,256,1000]
      [--pairs 3] [--time 3] [--designs] [--pool-per-cpu 1,2] [--flags "-hint none"]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time

from _common import RunResult, find_tool, fmt, format_cmd, median, resolve_model, run_child

BA = "benchmark_app"
OURS = "ours"
# Ours with the design forced: argv[1] = the per-request-threads limit, argv[2] = pool
# threads per CPU; the rest is the command line.
_FORCED = (
    "import sys; import ovbench_tui.engine.runner as r; "
    "r.PER_REQUEST_THREADS_UP_TO = int(sys.argv.pop(1)); "
    "r.POOL_THREADS_PER_CPU = int(sys.argv.pop(1)); "
    "from ovbench_tui.cli import main; sys.exit(main(sys.argv[1:]))"
)
OVERHEAD_S = 180.0  # start-up, compilation and the report, on top of -t


def commands(args: argparse.Namespace, path: str, nireq: int) -> dict[str, list[str]]:
    common = ["-m", path, "-nireq", str(nireq), "-t", f"{args.time:g}", *shlex.split(args.flags)]
    ours = ["run", "-progress", "false", "--no-history", *common]
    variants = {BA: [find_tool("benchmark_app"), *common], OURS: [find_tool("ovbench-tui"), *ours]}
    if args.designs:
        forced = [sys.executable, "-c", _FORCED]
        variants["threads"] = [*forced, str(1 << 30), "1", *ours]
        for per_cpu in args.pool_per_cpu:
            variants[f"pool{per_cpu}"] = [*forced, "0", str(per_cpu), *ours]
    return variants


def measure(args: argparse.Namespace, path: str, nireq: int) -> dict[str, list[RunResult]]:
    variants = commands(args, path, nireq)
    for name, cmd in variants.items():
        print(f"  {name:<13} $ {format_cmd(cmd)}", flush=True)
    runs: dict[str, list[RunResult]] = {name: [] for name in variants}
    names = list(variants)
    for pair in range(args.pairs):
        order = names if pair % 2 == 0 else names[::-1]
        for name in order:
            result = run_child(variants[name], args.time + OVERHEAD_S)
            runs[name].append(result)
            if result.ok:
                print(
                    f"    {name:<13} {result.fps:>10.2f} FPS  count {result.count:>9}  "
                    f"threads {result.peak_threads:>5}  cpu {result.cpu_s / result.wall_s:.2f}",
                    flush=True,
                )
            else:
                print(result.describe_failure(), file=sys.stderr, flush=True)
    return runs


def summary(nireq: int, runs: dict[str, list[RunResult]]) -> list[str]:
    rows = []
    for name, results in runs.items():
        fps = [r.fps for r in results if r.ok and r.fps is not None]
        ratios = [
            r.fps / b.fps
            for r, b in zip(results, runs[BA], strict=True)
            if r.ok and b.ok and r.fps is not None and b.fps
        ]
        threads = max((r.peak_threads for r in results), default=0)
        spread = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "n/a"
        rows.append(
            f"| {nireq} | {name} | {fmt(median(fps), '.1f')} | {threads} "
            f"| {fmt(median(ratios), '.3f')} | {spread} |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("--help", action="help", help="show this help message and exit")
    parser.add_argument("--model", default="demo:tiny", help="model file or demo:<name>")
    parser.add_argument("--nireq", default="4,64,256,1000", help="request counts (comma-separated)")
    parser.add_argument("--pairs", type=int, default=3, help="alternations per count (default 3)")
    parser.add_argument("--time", type=float, default=3.0, help="-t seconds per run (default 3)")
    parser.add_argument("--flags", default="", help="extra flags for every run")
    parser.add_argument("--designs", action="store_true", help="also force each loop design")
    parser.add_argument(
        "--pool-per-cpu", default="1,2", help="with --designs: pool threads per CPU to try"
    )
    args = parser.parse_args(argv)
    args.pool_per_cpu = [int(x) for x in args.pool_per_cpu.split(",")]
    path = resolve_model(args.model)
    print(
        f"# requests.py  {time.strftime('%Y-%m-%d %H:%M:%S')}  model {args.model}  "
        f"pairs {args.pairs}  -t {args.time:g}  cpus {os.cpu_count()}  "
        f"loadavg {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    table = ["| -nireq | variant | median FPS | peak threads | / benchmark_app | pairs |"]
    table.append("|---|---|---|---|---|---|")
    for nireq in (int(x) for x in args.nireq.split(",")):
        print(f"\n## -nireq {nireq}", flush=True)
        table += summary(nireq, measure(args, path, nireq))
    print(f"\n# loadavg at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n".join(["", *table]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
