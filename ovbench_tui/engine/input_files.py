"""`-i`: which files feed which input, and how a file becomes tensor data.

The grammar follows benchmark_app (spec 8.1) with its bugs fixed:

* every `-i` token is read, so `-i a.png b.png` works (benchmark_app crashes) and
  `-i a.bin -i b.bin` deals the files to the inputs in model order like one
  `-i a.bin,b.bin` (benchmark_app gives both to the first input) -- B14;
* `name:` may be any tensor or node name of the model, including one letter or
  names with dots, dashes or `:0` (benchmark_app only knows `[A-Za-z0-9_.]`);
  a path with no name after a named one belongs to that name
  (`-i a:x.bin y.bin b:z.bin` gives a: x, y and b: z);
* a `.bin` holding one batch slot fills one slot (benchmark_app copied one scalar
  per slot -- B5); a `.npy` may hold one sample or the whole tensor and may be of
  any type that casts safely to the input's;
* images are resized comparing height with height (B6);
* missing paths, empty folders, unusable files and unknown names are one-line
  usage errors.

Images are read with OpenCV as BGR (no RGB swap, like benchmark_app) and stored
unnormalised in the input's element type: mean/scale are applied inside the
model by the pre-processing built in model_io.configure_io.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import openvino as ov

from .. import shapes as shape_text
from ..errors import UsageError
from .model_io import InputInfo, refuse_special_file

Log = Callable[[str], None]

IMAGE_EXTENSIONS = [
    ".bmp",
    ".dib",
    ".jpeg",
    ".jpg",
    ".jpe",
    ".jp2",
    ".png",
    ".pbm",
    ".pgm",
    ".ppm",
    ".sr",
    ".ras",
    ".tiff",
    ".tif",
]
NUMPY_EXTENSIONS = [".npy"]
BINARY_EXTENSIONS = [".bin"]
KIND_NAMES = {"image": "images", "numpy": "numpy arrays", "binary": "binaries"}

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
# A name written before ':' that is not one of the model's inputs: reported as
# an unknown name, unless it is a drive letter or the item is an existing path.
_NAME_PATTERN = re.compile(r"([\w.]+):(.*)", re.DOTALL)


def file_kind(path: str) -> str | None:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in IMAGE_EXTENSIONS:
        return "image"
    if suffix in NUMPY_EXTENSIONS:
        return "numpy"
    if suffix in BINARY_EXTENSIONS:
        return "binary"
    return None


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


def _slot_shape(shape: ov.Shape, axis: int | None) -> tuple[int, ...]:
    dims = [int(d) for d in shape]
    if axis is not None:
        del dims[axis]
    return tuple(dims)


# -- which files feed which input -------------------------------------------------


def map_input_files(
    infos: Sequence[InputInfo], paths: Sequence[str], *, warn: Log
) -> list[list[str]]:
    """Per input (model order), the files -i gives it, sorted like benchmark_app."""
    result: list[list[str]] = [[] for _ in infos]
    if not paths:
        return result
    if not infos:
        raise UsageError("-i is given but the model has no inputs: drop -i")
    names: dict[str, int] = {}
    for index, info in enumerate(infos):
        names.setdefault(info.name, index)
        names.setdefault(info.node_name, index)
    by_length = sorted(names, key=len, reverse=True)

    unnamed: list[str] = []
    named: dict[int, list[str]] = {}
    current: int | None = None
    for token in paths:
        for raw_item in token.split(","):
            item = raw_item.strip()
            if not item:
                continue
            name, rest = _split_name(item, names, by_length, infos)
            if name is not None:
                current = names[name]
                named.setdefault(current, [])
                item = rest.strip()
                if not item:
                    continue
            if not os.path.exists(item):
                owner = f" (given for input '{infos[current].name}')" if current is not None else ""
                raise UsageError(f"-i: {item}{owner} does not exist: check the path")
            refuse_special_file("-i", item)
            if current is None:
                unnamed.append(item)
            else:
                named[current].append(item)

    for index, items in named.items():
        if not items:
            raise UsageError(
                f"-i {infos[index].name}: gives no file for input '{infos[index].name}': "
                f"write {infos[index].name}:file1,folder2"
            )
    if unnamed:
        for index, items in _deal(infos, unnamed, set(named), warn).items():
            named.setdefault(index, []).extend(items)

    unsupported: list[str] = []
    for index, items in named.items():
        files: list[str] = []
        for item in items:
            files.extend(_expand(item))
        usable = []
        for path in files:
            kind = file_kind(path)
            if kind is None:
                unsupported.append(path)
            else:
                _check_fits(infos[index], path, kind)
                usable.append(path)
        if not usable:
            raise UsageError(
                f"-i: none of the files given for input '{infos[index].name}' is usable "
                f"({', '.join(files)}): give images ({', '.join(IMAGE_EXTENSIONS[:7])}, ...), "
                ".npy or .bin files"
            )
        result[index] = sorted(usable)
    if unsupported:
        warn(
            f"This files has unsupported extensions and will be ignored: {unsupported}.\n"
            "Supported extentions:\n"
            f"Images: {IMAGE_EXTENSIONS}\n"
            f"Binary: {BINARY_EXTENSIONS}\n"
            f"Numpy: {NUMPY_EXTENSIONS}"
        )
    return result


def _split_name(
    item: str, names: dict[str, int], by_length: list[str], infos: Sequence[InputInfo]
) -> tuple[str | None, str]:
    for name in by_length:
        if name and item.startswith(name + ":"):
            rest = item[len(name) + 1 :]
            if os.name == "nt" and len(name) == 1 and rest[:1] in ("\\", "/"):
                break  # a drive letter wins on Windows
            return name, rest
    match = _NAME_PATTERN.fullmatch(item)
    if match is None or os.path.exists(item):
        return None, item
    name, rest = match.group(1), match.group(2)
    if len(name) == 1 and rest[:1] in ("\\", "/"):
        return None, item  # C:\data or C:/data
    available = ", ".join(info.name for info in infos)
    raise UsageError(
        f"-i {item}: the model has no input named {name!r}; its inputs are: {available} "
        "(map files with name:file1,folder2)"
    )


def _deal(
    infos: Sequence[InputInfo], unnamed: list[str], mapped: set[int], warn: Log
) -> dict[int, list[str]]:
    """benchmark_app's round robin of paths without a name over the inputs."""
    targets = [i for i, info in enumerate(infos) if not info.is_image_info and i not in mapped]
    if not targets and mapped:
        raise UsageError(
            f"-i {unnamed[0]}: every input already has files by name, so this path feeds none: "
            f"write name:{unnamed[0]} to say which input it is for"
        )
    if not targets:
        targets = list(range(len(infos)))
    if len(infos) > 1:
        warn(
            f"Model has {len(infos)} inputs. It's recommended to use name mapping to specify "
            "parameters for each input."
        )
    # One path per input (or more) is dealt path by path, so `-i a.bin -i b.bin`
    # feeds a.bin to the first input and b.bin to the second; fewer paths than
    # inputs (typically one folder) are dealt file by file, as benchmark_app does.
    units = unnamed
    if len(unnamed) < len(targets):
        units = [path for item in unnamed for path in _expand(item)]
    if len(units) > len(targets) and len(units) % len(targets):
        kept = len(units) - len(units) % len(targets)
        warn(
            f"Number of provided input files '{len(units)}' is not a multiple of the number "
            f"of model inputs. Only {kept} files fill be used."
        )
        units = units[:kept]
    dealt: dict[int, list[str]] = {}
    for position, unit in enumerate(units):
        dealt.setdefault(targets[position % len(targets)], []).append(unit)
    return dealt


