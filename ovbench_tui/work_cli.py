"""What the headless front ends of work above one run (sweep, capacity, tune) share.

Each parses its flags and builds a printer and a runner, checking what it can
before anything is measured; a bad input is one line on stderr and its exit
code.  A stop signal that came during the start-up imports or the checks ends
the command there.  The work runs in a thread (`run_until_done`), so a signal
only asks it to stop; what it finished is reported, stored and written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TextIO, TypeVar

from .errors import OvbenchError, UsageError
from .knobs import KNOB_BY_FIELD
from .stop_signals import LockedLines, StopSignals, run_until_done, signal_label

T = TypeVar("T")

# (the command's printer, then what measures and reports: stops -> exit code)
Started = tuple[LockedLines, Callable[[StopSignals], int]]

# A run flag that sets one run's length, refused where each point has its own.
RUN_LENGTH = "{flag} sets one run's length: give {instead} for each point"


def run_work_command(
    command: str,
    what: str,
    build_parser: Callable[[], argparse.ArgumentParser],
    start: Callable[[argparse.Namespace, TextIO], Started],
    argv: Sequence[str],
    out: TextIO | None = None,
    stops: StopSignals | None = None,
) -> int:
    """`ovbench-tui <command>`: help, the start (`start(args, out)`, whose errors are
    one line), then the work.  `what` ("the sweep") names it in the stop notices;
    `stops`: the stop signals installed already (cli.main's), else its own."""
    if stops is None:
        with StopSignals() as own:
            return run_work_command(command, what, build_parser, start, argv, out, own)
    out = out or sys.stdout
    parser = build_parser()
    if any(arg in ("-h", "--help") for arg in argv):
        print(parser.format_help(), file=out)
        return 0
    try:
        printer, work = start(parser.parse_args(list(argv)), out)
    except OvbenchError as error:
        sys.stderr.write(f"ovbench-tui {command}: error: {error}\n")
        return error.exit_code
    if stops.signum is not None:  # during the start-up imports or the checks
        printer.line(f"[ WARNING ] {signal_label(stops.signum)} before {what} started")
        return stops.exit_code or 1
    code = work(stops)
    if printer.write_error is not None:
        # The work went on and was stored and written; the lines were lost.
        sys.stderr.write(
            f"ovbench-tui {command}: cannot write the output: {printer.write_error.strerror}\n"
        )
        return code or 1
    return code


def refuse_knobs(args: argparse.Namespace, instead: Mapping[str, str], words: str) -> None:
    """Refuse the first run flag given of these knobs (config field -> what to give
    instead), in `words` with {flag} and {instead}: the work sets them itself."""
    for field, other in instead.items():
        knob = KNOB_BY_FIELD[field]
        if getattr(args, knob.key) is not None:
            raise UsageError(words.format(flag=knob.flag, instead=other))


def finish_work(
    run: Callable[[], T],
    stop: Callable[[], None],
    stops: StopSignals,
    printer: LockedLines,
    what: str,
) -> T | None:
    """Run the work until done or stopped; None after its one `[ ERROR ]` line."""
    finished = run_until_done(run, stop, stops, printer, what)
    if finished.error or finished.value is None:
        printer.line(f"[ ERROR ] {finished.error}")
        return None
    return finished.value


class StoredPoint(Protocol):
    @property
    def run_id(self) -> int | None: ...


def say_history(
    printer: LockedLines,
    history_error: str,
    history_path: str,
    points: Sequence[StoredPoint],
    *,
    with_ids: bool = True,
) -> None:
    """Why the points were not stored in the run history, or where they were (and
    `with_ids`, as which runs)."""
    if history_error:
        printer.line(f"[ WARNING ] Points not stored in the run history: {history_error}")
        return
    if not history_path or not points:
        return
    if not with_ids:
        printer.line(f"[ INFO ] Points stored in the run history ({history_path})")
        return
    ids = [point.run_id for point in points if point.run_id is not None]
    printer.line(
        f"[ INFO ] Points stored in the run history as {stored_runs(ids)} ({history_path})"
        if ids
        else "[ WARNING ] No point was stored in the run history"
    )


def stored_runs(ids: Sequence[int]) -> str:
    """ "run 7", "runs 7-9", or each id when another process stored runs in between."""
    if len(ids) == 1:
        return f"run {ids[0]}"
    if list(ids) == list(range(ids[0], ids[0] + len(ids))):
        return f"runs {ids[0]}-{ids[-1]}"
    return "runs " + ", ".join(str(run_id) for run_id in ids)


def write_work_files(
    printer: LockedLines, device: str, write: Callable[[dict[str, Any]], list[str]]
) -> list[str] | int:
    """`write(environment)` with the machine's environment: the files written, or
    after its one `[ ERROR ]` line the exit code."""
    from .reports.result_file import collect_environment

    try:
        return write(collect_environment(None, [device]))
    except OvbenchError as error:
        printer.line(f"[ ERROR ] {error}")
        return error.exit_code
