"""An ONNX file with two int64 inputs and dynamic batch and sequence dims, end to end.

Built with the onnx package (a dev dependency), as a third-party NLP model would
come: named dims, Gather on token ids, a mask cast to float.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine

onnx = pytest.importorskip("onnx")


@pytest.fixture(scope="module")
def toy_bert(tmp_path_factory: pytest.TempPathFactory) -> str:
    from onnx import TensorProto, helper

    rng = np.random.default_rng(0)
    embedding = helper.make_tensor(
        "emb", TensorProto.FLOAT, [300, 16], rng.random(300 * 16, dtype=np.float32)
    )
    weights = helper.make_tensor("w", TensorProto.FLOAT, [16, 4], rng.random(64, dtype=np.float32))
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [2])
    nodes = [
        helper.make_node("Gather", ["emb", "input_ids"], ["x"]),
        helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["m", "axes"], ["m3"]),
        helper.make_node("Mul", ["x", "m3"], ["xm"]),
        helper.make_node("MatMul", ["xm", "w"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "toy_bert",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", 4])],
        initializer=[embedding, weights, axes],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = Path(tmp_path_factory.mktemp("onnx")) / "toy_bert.onnx"
    onnx.save(model, str(path))
    return str(path)


def test_onnx_with_int64_inputs_and_two_sequence_lengths(toy_bert: str) -> None:
    config = BenchmarkConfig(
        model=toy_bert,
        niter=20,
        nireq=2,
        data_shape="input_ids[1,128][4,64],attention_mask[1,128][4,64]",
        layout="input_ids[N?],attention_mask[N?]",
        pcseq=True,
    )
    result = Engine(config).run()
    assert result is not None and result.count == 20
    assert [g.label for g in result.groups] == [
        " input_ids: [1,128] attention_mask: [1,128]",
        " input_ids: [4,64] attention_mask: [4,64]",
    ]
    assert result.frames == 10 * 1 + 10 * 4  # the N of each group


def test_onnx_reshaped_to_static(toy_bert: str) -> None:
    result = Engine(BenchmarkConfig(model=toy_bert, niter=8, shape="[2,32]")).run()
    assert result is not None and result.count == 8 and result.inference_only