def _expand(item: str) -> list[str]:
    """A file as itself, a folder as its files (one level, sorted)."""
    if not os.path.isdir(item):
        return [item]
    files = sorted(
        os.path.join(item, entry)
        for entry in os.listdir(item)
        if not entry.startswith(".") and os.path.isfile(os.path.join(item, entry))
    )
    if not any(file_kind(path) for path in files):
        raise UsageError(
            f"-i: folder {item} holds no usable file: put images "
            f"({', '.join(IMAGE_EXTENSIONS[:7])}, ...), .npy or .bin files in it"
        )
    return files


def _check_fits(info: InputInfo, path: str, kind: str) -> None:
    element = info.element_type.get_type_name()
    if kind == "image":
        reason = image_layout_problem(info)
        if reason:
            raise UsageError(f"-i: {path} is an image, but input {describe(info)} {reason}")
        if numpy_dtype(info.element_type) is None and info.element_type != ov.Type.bf16:
            raise UsageError(
                f"-i: {path} is an image, but input '{info.name}' is {element}: images fill "
                "u8, integer or float inputs; give a .bin file instead"
            )
    elif kind == "numpy" and numpy_dtype(info.element_type) is None:
        if info.element_type not in (ov.Type.bf16, ov.Type.string):
            raise UsageError(
                f"-i: {path} is a .npy file, but numpy has no {element} type for input "
                f"'{info.name}': give its raw bytes in a .bin file"
            )
    elif kind == "binary" and info.element_type == ov.Type.string:
        raise UsageError(
            f"-i: {path} is a .bin file, but input '{info.name}' holds strings: give a .npy "
            "file of strings"
        )


# -- reading files ----------------------------------------------------------------


