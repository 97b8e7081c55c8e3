"""Step 9: the input tensors fed to the model, and how they rotate.

Each input gets a list of tensors; ticket t feeds tensor t % len to that input
and belongs to data-shape group t % groups, as benchmark_app's DataQueue does
with its independent per-input cursors.  Every list is built so that position
j holds a tensor of group j % groups's shape, which keeps the two cursors in
step even when inputs have different numbers of data shapes (benchmark_app can
feed a tensor of another group's shape there).

Data comes from `-i` files (inputdata/), from the image size for an
image-info input, or from a seeded generator: benchmark_app's MT19937 stream,
one per input starting from the same seed, so seed 0 reproduces its random
floats.  Unlike benchmark_app, bool inputs get both values and i8 inputs do not
wrap (its bug B8), image-info rows hold H then W (B7), and `random_sets` > 1
gives each shape several different tensors so that repeated identical data
does not flatter the measurement.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import openvino as ov

from .. import shapes as shape_text
from ..errors import UsageError
from .inputdata import (
    FilePlan,
    FileReader,
    bf16_bits,
    example_shape,
    file_kind,
    file_tensors,
    map_input_files,
    numpy_dtype,
    original_shape_tensors,
    plan_files,
    typed_view,
)
from .model_io import InputInfo

Log = Callable[[str], None]
RANDOM_LOW, RANDOM_HIGH = 0, 255


def _ignore(text: str) -> None:
    pass


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
    # Per input, the data shapes its tensors have (a static input: its shape);
    # a dynamic input fed by images or .npy files without -data_shape gets the
    # files' own shapes here.
    data_shapes: list[list[ov.Shape]] = field(default_factory=list)

    @property
    def set_count(self) -> int:
        """Tickets after which the (tensor per input, group) pattern repeats."""
        count = len(self.groups)
        for per_input in self.tensors:
            count = math.lcm(count, len(per_input))
        return count

    def input_set(self, ticket: int) -> dict[int, ov.Tensor]:
        return {port: tensors[ticket % len(tensors)] for port, tensors in enumerate(self.tensors)}

    def input_sets(self) -> Sequence[dict[int, ov.Tensor]]:
        """What ticket t feeds, indexed by t % len(): prepared once when the cycle
        is short; built per ticket when input cycles of coprime lengths (say 1000
        and 999 files) would need a million dictionaries."""
        count = self.set_count
        if count <= MAX_PREPARED_SETS:
            return [self.input_set(t) for t in range(count)]
        return _LazyInputSets(self, count)


MAX_PREPARED_SETS = 4096


class _LazyInputSets(Sequence[dict[int, ov.Tensor]]):
    def __init__(self, data: InputData, count: int) -> None:
        self._data = data
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, ticket: int) -> dict[int, ov.Tensor]:  # type: ignore[override]
        return self._data.input_set(ticket)


def shape_groups(infos: Sequence[InputInfo], network_batch: int) -> list[ShapeGroup]:
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


# -- seeds and random values ------------------------------------------------------


def random_stream(seed: int) -> np.random.RandomState:
    """benchmark_app's generator: RandomState(MT19937(SeedSequence(seed)))."""
    return np.random.RandomState(np.random.MT19937(np.random.SeedSequence(seed)))


def random_values(element: ov.Type, shape: ov.Shape, rs: np.random.RandomState) -> ov.Tensor:
    """One random tensor; each element type draws from the stream like benchmark_app."""
    dims = tuple(int(d) for d in shape)
    if element == ov.Type.dynamic:
        raise UsageError("an input of dynamic element type cannot be filled: set it with -ip")
    if element == ov.Type.string:
        draws = rs.uniform(0, 256, dims).astype(np.int64)
        return ov.Tensor(np.vectorize(str, otypes=[str])(draws).reshape(dims))
    tensor = ov.Tensor(element, shape)
    if element == ov.Type.boolean:
        # benchmark_app draws uniform(0, 1) and casts, so nearly every value was True.
        tensor.data[...] = rs.uniform(0, 2, dims) >= 1
    elif element == ov.Type.bf16:
        tensor.data.view(np.uint16)[...] = bf16_bits(rs.uniform(RANDOM_LOW, RANDOM_HIGH, dims))
    elif element.bitwidth < 8:
        # Random bits, packed; benchmark_app's draw for u4/i4.
        count = max(math.prod(dims), 1) * element.bitwidth
        bits = (rs.uniform(0, 15, count) >= 7).astype(np.uint8)
        packed = np.packbits(bits)
        raw = tensor.data.reshape(-1).view(np.uint8)
        raw[...] = np.resize(packed, raw.size)
    elif numpy_dtype(element) is None:
        # f8 types: bytes below 0x78 are finite, non-negative values in every f8 format.
        tensor.data.reshape(-1)[...] = rs.uniform(0, 0x78, tensor.data.size).astype(np.uint8)
    elif element.is_real():
        tensor.data[...] = rs.uniform(RANDOM_LOW, RANDOM_HIGH, dims)
    else:
        dtype = tensor.data.dtype
        high = min(int(np.iinfo(dtype).max), RANDOM_HIGH) + 1
        tensor.data[...] = rs.uniform(RANDOM_LOW, high, dims).astype(dtype)
    return tensor


