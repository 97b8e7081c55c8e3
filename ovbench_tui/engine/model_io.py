"""Step 5: resolve each input's shape, layout and data shapes, and reshape
(step 4, reading the model file: model_file.py; step 6, precisions and
pre-processing: preprocess.py).

Resolution follows benchmark_app (spec section 7) with two deliberate
differences: an input name in -shape/-data_shape/-layout/mean/scale that
matches no input is an error (benchmark_app ignores it silently), and -b
without any batch dimension is detected whichever input lacks it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import openvino as ov

from .. import shapes
from ..errors import BenchmarkError, UsageError
from .model_file import one_line

IMAGE_LAYOUTS = ("[N,C,H,W]", "[N,H,W,C]", "[C,H,W]", "[H,W,C]")
Warn = Callable[[str], None]


@dataclass
class InputInfo:
    """What the benchmark knows about one model input (benchmark_app's AppInputInfo)."""

    name: str  # the tensor name users write (first tensor name, else node name)
    node_name: str
    element_type: ov.Type
    partial_shape: ov.PartialShape
    layout: ov.Layout = field(default_factory=ov.Layout)
    data_shapes: list[ov.Shape] = field(default_factory=list)
    mean: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)

    @property
    def layout_str(self) -> str:
        return str(self.layout)

    def dimension(self, letter: str) -> ov.Dimension:
        if self.layout.has_name(letter):
            return self.partial_shape[self.layout.get_index_by_name(letter)]
        return ov.Dimension(0)

    @property
    def is_image(self) -> bool:
        return self.layout_str in IMAGE_LAYOUTS and self.dimension("C") == ov.Dimension(3)

    @property
    def is_image_info(self) -> bool:
        if self.layout_str != "[N,C]":
            return False
        channels = self.dimension("C")
        if channels.is_static:
            return channels.get_length() >= 2
        return channels.relaxes(ov.Dimension(2))

    @property
    def is_static(self) -> bool:
        return self.partial_shape.is_static

    @property
    def shapes(self) -> list[ov.Shape]:
        return [self.partial_shape.to_shape()] if self.is_static else self.data_shapes

    def batch_of(self, shape: ov.Shape) -> int:
        """Frames in one tensor of this shape: its N dimension, 0 when there is none."""
        if self.layout.has_name("N"):
            return int(shape[self.layout.get_index_by_name("N")])
        return 0


def input_names(model: ov.Model) -> list[tuple[str, str]]:
    """(tensor name, node name) of each input, in model order."""
    result = []
    for port in model.inputs:
        node_name = port.get_node().get_friendly_name()
        names = port.get_names()
        result.append((port.get_any_name() if names else node_name, node_name))
    return result


def name_lookup(names: list[tuple[str, str]], option: str, keys: Iterable[str]) -> dict[str, int]:
    """Map each user-written input name to an input index; unknown names are errors."""
    found: dict[str, int] = {}
    for key in keys:
        if key == "":
            continue
        for index, (tensor_name, node_name) in enumerate(names):
            if key in (tensor_name, node_name):
                found[key] = index
                break
        else:
            available = ", ".join(n for n, _ in names)
            raise UsageError(
                f"{option}: the model has no input named {key!r}; its inputs are: {available}"
            )
    return found


def _value_for(index: int, values: dict[str, object], lookup: dict[str, int]) -> object | None:
    for key, value in values.items():
        if key == "" or lookup.get(key) == index:
            return value
    return None


def _guess_layout(shape: ov.PartialShape) -> ov.Layout:
    # benchmark_app's rule: a small dimension (<= 4, the colour channels) on
    # one side and a large one on the other; a fully dynamic dim counts as -1.
    rank = shape.rank.get_length() if shape.rank.is_static else 0

    def max_len(i: int) -> int:
        return int(shape[i].get_max_length())

    if rank == 4:
        if max_len(1) <= 4 < max_len(3):
            return ov.Layout("NCHW")
        if max_len(3) <= 4 < max_len(1):
            return ov.Layout("NHWC")
    elif rank == 3:
        if max_len(0) <= 4 < max_len(2):
            return ov.Layout("CHW")
        if max_len(2) <= 4 < max_len(0):
            return ov.Layout("HWC")
    return ov.Layout()


def _guess_dynamic_layout(shape: ov.PartialShape) -> ov.Layout:
    """Where benchmark_app gives up, [?,3,?,?]: one static side dimension of 1..4
    (the channels) and a dynamic one on the other side is unambiguous."""
    if not shape.rank.is_static or shape.rank.get_length() != 4:
        return ov.Layout()
    first, last = shape[1], shape[3]

    def channels(dim: ov.Dimension) -> bool:
        return dim.is_static and 1 <= dim.get_length() <= 4

    if channels(first) and last.is_dynamic:
        return ov.Layout("NCHW")
    if channels(last) and first.is_dynamic:
        return ov.Layout("NHWC")
    return ov.Layout()


