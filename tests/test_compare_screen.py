"""Pilot tests of the Compare screen at 80x24, keyboard only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_compare import LAYERS_A, LAYERS_B, make_document
from textual.widgets import DataTable, Input, Static, TabbedContent

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.compare import CompareScreen
from ovbench_tui.tui.screens.setup import SetupScreen

pytestmark = pytest.mark.usefixtures("data_dir")


def two_documents() -> list[dict[str, Any]]:
    return [
        make_document(100.0, 10.0, layers=LAYERS_A, groups=[("[1,3,8,8]", 10, 5.0, 5.1)]),
        make_document(
            110.0,
            9.0,
            seed=1,
            layers=LAYERS_B,
            groups=[("[1,3,8,8]", 11, 4.0, 4.2)],
            config={"nireq": 4},
        ),
    ]


async def open_compare(
    pilot: Any, app: OvbenchApp, documents: list[dict[str, Any]]
) -> CompareScreen:
    await pilot.pause()
    names = [f"run {index}" for index in range(1, len(documents) + 1)]
    opener = getattr(app, "open_compare", None)
    if opener is not None:
        opener(documents, names)
    else:
        await app.push_screen(CompareScreen(documents, names))
    for _ in range(100):
        screen = app.screen
        if isinstance(screen, CompareScreen) and screen.query("#cmp-layers-table"):
            table = screen.query_one("#cmp-figures-table", DataTable)
            if table.row_count:
                return screen
        await pilot.pause(0.05)
    raise AssertionError("the Compare screen never filled its tables")


def cells(table: DataTable[Any], row: int) -> list[str]:
    return [str(cell).strip() for cell in table.get_row_at(row)]


def column(table: DataTable[Any], index: int) -> list[str]:
    return [cells(table, row)[index] for row in range(table.row_count)]


async def test_tabs_switch_with_number_keys_and_b_goes_back(
    make_app: Callable[..., OvbenchApp],
) -> None:
    app = make_app(BenchmarkConfig(model="missing-model.xml", time_s=10))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(pilot, app, two_documents())
        tabs = screen.query_one("#compare-tabs", TabbedContent)
        figures = screen.query_one("#cmp-figures-table", DataTable)
        assert cells(figures, 0)[0] == "throughput FPS"
        assert cells(figures, 0)[-1] == "faster" and cells(figures, 1)[-1] == "faster"
        for key, tab in (
            ("2", "cmp-layers"),
            ("3", "cmp-groups"),
            ("4", "cmp-config"),
            ("1", "cmp-figures"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab
        groups = screen.query_one("#cmp-groups-table", DataTable)
        assert cells(groups, 0)[:3] == ["[1,3,8,8]", "10", "11"]
        config = screen.query_one("#cmp-config-table", DataTable)
        assert cells(config, 0) == ["nireq", "2", "4"]
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)


async def test_threshold_input_refilters_layers_and_bad_input_is_a_message(
    make_app: Callable[..., OvbenchApp],
) -> None:
    app = make_app(BenchmarkConfig(model="missing-model.xml", time_s=10))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(pilot, app, two_documents())
        layers = screen.query_one("#cmp-layers-table", DataTable)
        message = screen.query_one("#cmp-threshold-message", Static)
        assert set(column(layers, 0)) == {"conv1", "pool", "fc"}
        await pilot.press("t")  # the Layers tab, in the threshold field
        await pilot.pause()
        assert screen.query_one("#compare-tabs", TabbedContent).active == "cmp-layers"
        threshold = screen.query_one("#cmp-threshold", Input)
        assert screen.focused is threshold
        await pilot.press("backspace", "1")  # digits go to the field, not to the tab keys
        await pilot.pause()
        assert screen.query_one("#compare-tabs", TabbedContent).active == "cmp-layers"
        assert threshold.value == "1" and screen.threshold_pct == 1.0
        assert set(column(layers, 0)) == {"conv1", "conv2", "pool", "fc"}
        assert "4 of 5 layers" in str(message.render())
        await pilot.press("x")
        await pilot.pause()
        assert message.has_class("error")
        assert "'1x' is not a percentage" in str(message.render())
        assert set(column(layers, 0)) == {"conv1", "conv2", "pool", "fc"}  # kept
        await pilot.press("backspace", "backspace", "3", "0")
        await pilot.pause()
        assert not message.has_class("error")
        assert set(column(layers, 0)) == {"pool", "fc"}
        assert column(layers, 5) == ["only in A", "only in B"] or column(layers, 5) == [
            "only in B",
            "only in A",
        ]
        types = screen.query_one("#cmp-types-table", DataTable)
        assert "Convolution" in column(types, 0)
        await pilot.press("escape")  # leaves the field, stays on the screen
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and screen.focused is layers
        await pilot.press("escape")  # then goes back, as b (trial 4: it did nothing)
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_three_runs_and_a_run_without_counters(make_app: Callable[..., OvbenchApp]) -> None:
    documents = [make_document(100.0), make_document(120.0, 9.0, seed=1), make_document(80, seed=2)]
    documents[2]["stability"].pop("window_median_ms")  # an older document
    app = make_app(BenchmarkConfig(model="missing-model.xml", time_s=10))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(pilot, app, documents)
        figures = screen.query_one("#cmp-figures-table", DataTable)
        first_column = column(figures, 0)
        assert first_column[0] == "B vs A" and "C vs A" in first_column
        verdicts = column(figures, 6)
        assert verdicts.count("faster") == 2 and "slower" in verdicts and "no interval" in verdicts
        note = str(screen.query_one("#cmp-figures-note", Static).render())
        assert "without per-window medians" in note
        await pilot.press("2")
        await pilot.pause()
        assert not screen.query_one("#cmp-layers-table", DataTable).display
        message = str(screen.query_one("#cmp-threshold-message", Static).render())
        assert "no layer counters" in message
        await pilot.press("3")
        await pilot.pause()
        assert "one data shape" in str(screen.query_one("#cmp-groups-note", Static).render())
        await pilot.press("4")
        await pilot.pause()
        assert "same settings" in str(screen.query_one("#cmp-config-note", Static).render())
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_min_effect_note_and_effective_settings(make_app: Callable[..., OvbenchApp]) -> None:
    compiled = {"NUM_STREAMS": "2", "PERFORMANCE_HINT": "THROUGHPUT"}
    documents = [
        make_document(100.0, 10.0, noise=0.001, config={"nireq": 0}, compiled=compiled),
        make_document(
            101.0,
            9.9,
            noise=0.001,
            seed=1,
            config={"nireq": 1, "hint": "latency"},
            compiled={"NUM_STREAMS": "1", "PERFORMANCE_HINT": "LATENCY"},
            nireq=1,
        ),
    ]
    app = make_app(BenchmarkConfig(model="missing-model.xml", time_s=10))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(pilot, app, documents)
        figures = screen.query_one("#cmp-figures-table", DataTable)
        assert column(figures, 6)[:2] == ["within noise", "within noise"]  # 1 % < 2 %
        note = str(screen.query_one("#cmp-figures-note", Static).render())
        assert "verdicts need the whole CI beyond ±2% of A" in note
        config = screen.query_one("#cmp-config-table", DataTable)
        rows = {cells(config, row)[0]: cells(config, row)[1:] for row in range(config.row_count)}
        assert rows["nireq"] == ["0 (auto)", "1"]
        assert rows["requests (effective)"] == ["2", "1"]
        assert rows["streams (effective)"] == ["2", "1"]
        assert rows["hint (effective)"] == ["THROUGHPUT", "LATENCY"]
        assert "(effective)" in str(screen.query_one("#cmp-config-note", Static).render())
        await pilot.press("b")
        await pilot.pause()
        await app.push_screen(CompareScreen(documents, ["a", "b"], min_effect_pct=0))
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query("#cmp-figures-table") and (
                app.screen.query_one("#cmp-figures-table", DataTable).row_count
            ):
                break
        figures = app.screen.query_one("#cmp-figures-table", DataTable)
        assert column(figures, 6)[:2] == ["faster", "faster"]
        note = str(app.screen.query_one("#cmp-figures-note", Static).render())
        assert "beyond ±0% of A" in note
