"""Small models built with OpenVINO's opset API for the tests (no downloads)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openvino as ov
import openvino.opset13 as ops


def _conv_relu(data: ov.Node | ov.Output, in_channels: int, out_channels: int) -> ov.Node:
    rng = np.random.default_rng(1)
    weights = ops.constant(
        rng.standard_normal((out_channels, in_channels, 3, 3)).astype(np.float32)
    )
    conv = ops.convolution(data, weights, [1, 1], [1, 1], [1, 1], [1, 1])
    return ops.relu(conv)


def static_conv(shape: tuple[int, ...] = (1, 3, 32, 32)) -> ov.Model:
    data = ops.parameter(list(shape), np.float32, name="data")
    data.output(0).get_tensor().set_names({"data"})
    out = _conv_relu(data, shape[1], 8)
    return ov.Model([out], [data], name="static_conv")


def dynamic_conv() -> ov.Model:
    data = ops.parameter(ov.PartialShape("[?,3,?,?]"), np.float32, name="data")
    data.output(0).get_tensor().set_names({"data"})
    out = _conv_relu(data, 3, 4)
    return ov.Model([out], [data], name="dynamic_conv")


def two_inputs() -> ov.Model:
    a = ops.parameter([1, 4], np.float32, name="a")
    a.output(0).get_tensor().set_names({"a"})
    b = ops.parameter([1, 4], np.int32, name="b")
    b.output(0).get_tensor().set_names({"b"})
    out = ops.add(a, ops.convert(b, np.float32))
    return ov.Model([out], [a, b], name="two_inputs")


def save(model: ov.Model, folder: Path, name: str) -> str:
    path = folder / f"{name}.xml"
    ov.save_model(model, str(path), compress_to_fp16=False)
    return str(path)
