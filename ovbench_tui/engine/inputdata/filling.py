"""Filling input tensors from the files `-i` mapped to them."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import openvino as ov

from ...errors import UsageError
from ..model_io import InputInfo
from .dtypes import (
    batch_axis,
    byte_view,
    cast_array,
    describe,
    slot_shape,
    slots_of,
    store_values,
    string_tensor,
    tensor_bytes,
    typed_view,
)
from .grammar import KIND_NAMES, file_kind
from .readers import FileReader, Log, image_sample, layout_letters


def _wrong_npy_shape(
    info: InputInfo, path: str, array: np.ndarray, shape: ov.Shape, slots: int, slot: tuple
) -> UsageError:
    whole = tuple(int(d) for d in shape)
    wanted = f"{whole} for the whole tensor"
    if slots > 1:
        wanted += f" or {slot} for one of its {slots} batch slots"
    return UsageError(
        f"-i: {path} has shape {tuple(array.shape)}, but input {describe(info, shape)} needs "
        f"{wanted}"
    )


def _wrong_bin_size(info: InputInfo, path: str, size: int, shape: ov.Shape, slots: int) -> str:
    whole = tensor_bytes(info.element_type, shape)
    wanted = f"{whole} bytes for the whole tensor"
    if slots > 1 and whole % slots == 0:
        wanted += f" or {whole // slots} bytes for one of its {slots} batch slots"
    return (
        f"-i: {path} holds {size} bytes, but input {describe(info, shape)} needs {wanted}: "
        f"write raw {info.element_type.get_type_name()} values in C order"
    )


@dataclass
class FilePlan:
    """How an input with fixed shapes uses its files."""

    files: list[str]
    whole: bool  # each file fills a whole tensor (else one batch slot)


def plan_files(
    info: InputInfo, files: list[str], shapes: list[ov.Shape], reader: FileReader, warn: Log
) -> FilePlan:
    """Decide whether files are samples or whole batches; warn about their count."""
    first, shape = files[0], shapes[0]
    whole = False
    if slots_of(info, shape) > 1:
        kind = file_kind(first)
        if kind == "numpy":
            whole = _fits(reader.array(first).shape, tuple(int(d) for d in shape))
        elif kind == "binary":
            whole = os.path.getsize(first) == tensor_bytes(info.element_type, shape)
    if whole and any(file_kind(path) == "image" for path in files):
        raise UsageError(
            f"-i: {first} holds a whole batch of input '{info.name}' while its images fill "
            "one batch slot each: give one kind"
        )
    needed = sum(1 if whole else slots_of(info, s) for s in shapes)
    nouns = {KIND_NAMES.get(file_kind(path) or "", "files") for path in files}
    noun = nouns.pop() if len(nouns) == 1 else "files"
    used = len(files)
    if used > needed and used % needed:
        used -= used % needed
        warn(
            f"Number of provided {noun} for input '{info.name}' is not a multiple of the number "
            f"of provided data shapes. Only {used} {noun} will be processed for this input."
        )
    elif used < needed:
        warn(
            f"Some {noun} will be dublicated: {needed} is required, but only {used} were provided."
        )
    return FilePlan(files[:used], whole)


def file_tensors(
    info: InputInfo,
    plan: FilePlan,
    cycle_shapes: list[ov.Shape],
    reader: FileReader,
) -> list[ov.Tensor]:
    """Tensors for an input with known shapes; position j is for group j % len(cycle_shapes).

    Files are taken in order by one cursor per input, a batch slot (or a whole
    tensor) per file, until every file has been used and the groups are complete.
    """
    files = plan.files
    groups = len(cycle_shapes)
    per_cycle = sum(1 if plan.whole else slots_of(info, s) for s in cycle_shapes)
    cycles = max(1, math.ceil(len(files) / per_cycle))
    built: dict[tuple[tuple[int, ...], tuple[int, ...]], ov.Tensor] = {}
    tensors: list[ov.Tensor] = []
    cursor = 0
    for position in range(cycles * groups):
        shape = cycle_shapes[position % groups]
        count = 1 if plan.whole else slots_of(info, shape)
        picks = tuple((cursor + offset) % len(files) for offset in range(count))
        cursor += count
        key = (tuple(int(d) for d in shape), picks)
        if key not in built:
            built[key] = _fill(info, shape, [files[i] for i in picks], plan.whole, reader)
        tensors.append(built[key])
    return tensors


def _fill(
    info: InputInfo, shape: ov.Shape, paths: list[str], whole: bool, reader: FileReader
) -> ov.Tensor:
    if info.element_type == ov.Type.string:
        return string_tensor(reader.array(paths[0]), info, paths[0], shape)
    tensor = ov.Tensor(info.element_type, shape)
    axis = batch_axis(info, len(shape))
    slots = slots_of(info, shape)
    slot = slot_shape(shape, axis)
    full = tuple(int(d) for d in shape)
    if whole:
        _fill_whole(tensor, info, paths[0], reader, slots)
        return tensor
    for index, path in enumerate(paths):
        kind = file_kind(path)
        if slots == 1 and kind != "image":
            _fill_whole(tensor, info, path, reader, slots)
            continue
        if kind == "image":
            image = image_sample(reader.image(path), info, shape, path, reader.warn)
            sample = store_values(image, info.element_type)
        elif kind == "numpy":
            array = reader.array(path)
            if tuple(array.shape) == full:
                raise UsageError(
                    f"-i: {path} holds a whole batch {full} of input '{info.name}' while the "
                    "other files for it hold one sample each: give one kind"
                )
            if not _fits(array.shape, slot):
                raise _wrong_npy_shape(info, path, array, shape, slots, slot)
            sample = cast_array(array, info, path).reshape(slot)
        else:
            raw = reader.raw(path)
            whole_bytes = tensor_bytes(info.element_type, shape)
            if info.element_type.bitwidth < 8 or raw.size * slots != whole_bytes:
                raise UsageError(_wrong_bin_size(info, path, int(raw.size), shape, slots))
            sample = raw.view(typed_view(tensor).dtype).reshape(slot)
        view = typed_view(tensor)
        target = view if axis is None else np.moveaxis(view, axis, 0)[index]
        target[...] = sample
    return tensor


def _fits(have: tuple[int, ...], want: tuple[int, ...]) -> bool:
    """Same shape up to axes of size 1, so [4] fills [1,4] and [1,3,8,8] one slot of [4,3,8,8]."""
    return tuple(d for d in have if d != 1) == tuple(d for d in want if d != 1)


def _fill_whole(
    tensor: ov.Tensor, info: InputInfo, path: str, reader: FileReader, slots: int
) -> None:
    shape = tensor.shape
    if file_kind(path) == "numpy":
        array = reader.array(path)
        full = tuple(int(d) for d in shape)
        axis = batch_axis(info, len(shape))
        slot = slot_shape(shape, axis)
        if _fits(array.shape, full):
            typed_view(tensor)[...] = cast_array(array, info, path).reshape(full)
            return
        if slots > 1 and _fits(array.shape, slot):
            raise UsageError(
                f"-i: {path} holds one sample of input '{info.name}' while the first of its "
                f"files holds a whole batch {full}: give one kind"
            )
        raise _wrong_npy_shape(info, path, array, shape, slots, slot)
    raw = reader.raw(path)
    target = byte_view(tensor)
    if raw.size != target.size:
        raise UsageError(_wrong_bin_size(info, path, int(raw.size), shape, slots))
    target[...] = raw


def original_shape_tensors(
    info: InputInfo, files: list[str], reader: FileReader
) -> list[ov.Tensor]:
    """A dynamic input without -data_shape: each image or array keeps its own size."""
    kinds = {file_kind(path) for path in files}
    example = example_shape(info)
    if "binary" in kinds:
        raise UsageError(
            f"input {describe(info)} is dynamic and .bin files carry no shape: give its data "
            f"shape, e.g. -data_shape {info.name}{example}"
        )
    if len(kinds) > 1:
        raise UsageError(
            f"-i: input '{info.name}' is dynamic and gets both images and .npy files: give one "
            f"kind, or its data shape (e.g. -data_shape {info.name}{example})"
        )
    if kinds == {"numpy"}:
        return [_original_array(info, path, reader) for path in files]
    letters = layout_letters(info)
    batch = 1
    if "N" in letters and info.partial_shape[letters.index("N")].is_static:
        batch = info.partial_shape[letters.index("N")].get_length()
    tensors = []
    for start in range(0, len(files), batch):
        paths = [files[(start + offset) % len(files)] for offset in range(batch)]
        rows, cols = reader.image(paths[0]).shape[:2]
        reader.info(f"Image will be processed with original shape - ({rows}, {cols})")
        own = {"N": batch, "H": rows, "W": cols, "C": 3}
        dims = []
        for position, letter in enumerate(letters):
            dim = info.partial_shape[position]
            dims.append(dim.get_length() if dim.is_static else own[letter])
        shape = ov.Shape(dims)
        if not info.partial_shape.compatible(ov.PartialShape(dims)):
            raise UsageError(
                f"-i: image {paths[0]} is {rows}x{cols} (HxW), which input {describe(info)} "
                f"does not accept: give its data shape to resize, e.g. -data_shape "
                f"{info.name}{example}"
            )
        tensors.append(_fill(info, shape, paths, False, reader))
    return tensors


def _original_array(info: InputInfo, path: str, reader: FileReader) -> ov.Tensor:
    array = reader.array(path)
    rank = info.partial_shape.rank
    if rank.is_static and array.ndim == rank.get_length() - 1:
        # One sample without its batch axis, as benchmark_app accepts.
        array = np.expand_dims(array, batch_axis(info, rank.get_length()) or 0)
    if not info.partial_shape.compatible(ov.PartialShape(list(array.shape))):
        raise UsageError(
            f"-i: {path} has shape {tuple(array.shape)}, which input {describe(info)} does not "
            "accept: give an array of a shape the input takes"
        )
    shape = ov.Shape(list(array.shape))
    if info.element_type == ov.Type.string:
        return string_tensor(array, info, path, shape)
    tensor = ov.Tensor(info.element_type, shape)
    typed_view(tensor)[...] = cast_array(array, info, path)
    return tensor


def example_shape(info: InputInfo) -> str:
    if info.partial_shape.rank.is_dynamic:
        return "[1,4]"
    dims = []
    for position, dim in enumerate(info.partial_shape):
        if dim.is_static:
            dims.append(str(dim.get_length()))
        else:
            low = dim.get_min_length()
            # Batch 1; a spatial size for image inputs, a sequence length otherwise.
            typical = 224 if info.is_image or len(info.partial_shape) >= 4 else 128
            dims.append(str(low if low > 0 else (1 if position == 0 else typical)))
    return "[" + ",".join(dims) + "]"
