"""The Capacity screen: opened from the form, a snapshot at 80x24, ctrl+x keeps points."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pilots import no_blink
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer, Static
from textual.widgets._footer import FooterKey

from ovbench_tui.capacity.runner import CapacityOutcome, CapacitySpec
from ovbench_tui.capacity.search import CapacitySearch, Measured
from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.capacity import CapacityScreen

SIZE = (80, 24)


pytestmark = pytest.mark.usefixtures("data_dir")


MakeApp = Callable[..., OvbenchApp]


def fixed_outcome(config: BenchmarkConfig) -> CapacityOutcome:
    """An M/M/1-like curve with a 1000 requests/s server: p99 = 4.6 ms / (1 - load)."""
    spec = CapacitySpec(base=config, slo_ms=10.0, percent=99, point_time_s=5)
    search = CapacitySearch(upper_rps=1000.0, slo_ms=10.0, percent=99)
    outcome = CapacityOutcome(spec, upper_rps=1000.0)
    rng = np.random.default_rng(3)
    while (rate := search.next_rate()) is not None:
        latencies = rng.exponential(1000 / (1000 - rate), 5000)
        point = search.record(rate, Measured(rate, rate, latencies, rate / 1000))
        outcome.points.append(point)
    outcome.answer = search.answer()
    return outcome


class TestCapacityScreen:
    def test_finished_search(self, snap_compare: Any, make_app: MakeApp) -> None:
        config = BenchmarkConfig(model="demo:cnn")

        async def run_before(pilot: Pilot[object]) -> None:
            screen = CapacityScreen(config, {"slo": "10", "percentile": "99"})
            await pilot.app.push_screen(screen)
            await pilot.pause()
            screen.outcome = fixed_outcome(config)
            screen.redraw()
            no_blink(pilot.app)
            await pilot.pause()

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)


async def test_f6_opens_it_from_the_form_and_a_bad_target_is_one_line(make_app: MakeApp) -> None:
    app = make_app(BenchmarkConfig(model="demo:tiny"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        for _ in range(50):
            if isinstance(app.screen, CapacityScreen):
                break
            await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, CapacityScreen)
        screen.query_one("#cap-slo").value = "0"  # type: ignore[attr-defined]
        await pilot.press("ctrl+r")
        await pilot.pause()
        error = str(screen.query_one("#capacity-error").render())
        assert "Target '0' must be more than 0" in error and not screen.running
        # Every key of the footer is whole at 80 columns, ctrl+q Quit the last.
        footer = screen.query_one(Footer)
        palette = footer.query_one(".-command-palette", FooterKey)
        keys = [key for key in footer.query(FooterKey) if key is not palette]
        assert keys and all(key.region.right <= palette.region.x for key in keys)


@pytest.mark.slow
@pytest.mark.parametrize("stop_key", ["ctrl+x", "s"])
async def test_ctrl_x_keeps_the_finished_points(make_app: MakeApp, stop_key: str) -> None:
    # `s` too: the focus leaves the fields when the search starts, so it is no letter typed.
    config = BenchmarkConfig(model="demo:tiny", nireq=2, no_history=True)
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = CapacityScreen(config, {"slo": "1000", "point-time": "1", "max-rate": "100"})
        await app.push_screen(screen)
        await pilot.press("ctrl+r")
        for _ in range(600):  # the first point finishes within seconds
            await pilot.pause(0.1)
            if screen.outcome is not None and screen.outcome.points:
                break
        assert screen.outcome.points
        await pilot.press(stop_key)
        for _ in range(300):
            await pilot.pause(0.1)
            if not screen.running:
                break
        assert not screen.running and screen.outcome.stopped
        assert len(screen.outcome.points) >= 1


async def open_capacity(pilot: Pilot[object], app: OvbenchApp) -> CapacityScreen:
    await pilot.press("f6")
    for _ in range(50):
        if isinstance(app.screen, CapacityScreen):
            break
        await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, CapacityScreen)
    await pilot.pause()
    return screen


async def test_esc_and_f6_again_show_the_last_search(make_app: MakeApp) -> None:
    """Trial 4: esc threw the table and the answer away; F6 showed an empty screen."""
    app = make_app(BenchmarkConfig(model="demo:tiny"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_capacity(pilot, app)
        outcome = fixed_outcome(screen.base)
        screen.outcome = outcome
        screen.redraw()
        rows = screen.query_one("#capacity-table", DataTable).row_count
        answer = str(screen.query_one("#capacity-answer", Static).render())
        assert rows and answer
        await pilot.press("escape")
        await pilot.pause()
        again = await open_capacity(pilot, app)
        assert again is not screen and again.outcome is outcome
        assert again.query_one("#capacity-table", DataTable).row_count == rows
        assert str(again.query_one("#capacity-answer", Static).render()) == answer
        assert "points" in str(again.query_one("#capacity-status", Static).render())
        # Another model in the form: the old table would mislead under its title.
        await pilot.press("escape")
        await pilot.pause()
        assert app.setup_screen is not None
        app.setup_screen.load_values({"path_to_model": "demo:cnn", "target_device": "CPU"})
        await pilot.pause()
        other = await open_capacity(pilot, app)
        assert other.outcome is None
        assert other.query_one("#capacity-table", DataTable).row_count == 0
        assert any("was of demo:tiny on CPU" in n.message for n in app._notifications)
