"""SVG snapshots of each screen at 80x24, with fixed figures (a replayed run).

Update after an intended change of look: `pytest tests/test_snapshots.py --snapshot-update`,
then look at the report and commit the new SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pilots import no_blink
from replay import BATCHES, LABELS, ReplayEngine, fixed_result, windows
from textual.pilot import Pilot

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.live import LiveSeries
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.run import RunScreen

SIZE = (80, 24)


pytestmark = pytest.mark.usefixtures("data_dir")


MakeApp = Callable[..., OvbenchApp]


class TestScreens:
    """One snapshot per screen at 80x24, in the app as create_app builds it; the screen
    under test is pushed by the test."""

    def test_setup_form(self, snap_compare: Any, make_app: MakeApp) -> None:
        config = BenchmarkConfig(model="missing-model.xml", time_s=10, hint="latency")

        async def run_before(pilot: Pilot[object]) -> None:
            await pilot.pause(0.5)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            no_blink(pilot.app)

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)

    def test_live_run(self, snap_compare: Any, make_app: MakeApp) -> None:
        config = BenchmarkConfig(model="demo:dynamic", time_s=10)

        async def run_before(pilot: Pilot[object]) -> None:
            app = pilot.app
            await app.push_screen(RunScreen(config, engine_factory=ReplayEngine))
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RunScreen)
            screen.live = LiveSeries(list(LABELS), list(BATCHES))
            for window in windows():
                screen.live.add(window)
            screen.draw_live()
            await pilot.pause()

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)

    @pytest.mark.parametrize("tab", ["tab-summary", "tab-groups", "tab-layers", "tab-histogram"])
    def test_results(self, snap_compare: Any, make_app: MakeApp, tab: str) -> None:
        config = BenchmarkConfig(model="demo:dynamic", niter=600)

        async def run_before(pilot: Pilot[object]) -> None:
            app = pilot.app
            await app.push_screen(ResultsScreen(fixed_result(), config))
            await pilot.pause()
            app.screen.query_one("#result-tabs").active = tab  # type: ignore[attr-defined]
            await pilot.pause()
            no_blink(app)

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)
