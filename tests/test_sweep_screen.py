"""Pilot tests of the Sweep screen on the real engine with a small generated model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.setup import SetupScreen
from ovbench_tui.tui.screens.sweep import SweepScreen

pytestmark = pytest.mark.usefixtures("data_dir", "in_tmp_path")


def fill(screen: SweepScreen, **fields: str) -> None:
    for key, value in fields.items():
        screen.query_one(f"#sweep-{key.replace('_', '-')}", Input).value = value


async def commit(pilot, screen: SweepScreen, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Type a view field's value and press enter (they apply then, not per keystroke)."""
    field = screen.query_one(f"#sweep-{key}", Input)
    field.focus()
    field.value = value
    await pilot.press("enter")
    await pilot.pause()


async def open_sweep(pilot, app: OvbenchApp) -> SweepScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("f4")
    for _ in range(50):
        if isinstance(app.screen, SweepScreen):
            break
        await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, SweepScreen)
    return screen


async def finish(pilot, screen: SweepScreen, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.1)):
        await pilot.pause(0.1)
        if not screen.running:
            return
    raise AssertionError("the sweep never finished")


def table_rows(screen: SweepScreen) -> list[list[str]]:
    table = screen.query_one("#sweep-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.mark.slow
async def test_sweep_runs_marks_the_best_and_follows_the_budget(
    model: str, tmp_path: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    history = str(tmp_path / "h.sqlite")
    app = make_app(BenchmarkConfig(model=model, history=history))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sweep(pilot, app)
        fill(screen, axis_requests="1 2", point_time="1", point_count="10")
        await pilot.press("ctrl+r")
        assert screen.running
        await finish(pilot, screen)
        assert screen.outcome is not None and len(screen.outcome.points) == 2
        rows = table_rows(screen)
        assert [row[2] for row in rows] == ["1", "2"]
        best = [row for row in rows if row[0] == "@"]
        fastest = max(rows, key=lambda row: float(row[3]))
        assert best == [fastest]
        # A budget below every latency: no best point any more.
        await commit(pilot, screen, "budget", "0.0000001")
        assert all(row[0] != "@" for row in table_rows(screen))
        assert "no point has its p50 latency within" in str(
            screen.query_one("#sweep-status", Static).render()
        )
        # Percentile changes re-label the latency column.
        await commit(pilot, screen, "budget", "")
        await commit(pilot, screen, "percentile", "90")
        # A bad value keeps the last good view under the error.
        await commit(pilot, screen, "percentile", "101")
        assert "up to 100" in str(screen.query_one("#sweep-error", Static).render())
        columns = [
            str(c.label) for c in screen.query_one("#sweep-table", DataTable).columns.values()
        ]
        assert "p90 ms" in columns
        await commit(pilot, screen, "percentile", "90")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sorted(p.suffix for p in tmp_path.glob("ovbench-sweep-*")) == [".csv", ".json"]
        # The same machine block the sweep command writes (trial 5: it was empty).
        (saved,) = tmp_path.glob("ovbench-sweep-*.json")
        assert json.loads(saved.read_text())["environment"]["openvino_version"]
        # Every point is in the run history like any run.
        from ovbench_tui.reports.history import HistoryStore

        with HistoryStore(history) as store:
            assert len(store.runs()) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        # Back again: the fields are as they were left.
        screen = await open_sweep(pilot, app)
        assert screen.query_one("#sweep-axis-requests", Input).value == "1 2"


async def test_bad_values_get_one_line_in_the_screen(
    model: str, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, no_history=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sweep(pilot, app)
        error = screen.query_one("#sweep-error", Static)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "nothing to sweep" in str(error.render()) and not screen.running
        fill(screen, axis_streams="two")
        await pilot.press("ctrl+r")
        await pilot.pause()
        # Named by the field's label, not by the command line's flag (-nstreams).
        assert "Streams 'two' is not a number of streams" in str(error.render())
        fill(screen, axis_streams="1")
        await commit(pilot, screen, "budget", "soon")
        assert "Budget 'soon' is not a number" in str(error.render())
        await commit(pilot, screen, "budget", "")
        assert not error.display
        # Found by reading the model, in the worker, before any point runs.
        fill(screen, axis_streams="")
        screen.query_one("#sweep-axis-data_shape", Input).value = "[1,3,8,8] [1,3,16,16]"
        await pilot.press("ctrl+r")
        await finish(pilot, screen)
        assert "every input of" in str(error.render())
        assert screen.outcome is None  # nothing ran: no stale count or columns


async def test_stop_keeps_the_finished_points(
    model: str, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=model, no_history=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sweep(pilot, app)
        fill(screen, axis_requests="1 2 3", point_time="1", point_count="1")
        await pilot.press("ctrl+r")
        for _ in range(300):
            await pilot.pause(0.05)
            if screen.outcome is not None and screen.outcome.points:
                break
        await pilot.press("ctrl+x")
        await finish(pilot, screen)
        outcome = screen.outcome
        assert outcome is not None and outcome.stopped
        assert 1 <= len(outcome.points) < 3
        assert len(table_rows(screen)) == len(outcome.points)
        # esc and F4 again: the table is still there (trial 4 lost it).
        rows = table_rows(screen)
        await pilot.press("escape")
        await pilot.pause()
        again = await open_sweep(pilot, app)
        assert again is not screen and again.outcome is outcome
        assert table_rows(again) == rows
        assert "(stopped)" in str(again.query_one("#sweep-status", Static).render())
