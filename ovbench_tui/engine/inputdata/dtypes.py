"""Element types, batch slots and the casts a file's values go through to
become an input's tensor."""

from __future__ import annotations

import numpy as np
import openvino as ov

from ... import shapes as shape_text
from ...errors import UsageError
from ..model_io import InputInfo

_NUMPY_TYPES: dict[str, type[np.generic]] = {
    "f16": np.float16,
    "f32": np.float32,
    "f64": np.float64,
    "i8": np.int8,
    "i16": np.int16,
    "i32": np.int32,
    "i64": np.int64,
    "u8": np.uint8,
    "u16": np.uint16,
    "u32": np.uint32,
    "u64": np.uint64,
    "boolean": np.bool_,
}


def numpy_dtype(element: ov.Type) -> np.dtype | None:
    """The numpy type holding this element type's values (None: bf16, f8, sub-byte, string)."""
    found = _NUMPY_TYPES.get(element.get_type_name())
    return np.dtype(found) if found is not None else None


def bf16_bits(values: np.ndarray) -> np.ndarray:
    """f32 values as bf16 bit patterns, rounded as OpenVINO's own bfloat16 does."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    bias = (bits & np.uint32(0x00010000)) >> np.uint32(1)
    return ((bits + bias) >> np.uint32(16)).astype(np.uint16)


def typed_view(tensor: ov.Tensor) -> np.ndarray:
    """The tensor's memory as an array of its shape (bf16 as its uint16 bits)."""
    if tensor.element_type == ov.Type.bf16:
        return tensor.data.view(np.uint16)
    return tensor.data


def byte_view(tensor: ov.Tensor) -> np.ndarray:
    return np.asarray(tensor.data).reshape(-1).view(np.uint8)


def tensor_bytes(element: ov.Type, shape: ov.Shape) -> int:
    return int(ov.Tensor(element, shape).byte_size)


def describe(info: InputInfo, shape: ov.Shape | None = None) -> str:
    """`'name' (f32 [1,3,224,224])`, for messages."""
    text = (
        str(list(shape)).replace(" ", "")
        if shape is not None
        else shape_text.format_partial_shape(info.partial_shape)
    )
    return f"'{info.name}' ({info.element_type.get_type_name()} {text})"


def slots_of(info: InputInfo, shape: ov.Shape) -> int:
    """Batch slots a tensor of this shape has: its N dimension, 1 without N."""
    return max(info.batch_of(shape), 1) if info.layout.has_name("N") else 1


def batch_axis(info: InputInfo, rank: int) -> int | None:
    if not info.layout.has_name("N"):
        return None
    axis = int(info.layout.get_index_by_name("N"))
    return axis + rank if axis < 0 else axis


def slot_shape(shape: ov.Shape, axis: int | None) -> tuple[int, ...]:
    dims = [int(d) for d in shape]
    if axis is not None:
        del dims[axis]
    return tuple(dims)


def store_values(values: np.ndarray, element: ov.Type) -> np.ndarray:
    """Values as the tensor's storage holds them (clipped for narrower integer types)."""
    if element == ov.Type.bf16:
        return bf16_bits(values)
    dtype = numpy_dtype(element)
    assert dtype is not None
    if dtype.kind in "iu" and values.dtype.kind in "iuf":
        limits = np.iinfo(dtype)
        values = np.clip(values, limits.min, limits.max)
    return values.astype(dtype)


def cast_array(array: np.ndarray, info: InputInfo, path: str) -> np.ndarray:
    element = info.element_type
    if element == ov.Type.bf16:
        if not np.can_cast(array.dtype, np.float32, "safe"):
            raise UsageError(
                f"-i: {path} holds {array.dtype} values, which do not fit bf16 input "
                f"'{info.name}': save it as float32"
            )
        return bf16_bits(array)
    dtype = numpy_dtype(element)
    assert dtype is not None
    if array.dtype != dtype and not np.can_cast(array.dtype, dtype, "safe"):
        raise UsageError(
            f"-i: {path} holds {array.dtype} values, which do not convert safely to input "
            f"{describe(info)}: save it with array.astype(numpy.{dtype.name})"
        )
    return array.astype(dtype, copy=False)


def string_tensor(array: np.ndarray, info: InputInfo, path: str, shape: ov.Shape) -> ov.Tensor:
    if array.dtype.kind not in "US":
        raise UsageError(
            f"-i: {path} holds {array.dtype} values, but input '{info.name}' holds strings: "
            "save an array of str"
        )
    if tuple(array.shape) != tuple(int(d) for d in shape):
        raise UsageError(
            f"-i: {path} has shape {tuple(array.shape)}, but input {describe(info, shape)} "
            f"needs {tuple(int(d) for d in shape)}"
        )
    return ov.Tensor(array)
