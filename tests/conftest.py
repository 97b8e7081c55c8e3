"""Shared fixtures: a per-session demo-model cache and small models saved as IR."""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import openvino as ov
import openvino.opset13 as ops
import pytest

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp, create_app

CACHE_DIR_ENV = "OVBENCH_TUI_CACHE_DIR"


DATA_DIR_ENV = "OVBENCH_TUI_DATA_DIR"


@pytest.fixture(scope="session", autouse=True)
def session_demo_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pathlib.Path]:
    """Point the demo-model cache at one tmp dir for the session (models built once), and
    the user data (run history, recent models) at another, so tests leave no trace."""
    cache = tmp_path_factory.mktemp("ovbench_cache")
    data = tmp_path_factory.mktemp("ovbench_data")
    previous = {name: os.environ.get(name) for name in (CACHE_DIR_ENV, DATA_DIR_ENV)}
    os.environ[CACHE_DIR_ENV] = str(cache)
    os.environ[DATA_DIR_ENV] = str(data)
    try:
        yield cache
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _conv_relu(shape: ov.PartialShape, name: str) -> ov.Model:
    data = ops.parameter(shape, ov.Type.f32, name=name)
    data.output(0).get_tensor().set_names({name})
    weights = np.random.default_rng(0).standard_normal((8, 3, 3, 3)).astype(np.float32)
    conv = ops.convolution(data, ops.constant(weights), [1, 1], [1, 1], [1, 1], [1, 1])
    relu = ops.relu(conv)
    relu.output(0).get_tensor().set_names({"out"})
    return ov.Model([relu.output(0)], [data], "conv_relu")


def _save(model: ov.Model, directory: pathlib.Path, stem: str) -> pathlib.Path:
    path = directory / f"{stem}.xml"
    ov.save_model(model, path)
    return path


@pytest.fixture(scope="session")
def static_model_path(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """IR with input `data` f32 [1,3,32,32] -> conv -> relu."""
    model = _conv_relu(ov.PartialShape([1, 3, 32, 32]), "data")
    return _save(model, tmp_path_factory.mktemp("static_model"), "static")


@pytest.fixture(scope="session")
def dynamic_model_path(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """IR with input `data` f32 [?,3,?,?] -> conv -> relu."""
    model = _conv_relu(ov.PartialShape([-1, 3, -1, -1]), "data")
    return _save(model, tmp_path_factory.mktemp("dynamic_model"), "dynamic")


@pytest.fixture(scope="session")
def two_input_model_path(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """IR with inputs `a` f32 [1,4] and `b` i32 [1,4]; output a + convert(b)."""
    a = ops.parameter([1, 4], ov.Type.f32, name="a")
    a.output(0).get_tensor().set_names({"a"})
    b = ops.parameter([1, 4], ov.Type.i32, name="b")
    b.output(0).get_tensor().set_names({"b"})
    total = ops.add(a, ops.convert(b, ov.Type.f32))
    total.output(0).get_tensor().set_names({"sum"})
    model = ov.Model([total.output(0)], [a, b], "two_inputs")
    return _save(model, tmp_path_factory.mktemp("two_input_model"), "two_inputs")


@pytest.fixture
def make_app() -> Callable[..., OvbenchApp]:
    """The app as main() builds it (create_app), minus the terminal watch: a test's
    stdin is no terminal, and the watch would end the app within seconds."""

    def make(config: BenchmarkConfig | None = None, **options: Any) -> OvbenchApp:
        return create_app(config, watch_terminal=False, **options)

    return make


# -- Helpers once copied across test files (issue 13, guards) -------------------------------
# A file whose tests each need a fresh user-data folder says so once:
#     pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def data_dir(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    """This test's own user data (run history, recent models): tmp_path/data, so what one
    test stores never shows in another's history screen."""
    path = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(path))
    return path


@pytest.fixture
def in_tmp_path(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    """Run the test in tmp_path, for screens that write files relative to the directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The model_builders models saved as IR once per session: static [1,3,32,32] conv,
    dynamic [?,3,?,?] conv, two inputs a f32 + b i32."""
    from model_builders import dynamic_conv, save, static_conv, two_inputs

    folder = tmp_path_factory.mktemp("models")
    return {
        "static": save(static_conv(), folder, "static"),
        "dynamic": save(dynamic_conv(), folder, "dynamic"),
        "two": save(two_inputs(), folder, "two"),
    }


@pytest.fixture(scope="session")
def model(models: dict[str, str]) -> str:
    """The static model of `models` (input `data` f32 [1,3,32,32])."""
    return models["static"]
