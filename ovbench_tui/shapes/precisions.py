"""-ip, -op and -iop: element types by name."""

from __future__ import annotations

import openvino as ov

from ovbench_tui.config import PRECISION_CHOICES
from ovbench_tui.errors import UsageError

_PRECISION_TYPES: dict[str, ov.Type] = {
    "bool": ov.Type.boolean,
    "f16": ov.Type.f16,
    "f32": ov.Type.f32,
    "f64": ov.Type.f64,
    "i8": ov.Type.i8,
    "i16": ov.Type.i16,
    "i32": ov.Type.i32,
    "i64": ov.Type.i64,
    "u8": ov.Type.u8,
    "u16": ov.Type.u16,
    "u32": ov.Type.u32,
    "u64": ov.Type.u64,
}
# The names live in config.py (importable without OpenVINO); this maps them to types.
PRECISIONS: tuple[str, ...] = PRECISION_CHOICES
assert set(_PRECISION_TYPES) == set(PRECISIONS)


def _known_precision(text: str) -> str | None:
    key = text.strip().lower()
    return key if key in _PRECISION_TYPES else None


def parse_precision(text: str, option: str) -> ov.Type:
    """An -ip/-op/-iop precision name (case-insensitive) as an OpenVINO type."""
    key = _known_precision(text)
    if key is None:
        raise UsageError(
            f"{option}: unknown precision '{text.strip()}'; use one of {', '.join(PRECISIONS)}"
        )
    return _PRECISION_TYPES[key]


def parse_iop(text: str) -> dict[str, str]:
    """-iop `name:prec,name2:prec` → {name: precision name from PRECISIONS}.

    The precision is after the last colon, so names may contain colons
    (`out:0:f32` → `out:0`). Whitespace is removed first, as in benchmark_app.
    """
    option = "-iop"
    result: dict[str, str] = {}
    for item in "".join(text.split()).split(","):
        if not item:
            continue
        name, colon, precision = item.rpartition(":")
        if not colon or not name:
            raise UsageError(
                f"{option}: '{item}' is not name:precision; write e.g. "
                f"{item.strip(':') or 'input'}:f32, several separated by commas"
            )
        key = _known_precision(precision)
        if key is None:
            raise UsageError(
                f"{option}: unknown precision '{precision}' for '{name}'; "
                f"use one of {', '.join(PRECISIONS)}"
            )
        if name in result:
            raise UsageError(f"{option}: '{name}' is given twice; keep one {name}:<precision>")
        result[name] = key
    return result
