"""The screens' fields: one reading of a numeric field, one line for a refusal and the
machine block of the files they save, for every screen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import OptionError, OvbenchError, UsageError


def positive_number(
    text: str, what: str, default: float | None, integer: bool = False
) -> float | None:
    """`text` as a number above 0 (empty: `default`); one line naming the field if not."""
    text = text.strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise UsageError(f"{what} {text!r} is not {kind}") from None
    if not value > 0 or value == float("inf"):
        raise UsageError(f"{what} {text!r} must be more than 0")
    return value


def error_line(error: Exception, labels: Mapping[str, str] | None = None) -> str:
    """What a screen's error panel says for `error`. `labels`: the screen's field labels
    by the names OptionError.field uses, so a refused value is named by its field, not by
    the command line's flag; other refusals without the command line's hint; a failure
    nobody foresaw by its type, still one line."""
    if isinstance(error, OptionError) and labels and error.field in labels:
        return error.phrased(labels[error.field])
    if isinstance(error, OvbenchError):
        return error.message
    return f"{type(error).__name__}: {error}"


def machine(device: str) -> dict[str, Any]:
    """The machine and software, for files a screen saves: the same block the command
    line writes (`work_cli.write_work_files`), so a file does not depend on who wrote it."""
    from ..reports.result_file import collect_environment

    return collect_environment(None, [device])
