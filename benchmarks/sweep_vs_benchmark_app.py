"""A sweep by ovbench-tui against the same grid run with benchmark_app, one process per point.

    .venv/bin/python benchmarks/sweep_vs_benchmark_app.py [--model demo:cnn]
        [--streams 1,2] [--requests 1,2,4] [--time 3] [--rounds 2]

For each round it runs every point of the grid with `benchmark_app -hint none
-nstreams S -nireq R -t T` (what a person does today, in a shell loop), then
`ovbench-tui sweep` over the same grid (`--point-time T --point-count 1`, no
history, no model cache, so both compile every point from scratch), and the
next round in the opposite order.  It prints, per point, the median over rounds
of ours/benchmark_app FPS (the same settings should measure the same: about
1.0), and the wall time of the whole grid for each tool (the sweep compiles and
loads OpenVINO once per grid instead of once per point).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import statistics
import sys
import tempfile
import time

from _common import find_tool, format_cmd, openvino_version, resolve_model, run_child


def benchmark_app_grid(
    path: str, grid: list[tuple[str, str]], seconds: int
) -> tuple[dict[tuple[str, str], float], float]:
    tool = find_tool("benchmark_app")
    fps = {}
    start = time.perf_counter()
    for streams, requests in grid:
        cmd = [tool, "-m", path, "-d", "CPU", "-hint", "none", "-nstreams", streams]
        cmd += ["-nireq", requests, "-t", str(seconds)]
        result = run_child(cmd, timeout_s=seconds * 4 + 120)
        if not result.ok or result.fps is None:
            sys.exit(result.describe_failure())
        fps[(streams, requests)] = result.fps
    return fps, time.perf_counter() - start


def ours_grid(
    path: str, streams: list[str], requests: list[str], seconds: int
) -> tuple[dict[tuple[str, str], float], float]:
    with tempfile.TemporaryDirectory() as folder:
        prefix = os.path.join(folder, "sweep")
        cmd = [find_tool("ovbench-tui"), "sweep", "-m", path, "-d", "CPU", "--streams", *streams]
        cmd += ["--requests", *requests, "--point-time", str(seconds), "--point-count", "1"]
        cmd += ["--no-history", "--no-model-cache", "--out", prefix]
        start = time.perf_counter()
        result = run_child(cmd, timeout_s=len(streams) * len(requests) * (seconds * 4 + 60))
        wall = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"$ {format_cmd(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
        with open(prefix + ".csv", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
    return {(r["streams"], r["requests"]): float(r["throughput_fps"]) for r in rows}, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="demo:cnn")
    parser.add_argument("--streams", default="1,2")
    parser.add_argument("--requests", default="1,2,4")
    parser.add_argument("--time", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    path = resolve_model(args.model)
    streams = args.streams.split(",")
    requests = args.requests.split(",")
    grid = list(itertools.product(streams, requests))
    print(
        f"# sweep_vs_benchmark_app {time.strftime('%Y-%m-%d %H:%M:%S')} openvino "
        f"{openvino_version()} model {args.model} grid {len(grid)} points x {args.time} s, "
        f"{args.rounds} rounds, cpus {os.cpu_count()}"
    )
    ratios: dict[tuple[str, str], list[float]] = {point: [] for point in grid}
    walls: dict[str, list[float]] = {"benchmark_app": [], "ovbench-tui sweep": []}
    for round_number in range(args.rounds):
        order = ["benchmark_app", "ours"] if round_number % 2 == 0 else ["ours", "benchmark_app"]
        measured = {}
        for tool in order:
            if tool == "ours":
                measured[tool], wall = ours_grid(path, streams, requests, args.time)
                walls["ovbench-tui sweep"].append(wall)
            else:
                measured[tool], wall = benchmark_app_grid(path, grid, args.time)
                walls["benchmark_app"].append(wall)
        for point in grid:
            ratios[point].append(measured["ours"][point] / measured["benchmark_app"][point])
        print(
            f"round {round_number + 1}: "
            + ", ".join(
                f"{s}x{r} {measured['ours'][(s, r)]:.1f}/{measured['benchmark_app'][(s, r)]:.1f}"
                for s, r in grid
            ),
            flush=True,
        )
    print("\n| streams | requests | ours / benchmark_app FPS (median of rounds) | range |")
    print("|---|---|---|---|")
    for (s, r), values in ratios.items():
        print(
            f"| {s} | {r} | {statistics.median(values):.3f} | {min(values):.2f}-{max(values):.2f} |"
        )
    print("\n| tool | wall time of the grid, median s |")
    print("|---|---|")
    for tool, values in walls.items():
        print(f"| {tool} | {statistics.median(values):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
