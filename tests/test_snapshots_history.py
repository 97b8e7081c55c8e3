"""SVG snapshot of the History screen at 80x24, from fixed documents in a fixed history.

Update after an intended change of look:
`pytest tests/test_snapshots_history.py --snapshot-update`, then look at the SVG.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from replay import fixed_result
from textual.pilot import Pilot

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.reports.history import HistoryStore
from ovbench_tui.reports.result_file import build_result_document
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.history import HistoryScreen
from ovbench_tui.tui.screens.results import ResultsScreen

SIZE = (80, 24)
ENVIRONMENT = {"openvino_version": "2026.0.0", "devices": {"CPU": "Test CPU"}, "cpu_model": "x"}

# (model, device, hint, nireq, nstreams, fps, median, stopped early, created at)
RUNS = (
    ("models/resnet50.xml", "CPU", "throughput", 4, "", 812.4, 4.912, False, "01-05T09:12:03"),
    ("models/resnet50.xml", "CPU", "latency", 1, "", 301.7, 3.288, False, "01-05T09:20:41"),
    (
        "/very/long/folder/name/mobilenet_v3_large_int8.xml",
        "GPU",
        "",
        2,
        "",
        2410.0,
        0.801,
        True,
        "01-06T14:02:55",
    ),
    ("demo:cnn", "CPU", "none", 2, "2", 655.1, 3.004, False, "01-07T18:45:10"),
)


def fixed_documents() -> list[dict[str, Any]]:
    base = build_result_document(
        BenchmarkConfig(model="demo:dynamic", niter=600), fixed_result(), None, ENVIRONMENT
    )
    documents = []
    for model, device, hint, nireq, nstreams, fps, median, stopped, created in RUNS:
        document = copy.deepcopy(base)
        document["created_at"] = f"2026-{created}+00:00"
        document["config"].update(model=model, device=device, hint=hint, nstreams=nstreams)
        statistics = document["statistics"]
        statistics.update(nireq=nireq, throughput_fps=fps, stopped_early=stopped, batch="1")
        statistics["latency_ms"]["median"] = median
        documents.append(document)
    documents[-1]["tag"] = "sweep 2026-01-07T18:44:00 point 3"  # the demo:cnn run
    return documents


@pytest.fixture
def history_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("OVBENCH_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TZ", "UTC")  # dates are shown in local time
    time.tzset()
    monkeypatch.chdir(tmp_path)  # a relative history path: the same text in every run
    path = "history.sqlite"
    with HistoryStore(path) as store:
        for document in fixed_documents():
            store.add(document)
    yield path
    monkeypatch.undo()
    time.tzset()


MakeApp = Callable[..., OvbenchApp]


def history_app(make_app: MakeApp, history: str) -> OvbenchApp:
    return make_app(BenchmarkConfig(model="demo:cnn", history=history))


def test_history_screen(snap_compare: Any, history_file: str, make_app: MakeApp) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        app = pilot.app
        assert isinstance(app, OvbenchApp)
        app.open_history()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down", "space", "down", "space", "up")
        await pilot.pause()

    app = history_app(make_app, history_file)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_stored_run_histogram(snap_compare: Any, history_file: str, make_app: MakeApp) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        app = pilot.app
        assert isinstance(app, OvbenchApp)
        app.open_history()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("4")
        await pilot.pause()

    app = history_app(make_app, history_file)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
