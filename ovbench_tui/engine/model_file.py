"""Step 4: which file may reach OpenVINO's readers, and reading it.

A path that is no regular file, or a file whose first bytes do not match its
extension, is refused in one line before OpenVINO sees it; what native readers
print while probing a file is held back; OpenVINO's exceptions become one line.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator

import openvino as ov

from ..errors import BenchmarkError, UsageError


def refuse_special_file(option: str, path: str) -> None:
    """A device or a FIFO would be read forever (/dev/zero) or block (a pipe nobody writes)."""
    if os.path.exists(path) and not (os.path.isfile(path) or os.path.isdir(path)):
        raise UsageError(
            f"{option} {path} is not a regular file (a device or a pipe): give a file path"
        )


def read_model(core: ov.Core, path: str, quiet: bool = False) -> ov.Model:
    if not os.path.exists(path):
        raise UsageError(f"model file not found: {path} (check the -m path, or try -m demo:cnn)")
    refuse_special_file("-m", path)
    if os.path.isdir(path) and not os.path.exists(os.path.join(path, "saved_model.pb")):
        raise UsageError(f"-m {path} is a folder: give the model file (.xml, .onnx, .tflite, ...)")
    if not os.access(path, os.R_OK):
        raise UsageError(f"model file is not readable: {path} (check its permissions)")
    full = os.path.abspath(path)
    head, ext = os.path.splitext(full)
    not_a_model = _format_mismatch(full, ext.lower())
    if not_a_model:
        raise BenchmarkError(
            f"{path} could not be read as a model ({not_a_model}); OpenVINO reads IR (.xml), "
            "ONNX, TFLite, PaddlePaddle and TensorFlow files"
        )
    # An IR may have no weights at all; benchmark_app passes the .bin only if it exists.
    weights = head + ".bin" if ext == ".xml" and os.path.exists(head + ".bin") else ""
    try:
        with quiet_native_stderr(enabled=quiet):
            return core.read_model(full, weights) if weights else core.read_model(full)
    except RuntimeError as error:
        raise unreadable_model(path, ext.lower(), error) from error


# The formats OpenVINO reads, by extension (a folder with saved_model.pb is TensorFlow).
_FORMATS = {
    ".xml": "IR",
    ".onnx": "ONNX",
    ".tflite": "TFLite",
    ".pb": "TensorFlow",
    ".pdmodel": "PaddlePaddle",
}


def unreadable_model(path: str, ext: str, error: RuntimeError) -> BenchmarkError:
    """The reader's own reason, and advice that fits it: a file in a format OpenVINO
    reads that it could not convert is not blamed on its format."""
    reason = _reason(error)
    kind = "TensorFlow" if os.path.isdir(path) else _FORMATS.get(ext)
    if kind is None:
        return BenchmarkError(
            f"{path} could not be read as a model ({reason}); OpenVINO reads IR (.xml), "
            "ONNX, TFLite, PaddlePaddle and TensorFlow files"
        )
    if "OpConversionFailure" in str(error) or "No translator found" in str(error):
        advice = (
            f"it uses an operation OpenVINO {ov.get_version().split('-')[0]} cannot convert "
            "(a newer OpenVINO may read it, or export the model without that operation)"
        )
    else:
        advice = f"check that the file is a whole {kind} model (not cut short or damaged)"
    return BenchmarkError(f"OpenVINO could not read this {kind} model {path}: {reason}; {advice}")


def _reason(error: RuntimeError) -> str:
    """The first line that says what went wrong, after the frontend's preamble
    ("FrontEnd API failed with OpConversionFailure:")."""
    lines = one_line_parts(error)
    said = [line for line in lines if not line.startswith("FrontEnd API failed with")]
    return (said or lines)[0].rstrip(".")


def _format_mismatch(path: str, ext: str) -> str:
    """Why a file cannot be the model its extension names, from its first bytes.

    OpenVINO 2026.4 hands a file no reader claims to every frontend in turn, and
    the TensorFlow text parser then corrupts the process's heap (glibc aborts with
    "free(): invalid next size" at exit, or a later read_model crashes): a junk
    `.onnx` must never reach it.  ONNX is a protobuf whose first field is
    ir_version (tag byte 0x08); TFLite carries "TFL3" at offset 4; IR is XML."""
    if ext not in (".onnx", ".tflite", ".xml"):
        return ""
    with open(path, "rb") as handle:
        start = handle.read(64)
    if ext == ".onnx" and not start.startswith(b"\x08"):
        return "not an ONNX file: it does not start with an ONNX model's ir_version"
    if ext == ".tflite" and start[4:8] != b"TFL3":
        return "not a TFLite file: no TFL3 identifier"
    if ext == ".xml" and not start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "not an XML file"
    return ""


@contextlib.contextmanager
def quiet_native_stderr(enabled: bool) -> Iterator[None]:
    """Hold back what native frontends print to fd 2 while probing a file.

    Reading a file that is not a model makes some frontends (TensorFlow's text
    parser) log to the process's stderr; a user should see our one line instead.
    What was printed is replayed when the read succeeds.  Off in the app, whose
    terminal output itself goes through stderr.
    """
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if not failed:
                captured.seek(0)
                noise = captured.read()
                if noise:
                    os.write(2, noise)


def one_line(error: BaseException) -> str:
    """The message of an OpenVINO exception without its C++ source locations."""
    return " ".join(one_line_parts(error)).rstrip(".")


def one_line_parts(error: BaseException) -> list[str]:
    """The lines of an OpenVINO exception that say something (no source locations)."""
    lines = [line.strip() for line in str(error).splitlines()]
    useful = [
        line
        for line in lines
        if line and not line.startswith(("Exception from src", "Check '")) and line != "."
    ]
    return useful or [line for line in lines if line] or [type(error).__name__]
