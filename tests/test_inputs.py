"""Step 9 data: random values, seeds, image-info inputs, groups, and real inference."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import openvino as ov
import openvino.opset13 as ops
import pytest
from test_input_files import Logs, data, image, make, npy, prepare

from ovbench_tui.engine import model_io, preprocess
from ovbench_tui.engine.inputs import (
    prepare_input_data,
    random_input_data,
    shape_groups,
)
from ovbench_tui.errors import UsageError
from ovbench_tui.run_args import resolve_seed

# spec 8.3: benchmark_app's first f32 values for seed 0.
BENCHMARK_APP_FIRST = [122.22738, 73.056526, 5.6652575, 139.07394, 0.31350103]


def test_seed_zero_reproduces_benchmark_app_floats() -> None:
    result = prepare([make("x", [1, 5])], [])
    np.testing.assert_allclose(data(result.tensors[0][0])[0], BENCHMARK_APP_FIRST, rtol=1e-7)


def test_every_input_starts_the_same_stream_as_benchmark_app() -> None:
    result = prepare([make("a", [5]), make("b", [1, 5], ov.Type.i32)], [])
    np.testing.assert_allclose(data(result.tensors[0][0]), BENCHMARK_APP_FIRST, rtol=1e-7)
    assert data(result.tensors[1][0]).tolist() == [[122, 73, 5, 139, 0]]


def test_random_logs_match_benchmark_app() -> None:
    logs = Logs()
    prepare([make("a", [2]), make("b", [2])], [], logs)
    assert logs.warnings == [
        f"No input files were given for input '{n}'!. This input will be filled with random values!"
        for n in "ab"
    ]
    assert logs.infos == [
        "Fill input 'a' with random values ",
        "Fill input 'b' with random values ",
        # ours: the seed is always said, so the data can be reproduced
        "Random values come from seed 0 (repeat them with -seed 0)",
    ]


def test_bool_is_really_random_and_i8_does_not_wrap() -> None:
    result = prepare([make("flag", [1000], ov.Type.boolean), make("q", [1000], ov.Type.i8)], [])
    flags = data(result.tensors[0][0])
    assert 300 < flags.sum() < 700  # benchmark_app: all True (B8)
    small = data(result.tensors[1][0])
    assert small.min() >= 0 and small.max() <= 127 and small.max() > 100


def test_value_ranges_per_type() -> None:
    types = [ov.Type.f16, ov.Type.f64, ov.Type.u8, ov.Type.i32, ov.Type.i64, ov.Type.u16]
    result = prepare([make(f"x{n}", [500], t) for n, t in enumerate(types)], [])
    for tensors in result.tensors:
        values = data(tensors[0]).astype(np.float64)
        assert values.min() >= 0 and values.max() <= 255 and len(np.unique(values)) > 50


def test_bf16_and_packed_types_fill_their_bytes() -> None:
    result = prepare([make("b", [64], ov.Type.bf16), make("u", [64], ov.Type.u4)], [])
    bits = data(result.tensors[0][0]).view(np.uint16).astype(np.uint32) << 16
    floats = bits.view(np.float32)
    assert floats.min() >= 0 and floats.max() <= 256 and len(np.unique(floats)) > 20
    packed = data(result.tensors[1][0])
    assert packed.shape == (32,) and len(np.unique(packed)) > 5


def test_scalar_and_mixed_types_with_random_data() -> None:
    infos = [
        make("image", [1, 3, 4, 4], layout="NCHW"),
        make("ids", [1, 8], ov.Type.i64),
        make("t", []),
    ]
    result = prepare(infos, [])
    assert [t[0].element_type for t in result.tensors] == [ov.Type.f32, ov.Type.i64, ov.Type.f32]
    assert result.tensors[2][0].shape == ov.Shape([])
    assert float(data(result.tensors[2][0])) == pytest.approx(BENCHMARK_APP_FIRST[0])


def test_seeds_change_the_data_and_are_repeatable() -> None:
    def first(seed: int) -> np.ndarray:
        return data(prepare([make("x", [16])], [], seed=seed).tensors[0][0])

    np.testing.assert_array_equal(first(7), first(7))
    assert not np.array_equal(first(7), first(0))


def test_resolve_seed() -> None:
    assert resolve_seed("0") == 0 and resolve_seed(" 42 ") == 42
    seeds = {resolve_seed("random") for _ in range(4)}
    assert len(seeds) > 1 and all(s >= 0 for s in seeds)
    for bad in ("-1", "abc", "1.5", ""):
        with pytest.raises(UsageError, match="is not a seed"):
            resolve_seed(bad)


def test_random_sets_give_distinct_tensors_per_shape_from_one_stream() -> None:
    logs = Logs()
    result = prepare([make("x", [5])], [], logs, random_sets=3)
    tensors = result.tensors[0]
    assert len(tensors) == 3 and result.set_count == 3
    firsts = [data(t) for t in tensors]
    np.testing.assert_allclose(firsts[0], BENCHMARK_APP_FIRST, rtol=1e-7)
    stream = np.random.RandomState(np.random.MT19937(np.random.SeedSequence(0)))
    expected = stream.uniform(0, 255, 15).astype(np.float32).reshape(3, 5)
    np.testing.assert_array_equal(np.stack(firsts), expected)
    with pytest.raises(UsageError):
        prepare([make("x", [5])], [], random_sets=0)


def test_seed_is_logged_when_not_benchmark_apps() -> None:
    logs = Logs()
    prepare([make("x", [5])], [], logs, seed=12)
    assert logs.infos[-1] == "Random values come from seed 12 (repeat them with -seed 12)"


def test_dynamic_input_without_shapes_or_files_is_an_error() -> None:
    with pytest.raises(
        UsageError, match=r"input 'ids' \[\?,\?\] needs data shapes: give -data_shape ids\[1,128\]"
    ):
        prepare([make("ids", "[?,?]", ov.Type.i64)], [])


# -- groups -----------------------------------------------------------------------


def test_tensors_match_their_group_shape_when_inputs_have_different_shape_counts() -> None:
    a = make("a", "[?,4]", layout="NC", data_shapes=([1, 4], [2, 4]))
    b = make("b", "[?,?]", ov.Type.i32, "NC", data_shapes=([1, 3], [2, 5], [1, 7]))
    with pytest.raises(UsageError, match="disagree on the batch"):
        shape_groups([a, make("c", "[?,4]", layout="NC", data_shapes=([3, 4],))], 1)
    result = prepare([a, b], [], random_sets=2)
    assert len(result.groups) == 3
    for ticket in range(result.set_count * 2):
        group = result.groups[ticket % len(result.groups)]
        tensors = result.input_set(ticket)
        for port, (_, shape) in enumerate(group.shapes):
            assert tensors[port].shape == shape


def test_random_input_data_keeps_working_for_the_engine() -> None:
    info = make("x", [1, 5])
    data_ = random_input_data([info], shape_groups([info], 1))
    np.testing.assert_allclose(data(data_.tensors[0][0])[0], BENCHMARK_APP_FIRST, rtol=1e-7)


# -- image-info inputs --------------------------------------------------------------


def test_image_info_holds_height_then_width_for_a_static_image() -> None:
    logs = Logs()
    infos = [make("data", [1, 3, 20, 40], layout="NCHW"), make("info", [1, 3], layout="NC")]
    result = prepare(infos, [], logs)
    assert data(result.tensors[1][0]).tolist() == [[20, 40, 1]]  # benchmark_app: [40, 40, 1]
    assert "Create input tensors for input 'info' with image sizes: (40, 20)" in logs.infos
    assert not any("'info'" in w for w in logs.warnings)


def test_image_info_follows_each_group_of_a_dynamic_image(tmp_path: Path) -> None:
    image(tmp_path, "a.png", 6, 9)
    image(tmp_path, "b.png", 10, 4, seed=1)
    infos = [
        make("data", "[?,3,?,?]", ov.Type.u8, "NCHW"),
        make("im_info", "[1,4]", layout="NC"),
    ]
    result = prepare(infos, [f"data:{tmp_path}"])
    values = [data(result.input_set(t)[1]).tolist() for t in range(2)]
    assert values == [[[6, 9, 1, 1]], [[10, 4, 1, 1]]]


def test_image_info_with_two_image_inputs_is_random() -> None:
    infos = [
        make("left", [1, 3, 8, 8], layout="NCHW"),
        make("right", [1, 3, 8, 8], layout="NCHW"),
        make("info", [1, 3], layout="NC"),
    ]
    logs = Logs()
    prepare(infos, [], logs)
    assert "Fill input 'info' with random values " in logs.infos


# -- real models ----------------------------------------------------------------------


def _named(node: ov.Node, name: str) -> ov.Output:
    output = node.output(0)
    output.get_tensor().set_names({name})
    return output


def _three_input_model() -> ov.Model:
    image_in = ops.parameter([1, 3, 6, 10], ov.Type.f32, name="image")
    ids = ops.parameter([1, 4], ov.Type.i32, name="ids")
    scale = ops.parameter([], ov.Type.f32, name="t")
    for param, name in ((image_in, "image"), (ids, "ids"), (scale, "t")):
        param.output(0).get_tensor().set_names({name})
    outputs = [
        _named(ops.multiply(image_in, ops.constant(np.float32(1))), "image_out"),
        _named(ops.convert(ids, ov.Type.f32), "ids_out"),
        _named(ops.multiply(scale, ops.constant(np.float32(2))), "t_out"),
    ]
    return ov.Model(outputs, [image_in, ids, scale], "three_inputs")


def test_end_to_end_files_and_random_data_infer_on_cpu(tmp_path: Path) -> None:
    model = _three_input_model()
    warn = Logs().warn
    infos, _ = model_io.resolve_inputs(
        model,
        shape="",
        data_shape="",
        layout="",
        batch="",
        mean_values="image[10,20,30]",
        scale_values="image[2,2,2]",
        warn=warn,
    )
    model = preprocess.configure_io(
        model,
        infos,
        input_precision=None,
        output_precision=None,
        input_output_precision=None,
        warn=warn,
    )
    assert infos[0].element_type == ov.Type.u8  # images stay raw; mean/scale are in the model
    compiled = ov.Core().compile_model(model, "CPU")
    path, pixels = image(tmp_path, "cat.png", 12, 5)
    ids = npy(tmp_path, "ids.npy", np.array([3, 1, 4, 1], np.int16))
    logs = Logs()
    result = prepare_input_data(
        infos, [f"image:{path}", f"ids:{ids}"], warn=logs.warn, info=logs.info
    )
    request = compiled.create_infer_request()
    outputs = request.infer(result.input_set(0))
    resized = cv2.resize(pixels, (10, 6)).transpose(2, 0, 1).astype(np.float32)
    expected = (resized - np.array([10, 20, 30], np.float32)[:, None, None]) / 2
    np.testing.assert_allclose(outputs["image_out"][0], expected, rtol=1e-6)
    assert outputs["ids_out"].tolist() == [[3, 1, 4, 1]]
    assert float(outputs["t_out"]) == pytest.approx(2 * BENCHMARK_APP_FIRST[0], rel=1e-6)
    assert logs.warnings == [
        "No input files were given for input 't'!. This input will be filled with random values!",
        "Image is resized from ((12, 5)) to ((6, 10))",
    ]


def test_long_coprime_file_cycles_are_not_materialised() -> None:
    from ovbench_tui.engine.inputs import MAX_PREPARED_SETS, InputData, ShapeGroup

    tensors = [[ov.Tensor(ov.Type.f32, [1])] * 1000, [ov.Tensor(ov.Type.f32, [1])] * 999]
    data = InputData(tensors, [ShapeGroup(0, (), 1)])
    sets = data.input_sets()
    assert len(sets) == 999000 > MAX_PREPARED_SETS
    ticket = 123457
    assert sets[ticket % len(sets)][0] is tensors[0][ticket % 1000]
    assert sets[ticket % len(sets)][1] is tensors[1][ticket % 999]
