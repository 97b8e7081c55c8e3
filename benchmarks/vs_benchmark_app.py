"""Compare ``ovbench-tui run`` with OpenVINO's ``benchmark_app``: throughput, peak RSS and
memory per inference, on the same model file with the same flags.

The box this runs on is a small shared VM whose speed drifts by several percent over minutes,
so the two tools are run alternately (A B, then B A, ...) and compared through the median of
per-pair ratios rather than through two independent averages.

Run:  .venv/bin/python benchmarks/vs_benchmark_app.py [--models demo:tiny,demo:cnn]
      [--pairs 5] [--time 5] [--flags "-hint latency"] [--niter-memory N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import time
from dataclasses import asdict, dataclass, field

from _common import (
    RunResult,
    find_tool,
    fmt,
    format_cmd,
    median,
    openvino_version,
    resolve_model,
    run_child,
)

BA = "benchmark_app"
OURS = "ours"
TOOLS = (BA, OURS)

# Extra seconds on top of -t for start-up, model compilation and the report.
RUN_OVERHEAD_S = 120.0
# Memory runs: the large -niter for demo:tiny (about 5-10 s at ~20-40k FPS), and for other
# models roughly this many seconds' worth of inferences at the measured FPS.
TINY_NITER_LARGE = 200_000
MEMORY_RUN_TARGET_S = 20.0
# Below this many extra inferences the RSS difference is mostly page-granularity and allocator
# noise, so the bytes/inference figure is flagged as unreliable.
MIN_RELIABLE_COUNT_DELTA = 50_000


@dataclass
class MemoryEstimate:
    """Peak-RSS growth between a short and a long -niter run of one tool."""

    small: RunResult
    large: RunResult

    @property
    def ok(self) -> bool:
        return self.small.ok and self.large.ok

    @property
    def count_delta(self) -> int:
        assert self.small.count is not None and self.large.count is not None
        return self.large.count - self.small.count

    @property
    def rss_delta_kb(self) -> int:
        return self.large.peak_rss_kb - self.small.peak_rss_kb

    @property
    def bytes_per_inference(self) -> float | None:
        if not self.ok or self.count_delta <= 0:
            return None
        return self.rss_delta_kb * 1024 / self.count_delta

    @property
    def reliable(self) -> bool:
        return self.ok and self.count_delta >= MIN_RELIABLE_COUNT_DELTA


@dataclass
class ModelReport:
    model: str
    path: str
    # Throughput runs per tool, in pair order; failed runs are kept so pairs stay aligned.
    runs: dict[str, list[RunResult]] = field(default_factory=lambda: {t: [] for t in TOOLS})
    memory: dict[str, MemoryEstimate] = field(default_factory=dict)

    def fps(self, tool: str) -> list[float]:
        return [r.fps for r in self.runs[tool] if r.ok and r.fps is not None]

    def rss_mib(self, tool: str) -> list[float]:
        return [r.peak_rss_kb / 1024 for r in self.runs[tool] if r.ok]

    def ratios(self) -> list[float]:
        """ours/benchmark_app within each pair where both runs succeeded."""
        out = []
        for ba, ours in zip(self.runs[BA], self.runs[OURS], strict=True):
            if ba.ok and ours.ok and ba.fps and ours.fps is not None:
                out.append(ours.fps / ba.fps)
        return out

    def failures(self) -> list[RunResult]:
        all_runs = [r for runs in self.runs.values() for r in runs]
        for est in self.memory.values():
            all_runs += [est.small, est.large]
        return [r for r in all_runs if not r.ok]


class Runner:
    """Builds each tool's command line and runs it, echoing progress and failures as they
    happen (a full run takes minutes, so silence would look like a hang)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.flags = shlex.split(args.flags)
        self.fail_fast: bool = args.fail_fast
        self.timeout_s: float = args.timeout
        self.base = {
            BA: [find_tool("benchmark_app")],
            # -progress is ours only (benchmark_app rejects it); the bar would only add noise
            # to the captured output and cost a little CPU.
            OURS: [find_tool("ovbench-tui"), "run", "-progress", "false"],
        }

    def command(self, tool: str, model_path: str, limit: list[str]) -> list[str]:
        return [*self.base[tool], "-m", model_path, *limit, *self.flags]

    def run(self, tool: str, model_path: str, limit: list[str], timeout_s: float) -> RunResult:
        result = run_child(self.command(tool, model_path, limit), timeout_s)
        if result.ok:
            print(
                f"    {tool:<13} {result.fps:>10.2f} FPS  count {result.count:>8}  "
                f"peak RSS {result.peak_rss_kb / 1024:7.1f} MiB  {result.wall_s:5.1f} s  "
                # CPUs kept busy (start-up included): lower than usual means competition.
                f"cpu {result.cpu_s / result.wall_s:.2f}",
                flush=True,
            )
        elif self.fail_fast:
            print(result.describe_failure(), file=sys.stderr, flush=True)
            sys.exit(1)
        else:
            # Details are repeated at the end, where they do not scroll away.
            print(f"    {tool:<13} FAILED: {format_cmd(result.cmd)}", flush=True)
        return result


