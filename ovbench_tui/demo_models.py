"""Built-in demo models, so `-m demo:NAME` works anywhere a model path is accepted.

They are built in code with OpenVINO's opset API (no downloads) and saved as IR
into the user cache dir the first time they are asked for, because the rest of
the tool (like benchmark_app) works with model file paths.  Weights come from a
seeded generator, so a cached file and a freshly built one are identical and
results are comparable between machines.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import tempfile

import numpy as np
import numpy.typing as npt
import openvino as ov
import openvino.opset13 as ops
import platformdirs

from ovbench_tui.demo_names import DEMO_MODELS, DEMO_PREFIX, is_demo_path
from ovbench_tui.errors import OvbenchError, UsageError

# Bump when any builder changes, so caches holding the old IR are not reused.
DEMO_MODEL_VERSION = 1

CACHE_DIR_ENV = "OVBENCH_TUI_CACHE_DIR"


_SEED = 20260401

FloatArray = npt.NDArray[np.float32]


def _available() -> str:
    return ", ".join(DEMO_PREFIX + name for name in DEMO_MODELS)


def _check_name(name: str) -> str:
    # Validating before any path is built also keeps names like "../x" out of the cache dir.
    if name not in DEMO_MODELS:
        raise UsageError(f"Unknown demo model {name!r}. Available: {_available()}")
    return name


# --- builders -----------------------------------------------------------------------------


# Builders pass ov.Output around rather than ov.Node because a multi-output node
# (MaxPool-8 also returns indices) must be consumed through a specific port.
def _channels(x: ov.Output) -> int:
    return int(x.get_partial_shape()[1].get_length())


class _Builder:
    """Seeded weights plus readable friendly names, shared by the image models."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def weights(self, shape: tuple[int, ...], fan_in: int) -> FloatArray:
        # He initialisation keeps activations in a sane range through many ReLU layers,
        # so outputs neither overflow nor collapse to zero (a flat, useless softmax).
        scale = np.float32(np.sqrt(2.0 / fan_in))
        return self.rng.standard_normal(shape, dtype=np.float32) * scale

    def conv(
        self,
        x: ov.Output,
        out_ch: int,
        kernel: int,
        stride: int,
        name: str,
        relu: bool = True,
    ) -> ov.Output:
        in_ch = _channels(x)
        w = ops.constant(
            self.weights((out_ch, in_ch, kernel, kernel), in_ch * kernel * kernel),
            name=f"{name}/weights",
        )
        pad = kernel // 2
        y = ops.convolution(x, w, [stride, stride], [pad, pad], [pad, pad], [1, 1], name=name)
        # A separate per-channel bias Add mirrors what converters emit for a folded
        # BatchNorm, so the CPU plugin does the same fusion work as for a real network.
        bias = (self.rng.standard_normal((1, out_ch, 1, 1)) * 0.01).astype(np.float32)
        y = ops.add(y, ops.constant(bias, name=f"{name}/bias_value"), name=f"{name}/bias")
        if relu:
            y = ops.relu(y, name=f"{name}/relu")
        return y.output(0)

    def basic_block(self, x: ov.Output, out_ch: int, stride: int, name: str) -> ov.Output:
        y = self.conv(x, out_ch, 3, stride, f"{name}/conv1")
        y = self.conv(y, out_ch, 3, 1, f"{name}/conv2", relu=False)
        shortcut = x
        if stride != 1 or _channels(x) != out_ch:
            shortcut = self.conv(x, out_ch, 1, stride, f"{name}/downsample", relu=False)
        out = ops.add(y, shortcut, name=f"{name}/residual")
        return ops.relu(out, name=f"{name}/relu").output(0)

    def head(self, x: ov.Output, classes: int) -> ov.Output:
        # ReduceMean over H,W rather than a fixed-kernel AvgPool works for any spatial
        # size, which the dynamic model relies on.
        axes = ops.constant(np.array([2, 3], dtype=np.int64), name="head/gap_axes")
        y = ops.reduce_mean(x, axes, keep_dims=False, name="head/global_avg_pool")
        in_ch = _channels(x)
        w = ops.constant(self.weights((classes, in_ch), in_ch), name="head/fc_weights")
        y = ops.matmul(y, w, transpose_a=False, transpose_b=True, name="head/fc")
        b = ops.constant(np.zeros((1, classes), dtype=np.float32), name="head/fc_bias_value")
        y = ops.add(y, b, name="head/fc_bias")
        return ops.softmax(y, axis=1, name="prob").output(0)


def _input(shape: ov.PartialShape, name: str, layout: str | None) -> ov.op.Parameter:
    param = ov.op.Parameter(ov.Type.f32, shape)
    param.set_friendly_name(name)
    param.output(0).get_tensor().set_names({name})
    if layout is not None:
        # Stored in rt_info and saved into the IR, so tools (and benchmark_app's
        # -shape/-layout handling) know which dims are batch and spatial.
        param.set_layout(ov.Layout(layout))
    return param


