"""`ovbench-tui tune`: the best setting for a latency budget in a few measured points.

Starts from the THROUGHPUT and LATENCY hints' own settings, climbs to
neighbouring streams/requests/batch (and precision) while the objective
improves, then measures the best candidates again, interleaved, and says
whether the winner beats the runner-up outside the 95 % interval.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .reports.files import output_prefix
from .run_args import build_run_parser, config_from_args, float_value, positive_int
from .stop_signals import LockedLines, StopSignals
from .tune.search import AXIS_NAMES, DEFAULT_AXES, DEFAULT_MAX_POINTS, check_axes
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
    from .tune.runner import TuneRunner, TuneSpec

DEFAULT_POINT_TIME_S = 3


def build_tune_parser() -> argparse.ArgumentParser:
    parser = build_run_parser("ovbench-tui tune")
    parser.description = __doc__
    group = parser.add_argument_group("Tune")
    group.add_argument(
        "--budget-ms",
        type=float_value,
        default=None,
        metavar="MS",
        help="Latency budget: the most throughput whose percentile latency is within MS\n"
        "(without it: the most throughput).",
    )
    group.add_argument(
        "--percentile",
        type=float_value,
        default=90.0,
        metavar="P",
        help="Latency percentile held to the budget (default 90).",
    )
    group.add_argument(
        "--max-points",
        type=positive_int,
        default=DEFAULT_MAX_POINTS,
        metavar="N",
        help=f"At most N distinct settings measured (default {DEFAULT_MAX_POINTS}).",
    )
    group.add_argument(
        "--axes",
        nargs="+",
        default=None,
        metavar="AXIS",
        help=f"Knobs to search, of {' '.join(AXIS_NAMES)} (default {' '.join(DEFAULT_AXES)}).",
    )
    group.add_argument(
        "--point-time",
        type=positive_int,
        default=DEFAULT_POINT_TIME_S,
        metavar="S",
        help=f"Each point measures at least S seconds (default {DEFAULT_POINT_TIME_S}).",
    )
    group.add_argument(
        "--no-model-cache",
        action="store_true",
        help="Do not keep compiled blobs in the user cache folder between compiles.",
    )
    group.add_argument(
        "--out",
        default="",
        metavar="PREFIX",
        help="Write PREFIX.csv, PREFIX.json and PREFIX.config.json (the winner's device\n"
        "properties for -load_config); default ovbench-tune-<date>-<time>.",
    )
    return parser


def spec_from_args(args: argparse.Namespace) -> TuneSpec:
    from .tune.runner import TuneSpec

    refuse_knobs(args, {"time_s": "--point-time S", "niter": "--point-time S"}, RUN_LENGTH)
    axes: list[str] = []
    for value in args.axes or DEFAULT_AXES:
        axes.extend(part for part in value.split(",") if part)
    spec = TuneSpec(
        base=config_from_args(args),
        budget_ms=args.budget_ms,
        percentile=args.percentile,
        max_points=args.max_points,
        axes=check_axes(axes),
        axes_given=args.axes is not None,
        point_time_s=args.point_time,
        model_cache=not args.no_model_cache,
    )
    spec.check()
    return spec


def run_tune(
    argv: Sequence[str], out: TextIO | None = None, stops: StopSignals | None = None
) -> int:
    """`stops`: the stop signals installed already (cli.main's), else its own."""
    return run_work_command("tune", "the tuner", build_tune_parser, _start, argv, out, stops)


def _start(args: argparse.Namespace, out: TextIO) -> Started:
    spec = spec_from_args(args)
    from .tune.runner import TuneRunner

    printer = _Printer(out, spec)
    runner = TuneRunner(spec, printer)
    prefix = output_prefix(args.out, "tune")
    runner.check()
    return printer, lambda stops: _run(runner, printer, prefix, stops)


class _Printer(LockedLines):
    def __init__(self, out: TextIO, spec: TuneSpec) -> None:
        super().__init__(out)
        self.spec = spec

    def __call__(self, event: object) -> None:
        from .sweep.runner import PointFailed, PointFinished, PointStopped
        from .tune.runner import ConfirmRound, TrialStarted

        percent = self.spec.percentile
        if isinstance(event, TrialStarted):
            self.line(f"[ {event.order} ] {event.reason}: {event.plan.label}")
        elif isinstance(event, PointFinished):
            point = event.point
            x = point.latency_at(percent)
            x_text = "too few samples" if x is None else f"{x:.3f} ms"
            self.line(
                f"[ {point.order} ] {point.throughput_fps:.2f} FPS, p{percent:g} {x_text}, "
                f"streams {point.effective.get('streams', '?')}, "
                f"requests {point.effective.get('requests', '?')}"
            )
        elif isinstance(event, PointFailed):
            self.line(f"[ ERROR ] {event.failure.plan.label}: {event.failure.message}")
        elif isinstance(event, PointStopped):
            self.line(f"[ WARNING ] {event.plan.label} stopped: not kept")
        elif isinstance(event, ConfirmRound):
            names = ", ".join(str(order) for order in event.candidates)
            self.line(f"[ INFO ] Confirmation round {event.round}: points {names}, interleaved")


def _run(runner: TuneRunner, printer: _Printer, prefix: str, stops: StopSignals) -> int:
    from .tune.output import table_lines, write_tune_files

    spec = runner.tune
    budget = f", p{spec.percentile:g} within {spec.budget_ms:g} ms" if spec.budget_ms else ""
    printer.line(
        f"[ INFO ] Tuning {' '.join(spec.axes)} of {spec.base.model} on {spec.base.device}"
        f"{budget}: at most {spec.max_points} settings of at least {spec.point_time_s} s, "
        "then a confirmation round"
    )
    if runner.note:
        printer.line(f"[ INFO ] {runner.note}")
    outcome = finish_work(runner.run, runner.stop, stops, printer, "the tuner")
    if outcome is None:
        return 1
    runs = outcome.runs.points if outcome.runs is not None else []
    say_history(printer, runner.history_error, runner.history_path, runs)
    printer.line("")
    for text in table_lines(outcome):
        printer.line(text)
    if all(trial.failed for trial in outcome.trials):  # none, or each one refused
        printer.line("[ ERROR ] No point finished: nothing to write")
        failures = outcome.runs.failures if outcome.runs is not None else []
        # As a sweep: the first refusal's code (2 for a flag or shape to fix, 1 for the runtime).
        return stops.exit_code or (failures[0].exit_code if failures else 1)
    written = write_work_files(
        printer,
        spec.base.device,
        lambda environment: write_tune_files(outcome, prefix, environment),
    )
    if isinstance(written, int):
        return written
    printer.line("")
    printer.line(f"[ INFO ] Tune written to {', '.join(written)}")
    return stops.exit_code or 0