def measure_throughput(runner: Runner, report: ModelReport, pairs: int, seconds: float) -> None:
    """Alternate the tools, flipping which goes first each pair: slow drift of the machine's
    speed then penalises both tools equally instead of always the second one."""
    limit = ["-t", f"{seconds:g}"]
    for i in range(pairs):
        order = TOOLS if i % 2 == 0 else TOOLS[::-1]
        print(f"  pair {i + 1}/{pairs}", flush=True)
        for tool in order:
            report.runs[tool].append(runner.run(tool, report.path, limit, seconds + RUN_OVERHEAD_S))


def memory_niter_large(model: str, report: ModelReport, override: int | None) -> int:
    """Large -niter for the memory runs: long enough for per-inference bookkeeping to show in
    the peak RSS, short enough to finish in tens of seconds on slow models."""
    if override:
        return override
    if model == "demo:tiny":
        return TINY_NITER_LARGE
    fps = median(report.fps(BA) + report.fps(OURS))
    if fps is None:
        return TINY_NITER_LARGE // 10
    return min(TINY_NITER_LARGE, max(10_000, round(fps * MEMORY_RUN_TARGET_S)))


def measure_memory(runner: Runner, report: ModelReport, niter_small: int, niter_large: int) -> None:
    """Per-inference memory: whatever a tool keeps per inference (latency samples, ...) grows
    the peak RSS linearly with the count, while fixed costs (openvino, the compiled model)
    cancel out in the difference between a short and a long run."""
    results: dict[tuple[str, int], RunResult] = {}
    for niter in (niter_small, niter_large):
        print(f"  memory: -niter {niter}", flush=True)
        # -niter alone (no -t) so the run length is set by the count.
        limit = ["-niter", str(niter)]
        for tool in TOOLS:
            results[tool, niter] = runner.run(tool, report.path, limit, runner.timeout_s)
    for tool in TOOLS:
        report.memory[tool] = MemoryEstimate(results[tool, niter_small], results[tool, niter_large])


def print_model_summary(report: ModelReport) -> None:
    print(f"\n== {report.model} ({report.path}) ==")
    for tool in TOOLS:
        fps = ", ".join(f"{v:.2f}" for v in report.fps(tool))
        print(f"  {tool:<13} FPS: [{fps}]")
    ratios = report.ratios()
    print(
        f"  median FPS: {BA} {fmt(median(report.fps(BA)), '.2f')}, "
        f"{OURS} {fmt(median(report.fps(OURS)), '.2f')}"
    )
    if ratios:
        print(
            f"  median ratio ours/{BA}: {median(ratios):.3f} "
            f"(pairs: {', '.join(f'{r:.3f}' for r in ratios)})"
        )
    print(
        f"  median peak RSS: {BA} {fmt(median(report.rss_mib(BA)), '.1f')} MiB, "
        f"{OURS} {fmt(median(report.rss_mib(OURS)), '.1f')} MiB"
    )
    for tool, est in report.memory.items():
        if not est.ok:
            print(f"  memory/inference {tool}: n/a (a run failed)")
            continue
        note = "" if est.reliable else "  (few inferences: within RSS noise)"
        print(
            f"  memory/inference {tool + ':':<14} {fmt(est.bytes_per_inference, '.1f')} B "
            f"(peak RSS {est.small.peak_rss_kb / 1024:.1f} -> {est.large.peak_rss_kb / 1024:.1f}"
            f" MiB over {est.count_delta} more inferences){note}"
        )


