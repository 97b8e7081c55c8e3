"""The screens' numeric fields: one reading and one message for every screen."""

from __future__ import annotations

from ..errors import UsageError


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
