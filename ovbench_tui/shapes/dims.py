"""-shape and -data_shape: dimensions, ranges and their text."""

from __future__ import annotations

import re

import openvino as ov

from ovbench_tui.errors import UsageError

from .named import for_input, group_name, parse_named_values, scan_groups, separated

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
    where = f"in '[{text}]'{for_input(name)}"
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
    groups = scan_groups(text, option)
    chunks: list[tuple[str, list[ov.PartialShape]]] = []
    for index, group in enumerate(groups):
        name = group_name(group, option)
        if index == 0 or separated(group):
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
