"""Throughput with per-layer counters on: ``ovbench-tui run`` against ``benchmark_app``.

Counters used to cost us half the throughput of a fast model (a Python read of
``profiling_info`` after every inference); now a sample is read within a 0.25 % time budget
and ``-exec_graph_path`` reads nothing in the loop. This script checks the target: with
``-pc`` and with ``-exec_graph_path``, ours >= benchmark_app as without counters.

For each model and each setting (none, ``-pc``, ``-exec_graph_path``) it alternates the two
tools (A B, then B A, ...) and prints the median of the per-pair throughput ratios
ours/benchmark_app (> 1: we are faster), beside the same ratio without counters.

Run:  .venv/bin/python benchmarks/counters_vs_benchmark_app.py [--pairs 3] [--time 3]
      [--models demo:tiny,~/.cache/ovbench-public-models/iris_landmark.tflite]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from _common import find_tool, fmt, format_cmd, median, openvino_version, resolve_model, run_child

BA = "benchmark_app"
OURS = "ours"
IRIS = Path("~/.cache/ovbench-public-models/iris_landmark.tflite").expanduser()
RUN_OVERHEAD_S = 120.0  # start-up, compilation and the report on top of -t


def settings(folder: str) -> dict[str, list[str]]:
    return {
        "none": [],
        "-pc": ["-pc"],
        "-exec_graph_path": ["-exec_graph_path", os.path.join(folder, "graph.xml")],
    }


def command(tool: str, model: str, seconds: float, extra: list[str], flags: list[str]) -> list[str]:
    base = (
        [find_tool(BA)] if tool == BA else [find_tool("ovbench-tui"), "run", "-progress", "false"]
    )
    return [*base, "-m", model, "-t", f"{seconds:g}", *flags, *extra]


def measure(model: str, name: str, extra: list[str], args: argparse.Namespace) -> list[float]:
    ratios = []
    flags = args.flags.split() if args.flags else []
    for pair in range(args.pairs):
        order = (BA, OURS) if pair % 2 == 0 else (OURS, BA)
        fps: dict[str, float] = {}
        for tool in order:
            cmd = command(tool, model, args.time, extra, flags)
            result = run_child(cmd, args.time + RUN_OVERHEAD_S)
            if not result.ok or result.fps is None:
                print(result.describe_failure(), file=sys.stderr)
                break
            fps[tool] = result.fps
            cpu = result.cpu_s / result.wall_s if result.wall_s else 0.0
            print(f"    {name:<17} {tool:<13} {result.fps:10.1f} FPS  cpu {cpu:.2f}", flush=True)
        if len(fps) == 2:
            ratios.append(fps[OURS] / fps[BA])
    return ratios


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_models = "demo:tiny" + (f",{IRIS}" if IRIS.exists() else "")
    parser.add_argument("--models", default=default_models, help=f"default {default_models}")
    parser.add_argument("--pairs", type=int, default=3, help="A/B pairs per setting (default 3)")
    parser.add_argument("--time", type=float, default=3.0, help="-t per run, s (default 3)")
    parser.add_argument("--flags", default="", help="extra flags for both tools")
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.time <= 0:
        parser.error("--pairs must be >= 1 and --time > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"# openvino {openvino_version()}, load average {os.getloadavg()[0]:.2f}")
    print(f"# pairs {args.pairs}, -t {args.time:g}, extra flags: {args.flags or '(none)'}")
    folder = tempfile.mkdtemp(prefix="ovbench-counters-")
    table: list[tuple[str, str, list[float]]] = []
    try:
        for model in args.models.split(","):
            path = resolve_model(os.path.expanduser(model))
            print(f"## {model}", flush=True)
            for name, extra in settings(folder).items():
                ratios = measure(path, name, extra, args)
                table.append((model, name, ratios))
                shown = ", ".join(f"{r:.3f}" for r in ratios)
                print(f"  {name}: median ours/{BA} {fmt(median(ratios), '.3f')} ({shown})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n# load average at the end {os.getloadavg()[0]:.2f}")
    print(f"| model | counters | ours/{BA} (median of pairs) | pairs |")
    print("|---|---|---|---|")
    for model, name, ratios in table:
        print(f"| {Path(model).name} | {name} | {fmt(median(ratios), '.3f')} | {len(ratios)} |")
    example = format_cmd(command(OURS, "MODEL", args.time, ["-pc"], []))
    print(f"\n(one run: {example})")
    return 0 if all(ratios for _, _, ratios in table) else 1


if __name__ == "__main__":
    sys.exit(main())
