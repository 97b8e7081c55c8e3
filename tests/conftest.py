"""Shared fixtures: a per-session demo-model cache, small models saved as IR once
(model_builders), the app as main() builds it, a test's own user data folder."""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

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


@pytest.fixture(scope="session")
def static_model_path(models: dict[str, str]) -> pathlib.Path:
    """`models["static"]` as a Path: input `data` f32 [1,3,32,32] -> conv -> relu."""
    return pathlib.Path(models["static"])


@pytest.fixture(scope="session")
def dynamic_model_path(models: dict[str, str]) -> pathlib.Path:
    """`models["dynamic"]` as a Path: input `data` f32 [?,3,?,?] -> conv -> relu."""
    return pathlib.Path(models["dynamic"])


@pytest.fixture(scope="session")
def two_input_model_path(models: dict[str, str]) -> pathlib.Path:
    """`models["two"]` as a Path: inputs `a` f32 [1,4] and `b` i32 [1,4]; a + convert(b)."""
    return pathlib.Path(models["two"])


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
