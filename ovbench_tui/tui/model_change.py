"""What in the form no longer fits when the model changes (pure: rows in, keys out)."""

from __future__ import annotations

import re

from ..form_state import FIELD_BY_KEY, FormValues

# Fields that may name inputs: `name[...]` (shapes, layouts, values) or `name:prec`.
NAMED_FIELDS = ("shape", "data_shape", "layout", "mean_values", "scale_values")
BRACKET_NAME = re.compile(r"([^\[\],\s]+)\[")


def stale_fields(
    values: FormValues, rows: list[tuple[str, str, str, str]], demo_keys: frozenset[str]
) -> dict[str, str]:
    """key -> why, for the settings a newly chosen model cannot use: data shapes of a
    static model, names of inputs it does not have, and what --demo switched on."""
    inputs = {row[0] for row in rows}
    dynamic = any("dynamic" in row[1] for row in rows)
    stale: dict[str, str] = {}
    if values.get("data_shape", "").strip() and not dynamic:
        stale["data_shape"] = "the model is static"
        if values.get("pcseq"):
            stale["pcseq"] = "no data shapes to compare"
    for key in NAMED_FIELDS:
        names = set(BRACKET_NAME.findall(values.get(key, "")))
        unknown = sorted(names - inputs)
        if unknown and key not in stale:
            stale[key] = f"no input named {', '.join(unknown)}"
    for key in demo_keys:
        if values.get(key) and key not in stale:
            stale[key] = "set by --demo"
    return stale


def describe(stale: dict[str, str]) -> str:
    return "Model changed, cleared: " + "; ".join(
        f"{FIELD_BY_KEY[key].label} ({why})" for key, why in stale.items()
    )
