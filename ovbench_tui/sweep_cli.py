"""`ovbench-tui sweep`: run a grid of settings and print throughput against latency.

Every benchmark_app flag sets what all points share; the plural options list
the values to sweep.  Writes PREFIX.csv and PREFIX.json (one row per point,
with the Pareto front and the best point under the latency budget) and stores
each point in the run history.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .errors import UsageError
from .reports.files import output_prefix
from .run_args import build_run_parser, config_from_args, float_value, positive_int, resolve_seed
from .stop_signals import LockedLines, StopSignals
from .sweep.grid import AXES, DEFAULT_POINT_COUNT, DEFAULT_POINT_TIME_S, SweepSpec, split_values
from .work_cli import (
    RUN_LENGTH,
    Started,
    finish_work,
    refuse_knobs,
    run_work_command,
    say_history,
    write_work_files,
)

if TYPE_CHECKING:
    from .sweep.runner import SweepRunner


def build_sweep_parser() -> argparse.ArgumentParser:

    parser = build_run_parser("ovbench-tui sweep")
    parser.description = __doc__
    group = parser.add_argument_group(
        "Sweep",
        "Each option takes one or more values (space- or comma-separated; data shapes\n"
        "space-separated). Points run the grid of every combination.",
    )
    for axis in AXES:
        group.add_argument(
            axis.flag,
            dest=f"sweep_{axis.name}",
            nargs="+",
            metavar="V",
            help=axis.help,
        )
    group.add_argument(
        "--point-time",
        type=positive_int,
        default=DEFAULT_POINT_TIME_S,
        metavar="S",
        help=f"Each point measures at least S whole seconds (default {DEFAULT_POINT_TIME_S}) ...",
    )
    group.add_argument(
        "--point-count",
        type=positive_int,
        default=DEFAULT_POINT_COUNT,
        metavar="N",
        help=f"... and at least N inferences (default {DEFAULT_POINT_COUNT}).",
    )
    group.add_argument(
        "--shuffle",
        nargs="?",
        const="random",
        default=None,
        metavar="SEED",
        help="Run the points in a shuffled order (a seed, or random; the seed is printed).\n"
        "Points sharing a compiled model stay together.",
    )
    group.add_argument(
        "--percentile",
        type=float_value,
        default=50.0,
        metavar="P",
        help="Latency percentile for the x axis and the budget (default 50, the median).",
    )
    group.add_argument(
        "--budget",
        type=float_value,
        default=None,
        metavar="MS",
        help="Latency budget: the best point is the fastest within it. With -rate R every\n"
        "point is an open-loop run at R requests/s, latency counts from arrival and\n"
        "the best is the one that keeps up with the lowest latency within it.",
    )
    group.add_argument(
        "--no-model-cache",
        action="store_true",
        help="Do not keep compiled blobs in the user cache folder between compiles\n"
        "(the default unless -cdir is given).",
    )
    group.add_argument(
        "--out",
        default="",
        metavar="PREFIX",
        help="Write PREFIX.csv and PREFIX.json (default ovbench-sweep-<date>-<time>;\n"
        "a folder gets the default names inside it).",
    )
    return parser


def spec_from_args(args: argparse.Namespace) -> SweepSpec:

    axes = {}
    for axis in AXES:
        values = getattr(args, f"sweep_{axis.name}")
        if values is not None:
            axes[axis.name] = split_values(values, axis)
    refuse_knobs(args, {"time_s": "--point-time S", "niter": "--point-count N"}, RUN_LENGTH)
    try:
        seed = None if args.shuffle is None else resolve_seed(args.shuffle)
    except UsageError:
        raise UsageError(
            f"--shuffle {args.shuffle!r} is not a seed: give a whole number >= 0, or 'random' "
            "(the default when --shuffle has no value)"
        ) from None
    return SweepSpec(
        base=config_from_args(args),
        axes=axes,
        point_time_s=args.point_time,
        point_count=args.point_count,
        shuffle_seed=seed,
        percentile=args.percentile,
        budget_ms=args.budget,
        model_cache=not args.no_model_cache,
    )


def output_paths(given: str) -> tuple[str, str]:
    prefix = output_prefix(given, "sweep")
    return prefix + ".csv", prefix + ".json"


def run_sweep(
    argv: Sequence[str], out: TextIO | None = None, stops: StopSignals | None = None
) -> int:
    """`stops`: the stop signals installed already (cli.main's), else its own."""
    return run_work_command("sweep", "the sweep", build_sweep_parser, _start, argv, out, stops)


def _start(args: argparse.Namespace, out: TextIO) -> Started:
    spec = spec_from_args(args)
    from .sweep.runner import SweepRunner

    printer = _Printer(out, spec)
    runner = SweepRunner(spec, printer)
    csv_path, json_path = output_paths(args.out)
    if args.md_out:
        from .markdown import check_markdown_path

        check_markdown_path(args.md_out)
    runner.check()
    return printer, lambda stops: _run(runner, printer, csv_path, json_path, stops, args.md_out)


class _Printer(LockedLines):
    def __init__(self, out: TextIO, spec: SweepSpec) -> None:
        super().__init__(out)
        self.spec = spec

    def __call__(self, event: object) -> None:
        from .sweep.runner import PointFailed, PointFinished, PointStarted, PointStopped

        percent = self.spec.percentile
        if isinstance(event, PointStarted):
            self.line(
                f"[ {event.order}/{event.total} ] point {event.plan.index}: {event.plan.label}"
            )
        elif isinstance(event, PointFinished):
            point = event.point
            x = point.latency_at(percent)
            x_text = "too few samples" if x is None else f"{x:.3f} ms"
            reused = ", compiled model reused" if point.compiled_reused else ""
            if point.open_loop is not None:
                kept = "" if point.open_loop.kept_up else " (did not keep up)"
                reused += f", achieved {point.open_loop.achieved_rps:.1f} requests/s{kept}"
            self.line(
                f"[ {point.order}/{event.total} ] point {point.plan.index}: "
                f"{point.throughput_fps:.2f} FPS, "
                f"p{percent:g} {x_text}, {point.count} iterations{reused}"
            )
            for warning in point.warnings:
                self.line(f"[ WARNING ] point {point.plan.index}: {warning}")
        elif isinstance(event, PointFailed):
            self.line(f"[ ERROR ] point {event.failure.plan.label}: {event.failure.message}")
        elif isinstance(event, PointStopped):
            self.line(f"[ WARNING ] point {event.plan.label} stopped: not kept")


def _run(
    runner: SweepRunner,
    printer: _Printer,
    csv_path: str,
    json_path: str,
    stops: StopSignals,
    md_path: str = "",
) -> int:
    from .sweep.output import table_lines, write_sweep_files

    spec = runner.spec
    total = len(runner.plans)
    seed = f", shuffled with seed {spec.shuffle_seed}" if spec.shuffle_seed is not None else ""
    if spec.base.rate:
        seed += (
            f", open loop at {spec.base.rate:g} requests/s ({spec.base.arrival_process}): "
            "latency from arrival"
        )
    printer.line(
        f"[ INFO ] Sweeping {total} point{'s' if total != 1 else ''} of {spec.base.model} "
        f"on {spec.base.device}: "
        f"each at least {spec.point_time_s} s and {spec.point_count} inferences{seed}"
    )
    outcome = finish_work(runner.run, runner.stop, stops, printer, "the sweep")
    if outcome is None:
        return 1
    say_history(printer, runner.history_error, runner.history_path, outcome.points)
    if outcome.points:
        printer.line("")
        for text in table_lines(outcome):
            printer.line(text)

        def write(environment: dict[str, Any]) -> list[str]:
            written = write_sweep_files(outcome, csv_path, json_path, environment)
            if md_path:
                from .markdown import sweep_markdown, write_markdown

                write_markdown(md_path, sweep_markdown(outcome))
                written.append(md_path)
            return written

        written = write_work_files(printer, spec.base.device, write)
        if isinstance(written, int):
            return written
        printer.line("")
        printer.line(f"[ INFO ] Sweep written to {' and '.join(written)}")
    else:
        printer.line("[ ERROR ] No point finished: nothing to write")
    printer.flush_notice()
    if stops.exit_code is not None:
        return stops.exit_code
    if outcome.failures and not outcome.points:
        return outcome.failures[0].exit_code
    return 0