def print_table(reports: list[ModelReport]) -> None:
    """Markdown table, ready to paste into a note."""
    header = (
        "| model | BA FPS | ours FPS | ours/BA (median of pairs) | BA RSS MiB | ours RSS MiB "
        "| BA B/inf | ours B/inf |"
    )
    print("\n" + header)
    print("|---" * 8 + "|")
    noisy = False
    for rep in reports:
        per_inf = []
        for tool in TOOLS:
            est = rep.memory.get(tool)
            value = fmt(est.bytes_per_inference if est else None, ".1f")
            if est and est.ok and not est.reliable:
                value += "*"
                noisy = True
            per_inf.append(value)
        print(
            f"| {rep.model} | {fmt(median(rep.fps(BA)), '.1f')} "
            f"| {fmt(median(rep.fps(OURS)), '.1f')} | {fmt(median(rep.ratios()), '.3f')} "
            f"| {fmt(median(rep.rss_mib(BA)), '.1f')} | {fmt(median(rep.rss_mib(OURS)), '.1f')} "
            f"| {per_inf[0]} | {per_inf[1]} |"
        )
    if noisy:
        print(f"\n\\* fewer than {MIN_RELIABLE_COUNT_DELTA} extra inferences: within RSS noise.")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    # No "-h": argparse would read `--flags "-hint latency"` as -h with the value "int latency".
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("--help", action="help", help="show this help message and exit")
    parser.add_argument(
        "--models",
        default="demo:tiny,demo:cnn",
        help="comma-separated model files or demo:<name> (default: %(default)s)",
    )
    parser.add_argument("--pairs", type=int, default=5, help="A/B pairs per model (default 5)")
    parser.add_argument("--time", type=float, default=5.0, help="-t seconds per run (default 5)")
    parser.add_argument(
        "--flags",
        default="",
        help='extra flags for both tools, e.g. --flags "-hint latency" '
        "(use --flags=-pc for a single flag starting with '-')",
    )
    parser.add_argument(
        "--niter-memory",
        type=int,
        default=None,
        help=f"-niter of the long memory run (default {TINY_NITER_LARGE} for demo:tiny, "
        f"else ~{MEMORY_RUN_TARGET_S:g} s worth at the measured FPS)",
    )
    parser.add_argument(
        "--niter-memory-small", type=int, default=2000, help="-niter of the short memory run"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="kill a memory run after this many seconds"
    )
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first failed run")
    parser.add_argument("--json", metavar="PATH", help="also write all raw results as JSON")
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.time <= 0:
        parser.error("--pairs must be >= 1 and --time > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    runner = Runner(args)

    # Enough context to judge and reproduce the numbers later.
    print(
        f"# vs_benchmark_app  {time.strftime('%Y-%m-%d %H:%M:%S')}  openvino {openvino_version()}"
        f"  python {platform.python_version()}  cpus {os.cpu_count()}"
        f"  loadavg {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"# pairs {args.pairs}, -t {args.time:g}, extra flags: {args.flags or '(none)'}")

    reports: list[ModelReport] = []
    for model in models:
        report = ModelReport(model=model, path=resolve_model(model))
        reports.append(report)
        print(f"\n## {model}", flush=True)
        for tool in TOOLS:
            cmd = runner.command(tool, report.path, ["-t", f"{args.time:g}"])
            print(f"  $ {format_cmd(cmd)}")
        measure_throughput(runner, report, args.pairs, args.time)
        if not args.no_memory:
            niter_large = memory_niter_large(model, report, args.niter_memory)
            measure_memory(runner, report, args.niter_memory_small, niter_large)

    for report in reports:
        print_model_summary(report)
    # A high load average here means something else competed for the 2 CPUs during the runs.
    print(f"\n# loadavg at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print_table(reports)

    if args.json:
        with open(args.json, "w") as f:
            json.dump([asdict(r) for r in reports], f, indent=1)

    failures = [r for rep in reports for r in rep.failures()]
    if failures:
        print(f"\n{len(failures)} run(s) failed:", file=sys.stderr)
        for result in failures:
            print(result.describe_failure(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