def random_tensors(
    element: ov.Type, cycle_shapes: list[ov.Shape], distinct: list[ov.Shape], seed: int, sets: int
) -> list[ov.Tensor]:
    """`sets` tensors per distinct shape from one stream; position j is for group j % groups."""
    rs = random_stream(seed)
    drawn = [{tuple(s): random_values(element, s, rs) for s in distinct} for _ in range(sets)]
    groups = len(cycle_shapes)
    return [drawn[j // groups][tuple(cycle_shapes[j % groups])] for j in range(sets * groups)]


def random_input_data(
    infos: Sequence[InputInfo], groups: list[ShapeGroup], seed: int = 0
) -> InputData:
    """Random data for every input (no logging); kept for callers that need no files."""
    tensors = []
    for index, info in enumerate(infos):
        cycle = [group.shapes[index][1] for group in groups]
        tensors.append(random_tensors(info.element_type, cycle, _distinct(info.shapes), seed, 1))
    return InputData(tensors, groups, [list(info.shapes) for info in infos])


def check_memory(random_inputs: Sequence[InputInfo], sets: int) -> None:
    """Refuse, before allocating, input sets larger than the memory the machine has
    free: they would grow until the system kills something."""
    needed = sets * sum(
        item.element_type.size * math.prod(int(d) for d in shape)
        for item in random_inputs
        for shape in _distinct(item.shapes)
    )
    available = available_memory_bytes()
    if available is not None and needed > available:
        raise UsageError(
            f"-random_sets {sets}: the input sets need {needed / 2**20:,.0f} MB and "
            f"{available / 2**20:,.0f} MB are free: give fewer sets"
        )


def available_memory_bytes() -> int | None:
    """MemAvailable from /proc/meminfo (None where there is none)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _distinct(shapes: Sequence[ov.Shape]) -> list[ov.Shape]:
    seen: dict[tuple[int, ...], ov.Shape] = {}
    for shape in shapes:
        seen.setdefault(tuple(int(d) for d in shape), shape)
    return list(seen.values())


# -- image-info inputs ------------------------------------------------------------


def image_info_tensors(
    info: InputInfo, cycle_shapes: list[ov.Shape], sizes: list[tuple[int, int]]
) -> list[ov.Tensor]:
    """Rows of (H, W, 1, ...): the image size of each group (benchmark_app put W twice)."""
    tensors = []
    for shape, (height, width) in zip(cycle_shapes, sizes, strict=True):
        values = np.ones(tuple(int(d) for d in shape), dtype=np.float64)
        values[:, 0] = height
        values[:, 1] = width
        tensor = ov.Tensor(info.element_type, shape)
        if info.element_type == ov.Type.bf16:
            typed_view(tensor)[...] = bf16_bits(values)
        else:
            tensor.data[...] = values
        tensors.append(tensor)
    return tensors


def _image_size(info: InputInfo, shape: ov.Shape) -> tuple[int, int]:
    layout = info.layout
    return (
        int(shape[layout.get_index_by_name("H")]),
        int(shape[layout.get_index_by_name("W")]),
    )


# -- everything together ----------------------------------------------------------


def missing_data_shapes(items: list[InputInfo]) -> UsageError:
    """One line for every dynamic input without a data shape."""
    listed = ", ".join(
        f"'{item.name}' {shape_text.format_partial_shape(item.partial_shape)}" for item in items
    )
    example = ",".join(f"{item.name}{example_shape(item)}" for item in items)
    noun, verb = ("input", "needs") if len(items) == 1 else ("inputs", "need")
    return UsageError(
        f"dynamic {noun} {listed} {verb} data shapes: give -data_shape {example}, "
        "or images/.npy files with -i"
    )


def prepare_input_data(
    infos: Sequence[InputInfo],
    paths: Sequence[str] = (),
    *,
    network_batch: int = 1,
    seed: int = 0,
    random_sets: int = 1,
    warn: Log = _ignore,
    info: Log = _ignore,
) -> InputData:
    """The tensors of every input: from -i files, image sizes or random values.

    `paths` are the -i tokens as given (all occurrences, in order).  Dynamic
    inputs need data shapes, except when images or .npy files give them theirs;
    the shapes used are returned in `InputData.data_shapes` and the groups are
    built from them.  `infos` is not modified.
    """
    if random_sets < 1:
        raise UsageError(f"-random_sets {random_sets}: give a number of sets >= 1")
    files = map_input_files(infos, paths, warn=warn)
    reader = FileReader(warn=warn, info=info)
    images = [i for i, item in enumerate(infos) if item.is_image]
    fills_image_info = len(images) == 1

    # benchmark_app's first pass: counts, missing files and original shapes.
    plans: dict[int, FilePlan] = {}
    own: dict[int, list[ov.Tensor]] = {}
    resolved: list[InputInfo] = []
    missing: list[InputInfo] = []  # all reported at once, not one per attempt
    for index, item in enumerate(infos):
        mine = files[index]
        shapes = list(item.shapes)
        if mine and not shapes:
            noun = "Images" if file_kind(mine[0]) == "image" else "Numpy arrays"
            info(f"{noun} given for input '{item.name}' will be processed with original shapes.")
            own[index] = original_shape_tensors(item, mine, reader)
            shapes = _distinct([t.shape for t in own[index]])
            if len(shapes) > 1:
                shapes = [t.shape for t in own[index]]  # one group per file, as benchmark_app
        elif not shapes:
            missing.append(item)
            continue
        elif mine:
            plans[index] = plan_files(item, mine, shapes, reader, warn)
        elif not (item.is_image_info and fills_image_info):
            warn(
                f"No input files were given for input '{item.name}'!. This input will be "
                "filled with random values!"
            )
        resolved.append(item if item.is_static else replace(item, data_shapes=shapes))
    if missing:
        raise missing_data_shapes(missing)

    groups = shape_groups(resolved, network_batch)
    count = len(groups)
    random_inputs = [
        item
        for index, item in enumerate(resolved)
        if index not in own and index not in plans and not (item.is_image_info and fills_image_info)
    ]
    check_memory(random_inputs, random_sets)
    tensors: list[list[ov.Tensor]] = []
    used_random = False
    for index, item in enumerate(resolved):
        cycle = [group.shapes[index][1] for group in groups]
        if index in own:
            made = own[index]
            if len(item.shapes) > 1:
                made = [made[j % len(made)] for j in range(count)]
            tensors.append(made)
        elif index in plans:
            tensors.append(file_tensors(item, plans[index], cycle, reader))
        elif item.is_image_info and fills_image_info:
            image = resolved[images[0]]
            sizes = [_image_size(image, group.shapes[images[0]][1]) for group in groups]
            # benchmark_app's log spells sizes (W, H); the tensor holds H first.
            shown = list(dict.fromkeys((width, height) for height, width in sizes))
            text = str(shown[0]) if len(shown) == 1 else str(shown)
            info(f"Create input tensors for input '{item.name}' with image sizes: {text}")
            tensors.append(image_info_tensors(item, cycle, sizes))
        else:
            info(f"Fill input '{item.name}' with random values ")
            tensors.append(
                random_tensors(item.element_type, cycle, _distinct(item.shapes), seed, random_sets)
            )
            used_random = True
    if used_random:
        # Always said, so a run's data can be reproduced (0 = benchmark_app's values).
        info(f"Random values come from seed {seed} (repeat them with -seed {seed})")
    return InputData(tensors, groups, [list(item.shapes) for item in resolved])


__all__ = [
    "InputData",
    "ShapeGroup",
    "image_info_tensors",
    "prepare_input_data",
    "random_input_data",
    "random_stream",
    "random_tensors",
    "random_values",
    "shape_groups",
]
