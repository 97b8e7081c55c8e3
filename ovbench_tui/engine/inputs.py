"""Step 9: the input tensors fed to the model, and how they rotate.

Each input gets a list of tensors; ticket t feeds tensor t % len to that input
and belongs to data-shape group t % groups, as benchmark_app's DataQueue does
with its independent per-input cursors.  Random data comes from a seeded
generator (benchmark_app's: MT19937 seeded with 0, one stream per input), so
runs are reproducible; unlike benchmark_app, bool inputs get both values and
signed 8-bit inputs do not wrap (its bug B8).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import openvino as ov

from ..errors import UsageError
from .model_io import InputInfo

RANDOM_LOW, RANDOM_HIGH = 0, 255


@dataclass(frozen=True)
class ShapeGroup:
    index: int
    shapes: tuple[tuple[str, ov.Shape], ...]  # (input name, shape) in model order
    batch: int  # frames per inference of this group

    @property
    def label(self) -> str:
        """benchmark_app's group label (each input adds ' name: [shape]')."""
        return "".join(f" {name}: {shape}" for name, shape in self.shapes)


@dataclass
class InputData:
    tensors: list[list[ov.Tensor]]  # per input port
    groups: list[ShapeGroup]

    @property
    def set_count(self) -> int:
        """Tickets after which the (tensor per input, group) pattern repeats."""
        count = len(self.groups)
        for per_input in self.tensors:
            count = math.lcm(count, len(per_input))
        return count

    def input_set(self, ticket: int) -> dict[int, ov.Tensor]:
        return {port: tensors[ticket % len(tensors)] for port, tensors in enumerate(self.tensors)}

    def input_sets(self) -> list[dict[int, ov.Tensor]]:
        return [self.input_set(t) for t in range(self.set_count)]


def shape_groups(infos: list[InputInfo], network_batch: int) -> list[ShapeGroup]:
    count = max((len(info.shapes) for info in infos), default=1)
    groups = []
    for index in range(count):
        pairs = tuple((info.name, info.shapes[index % len(info.shapes)]) for info in infos)
        batches = {info.batch_of(shape) for info, (_, shape) in zip(infos, pairs, strict=True)} - {
            0
        }
        if len(batches) > 1:
            raise UsageError(
                "the data shapes of one group disagree on the batch (N) dimension: "
                "give every input the same batch in -data_shape"
            )
        batch = batches.pop() if batches else network_batch
        groups.append(ShapeGroup(index, pairs, max(batch, 1)))
    return groups


def random_values(element: ov.Type, shape: ov.Shape, rs: np.random.RandomState) -> ov.Tensor:
    tensor = ov.Tensor(element, shape)
    dims = list(shape)
    if element == ov.Type.boolean:
        tensor.data[...] = rs.randint(0, 2, dims).astype(bool)
    elif element == ov.Type.bf16:
        floats = rs.uniform(RANDOM_LOW, RANDOM_HIGH, dims).astype(np.float32)
        tensor.data.view(np.uint16)[...] = (floats.view(np.uint32) >> 16).astype(np.uint16)
    elif element.bitwidth < 8 or element in (ov.Type.string, ov.Type.dynamic):
        raw = tensor.data
        raw[...] = rs.randint(0, 256, raw.shape).astype(raw.dtype)
    elif element.is_real():
        tensor.data[...] = rs.uniform(RANDOM_LOW, RANDOM_HIGH, dims)
    else:
        dtype = tensor.data.dtype
        info = np.iinfo(dtype)
        low, high = max(int(info.min), RANDOM_LOW), min(int(info.max), RANDOM_HIGH)
        tensor.data[...] = rs.randint(low, high + 1, dims).astype(dtype)
    return tensor


def random_input_data(infos: list[InputInfo], groups: list[ShapeGroup], seed: int = 0) -> InputData:
    tensors = []
    for info in infos:
        rs = np.random.RandomState(np.random.MT19937(np.random.SeedSequence(seed)))
        shapes = info.shapes or [ov.Shape([])]
        tensors.append([random_values(info.element_type, shape, rs) for shape in shapes])
    return InputData(tensors=tensors, groups=groups)
