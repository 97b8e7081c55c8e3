"""Pilot tests of the app on the real engine with small generated models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pilots import open_replayed_results, wait_for_screen
from textual.widgets import DataTable, Input, Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.app_main import build_app_parser
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.run import RunScreen
from ovbench_tui.tui.screens.setup import SetupScreen

pytestmark = pytest.mark.usefixtures("data_dir")


async def test_form_is_prefilled_from_flags(
    models: dict[str, str], make_app: Callable[..., OvbenchApp]
) -> None:
    args = build_app_parser().parse_args(
        ["-m", models["static"], "-t", "7", "-hint", "latency", "-shape", "[1,3,32,32]", "-pc"]
    )
    from ovbench_tui.run_args import config_from_args

    app = make_app(config_from_args(args))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        values = screen.read_values()
        assert values["path_to_model"] == models["static"]
        assert values["time"] == "7"
        assert values["perf_hint"] == "latency"
        assert values["shape"] == "[1,3,32,32]"
        assert values["perf_counts"] == "true"


async def test_model_inputs_are_shown(
    models: dict[str, str], make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=models["dynamic"]))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#model-inputs", DataTable)
        for _ in range(100):
            if table.row_count:
                break
            await pilot.pause(0.1)
        assert table.row_count == 1
        assert "[?,3,?,?] (dynamic)" in str(table.get_row_at(0)[1])
        assert "data_shape" in str(app.screen.query_one("#model-status", Static).render())


async def test_run_live_then_stop_then_results(
    models: dict[str, str], make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=models["static"], time_s=60))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, app, RunScreen)
        run_screen = app.screen
        assert isinstance(run_screen, RunScreen)
        for _ in range(300):
            if run_screen.live is not None and run_screen.live.count > 0:
                break
            await pilot.pause(0.1)
        assert run_screen.live is not None and run_screen.live.count > 0
        assert run_screen.live.times  # chart points were drawn
        await pilot.press("s")
        await wait_for_screen(pilot, app, ResultsScreen, seconds=5)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert results.result.stopped_early and results.result.count > 0
        summary = str(results.query_one("#summary", Static).render())
        assert "Throughput:" in summary and "p90:" in summary
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.read_values()["time"] == "60"


async def test_dynamic_model_shows_shape_groups(
    models: dict[str, str], make_app: Callable[..., OvbenchApp]
) -> None:
    config = BenchmarkConfig(
        model=models["dynamic"],
        niter=20,
        data_shape="[1,3,16,16][2,3,24,24]",
        layout="NCHW",
        pcseq=True,
    )
    app = make_app(config, start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, app, ResultsScreen)
        table = app.screen.query_one("#groups-table", DataTable)
        assert table.row_count == 2
        assert table.get_row_at(0)[1] == "data: [1,3,16,16]"
        assert table.get_row_at(1)[1] == "data: [2,3,24,24]"


async def test_bad_model_shows_error_panel_and_keeps_values(
    tmp_path: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    missing = str(tmp_path / "nope.xml")
    app = make_app(BenchmarkConfig(model=missing, time_s=5, shape="[1,3,8,8]"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, app, SetupScreen)
        for _ in range(100):
            panel = app.screen.query_one("#error-panel", Static)
            if not panel.has_class("hidden"):
                break
            await pilot.pause(0.1)
        assert "model file not found" in str(panel.render())
        values = app.screen.read_values()  # type: ignore[attr-defined]
        assert values["shape"] == "[1,3,8,8]" and values["time"] == "5"


async def test_bad_shape_shows_error_panel(
    models: dict[str, str], make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=models["static"], niter=4, shape="nosuch[1,3,8,8]"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        for _ in range(200):
            screen = app.screen
            if isinstance(screen, SetupScreen) and not screen.query_one("#error-panel").has_class(
                "hidden"
            ):
                break
            await pilot.pause(0.1)
        panel = app.screen.query_one("#error-panel", Static)
        assert "no input named 'nosuch'" in str(panel.render())


async def test_field_validates_when_left(
    models: dict[str, str], make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=models["static"]))
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.screen.query_one("#field-time", Input)
        field.focus()
        field.value = "0"
        await pilot.press("tab")
        await pilot.pause()
        error = app.screen.query_one("#error-time", Static)
        assert not error.has_class("hidden")
        assert "not positive" in str(error.render())


async def test_results_keys_save_result_and_reports(
    models: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_app: Callable[..., OvbenchApp],
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(BenchmarkConfig(model=models["static"], niter=8, perf_counts=True), start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, app, ResultsScreen)
        await pilot.press("w")
        await pilot.press("p")
        await pilot.pause()
        saved = list(tmp_path.glob("ovbench-result-*.json"))
        assert len(saved) == 1
        reports = tmp_path / "ovbench-reports"
        assert (reports / "benchmark_report.csv").exists()
        assert (reports / "benchmark_detailed_counters_report.csv").exists()
        layers = app.screen.query_one("#layers-table", DataTable)
        assert layers.row_count > 0
        await pilot.press("3", "o")  # the layer tab's key: the next sort
        # By CPU time where that column shows; the CPU plugin reports cpu = real.
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        assert screen.layer_sort == ("cpu" if screen._cpu_shown() else "name")


async def test_no_color_run_does_not_crash(
    models: dict[str, str], monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., OvbenchApp]
) -> None:
    # textual-plot emits unstyled segments; Textual's monochrome filter failed on them.
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(BenchmarkConfig(model=models["static"], time_s=2), start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, app, ResultsScreen)
        assert app.return_code in (None, 0)


async def test_cross_field_rule_is_shown_when_leaving_the_field(
    models: dict[str, str], make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(BenchmarkConfig(model=models["static"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        field = screen.query_one("#field-number_streams", Input)
        field.focus()
        field.value = "2"
        await pilot.press("tab")
        await pilot.pause()
        error = screen.query_one("#error-number_streams", Static)
        assert "-hint none" in str(error.render())
        shape = screen.query_one("#field-data_shape", Input)
        shape.focus()
        shape.value = "1,3,64,64"
        await pilot.press("tab")
        await pilot.pause()
        assert "can't parse" in str(screen.query_one("#error-data_shape", Static).render())


def test_demo_flag_turns_on_counters_and_dynamic_shapes() -> None:
    from ovbench_tui.tui.app_main import DEMO_DATA_SHAPES, apply_demo_defaults

    args = build_app_parser().parse_args(["--demo"])
    apply_demo_defaults(args)
    assert args.path_to_model == "demo:cnn" and args.perf_counts and args.time == 10
    args = build_app_parser().parse_args(["--demo", "-m", "demo:dynamic", "-niter", "50"])
    apply_demo_defaults(args)
    assert args.data_shape == DEMO_DATA_SHAPES and args.pcseq and args.time is None


async def test_escape_on_the_results_leaves_the_filter_then_the_screen(
    make_app: Callable[..., OvbenchApp],
) -> None:
    """esc goes back on every screen (trial 4: it did nothing on the results)."""
    config = BenchmarkConfig(model="demo:dynamic", niter=600)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_replayed_results(pilot, app, config, "3")
        app.screen.query_one("#layer-filter", Input).focus()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert not isinstance(app.screen.focused, Input)
        await pilot.press("escape")  # then back to the form, as b
        await wait_for_screen(pilot, app, SetupScreen)
        assert app.screen.focused is None  # the next key types into no field
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.read_values()["infer_precision"] == ""  # type: ignore[attr-defined]


async def test_on_the_layer_tab_keys_are_keys_and_slash_opens_the_filter(
    make_app: Callable[..., OvbenchApp],
) -> None:
    config = BenchmarkConfig(model="demo:dynamic", niter=600)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_replayed_results(pilot, app, config, "3")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        await pilot.press("o")  # a key, not a letter in the filter
        await pilot.pause()
        assert screen.layer_sort == "name"  # cpu = real in fixed_result: no cpu sort
        assert screen.query_one("#layer-filter", Input).value == ""
        await pilot.press("4")
        await pilot.pause()
        assert screen.query_one("#result-tabs").active == "tab-histogram"  # type: ignore[attr-defined]
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("slash")
        for key in "brconv":  # b, r and o are screen keys elsewhere
            await pilot.press(key)
        await pilot.pause()
        assert app.screen is screen and screen.layer_sort == "name"
        assert screen.query_one("#layer-filter", Input).value == "brconv"
        await pilot.press("enter")  # out of the filter, onto the table
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("#result-tabs").active == "tab-summary"  # type: ignore[attr-defined]


async def test_escape_on_results_opened_from_the_history_goes_back_there(
    make_app: Callable[..., OvbenchApp],
) -> None:
    from replay import fixed_result

    from ovbench_tui.tui.screens.history import HistoryScreen

    config = BenchmarkConfig(model="demo:dynamic", niter=600)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        history = HistoryScreen(app.history_path(), config)
        await app.push_screen(history)
        await pilot.pause()
        await app.push_screen(ResultsScreen(fixed_result(), config, run_id=7))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is history