class FileReader:
    """Reads each file once, however many tensors reuse it."""

    def __init__(self, *, warn: Log, info: Log) -> None:
        self.warn = warn
        self.info = info
        self._images: dict[str, np.ndarray] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._raw: dict[str, np.ndarray] = {}

    def image(self, path: str) -> np.ndarray:
        """The image as BGR uint8 of shape (H, W, 3), as cv2.imread gives it."""
        image = self._images.get(path)
        if image is None:
            self.info(f"Prepare image {path}")
            import cv2  # only when images are read: OpenCV costs ~40 MB of memory

            image = cv2.imread(path, cv2.IMREAD_COLOR)
            if image is None:
                raise UsageError(
                    f"-i: {path} cannot be read as an image (damaged, or a format this "
                    "OpenCV build lacks): convert it to .png or .jpg"
                )
            self._images[path] = image
        return image

    def array(self, path: str) -> np.ndarray:
        array = self._arrays.get(path)
        if array is None:
            try:
                array = np.load(path, allow_pickle=False)
            except (ValueError, OSError, EOFError) as error:
                raise UsageError(
                    f"-i: {path} is not a readable .npy file ({error}): write it with numpy.save"
                ) from error
            if not isinstance(array, np.ndarray):
                raise UsageError(f"-i: {path} holds several arrays: give one array per .npy file")
            self._arrays[path] = array
        return array

    def raw(self, path: str) -> np.ndarray:
        raw = self._raw.get(path)
        if raw is None:
            raw = np.fromfile(path, dtype=np.uint8)
            self._raw[path] = raw
        return raw


# -- images -----------------------------------------------------------------------


def _letters(info: InputInfo) -> list[str]:
    return [letter for letter in str(info.layout).strip("[]").split(",") if letter]


def image_layout_problem(info: InputInfo) -> str:
    """Why images cannot fill this input ('' when they can)."""
    letters = _letters(info)
    hint = f"set its layout, e.g. -layout {info.name}[NCHW]"
    if "H" not in letters or "W" not in letters or "..." in letters:
        return f"has no H and W in its layout ({info.layout_str}): {hint}, or give .npy/.bin files"
    if not set(letters) <= {"N", "C", "H", "W"}:
        return f"has a layout ({info.layout_str}) other than N, C, H and W: {hint}"
    rank = info.partial_shape.rank
    if rank.is_dynamic or rank.get_length() != len(letters):
        return f"does not match its layout {info.layout_str}: {hint}"
    if "C" in letters:
        channels = info.partial_shape[letters.index("C")]
        if channels.is_static and channels.get_length() not in (1, 3):
            return (
                f"has {channels.get_length()} channels; images give 1 (grayscale) or 3 (BGR): "
                "give .npy or .bin files"
            )
    return ""


def image_sample(
    image: np.ndarray, info: InputInfo, shape: ov.Shape, path: str, warn: Log
) -> np.ndarray:
    """One batch slot: the image resized to the shape's H x W, in the layout's axis order."""
    letters = _letters(info)
    height = int(shape[letters.index("H")])
    width = int(shape[letters.index("W")])
    channels = int(shape[letters.index("C")]) if "C" in letters else 1
    if channels not in (1, 3):
        raise UsageError(
            f"-i: {path} is an image, but input '{info.name}' has {channels} channels in shape "
            f"{list(shape)}; images give 1 or 3"
        )
    import cv2

    rows, cols = image.shape[:2]
    if (rows, cols) != (height, width):
        warn(f"Image is resized from (({rows}, {cols})) to (({height}, {width}))")
        image = cv2.resize(image, (width, height))
    if channels == 1:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)[:, :, None]
    source = {"H": 0, "W": 1, "C": 2}
    if "C" not in letters:
        image = image[:, :, 0]
        del source["C"]
    return image.transpose([source[letter] for letter in letters if letter != "N"])


def _store(values: np.ndarray, element: ov.Type) -> np.ndarray:
    """Values as the tensor's storage holds them (clipped for narrower integer types)."""
    if element == ov.Type.bf16:
        return bf16_bits(values)
    dtype = numpy_dtype(element)
    assert dtype is not None
    if dtype.kind in "iu" and values.dtype.kind in "iuf":
        limits = np.iinfo(dtype)
        values = np.clip(values, limits.min, limits.max)
    return values.astype(dtype)


# -- .npy and .bin ----------------------------------------------------------------


def _cast_array(array: np.ndarray, info: InputInfo, path: str) -> np.ndarray:
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


def _string_tensor(array: np.ndarray, info: InputInfo, path: str, shape: ov.Shape) -> ov.Tensor:
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


# -- filling tensors ----------------------------------------------------------------


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
        return _string_tensor(reader.array(paths[0]), info, paths[0], shape)
    tensor = ov.Tensor(info.element_type, shape)
    axis = batch_axis(info, len(shape))
    slots = slots_of(info, shape)
    slot = _slot_shape(shape, axis)
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
            sample = _store(image, info.element_type)
        elif kind == "numpy":
            array = reader.array(path)
            if tuple(array.shape) == full:
                raise UsageError(
                    f"-i: {path} holds a whole batch {full} of input '{info.name}' while the "
                    "other files for it hold one sample each: give one kind"
                )
            if not _fits(array.shape, slot):
                raise _wrong_npy_shape(info, path, array, shape, slots, slot)
            sample = _cast_array(array, info, path).reshape(slot)
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
        slot = _slot_shape(shape, axis)
        if _fits(array.shape, full):
            typed_view(tensor)[...] = _cast_array(array, info, path).reshape(full)
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
    letters = _letters(info)
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
        return _string_tensor(array, info, path, shape)
    tensor = ov.Tensor(info.element_type, shape)
    typed_view(tensor)[...] = _cast_array(array, info, path)
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
