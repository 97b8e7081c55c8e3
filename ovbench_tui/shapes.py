"""Parsers for benchmark_app's small option grammars.

Covers -shape, -data_shape, -layout, --mean_values/--scale_values, -ip/-op/-iop,
-d and the per-device -nstreams/-infer_precision. Everything here is pure text
processing: no model is touched, so checking names against a model's inputs is
left to the caller. Every failure is a one-line `UsageError` naming the option
and showing the form that would have worked.

The grammars follow benchmark_app 2026.4.1; where its regexes produce surprising
results (a name `,b` out of `a[1],,b[3]`, `IndexError` for an -iop item without
a colon, silently dropped device values) these parsers either do the evident
thing or reject the text with a message instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import openvino as ov

from ovbench_tui.config import PRECISION_CHOICES
from ovbench_tui.errors import UsageError

__all__ = [
    "PRECISIONS",
    "VIRTUAL_DEVICES",
    "format_partial_shape",
    "is_virtual_device",
    "parse_data_shapes",
    "parse_devices",
    "parse_float_values",
    "parse_iop",
    "parse_layout",
    "parse_layout_option",
    "parse_mean_scale_option",
    "parse_named_values",
    "parse_partial_shape",
    "parse_precision",
    "parse_shape_option",
    "parse_value_per_device",
]

# ---------------------------------------------------------------------------
# name[value] lists
# ---------------------------------------------------------------------------

# Second example per option, used in hints so they read like the option's own
# syntax rather than a generic placeholder.
_SECOND_EXAMPLE: dict[str, str] = {
    "shape": "1,4",
    "data_shape": "1,4",
    "layout": "NC",
    "mean_values": "0.5",
    "scale_values": "255",
}
_FIRST_EXAMPLE: dict[str, str] = {
    "shape": "1,3,224,224",
    "data_shape": "1,3,224,224",
    "layout": "NCHW",
    "mean_values": "123.675,116.28,103.53",
    "scale_values": "58.395,57.12,57.375",
}


def _option_key(option: str) -> str:
    return option.lstrip("-").strip().lower()


def _hint(option: str, first: str | None = None) -> str:
    key = _option_key(option)
    value = first if first else _FIRST_EXAMPLE.get(key, "value")
    second = _SECOND_EXAMPLE.get(key, "value2")
    everyone = "all image inputs" if key in ("mean_values", "scale_values") else "all inputs"
    if key == "data_shape":
        return (
            f"write [{value}] for {everyone} or name[{value}],name2[{second}] per input "
            "(several groups: name[1,4][2,4])"
        )
    return f"write [{value}] for {everyone} or name[{value}],name2[{second}] per input"


def _for_input(name: str) -> str:
    return f" for input '{name}'" if name else ""


@dataclass(frozen=True)
class _Group:
    """One `[...]` group and the raw text that preceded it."""

    prefix: str
    value: str


def _scan_groups(text: str, option: str) -> list[_Group]:
    """Split text into bracket groups, checking that brackets balance.

    Nested brackets are kept inside the value so that `data[[N,C,H,W]]` hands
    the bracketed layout through intact (benchmark_app's regex would cut it at
    the first `]`).
    """
    groups: list[_Group] = []
    depth = 0
    last_end = 0
    start = 0
    for i, char in enumerate(text):
        if char == "[":
            if depth == 0:
                start = i
            depth += 1
        elif char == "]":
            if depth == 0:
                raise UsageError(
                    f"{option}: unexpected ']' at position {i + 1} in '{text}'; {_hint(option)}"
                )
            depth -= 1
            if depth == 0:
                groups.append(_Group(text[last_end:start], text[start + 1 : i]))
                last_end = i + 1
    if depth:
        raise UsageError(
            f"{option}: '[' at position {start + 1} in '{text}' has no closing ']'; {_hint(option)}"
        )
    if not groups:
        raise UsageError(f"{option}: can't parse '{text}'; {_hint(option, text.strip())}")
    trailing = text[last_end:].strip(", \t\r\n")
    if trailing:
        raise UsageError(
            f"{option}: '{trailing}' at the end of '{text}' has no [value]; {_hint(option)}"
        )
    return groups


def _group_name(group: _Group, option: str) -> str:
    # Stray separators around names are noise (`a[1], ,b[2]`), but a comma
    # inside what is left means an entry lost its value (`a[1],b,c[2]`).
    name = group.prefix.strip(", \t\r\n")
    if "," in name:
        raise UsageError(
            f"{option}: '{name}' is not an input name; every input needs its own [value]: "
            f"{_hint(option)}"
        )
    return name


def _separated(group: _Group) -> bool:
    """True if the group starts a new entry rather than continuing the last one."""
    return bool(group.prefix.strip(", \t\r\n")) or "," in group.prefix


def parse_named_values(text: str, option: str) -> dict[str, str]:
    """Parse `name[value],name2[value]` into {name: raw value}; key "" = all inputs.

    As in benchmark_app, an unnamed `[value]` applies to every input: earlier
    named entries are dropped and later ones are ignored (they are still
    syntax-checked).
    """
    if not text or not text.strip():
        return {}
    groups = _scan_groups(text, option)
    names = [_group_name(group, option) for group in groups]
    for index, group in enumerate(groups[1:], start=1):
        if not _separated(group):
            owner = f"input '{names[index - 1]}'" if names[index - 1] else "all inputs"
            extra = "; use -data_shape for several shapes" if _option_key(option) == "shape" else ""
            raise UsageError(
                f"{option}: {owner} has two [values] in a row in '{text}'; "
                f"give one value per input{extra}"
            )
    result: dict[str, str] = {}
    for name, group in zip(names, groups, strict=True):
        if not name:
            return {"": group.value}
        if name in result:
            raise UsageError(
                f"{option}: input '{name}' is given twice in '{text}'; keep one {name}[...]"
            )
        result[name] = group.value
    return result


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------

# 2**63-1 is OpenVINO's "dynamic" sentinel, so the largest static value is one less.
_MAX_DIM = 2**63 - 2
_DIGITS = re.compile(r"[0-9]+")


def _bound(text: str) -> int | None:
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= _MAX_DIM else None


def _parse_dimension(item: str, text: str, option: str, name: str) -> ov.Dimension:
    dim = item.strip()
    if dim in ("?", "-1", ".."):
        return ov.Dimension()
    where = f"in '[{text}]'{_for_input(name)}"
    if not dim:
        raise UsageError(
            f"{option}: empty dimension {where}; separate dimensions with single commas"
        )
    if ".." in dim:
        low_text, _, high_text = dim.partition("..")
        low = _bound(low_text.strip()) if low_text.strip() else 0
        high = _bound(high_text.strip()) if high_text.strip() else -1
        if low is not None and high is not None:
            if high != -1 and low > high:
                raise UsageError(
                    f"{option}: range '{dim}' {where} has its lower bound above the upper; "
                    f"write {high}..{low}"
                )
            return ov.Dimension(low, high)
    else:
        value = _bound(dim)
        if value is not None:
            return ov.Dimension(value)
    raise UsageError(
        f"{option}: can't parse dimension '{dim}' {where}; use a number, ? or -1 for a "
        "dynamic one, or a range like 1..10, 1.. or ..10"
    )


def parse_partial_shape(text: str, option: str, name: str = "") -> ov.PartialShape:
    """Parse the inside of `[...]` like OpenVINO's `PartialShape(str)`, but strictly.

    OpenVINO silently turns `-2` into 0, `3..1` into `?` and over-long numbers
    into 0; those are rejected here.
    """
    body = text.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1].strip()
    if body == "...":
        return ov.PartialShape.dynamic()
    if not body:
        return ov.PartialShape([])
    return ov.PartialShape([_parse_dimension(item, body, option, name) for item in body.split(",")])


def parse_shape_option(text: str, option: str) -> dict[str, ov.PartialShape]:
    """-shape: {input name or "" for all inputs: partial shape}."""
    return {
        name: parse_partial_shape(value, option, name)
        for name, value in parse_named_values(text, option).items()
    }


def parse_data_shapes(text: str, input_names: list[str]) -> dict[str, list[ov.PartialShape]]:
    """-data_shape: {input name: shapes, one per tensor group}.

    Named chunks (`a[1,4][2,4],b[1,8]`) map as written. The first unnamed
    chunk is dealt round-robin over input_names in order, like benchmark_app:
    for two inputs `[1,4][1,8]` means a:[1,4], b:[1,8], not two groups for
    both. It replaces everything else in the option.
    """
    option = "-data_shape"
    if not text or not text.strip():
        return {}
    groups = _scan_groups(text, option)
    chunks: list[tuple[str, list[ov.PartialShape]]] = []
    for index, group in enumerate(groups):
        name = _group_name(group, option)
        if index == 0 or _separated(group):
            chunks.append((name, []))
        chunk_name = chunks[-1][0]
        chunks[-1][1].append(parse_partial_shape(group.value, option, chunk_name))

    result: dict[str, list[ov.PartialShape]] = {}
    for name, shapes in chunks:
        if name:
            if name in result:
                raise UsageError(
                    f"{option}: input '{name}' is given twice in '{text}'; "
                    f"list all its shapes in one entry, e.g. {name}[1,4][2,4]"
                )
            result[name] = shapes
            continue
        return _distribute(shapes, input_names, text)
    return result


def _distribute(
    shapes: list[ov.PartialShape], input_names: list[str], text: str
) -> dict[str, list[ov.PartialShape]]:
    option = "-data_shape"
    n_inputs, n_shapes = len(input_names), len(shapes)
    if n_inputs == 0:
        raise UsageError(f"{option}: the model has no inputs to give '{text}' to; drop {option}")
    if n_shapes != 1 and n_shapes % n_inputs:
        names = ", ".join(input_names)
        raise UsageError(
            f"{option}: Number of provided data_shapes is not a multiple of the number of "
            f"model inputs ({n_shapes} shapes for {n_inputs} inputs: {names}); give 1 shape for "
            f"all inputs, a multiple of {n_inputs} dealt to the inputs in turn, or name each "
            f"input as name[1,4][2,4],name2[1,8]"
        )
    result: dict[str, list[ov.PartialShape]] = {name: [] for name in input_names}
    for i in range(max(n_shapes, n_inputs)):
        result[input_names[i % n_inputs]].append(shapes[i % n_shapes])
    return result


def _format_dimension(dim: ov.Dimension) -> str:
    if dim.is_static:
        return str(dim.get_length())
    low, high = dim.get_min_length(), dim.get_max_length()
    if high == -1:
        return f"{low}.." if low else "?"
    return f"..{high}" if low == 0 else f"{low}..{high}"


def format_partial_shape(ps: ov.PartialShape) -> str:
    """benchmark_app's spelling: `[1,3,32,32]`, `[?,3,?,?]`, `[1..4,3,1..,..8]`, `[...]`.

    Built from the dimensions rather than `str(ps)` so that reports do not
    change if OpenVINO's own spelling does.
    """
    if ps.rank.is_dynamic:
        return "[...]"
    return "[" + ",".join(_format_dimension(dim) for dim in ps) + "]"


# ---------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------

_LAYOUT_CHARS = re.compile(r"[A-Za-z0-9_?.,\[\] \t]*")
_LAYOUT_HELP = (
    "use letters like NCHW, NHWC, N... or [N,C,H,W]: each name once, ? for an unnamed "
    "dimension, ... for any number of them"
)


def _openvino_reason(error: Exception) -> str:
    # OpenVINO's messages start with a "Check '...' failed at file:line" line;
    # the human-readable reason, when there is one, follows it.
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reasons = [line for line in lines if not line.startswith("Check ")]
    return f" ({reasons[0].rstrip('.')})" if reasons else ""


def parse_layout(text: str, option: str, name: str = "") -> ov.Layout:
    """Parse a layout: `NCHW`, `nchw`, `N...`, `NC`, `[N,C,H,W]`, `N,C,H,W`, `...`.

    A comma list without brackets is the inside of `-layout data[N,C,H,W]`,
    which benchmark_app hands to `Layout()` as `N,C,H,W` and fails on; it is
    wrapped in brackets here. Empty text means "no layout".
    """
    body = text.strip()
    if not body:
        return ov.Layout()
    if "," in body and not (body.startswith("[") and body.endswith("]")):
        body = f"[{body}]"
    # Non-ASCII text makes OpenVINO fail with a UnicodeDecodeError instead of a
    # useful message, so reject it before it gets there.
    if not _LAYOUT_CHARS.fullmatch(body):
        raise UsageError(
            f"{option}: can't parse layout '{text.strip()}'{_for_input(name)}; {_LAYOUT_HELP}"
        )
    try:
        return ov.Layout(body)
    except Exception as error:
        raise UsageError(
            f"{option}: can't parse layout '{text.strip()}'{_for_input(name)}"
            f"{_openvino_reason(error)}; {_LAYOUT_HELP}"
        ) from None


def parse_layout_option(text: str, option: str) -> dict[str, ov.Layout]:
    """-layout: {input name or "" for all inputs: layout}.

    Unlike benchmark_app, a bare layout without brackets (`-layout NCHW`) is
    accepted and means all inputs.
    """
    if text and "[" not in text and "]" not in text and text.strip():
        return {"": parse_layout(text, option)}
    return {
        name: parse_layout(value, option, name)
        for name, value in parse_named_values(text, option).items()
    }


# ---------------------------------------------------------------------------
# Mean / scale values
# ---------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_float_values(text: str, option: str, name: str = "") -> list[float]:
    """Parse `123.675,116.28,103.53` (one value per channel, or one for all)."""
    body = text.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1].strip()
    where = f"'[{body}]'{_for_input(name)}"
    if not body:
        raise UsageError(
            f"{option}: no values{_for_input(name)}; write one number per channel, "
            f"e.g. [{_FIRST_EXAMPLE.get(_option_key(option), '1,2,3')}]"
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
    if _option_key(option) == "scale_values" and 0.0 in values:
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


# ---------------------------------------------------------------------------
# Precisions
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------

VIRTUAL_DEVICES: tuple[str, ...] = ("MULTI", "HETERO", "AUTO")


def is_virtual_device(name: str) -> bool:
    return name in VIRTUAL_DEVICES


def parse_devices(device: str) -> list[str]:
    """-d: `CPU` → [CPU]; `AUTO:GPU,-CPU` → [AUTO, GPU, CPU] (exclusion dash dropped)."""
    option = "-d"
    text = device.strip()
    head, colon, rest = text.partition(":")
    head = head.strip()
    if not head:
        raise UsageError(
            f"{option}: no device in '{device}'; write e.g. -d CPU, -d GPU.1 or -d AUTO:GPU,CPU"
        )
    devices = [head]
    if colon:
        for raw in rest.split(","):
            item = raw.strip()
            if item.startswith("-"):
                item = item[1:].strip()
            if not item:
                raise UsageError(
                    f"{option}: empty device name in '{device}'; list devices after "
                    f"'{head}:' separated by single commas, e.g. {head}:GPU,CPU"
                )
            devices.append(item)
    return devices


def parse_value_per_device(devices: list[str], text: str, option: str) -> dict[str, str]:
    """-nstreams / -infer_precision: `value` for every device or `dev:value,dev2:value`.

    Items apply left to right, so `2,GPU:4` gives GPU 4 and every other device 2.
    """
    result: dict[str, str] = {}
    if not text or not text.strip():
        return result
    target = " ".join(devices)
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        parts = [part.strip() for part in item.split(":")]
        if len(parts) > 2 or not all(parts):
            raise UsageError(
                f"{option}: can't parse '{item}'; write <value> for all devices or "
                f"<device>:<value>,<device2>:<value> per device"
            )
        if len(parts) == 1:
            for name in devices:
                result[name] = item
            continue
        name, value = parts
        if name not in devices:
            raise UsageError(
                f"{option}: device '{name}' is not in the target devices list '{target}'; "
                f"name one of them (e.g. {devices[0] if devices else 'CPU'}:{value}) "
                "or give a bare value for all"
            )
        result[name] = value
    return result
