"""Pilot tests of the History screen on real runs of a small model stored in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pilots import wait_for_screen
from textual.widgets import DataTable, Input, Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.reports.history import HistoryStore
from ovbench_tui.reports.result_file import build_result_document
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.history import HistoryScreen
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.setup import SetupScreen

ENVIRONMENT = {"openvino_version": "test", "devices": {}, "cpu_model": "test"}


@pytest.fixture(scope="module")
def documents(model: str) -> list[dict[str, Any]]:
    """Two real runs: a latency one, then a throughput one with 2 requests."""
    result = []
    for config in (
        BenchmarkConfig(model=model, niter=20, hint="latency"),
        BenchmarkConfig(model=model, niter=20, hint="throughput", nireq=2),
    ):
        run = Engine(config).run()
        assert run is not None
        result.append(build_result_document(config, run, run.counters, ENVIRONMENT))
    return result


@pytest.fixture
def history(tmp_path: Path, documents: list[dict[str, Any]]) -> str:
    path = str(tmp_path / "runs.sqlite")
    with HistoryStore(path) as store:
        for document in documents:
            store.add(document)
    return path


pytestmark = pytest.mark.usefixtures("data_dir")


async def open_history(pilot: Any, app: OvbenchApp) -> HistoryScreen:
    await wait_for_screen(pilot, app, SetupScreen)
    await pilot.press("f3")
    await wait_for_screen(pilot, app, HistoryScreen)
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


def table(screen: HistoryScreen) -> DataTable[Any]:
    return screen.query_one("#history-table", DataTable)


def ids(screen: HistoryScreen) -> list[int]:
    rows = table(screen)
    return [int(str(rows.get_row_at(index)[1]).strip()) for index in range(rows.row_count)]


def text(screen: HistoryScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_list_shows_the_runs_newest_first(
    model: str, history: str, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        assert ids(screen) == [2, 1]
        newest = [str(cell).strip() for cell in table(screen).get_row_at(0)]
        assert newest[3] == "static.xml" and newest[4] == "CPU"
        assert newest[5] == "tput" and newest[6] == "2"
        status = text(screen, "#history-status")
        assert "2 runs" in status and "runs.sqlite" in status
        assert "static.xml" in text(screen, "#history-detail")
        await pilot.press("escape")
        assert isinstance(app.screen, SetupScreen)


async def test_filter_narrows_the_list(
    model: str, history: str, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        await pilot.press("slash")
        assert screen.query_one("#history-filter", Input).has_focus
        await pilot.press(*"latency")
        await pilot.pause()
        assert ids(screen) == [1]
        assert "1 run matching 'latency'" in text(screen, "#history-status")
        await pilot.press("escape")  # leaves the filter, stays on the screen
        assert table(screen).has_focus and app.screen is screen
        await pilot.press("slash", *["backspace"] * 7, "enter")
        await pilot.pause()
        assert ids(screen) == [2, 1] and table(screen).has_focus


async def test_enter_opens_the_stored_results(
    model: str, history: str, documents: list[dict[str, Any]], make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app)
        await pilot.press("down", "enter")  # run 1, the latency one
        await wait_for_screen(pilot, app, ResultsScreen)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        fps = documents[0]["statistics"]["throughput_fps"]
        assert results.run_id == 1
        assert results.result.throughput_fps == fps
        assert f"Throughput:   {fps:.2f} FPS" in str(results.query_one("#summary").render())
        assert "run 1 from the history" in str(results.query_one("#title-bar").render())
        assert results.histogram == documents[0]["histogram"]
        assert results.check_action("save", ()) is False  # its document is in the history
        await pilot.press("h")
        await wait_for_screen(pilot, app, HistoryScreen)


async def test_r_reruns_and_the_new_run_is_stored(
    model: str, history: str, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app)
        await pilot.press("down", "r")  # run 1 again: -niter 20, hint latency
        await wait_for_screen(pilot, app, ResultsScreen)
        results = app.screen
        assert isinstance(results, ResultsScreen) and results.run_id is None
        assert results.result.count == 20 and results.config.hint == "latency"
        with HistoryStore(history) as store:
            rows = store.runs()
            assert [row.id for row in rows] == [3, 2, 1]
            assert store.document(3)["config"] == (
                store.document(1)["config"] | {"history": history, "progress": "none"}
            )
        await pilot.press("h")  # back to the list under it, which now shows the new run
        await wait_for_screen(pilot, app, HistoryScreen)
        assert isinstance(app.screen, HistoryScreen) and ids(app.screen) == [3, 2, 1]


async def test_e_fills_the_form_with_the_run(
    model: str, history: str, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app)
        form = app.screen_stack[1]
        assert isinstance(form, SetupScreen) and form.read_values()["time"] == "3"
        await pilot.press("e")  # run 2: throughput, 2 requests, -niter 20
        await wait_for_screen(pilot, app, SetupScreen)
        values = form.read_values()
        assert values["perf_hint"] == "throughput"
        assert values["number_infer_requests"] == "2"
        assert values["number_iterations"] == "20" and values["time"] == ""
        assert values["path_to_model"] == model and values["target_device"] == "CPU"


async def test_d_deletes_only_when_pressed_twice(
    model: str, history: str, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        await pilot.press("d")
        assert ids(screen) == [2, 1]
        assert "Press d again" in text(screen, "#history-status")
        await pilot.press("down")  # anything else cancels
        assert "Press d again" not in text(screen, "#history-status")
        await pilot.press("d")
        assert ids(screen) == [2, 1]
        await pilot.press("d")
        await pilot.pause()
        assert ids(screen) == [2]
        with HistoryStore(history) as store:
            assert [row.id for row in store.runs()] == [2]


async def test_marked_runs_are_compared(
    model: str, history: str, monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    calls: list[tuple[list[dict[str, Any]], list[str]]] = []
    notes: list[str] = []
    monkeypatch.setattr(app, "open_compare", lambda docs, names: calls.append((docs, names)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        monkeypatch.setattr(app, "notify", lambda message, **_: notes.append(message))
        await pilot.press("c")
        await pilot.press("space", "c")
        assert not calls and len(notes) == 2 and all("Mark 2 or more" in n for n in notes)
        await pilot.press("down", "space")  # run 2 first: it is the baseline
        assert [str(table(screen).get_row_at(i)[0]).strip() for i in (0, 1)] == ["A", "B"]
        await pilot.press("c")
        with HistoryStore(history) as store:
            expected = [store.document(2), store.document(1)]
        assert calls == [(expected, ["run 2", "run 1"])]
        await pilot.press("space", "c")  # unmarked again: one left
        assert len(calls) == 1 and len(notes) == 3


async def test_a_vanished_run_is_a_message(
    model: str, history: str, monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        monkeypatch.setattr(app, "notify", lambda message, **_: notes.append(message))
        with HistoryStore(history) as store:
            store.delete(2)  # another ovbench-tui deleted it meanwhile
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and ids(screen) == [1]
        assert any("no run 2" in note for note in notes)


async def test_an_unreadable_history_is_an_error_line(
    model: str, tmp_path: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=str(broken)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        assert ids(screen) == []
        assert "cannot be opened" in text(screen, "#history-status")
        await pilot.press("enter", "r", "e", "d", "space", "c")
        assert app.screen is screen


async def test_compare_opens_the_compare_screen(
    model: str, history: str, make_app: Callable[..., OvbenchApp]
) -> None:
    compare = pytest.importorskip("ovbench_tui.tui.screens.compare")
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app)
        await pilot.press("space", "down", "space", "c")
        await wait_for_screen(pilot, app, compare.CompareScreen)
        assert app.screen.names == ["run 2", "run 1"]  # type: ignore[attr-defined]


async def test_a_tag_is_shown_and_filtered_on(
    model: str, history: str, documents: list[dict[str, Any]], make_app: Callable[..., OvbenchApp]
) -> None:
    with HistoryStore(history) as store:
        store.add(documents[0] | {"tag": "sweep 2026-12-01T08:30 point 3"})
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        assert "sweep 2026-12-01T08:30 point 3" in text(screen, "#history-detail")
        await pilot.press("slash", *"point 3")
        await pilot.pause()
        assert ids(screen) == [3]


async def test_after_a_delete_the_cursor_stays_in_place(
    model: str, tmp_path: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    from test_snapshots_history import fixed_documents

    path = str(tmp_path / "four.sqlite")
    with HistoryStore(path) as store:
        for document in fixed_documents():
            store.add(document)
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        assert ids(screen) == [4, 3, 2, 1]
        await pilot.press("down", "down", "d", "d")
        await pilot.pause()
        assert ids(screen) == [4, 3, 1]
        assert table(screen).cursor_row == 2  # on run 1, the next one down, not the newest


def other_model(document: dict[str, Any], path: str) -> dict[str, Any]:
    return document | {"config": document["config"] | {"model": path}}


async def test_compare_warns_of_hidden_marks_and_other_models_and_x_unmarks(
    model: str,
    history: str,
    documents: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    make_app: Callable[..., OvbenchApp],
) -> None:
    with HistoryStore(history) as store:
        store.add(other_model(documents[0], "/elsewhere/other_model.onnx"))  # run 3
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    calls: list[list[str]] = []
    monkeypatch.setattr(app, "open_compare", lambda docs, names: calls.append(names))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot, app)
        await pilot.press("down", "space", "down", "space")  # runs 2 and 1 (same model)
        await pilot.press("slash", *"throughput", "enter")  # hides run 1
        await pilot.pause()
        assert ids(screen) == [2]
        await pilot.press("c")
        assert not calls and "hidden by the filter" in text(screen, "#history-status")
        await pilot.press("c")  # asked again: compares what is marked
        assert calls == [["run 2", "run 1"]]
        await pilot.press("x")
        assert screen.marked == [] and "marked" not in text(screen, "#history-status")
        await pilot.press("slash", *["backspace"] * 10, "enter")
        await pilot.pause()
        assert table(screen).cursor_row == 0  # the newest match, not the last row
        await pilot.press("space", "down", "space", "c")  # runs 3 and 2: two models
        assert len(calls) == 1 and "different models" in text(screen, "#history-status")
        await pilot.pause()
        status = screen.query_one("#history-status", Static)
        # At 80 columns the question wraps: its keys must still be on screen.
        assert status.size.height >= 2 and status.region.bottom <= screen.size.height - 1
        await pilot.press("down")  # anything else cancels the question
        await pilot.press("c")
        assert len(calls) == 1


async def test_the_model_column_grows_with_the_terminal(
    model: str, history: str, documents: list[dict[str, Any]], make_app: Callable[..., OvbenchApp]
) -> None:
    with HistoryStore(history) as store:
        store.add(other_model(documents[0], "/models/detection/ppocr_v4_det_small.onnx"))
        store.add(other_model(documents[0], "/models/recognition/ppocr_v4_rec_small.onnx"))
    app = make_app(BenchmarkConfig(model=model, time_s=3, history=history))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot, app)
        cells = [str(table(screen).get_row_at(i)[3]).strip() for i in (0, 1)]
        assert cells[0].endswith("ppocr_v4_rec_small.onnx")
        assert cells[1].endswith("ppocr_v4_det_small.onnx")
