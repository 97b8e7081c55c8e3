"""Pilot tests of the Tune screen on the real engine with a small generated model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pilots import screen_lines
from textual.widgets import DataTable, Input, Static
from tune_fixture import finished_tune

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.setup import SetupScreen
from ovbench_tui.tui.screens.tune import TuneScreen

pytestmark = pytest.mark.usefixtures("data_dir", "in_tmp_path")


async def open_tune(pilot, app: OvbenchApp) -> TuneScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("f7")
    for _ in range(50):
        if isinstance(app.screen, TuneScreen):
            break
        await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, TuneScreen)
    return screen


def fill(screen: TuneScreen, **fields: str) -> None:
    for key, value in fields.items():
        screen.query_one(f"#tune-{key.replace('_', '-')}", Input).value = value


async def test_tune_screen_refuses_a_bad_budget_in_one_line(
    make_app: Callable[..., OvbenchApp], model: str
) -> None:
    app = make_app(BenchmarkConfig(model=model))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tune(pilot, app)
        fill(screen, budget="-2")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not screen.running
        error = str(screen.query_one("#tune-error", Static).render())
        assert "Budget" in error and "more than 0" in error
        fill(screen, budget="", axes="streams colour")
        await pilot.press("ctrl+r")
        await pilot.pause()
        error = str(screen.query_one("#tune-error", Static).render())
        assert "Axes colour: unknown" in error and "--axes" not in error  # the field, not the flag


@pytest.mark.slow
async def test_tune_screen_runs_shows_the_verdict_and_copies_the_winner(
    make_app: Callable[..., OvbenchApp], model: str, tmp_path: Path
) -> None:
    app = make_app(BenchmarkConfig(model=model, history=str(tmp_path / "h.sqlite")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tune(pilot, app)
        fill(screen, max_points="3", point_time="1", axes="streams requests")
        await pilot.press("ctrl+r")
        assert screen.running
        for _ in range(900):
            await pilot.pause(0.1)
            if not screen.running:
                break
        assert not screen.running and screen.outcome is not None
        table = screen.query_one("#tune-table", DataTable)
        assert 2 <= table.row_count <= 3
        marks = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "@" in marks
        verdict = str(screen.query_one("#tune-status", Static).render())
        assert "Verdict" in verdict
        rows = table.row_count
        winner = screen.outcome.winner
        assert winner is not None
        table.focus()
        await pilot.press("enter")  # the point's results, from the history
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        app.pop_screen()
        await pilot.pause()
        assert app.screen is screen
        table.focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        values = app.screen.read_values()
        # Without the hint axis the winner goes to the form as explicit settings.
        assert winner.effective is not None
        assert values["perf_hint"] == "none"
        assert values["number_streams"] == str(winner.effective.streams)
        assert values["number_infer_requests"] == str(winner.effective.requests)
        # F7 again: the table and the verdict are still there (trial 4 lost them), with
        # the winner's settings in the form now ...
        again = await open_tune(pilot, app)
        assert again is not screen and again.outcome is screen.outcome
        assert again.query_one("#tune-table", DataTable).row_count == rows
        assert str(again.query_one("#tune-status", Static).render()) == verdict
        assert any("settings changed since" in n.message for n in app._notifications)
        await pilot.pause()
        assert app.focused is again.query_one("#tune-table", DataTable)  # enter and e work
        # ... and ctrl+s saves them as the tune command does.
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = sorted(path.name for path in Path.cwd().glob("ovbench-tune-*"))
        assert [name.split(".", 1)[1] for name in saved] == ["config.json", "csv", "json"]
        document = json.loads(next(Path.cwd().glob("ovbench-tune-*[0-9].json")).read_text())
        assert document["environment"]["openvino_version"]  # as the tune command writes it


async def test_the_verdict_and_the_why_column_wrap_at_80_columns(
    make_app: Callable[..., OvbenchApp], model: str
) -> None:
    """Trial 4: the verdict lost "12.3 % includes 0)" and the why column was cut."""
    app = make_app(BenchmarkConfig(model=model))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tune(pilot, app)
        outcome = finished_tune(screen.base)
        screen.outcome, screen.spec, screen.trials = outcome, outcome.spec, outcome.trials
        screen.redraw()
        screen._tick()
        await pilot.pause()
        shown = " ".join(line.strip() for line in screen_lines(app))
        assert f"Verdict: {outcome.verdict_text()}" in " ".join(shown.split())
        for trial in outcome.trials:
            assert all(word in shown for word in trial.reason.split())
        assert "(throughput hint)" in shown
