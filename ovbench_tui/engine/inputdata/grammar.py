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
model by the pre-processing built in preprocess.configure_io.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence

import openvino as ov

from ...errors import UsageError
from ..model_file import refuse_special_file
from ..model_io import InputInfo
from .dtypes import describe, numpy_dtype
from .readers import Log, image_layout_problem

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


def refuse_missing_files(paths: Sequence[str]) -> None:
    """Step 1: an -i item that is no existing path, neither whole nor after any
    `name:` before it, is refused before the model is read and compiled (which
    input it is for is known only at step 9, from the model's names)."""
    for item in _items(paths):
        if item.endswith(":"):  # `name:` alone: step 9 names what is missing
            continue
        candidates = [item] + [item[at + 1 :] for at, char in enumerate(item) if char == ":"]
        if not any(os.path.exists(candidate) for candidate in candidates if candidate):
            raise UsageError(f"-i: {item} does not exist: check the path")


def _items(paths: Sequence[str]) -> Iterator[str]:
    """-i's items: every occurrence, each a comma-separated list."""
    for token in paths:
        for raw_item in token.split(","):
            if item := raw_item.strip():
                yield item


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
    for item in _items(paths):
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