def resolve_inputs(
    model: ov.Model,
    *,
    shape: str,
    data_shape: str,
    layout: str,
    batch: str,
    mean_values: str,
    scale_values: str,
    warn: Warn,
    guess_dynamic: bool = False,
) -> tuple[list[InputInfo], bool]:
    """Step 5: each input's shape, layout and data shapes; returns (infos, reshape needed).

    `guess_dynamic` (files given with -i): a [?,3,?,?] input without a layout is taken
    as NCHW, where benchmark_app refuses images; random data keeps its rule."""
    names = input_names(model)
    shape_map = shapes.parse_shape_option(shape, "-shape")
    layout_map = shapes.parse_layout_option(layout, "-layout")
    data_map = shapes.parse_data_shapes(data_shape, [n for n, _ in names])
    shape_lookup = name_lookup(names, "-shape", shape_map)
    layout_lookup = name_lookup(names, "-layout", layout_map)
    data_lookup = name_lookup(names, "-data_shape", data_map)
    bad_batch = UsageError(
        f"-b {batch!r} is not a batch size: use a number such as 4, a range 1..8, or ?"
    )
    try:
        batch_dim = ov.Dimension(batch) if batch else ov.Dimension(0)
    except RuntimeError as error:
        raise bad_batch from error
    # OpenVINO reads any negative number as 0 ("no batch"); only -1 means dynamic.
    if batch.strip().startswith("-") and batch.strip() != "-1":
        raise bad_batch
    batch_requested = batch_dim != ov.Dimension(0)
    if batch_requested and batch_dim.is_static and data_map:
        warn("Batch size will be ignored. Provide batch dimension in data_shape parameter.")
        batch_requested = False

    reshape = False
    batch_found = False
    infos: list[InputInfo] = []
    for index, port in enumerate(model.inputs):
        name, node_name = names[index]
        info = InputInfo(name, node_name, port.get_element_type(), port.get_partial_shape())
        user_shape = _value_for(index, dict(shape_map), shape_lookup)
        if isinstance(user_shape, ov.PartialShape):
            if user_shape.rank != info.partial_shape.rank and info.partial_shape.rank.is_static:
                raise UsageError(
                    f"-shape {shapes.format_partial_shape(user_shape)} for input '{name}' has "
                    f"rank {user_shape.rank}, but the input is "
                    f"{shapes.format_partial_shape(info.partial_shape)}"
                )
            info.partial_shape = user_shape
            reshape = True
        user_layout = _value_for(index, dict(layout_map), layout_lookup)
        if isinstance(user_layout, ov.Layout):
            info.layout = user_layout
        elif port.get_node().layout != ov.Layout():
            info.layout = port.get_node().layout
        else:
            info.layout = _guess_layout(info.partial_shape)
            if info.layout == ov.Layout() and guess_dynamic:
                info.layout = _guess_dynamic_layout(info.partial_shape)
                if info.layout != ov.Layout():
                    warn(
                        f"Input '{name}' {shapes.format_partial_shape(info.partial_shape)} has no "
                        f"layout: taken as {info.layout.to_string().strip('[]').replace(',', '')} "
                        f"from its one small dimension (set -layout {name}[...] to change it)"
                    )
        _check_layout_rank(info)

        if batch_requested:
            batch_index = -1
            if info.layout.has_name("N"):
                batch_index = info.layout.get_index_by_name("N")
            elif info.layout == ov.Layout() and info.partial_shape.rank.is_static:
                first = info.partial_shape[0] if len(info.partial_shape) else None
                if first is not None and (first.is_dynamic or first.get_length() in (0, 1)):
                    warn(
                        f"Batch dimension is not specified for input '{name}'. "
                        "The first dimension will be interpreted as batch size."
                    )
                    batch_index = 0
                    info.layout = ov.Layout("N...")
            if batch_index != -1:
                batch_found = True
                if info.partial_shape[batch_index] != batch_dim:
                    info.partial_shape[batch_index] = batch_dim
                    reshape = True

        infos.append(info)
    _assign_data_shapes(infos, data_map, data_lookup, warn)

    if batch_requested and not batch_found:
        raise UsageError(
            "-b is given, but no input has a batch (N) dimension in its layout: name it with "
            "-layout, e.g. -layout data[NCHW]"
        )

    mean_map = shapes.parse_mean_scale_option(mean_values, "--mean_values")
    scale_map = shapes.parse_mean_scale_option(scale_values, "--scale_values")
    for option, values, attr in (
        ("--mean_values", mean_map, "mean"),
        ("--scale_values", scale_map, "scale"),
    ):
        lookup = name_lookup(names, option, values)
        for index, info in enumerate(infos):
            for key, numbers in values.items():
                # An unnamed entry is for image inputs only, as in benchmark_app.
                if (key == "" and info.is_image) or lookup.get(key) == index:
                    _check_channel_values(option, info, numbers)
                    setattr(info, attr, list(numbers))
    return infos, reshape


