"""A compiled model kept between the points of a sweep.

Points that differ only in runtime settings (the data shapes fed to a dynamic
model) run on the same compiled model: compiling again would only add time
and, for the CPU plugin, memory.  The number of infer requests is not one of
them: it reaches the compiler as PERFORMANCE_HINT_NUM_REQUESTS, which caps the
CPU plugin's streams even with -hint none (2 streams and 1 request compile to
1 stream), so each request count is compiled as benchmark_app would.

Only the newest model is kept, so a long sweep holds one compiled model at a
time; the sweep orders its points so those that share one are adjacent.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

import openvino as ov

from ..config import BenchmarkConfig
from .model_io import InputInfo

# Options that change what steps 4-7 produce.  -data_shape is not here: on a
# dynamic model it only picks the tensors fed at run time.
_MODEL_OPTIONS = (
    "model",
    "device",
    "shape",
    "batch",
    "layout",
    "mean_values",
    "scale_values",
    "input_precision",
    "output_precision",
    "input_output_precision",
)


def compile_key(config: BenchmarkConfig, device_properties: dict[str, Any]) -> str:
    options = {name: getattr(config, name) for name in _MODEL_OPTIONS}
    return json.dumps([options, device_properties], sort_keys=True, default=str)


@dataclass
class CompiledEntry:
    compiled: ov.CompiledModel
    infos: list[InputInfo]  # as resolved and configured, without data shapes
    names: list[tuple[str, str]]  # (tensor name, node name) per input
    batch: ov.Dimension
    owner: str  # which run compiled it, for the log line

    def fresh_infos(self) -> list[InputInfo]:
        return [dataclasses.replace(info, data_shapes=[]) for info in self.infos]


class CompiledModelCache:
    def __init__(self) -> None:
        self._key: str | None = None
        self._entry: CompiledEntry | None = None

    def get(self, key: str) -> CompiledEntry | None:
        return self._entry if key == self._key else None

    def put(self, key: str, entry: CompiledEntry) -> None:
        self._key, self._entry = key, entry

    def clear(self) -> None:
        self._key, self._entry = None, None
