"""A knob's row: the value types argparse calls, and what a row holds."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from ..config import HINT_CHOICES

TRUE_WORDS = ("yes", "true", "t", "y", "1")
FALSE_WORDS = ("no", "false", "f", "n", "0")


# -- value types (argparse `type=`): one line saying what is wrong ------------------


def str2bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise argparse.ArgumentTypeError(f"{text!r} is not a yes/no value: use true or false")


def int_value(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def positive_int(text: str) -> int:
    value = int_value(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not positive: use 1 or more")
    return value


def nonneg_int(text: str) -> int:
    value = int_value(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: use 0 or more")
    return value


def time_value(text: str) -> int | str:
    """-t: whole seconds, or `auto` (until the throughput is stable)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a whole number of seconds nor auto (until stable)"
        ) from None
    return positive_int(text)


def float_value(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def history_file(text: str) -> str:
    """--history: a file path; an empty one is a mistake, not the default file."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "an empty path is not a history file: give a file, or drop --history for the default"
        )
    return text


# -- the table ----------------------------------------------------------------------


@dataclass(frozen=True)
class FormSpec:
    """The knob's field on the app's setup form."""

    label: str
    kind: str = "text"  # text | choice | switch
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    section: str = ""


@dataclass(frozen=True)
class AxisSpec:
    """The knob as a sweep axis."""

    name: str  # as shown in tables and files
    flag: str  # the sweep option that lists its values
    help: str
    integer: bool = False
    runtime: bool = False  # changes no compiled model (see compiled_cache)


@dataclass(frozen=True)
class Knob:
    field: str  # the BenchmarkConfig field ("" when the flag only feeds another knob's)
    flags: tuple[str, ...]  # the first is the one we print (reports, the form's argv)
    group: str  # the -h section
    help: str
    default: object = None
    type: Callable[[str], object] | None = None
    choices: tuple[str, ...] | None = None
    metavar: str | None = None
    dest: str = ""  # argparse's own rule when ""
    optional_bool: bool = False  # -flag alone means true, or -flag false
    store_true: bool = False
    required: bool = False
    append: bool = False  # -i: every occurrence, each with one or more values
    form: FormSpec | None = None
    axis: AxisSpec | None = None
    report: bool = True  # printed in the report's command-line section
    also_fields: tuple[str, ...] = ()  # other config fields the flag sets (-t auto)
    device_property: str = ""  # the compiled model's property this knob sets
    check: Callable[[str], None] | None = None  # its grammar (config validation's words)

    @property
    def key(self) -> str:
        """The argparse destination (and the form's field key)."""
        if self.dest:
            return self.dest
        long = [flag for flag in self.flags if flag.startswith("--")]
        return (long or self.flags)[0].lstrip("-").replace("-", "_")

    @property
    def flag(self) -> str:
        return self.flags[0]

    def argparse_kwargs(self) -> dict[str, object]:
        kwargs: dict[str, object] = {"help": self.help}
        if self.dest:
            kwargs["dest"] = self.dest
        if self.store_true:
            kwargs["action"] = "store_true"
            return kwargs
        if self.append:
            kwargs.update(action="append", nargs="+")
        if self.optional_bool:
            kwargs.update(type=str2bool, nargs="?", const=True)
        if self.required:
            kwargs["required"] = True
        else:
            kwargs["default"] = self.default
        for name in ("type", "choices", "metavar"):
            if getattr(self, name) is not None:
                kwargs[name] = getattr(self, name)
        return kwargs


OPTIONS = "Options"
SHAPES = "Input shapes"
ADVANCED = "Advanced options"
PREPROCESSING = "Preprocessing options"
DEVICE = "Device-specific performance options"
STATISTICS = "Statistics dumping options"
OURS = "ovbench-tui options"

# The form lists each hint once; the short aliases (tput, ctput) stay for the flags
# and a stored run's settings load as the long name.
HINT_ALIASES = {"tput": "throughput", "ctput": "cumulative_throughput"}
FORM_HINTS = tuple(hint for hint in HINT_CHOICES if hint not in HINT_ALIASES)