def assign_data_shapes(
    infos: list[InputInfo], names: list[tuple[str, str]], data_shape: str, warn: Warn
) -> None:
    """Set each dynamic input's -data_shape values (a sweep changes only these on a
    compiled model it reuses)."""
    data_map = shapes.parse_data_shapes(data_shape, [n for n, _ in names])
    for info in infos:
        info.data_shapes = []
    _assign_data_shapes(infos, data_map, name_lookup(names, "-data_shape", data_map), warn)


def _assign_data_shapes(
    infos: list[InputInfo],
    data_map: dict[str, list[ov.PartialShape]],
    data_lookup: dict[str, int],
    warn: Warn,
) -> None:
    for index, info in enumerate(infos):
        user_data = _value_for(index, dict(data_map), data_lookup)
        if not isinstance(user_data, list):
            continue
        if info.partial_shape.is_dynamic:
            for candidate in user_data:
                info.data_shapes.append(_check_data_shape(candidate, info))
        else:
            warn(
                f"Input '{info.name}' has static shape. Provided data shapes for this input "
                "will be ignored."
            )


def _check_layout_rank(info: InputInfo) -> None:
    layout = info.layout
    if layout == ov.Layout() or not info.partial_shape.rank.is_static:
        return
    text = layout.to_string()
    if "..." in text:
        return
    letters = [c for c in text.strip("[]").split(",") if c]
    if len(letters) != len(info.partial_shape):
        raise UsageError(
            f"-layout {text} has {len(letters)} dimensions but input '{info.name}' is "
            f"{shapes.format_partial_shape(info.partial_shape)}: give one letter per dimension"
        )


def _check_data_shape(candidate: ov.PartialShape, info: InputInfo) -> ov.Shape:
    text = shapes.format_partial_shape(candidate)
    if candidate.is_dynamic:
        raise UsageError(
            f"-data_shape {text} for input '{info.name}' is dynamic: data shapes must be "
            "concrete, e.g. [1,3,224,224]"
        )
    expected = shapes.format_partial_shape(info.partial_shape)
    rank = info.partial_shape.rank
    if rank.is_static and rank.get_length() != len(candidate):
        raise UsageError(
            f"-data_shape {text} has {len(candidate)} dimensions but input '{info.name}' has "
            f"{rank.get_length()} ({expected}): give one size per dimension"
        )
    if not info.partial_shape.compatible(candidate):
        raise UsageError(
            f"-data_shape {text} does not fit input '{info.name}' of shape {expected}: each "
            "dimension must fit the input's range"
        )
    return candidate.to_shape()


def _check_channel_values(option: str, info: InputInfo, numbers: list[float]) -> None:
    channels = info.dimension("C")
    if channels.is_static and channels.get_length() not in (0, len(numbers)) and len(numbers) != 1:
        raise UsageError(
            f"{option} gives {len(numbers)} values for input '{info.name}' which has "
            f"{channels.get_length()} channels: give one value per channel"
        )


def network_batch(infos: list[InputInfo]) -> ov.Dimension:
    batch: ov.Dimension | None = None
    for info in infos:
        if info.layout.has_name("N"):
            dim = info.partial_shape[info.layout.get_index_by_name("N")]
            if batch is None:
                batch = dim
            elif batch != dim:
                raise UsageError(
                    "the inputs disagree on the batch size (N): give one batch with -b, "
                    "or fix -shape/-layout"
                )
    return batch if batch is not None else ov.Dimension(1)


def reshape_model(model: ov.Model, infos: list[InputInfo]) -> None:
    own = [shapes.format_partial_shape(port.get_partial_shape()) for port in model.inputs]
    try:
        model.reshape({info.name: info.partial_shape for info in infos})
    except RuntimeError as error:
        # The runtime's words name an inner node; the model's own shape is what shows a
        # -shape written in another layout (NCHW for an NHWC model).
        changed = [
            f"'{info.name}' {before}"
            for info, before in zip(infos, own, strict=False)
            if shapes.format_partial_shape(info.partial_shape) != before
        ]
        theirs = f" (the model's own: {', '.join(changed)}; give sizes in its order)"
        raise BenchmarkError(
            f"the model cannot be reshaped to {describe_shapes(infos)}"
            f"{theirs if changed else ''}: {one_line(error)}"
        ) from error


def describe_shapes(infos: list[InputInfo]) -> str:
    return ", ".join(
        f"'{info.name}': {shapes.format_partial_shape(info.partial_shape)}" for info in infos
    )
