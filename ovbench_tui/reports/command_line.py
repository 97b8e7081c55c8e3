"""The main report's command-line section: the flags as typed (benchmark_app's
parsing with its B15 crashes fixed), or, for a run started without argv (the
app's form, a sweep's winner), the flags equivalent to its config, named by the
knob table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields

from ..config import BenchmarkConfig
from ..knobs import REPORT_FLAGS

_NEGATIVE_NUMBER = re.compile(r"^-\d")


def command_line_pairs(argv: Sequence[str]) -> list[tuple[str, str]]:
    """(flag as typed, value) pairs from the raw option tokens (program name excluded).

    Like benchmark_app: `-flag=value` splits at `=`, a dash token starts a flag
    (value "" until a value follows), leading bare tokens are dropped.  Unlike it:
    only the first `=` splits, "" and negative numbers are values, and several
    values after one flag (`-i a b`) are all kept.
    """
    pairs: list[tuple[str, str]] = []
    name = ""
    values: list[str] = []

    def flush() -> None:
        if name:
            pairs.append((name, " ".join(values)))

    for arg in argv:
        if "=" in arg and arg.startswith("-"):
            flush()
            flag, _, value = arg.partition("=")
            pairs.append((flag, value))
            name, values = "", []
        elif arg.startswith("-") and not _NEGATIVE_NUMBER.match(arg):
            flush()
            name, values = arg, []
        else:
            values.append(arg)
    flush()
    return pairs


def config_command_line(config: BenchmarkConfig) -> list[tuple[str, str]]:
    """The flags equivalent to `config`'s non-default settings, for runs without argv."""
    pairs: list[tuple[str, str]] = []
    for item in fields(BenchmarkConfig):
        flag = REPORT_FLAGS.get(item.name)
        if flag is None:
            continue
        value = getattr(config, item.name)
        if value == item.default and item.name != "model":
            continue
        if item.name == "time_auto":
            text = "auto"
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, tuple):
            text = " ".join(str(v) for v in value)
        else:
            text = str(value)
        pairs.append((flag, text))
    return pairs
