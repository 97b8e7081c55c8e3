"""Pilot tests of the defects users met at 80x24 over SSH (issue 12)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from replay import fixed_result
from textual.widgets import Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.form_state import config_to_values
from ovbench_tui.text_fit import cut_path
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.widgets.title_bar import TitleBar

LONG_MODEL = "/home/someone/.cache/ovbench-public-models/some/deep/folder/ppocr_v4_det.onnx"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVBENCH_TUI_DATA_DIR", str(tmp_path / "data"))


def make_app(config: BenchmarkConfig) -> OvbenchApp:
    return OvbenchApp(config_to_values(config), base_config=config, watch_terminal=False)


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_results_without_latency_do_not_crash() -> None:
    # MULTI runs and stored runs with latency_ms null hide the latency block.
    result = dataclasses.replace(fixed_result(), hide_latency=True, pcseq=False)
    config = BenchmarkConfig(model="demo:cnn", device="MULTI:CPU")
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ResultsScreen(result, config))
        await pilot.pause()
        summary = text_of(app.screen.query_one("#summary", Static))
        assert "Throughput:" in summary and "Latency:" not in summary


def test_cut_path_keeps_the_file_name() -> None:
    assert cut_path(LONG_MODEL, 200) == LONG_MODEL
    cut = cut_path(LONG_MODEL, 40)
    assert len(cut) == 40 and cut.endswith("/ppocr_v4_det.onnx") and cut.startswith("/home")
    assert cut_path(LONG_MODEL, 10) == "…det.onnx"[-10:] or len(cut_path(LONG_MODEL, 10)) == 10


@pytest.mark.parametrize("width", [80, 120])
async def test_title_shows_the_model_file_at_any_width(width: int) -> None:
    config = BenchmarkConfig(model=LONG_MODEL + "x" * 0, niter=10)
    app = make_app(config)
    async with app.run_test(size=(width, 24)) as pilot:
        await app.push_screen(ResultsScreen(fixed_result(), config, run_id=22))
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert bar.size.height == 1
        line = bar.render_line(0).text.rstrip()
        assert "ppocr_v4_det.onnx on CPU" in line, line
        assert "run 22 from the history" in line
        assert len(line) <= width
