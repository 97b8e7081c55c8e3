"""--mean_values / --scale_values: numbers per input."""

from __future__ import annotations

import math
import re

from ovbench_tui.errors import UsageError

from .named import FIRST_EXAMPLE, for_input, option_key, parse_named_values

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_float_values(text: str, option: str, name: str = "") -> list[float]:
    """Parse `123.675,116.28,103.53` (one value per channel, or one for all)."""
    body = text.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1].strip()
    where = f"'[{body}]'{for_input(name)}"
    if not body:
        raise UsageError(
            f"{option}: no values{for_input(name)}; write one number per channel, "
            f"e.g. [{FIRST_EXAMPLE.get(option_key(option), '1,2,3')}]"
        )
    values: list[float] = []
    for item in body.split(","):
        number = item.strip()
        value = float(number) if _NUMBER.fullmatch(number) else math.nan
        if not math.isfinite(value):
            shown = f"'{number}'" if number else "an empty value"
            raise UsageError(
                f"{option}: {shown} in {where} is not a number; write decimal numbers "
                "separated by commas, e.g. 123.675,116.28,103.53"
            )
        values.append(value)
    # A zero scale would divide every pixel by zero inside the model.
    if option_key(option) == "scale_values" and 0.0 in values:
        raise UsageError(
            f"{option}: scale 0 in {where} would divide by zero; use 1 to leave a channel unscaled"
        )
    return values


def parse_mean_scale_option(text: str, option: str) -> dict[str, list[float]]:
    """--mean_values / --scale_values: {input name or "" for all image inputs: values}."""
    return {
        name: parse_float_values(value, option, name)
        for name, value in parse_named_values(text, option).items()
    }
