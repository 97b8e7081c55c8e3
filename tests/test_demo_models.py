"""Built-in demo models: they build, compile and run on CPU, and cache as IR."""

from __future__ import annotations

import pathlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import openvino as ov
import pytest

from ovbench_tui.demo_models import (
    CACHE_DIR_ENV,
    DEMO_MODELS,
    build_demo_model,
    is_demo_path,
    resolve_demo_model,
)
from ovbench_tui.errors import OvbenchError, UsageError

EXPECTED = {
    # name: (input name, input shape, output name, output shape); -1 is a dynamic dim
    "cnn": ("data", [1, 3, 112, 112], "prob", [1, 1000]),
    "dynamic": ("data", [-1, 3, -1, -1], "prob", [-1, 10]),
    "tiny": ("x", [1, 16], "y", [1, 16]),
}


@pytest.fixture(scope="module")
def core() -> ov.Core:
    return ov.Core()


@pytest.fixture
def cache_root(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    return tmp_path


def _dims(port: ov.Output) -> list[int]:
    return [d.get_length() if d.is_static else -1 for d in port.get_partial_shape()]


def _signature(model: ov.Model) -> tuple[str, list[int], str, list[int]]:
    assert len(model.inputs) == 1 and len(model.outputs) == 1
    return (
        model.input(0).get_any_name(),
        _dims(model.input(0)),
        model.output(0).get_any_name(),
        _dims(model.output(0)),
    )


def _random(shape: list[int]) -> np.ndarray:
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


def test_expected_names_are_the_public_list() -> None:
    assert set(DEMO_MODELS) == set(EXPECTED)
    assert all(desc and "\n" not in desc for desc in DEMO_MODELS.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_builds_compiles_and_infers(core: ov.Core, name: str) -> None:
    model = build_demo_model(name)
    assert _signature(model) == EXPECTED[name]
    assert model.get_friendly_name() == f"ovbench_demo_{name}"
    if name != "tiny":
        assert model.input(0).get_node().get_layout() == ov.Layout("NCHW")

    compiled = core.compile_model(model, "CPU")
    shape = [1, 3, 40, 56] if name == "dynamic" else EXPECTED[name][1]
    out = compiled.create_infer_request().infer({EXPECTED[name][0]: _random(shape)})
    result = out[compiled.output(0)]
    assert np.all(np.isfinite(result))
    if name == "tiny":
        assert np.all(result >= 0)
    else:
        # Softmax output: one probability distribution per batch item.
        np.testing.assert_allclose(result.sum(axis=1), 1.0, rtol=1e-2)


def test_weights_are_deterministic(core: ov.Core) -> None:
    data = _random([1, 3, 16, 16])
    outputs = [
        core.compile_model(build_demo_model("dynamic"), "CPU").create_infer_request().infer(data)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(outputs[0][0], outputs[1][0])


def test_cnn_shows_many_layers_in_perf_counters(core: ov.Core) -> None:
    compiled = core.compile_model(build_demo_model("cnn"), "CPU", {"PERF_COUNT": True})
    request = compiled.create_infer_request()
    request.infer({"data": _random([1, 3, 112, 112])})
    assert len(request.profiling_info) >= 30
    types = {info.node_type for info in request.profiling_info}
    assert {"Convolution", "MaxPool", "Softmax"} <= types


def test_dynamic_model_runs_at_several_shapes(core: ov.Core) -> None:
    model = build_demo_model("dynamic")
    shape = model.input(0).get_partial_shape()
    assert shape[0].is_dynamic and shape[2].is_dynamic and shape[3].is_dynamic
    assert shape[1] == ov.Dimension(3)

    request = core.compile_model(model, "CPU").create_infer_request()
    for n, h, w in [(1, 32, 32), (2, 48, 64), (1, 8, 8)]:
        request.infer({"data": _random([n, 3, h, w])})
        assert list(request.get_output_tensor(0).shape) == [n, 10]


def test_is_demo_path() -> None:
    assert is_demo_path("demo:cnn")
    assert not is_demo_path("model.xml")
    assert not is_demo_path("/models/demo:cnn.xml")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_resolve_saves_ir_that_reads_back(
    core: ov.Core, cache_root: pathlib.Path, name: str
) -> None:
    xml = resolve_demo_model(f"demo:{name}")
    assert xml.parent == cache_root / "demo-models"
    assert xml.name.startswith(f"{name}-v") and xml.suffix == ".xml"
    assert xml.with_suffix(".bin").is_file()
    # The temp dir used for the atomic write is cleaned up.
    assert sorted(p.name for p in xml.parent.iterdir()) == sorted(
        [xml.name, xml.with_suffix(".bin").name]
    )

    model = core.read_model(xml)
    assert _signature(model) == EXPECTED[name]
    if name != "tiny":
        assert model.input(0).get_node().get_layout() == ov.Layout("NCHW")


def test_resolve_reuses_the_cached_file(cache_root: pathlib.Path) -> None:
    first = resolve_demo_model("demo:dynamic")
    before = [(p.stat().st_mtime_ns, p.stat().st_ino) for p in (first, first.with_suffix(".bin"))]
    second = resolve_demo_model("demo:dynamic")
    after = [(p.stat().st_mtime_ns, p.stat().st_ino) for p in (second, second.with_suffix(".bin"))]
    assert second == first
    assert after == before


def test_resolve_with_explicit_cache_dir(tmp_path: pathlib.Path) -> None:
    xml = resolve_demo_model("demo:tiny", cache_dir=tmp_path / "here")
    assert xml.parent == tmp_path / "here"
    assert xml.is_file()


def test_concurrent_resolves_agree(core: ov.Core, cache_root: pathlib.Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = set(pool.map(lambda _: resolve_demo_model("demo:dynamic"), range(8)))
    assert len(paths) == 1
    (xml,) = paths
    assert _signature(core.read_model(xml)) == EXPECTED["dynamic"]
    assert sorted(p.suffix for p in xml.parent.iterdir()) == [".bin", ".xml"]


def test_unwritable_cache_dir_is_a_user_facing_error(tmp_path: pathlib.Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(OvbenchError, match="Cannot write demo model 'tiny'"):
        resolve_demo_model("demo:tiny", cache_dir=blocker / "demo-models")


def test_resolve_passes_other_paths_through(cache_root: pathlib.Path) -> None:
    assert resolve_demo_model("models/resnet.xml") == pathlib.Path("models/resnet.xml")
    assert not (cache_root / "demo-models").exists()


@pytest.mark.parametrize("path", ["demo:foo", "demo:", "demo:../cnn"])
def test_unknown_name_is_a_usage_error(cache_root: pathlib.Path, path: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        resolve_demo_model(path)
    message = str(excinfo.value)
    assert "\n" not in message
    assert "demo:cnn, demo:dynamic, demo:tiny" in message
    assert not (cache_root / "demo-models").exists()


def test_build_unknown_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Unknown demo model 'foo'"):
        build_demo_model("foo")
