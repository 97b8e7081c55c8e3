"""`-i`: which files feed which input (grammar), reading them (readers), turning
their values into an input's element type (dtypes) and filling tensors (filling)."""

from .dtypes import bf16_bits, numpy_dtype, typed_view
from .filling import FilePlan, example_shape, file_tensors, original_shape_tensors, plan_files
from .grammar import file_kind, map_input_files
from .readers import FileReader

__all__ = [
    "FilePlan",
    "FileReader",
    "bf16_bits",
    "example_shape",
    "file_kind",
    "file_tensors",
    "map_input_files",
    "numpy_dtype",
    "original_shape_tensors",
    "plan_files",
    "typed_view",
]
