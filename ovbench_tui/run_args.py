"""The run-flag library: benchmark_app's flags, parsed into a BenchmarkConfig.

Used by every front end (headless run, sweep, the app's form); it imports
none of them, and nothing here dispatches (that is cli.py, on top).

The run parser is built from the knob table (knobs/): every benchmark_app
2026.4 option with the same short and long names, values and defaults, plus
older names that still make sense and our own options.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from .config import BenchmarkConfig
from .errors import OvbenchError, UsageError
from .knobs import (
    KNOBS,
    OPTIONS,
    float_value,
    history_file,
    int_value,
    nonneg_int,
    positive_int,
    str2bool,
    time_value,
)

# The value types are the table's; they stay importable from the run-flag library.
__all__ = [
    "OneLineParser",
    "build_run_parser",
    "config_from_args",
    "float_value",
    "history_file",
    "int_value",
    "nonneg_int",
    "parse_run_args",
    "positive_int",
    "print_command_output",
    "resolve_seed",
    "str2bool",
    "time_value",
]


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, hint=f"see {self.prog} -h")


def print_command_output(prog: str, produce: Callable[[], list[str]]) -> int:
    """Run a command that answers with lines: its error as one line on stderr with its
    exit code, or the lines on stdout (a closed pipe, `... | head`, ends quietly)."""
    try:
        lines = produce()
    except OvbenchError as error:
        sys.stderr.write(f"{prog}: error: {error}\n")
        return error.exit_code
    try:
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError as error:  # /dev/full: one line, and no second failure at exit
        sys.stderr.write(f"{prog}: cannot write the output: {error.strerror or error}\n")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


def build_run_parser(prog: str = "ovbench-tui run") -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=prog,
        add_help=False,
        formatter_class=argparse.RawTextHelpFormatter,
        description="Measure a model's speed like OpenVINO's benchmark_app, with the same flags "
        "and output.",
    )
    groups = {OPTIONS: parser.add_argument_group(OPTIONS)}
    groups[OPTIONS].add_argument(
        "-h", "--help", nargs="?", const=True, help="Show this help message and exit."
    )
    for knob in KNOBS:
        if knob.group not in groups:
            groups[knob.group] = parser.add_argument_group(knob.group)
        groups[knob.group].add_argument(*knob.flags, **knob.argparse_kwargs())  # type: ignore[arg-type]
    return parser


def resolve_seed(text: str) -> int:
    """`-seed`: a whole number >= 0, or `random` for a fresh one each run."""
    value = text.strip()
    if value.lower() == "random":
        return int.from_bytes(os.urandom(4), "little")
    try:
        seed = int(value, 10)
    except ValueError:
        seed = -1
    if seed < 0:
        raise UsageError(
            f"-seed {text!r} is not a seed: give a whole number >= 0 (0 reproduces "
            "benchmark_app's data) or 'random'"
        )
    return seed


def config_from_args(args: argparse.Namespace) -> BenchmarkConfig:
    inputs: list[str] = []
    for group in args.paths_to_input or []:
        inputs.extend(group)
    infer_precision = args.infer_precision
    if args.enforce_bfloat16:
        if infer_precision and infer_precision != "bf16":
            raise UsageError("-enforcebf16 and -infer_precision disagree: keep one of them")
        infer_precision = "bf16"
    if args.progress is False:
        progress = "none"
    elif args.stream_output:
        progress = "lines"
    elif args.progress:
        progress = "bar"
    else:
        progress = "auto"
    # Flags that are their config field's value as parsed; the rest are set below.
    plain = {
        knob.field: getattr(args, knob.key)
        for knob in KNOBS
        if knob.field and knob.field not in _DERIVED
    }
    return BenchmarkConfig(
        **plain,
        time_s=None if args.time == "auto" else args.time,
        time_auto=args.time == "auto",
        inputs=tuple(inputs),
        infer_precision=infer_precision,
        load_from_file=bool(args.load_from_file),
        progress=progress,
        seed=resolve_seed(args.seed),
        history=args.history or "",
    )


# Config fields that config_from_args computes from one or more flags.
_DERIVED = {"time_s", "inputs", "infer_precision", "load_from_file", "seed", "history"}


def parse_run_args(argv: Sequence[str]) -> BenchmarkConfig | None:
    """None when help was asked for (and printed)."""
    parser = build_run_parser()
    if any(arg in ("-h", "--help") for arg in argv):
        print(parser.format_help())
        from .engine.device_config import available_devices

        print(f"\nAvailable target devices:   {'  '.join(available_devices())}")
        return None
    args = parser.parse_args(list(argv))
    return config_from_args(args).validate()