def _finish(output: ov.Output, param: ov.op.Parameter, model_name: str) -> ov.Model:
    tensor_name = output.get_node().get_friendly_name()
    output.get_tensor().set_names({tensor_name})
    result = ops.result(output, name=f"{tensor_name}/sink_port_0")
    return ov.Model([result], [param], name=model_name)


def _build_cnn() -> ov.Model:
    # ResNet-18's layout at 112x112 runs at roughly 100-400 inferences/s on two CPU
    # cores (the low end in f32, the high end with AMX bf16): fast enough for short runs,
    # slow enough that the tuning knobs (streams, requests, hints) visibly matter.
    b = _Builder(_SEED)
    data = _input(ov.PartialShape([1, 3, 112, 112]), "data", "NCHW")
    x = b.conv(data.output(0), 64, 7, 2, "stem/conv")
    x = ops.max_pool(x, [2, 2], [1, 1], [1, 1], [1, 1], [3, 3], name="stem/maxpool").output(0)
    for stage, width in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            stride = 2 if stage > 1 and block == 0 else 1
            x = b.basic_block(x, width, stride, f"layer{stage}/block{block}")
    return _finish(b.head(x, 1000), data, "ovbench_demo_cnn")


def _build_dynamic() -> ov.Model:
    b = _Builder(_SEED + 1)
    data = _input(ov.PartialShape([-1, 3, -1, -1]), "data", "NCHW")
    # Padded stride-2 convs never shrink a dim below 1, so any H,W >= 1 is valid; the
    # global pooling in the head then removes the spatial dims entirely.
    x = b.conv(data.output(0), 16, 3, 2, "conv1")
    x = b.conv(x, 32, 3, 2, "conv2")
    x = b.basic_block(x, 32, 1, "block1")
    x = b.conv(x, 64, 3, 2, "conv3")
    return _finish(b.head(x, 10), data, "ovbench_demo_dynamic")


def _build_tiny() -> ov.Model:
    rng = np.random.default_rng(_SEED + 2)
    x = _input(ov.PartialShape([1, 16]), "x", None)
    bias = ops.constant(rng.standard_normal((1, 16)).astype(np.float32), name="bias_value")
    y = ops.relu(ops.add(x, bias, name="bias"), name="y")
    return _finish(y.output(0), x, "ovbench_demo_tiny")


_BUILDERS = {
    "cnn": _build_cnn,
    "dynamic": _build_dynamic,
    "tiny": _build_tiny,
}


def build_demo_model(name: str) -> ov.Model:
    """Build the demo model `name` (without the `demo:` prefix) in memory."""
    return _BUILDERS[_check_name(name)]()


# --- cache --------------------------------------------------------------------------------


def demo_cache_dir() -> pathlib.Path:
    """Where demo IR files live: <cache root>/demo-models, root overridable by env var."""
    root = os.environ.get(CACHE_DIR_ENV) or platformdirs.user_cache_dir("ovbench-tui")
    return pathlib.Path(root) / "demo-models"


def resolve_demo_model(path: str, cache_dir: pathlib.Path | None = None) -> pathlib.Path:
    """Turn `demo:NAME` into the path of a cached IR .xml, building it on first use.

    `cache_dir` is the directory holding the IR files directly (default:
    `demo_cache_dir()`).  Anything that is not a demo path is returned unchanged as a
    Path, so callers can pass every `-m` value through this function.
    """
    if not is_demo_path(path):
        return pathlib.Path(path)
    name = _check_name(path[len(DEMO_PREFIX) :].strip())
    directory = cache_dir if cache_dir is not None else demo_cache_dir()
    stem = f"{name}-v{DEMO_MODEL_VERSION}"
    xml_path = directory / f"{stem}.xml"
    bin_path = directory / f"{stem}.bin"
    # The .xml is moved into place last, so its presence means the .bin is complete too.
    if xml_path.is_file() and bin_path.is_file():
        return xml_path
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _save_atomically(name, stem, directory)
    except OSError as exc:
        # Another process may have won a race and holds the files open (Windows refuses
        # to replace an open file); its copy is byte-identical, so use it.
        if xml_path.is_file() and bin_path.is_file():
            return xml_path
        raise OvbenchError(
            f"Cannot write demo model {name!r} to {directory}: {exc.strerror or exc}. "
            f"Set {CACHE_DIR_ENV} to a writable directory."
        ) from exc
    return xml_path


def _save_atomically(name: str, stem: str, directory: pathlib.Path) -> None:
    # The temp dir is inside the cache dir so os.replace stays on one filesystem and is
    # atomic.  Racing processes write identical bytes (seeded weights), so whichever
    # replace lands last, readers never see a half-written or mismatched pair.
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=f".{stem}-", dir=directory))
    try:
        tmp_xml = tmp / f"{stem}.xml"
        ov.save_model(build_demo_model(name), tmp_xml, compress_to_fp16=False)
        # .bin first: a present .xml is the signal that the pair is complete.
        os.replace(tmp / f"{stem}.bin", directory / f"{stem}.bin")
        os.replace(tmp_xml, directory / f"{stem}.xml")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
