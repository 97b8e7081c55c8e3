"""What sweep, capacity and tune share on the command line (work_cli): the start, the
run flags each point sets itself, and an output that refuses lines."""

from __future__ import annotations

import argparse
import io
from typing import TextIO

import pytest

from ovbench_tui.errors import UsageError
from ovbench_tui.run_args import build_run_parser
from ovbench_tui.stop_signals import LockedLines, StopSignals
from ovbench_tui.work_cli import RUN_LENGTH, Started, refuse_knobs, run_work_command


class FullStream(io.StringIO):
    """Like stdout on /dev/full: every write fails."""

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_refused_output_is_said_on_stderr_and_is_no_success(
    capsys: pytest.CaptureFixture[str],
) -> None:
    done: list[bool] = []

    def start(args: argparse.Namespace, out: TextIO) -> Started:
        printer = LockedLines(out)

        def work(stops: StopSignals) -> int:
            printer.line("[ INFO ] a line nobody can read")
            done.append(True)  # the work goes on: it is stored and written
            return 0

        return printer, work

    argv = ["-m", "demo:tiny"]
    code = run_work_command("tune", "the tuner", build_run_parser, start, argv, FullStream())
    assert code == 1 and done == [True]
    err = capsys.readouterr().err
    assert err == "ovbench-tui tune: cannot write the output: No space left on device\n"


def test_a_bad_start_is_one_line_with_its_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    def start(args: argparse.Namespace, out: TextIO) -> Started:
        raise UsageError("--budget-ms 0: give a positive latency in ms")

    code = run_work_command("tune", "the tuner", build_run_parser, start, ["-m", "x"])
    assert code == 2
    assert capsys.readouterr().err == (
        "ovbench-tui tune: error: --budget-ms 0: give a positive latency in ms\n"
    )


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["-t", "5"], "-t sets one run's length: give --point-time S for each point"),
        (["-niter", "5"], "-niter sets one run's length: give --point-count N for each point"),
        (["--number_iterations", "5"], "-niter sets one run's length"),  # named as -h lists it
        ([], None),
    ],
)
def test_run_flags_the_work_sets_itself_are_refused_by_their_knobs_flag(
    flags: list[str], words: str | None
) -> None:
    args = build_run_parser().parse_args(["-m", "x", *flags])
    instead = {"time_s": "--point-time S", "niter": "--point-count N"}
    if words is None:
        refuse_knobs(args, instead, RUN_LENGTH)
        return
    with pytest.raises(UsageError) as caught:
        refuse_knobs(args, instead, RUN_LENGTH)
    assert words in str(caught.value)
