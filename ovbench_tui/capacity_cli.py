"""`ovbench-tui capacity`: the highest arrival rate served within a latency target.

Every benchmark_app flag sets what the points share.  A closed-loop run gives
the upper bound, then open-loop points (-rate) are bisected on the rate; the
table, the answer with its interval, PREFIX.csv and PREFIX.json follow, and
each point is stored in the run history (tagged `capacity <start> ...`).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .errors import UsageError
from .reports.files import output_prefix
from .run_args import build_run_parser, config_from_args, float_value, positive_int
from .stop_signals import LockedLines, StopSignals
from .work_cli import (
    Started,
    finish_work,
    refuse_knobs,
    run_work_command,
    say_history,
    write_work_files,
)

if TYPE_CHECKING:
    from .capacity.runner import CapacityRunner, CapacitySpec

DEFAULT_POINT_TIME_S = 5


def build_capacity_parser() -> argparse.ArgumentParser:
    parser = build_run_parser("ovbench-tui capacity")
    parser.description = __doc__
    group = parser.add_argument_group("Capacity")
    group.add_argument(
        "--slo-ms",
        type=float_value,
        required=True,
        metavar="MS",
        help="Required. The latency target in ms (from each request's arrival).",
    )
    group.add_argument(
        "--percentile",
        type=float_value,
        default=99.0,
        metavar="P",
        help="Which percentile must meet the target (default 99).",
    )
    group.add_argument(
        "--point-time",
        type=positive_int,
        default=DEFAULT_POINT_TIME_S,
        metavar="S",
        help=f"Whole seconds each point measures at least (default {DEFAULT_POINT_TIME_S}),\n"
        "and at least enough arrivals for the percentile (200 for p99).",
    )
    group.add_argument(
        "--max-rate",
        type=float_value,
        default=None,
        metavar="R",
        help="Upper bound of the search in requests/s (default: the closed-loop\n"
        "throughput, measured first).",
    )
    group.add_argument(
        "--tolerance",
        type=float_value,
        default=5.0,
        metavar="PCT",
        help="Stop when the boundary is known within PCT %% of the rate (default 5).",
    )
    group.add_argument(
        "--out",
        default="",
        metavar="PREFIX",
        help="Write PREFIX.csv and PREFIX.json (default ovbench-capacity-<date>-<time>).",
    )
    return parser


def _positive(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


def spec_from_args(args: argparse.Namespace) -> CapacitySpec:
    from .capacity.runner import CapacitySpec

    if not _positive(args.slo_ms):
        raise UsageError(
            f"--slo-ms {args.slo_ms:g} is not a latency target: give milliseconds above 0, "
            "e.g. --slo-ms 10"
        )
    if not 0 < args.percentile <= 100:
        raise UsageError(
            f"--percentile {args.percentile:g} is out of range: use a number above 0 and up "
            "to 100 (99 = the 99th percentile)"
        )
    if args.max_rate is not None and not _positive(args.max_rate):
        raise UsageError(
            f"--max-rate {args.max_rate:g} is not a rate: give requests per second above 0, "
            "or leave it out to measure the closed-loop throughput"
        )
    if not 0 < args.tolerance < 100:
        raise UsageError(f"--tolerance {args.tolerance:g} must be a percentage above 0, below 100")
    refuse_knobs(
        args,
        {
            "time_s": "--point-time S",
            "niter": "--point-time S",
            "rate": "--max-rate R to bound the search",
        },
        "{flag} is chosen by the capacity search: give {instead} instead",
    )
    base = config_from_args(args)
    base.replace(rate=1.0).validate()  # the points' settings, checked once before any runs
    return CapacitySpec(
        base=base,
        slo_ms=args.slo_ms,
        percent=args.percentile,
        point_time_s=args.point_time,
        max_rate=args.max_rate,
        tolerance=args.tolerance / 100,
    )


def run_capacity(
    argv: Sequence[str], out: TextIO | None = None, stops: StopSignals | None = None
) -> int:
    """`stops`: the stop signals installed already (cli.main's), else its own."""
    return run_work_command(
        "capacity", "the search", build_capacity_parser, _start, argv, out, stops
    )


def _start(args: argparse.Namespace, out: TextIO) -> Started:
    spec = spec_from_args(args)
    prefix = output_prefix(args.out, "capacity")
    from .capacity.runner import CapacityRunner

    printer = _Printer(out, spec)
    runner = CapacityRunner(spec, printer)
    runner.check()
    return printer, lambda stops: _run(runner, printer, prefix, stops)


class _Printer(LockedLines):
    def __init__(self, out: TextIO, spec: CapacitySpec) -> None:
        super().__init__(out)
        self.spec = spec

    def __call__(self, event: object) -> None:
        from .capacity.runner import (
            CapacityPointFinished,
            CapacityPointStarted,
            CapacityPointStopped,
            UpperBoundFound,
        )

        percent = self.spec.percent
        if isinstance(event, UpperBoundFound):
            how = "closed-loop throughput" if event.measured else "--max-rate"
            self.line(f"[ INFO ] Upper bound: {event.rate_rps:.1f} requests/s ({how})")
        elif isinstance(event, CapacityPointStarted):
            role = f" ({event.role})" if event.role else ""
            self.line(f"[ {event.order} ] {event.rate_rps:.1f} requests/s{role}")
        elif isinstance(event, CapacityPointFinished):
            point = event.point
            value = "too few samples" if point.latency_ms is None else f"{point.latency_ms:.2f} ms"
            self.line(
                f"[ {event.order} ] achieved {point.achieved_rps:.1f} requests/s, "
                f"p{percent:g} {value}: {point.verdict} the target"
                + (" (fell behind: the arrivals outran it)" if point.fell_behind else "")
            )
        elif isinstance(event, CapacityPointStopped):
            self.line(f"[ WARNING ] point at {event.rate_rps:.1f} requests/s stopped: not kept")


def _run(runner: CapacityRunner, printer: _Printer, prefix: str, stops: StopSignals) -> int:
    from .capacity.output import answer_text, table_lines, write_capacity_files

    spec = runner.spec
    printer.line(
        f"[ INFO ] Capacity of {spec.base.model} on {spec.base.device}: p{spec.percent:g} "
        f"latency from arrival within {spec.slo_ms:g} ms, {spec.base.arrival_process} "
        f"arrivals, {spec.point_time_s} s per point"
    )
    outcome = finish_work(runner.run, runner.stop, stops, printer, "the search")
    if outcome is None:
        return 1
    if outcome.failure:
        printer.line(f"[ ERROR ] {outcome.failure}")
    say_history(printer, runner.history_error, runner.history_path, outcome.points, with_ids=False)
    if outcome.points:
        printer.line("")
        for text in table_lines(outcome):
            printer.line(text)
        printer.line("")
        printer.line(answer_text(outcome))
        written = write_work_files(
            printer,
            spec.base.device,
            lambda environment: write_capacity_files(outcome, prefix, environment),
        )
        if isinstance(written, int):
            return written
        printer.line(f"[ INFO ] Capacity written to {' and '.join(written)}")
    else:
        printer.line("[ ERROR ] No point finished: nothing to write")
    if stops.exit_code is not None:
        return stops.exit_code
    if outcome.failure:
        return outcome.exit_code or 1
    return 0
