"""Reading image, .npy and .bin files (each once), and images' layouts."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import openvino as ov

from ...errors import UsageError
from ..model_io import InputInfo

Log = Callable[[str], None]


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


def layout_letters(info: InputInfo) -> list[str]:
    return [letter for letter in str(info.layout).strip("[]").split(",") if letter]


def image_layout_problem(info: InputInfo) -> str:
    """Why images cannot fill this input ('' when they can)."""
    letters = layout_letters(info)
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
    letters = layout_letters(info)
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
