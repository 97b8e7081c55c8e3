"""SVG snapshot of the Sweep screen at 80x24 with a fixed, finished sweep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pilots import no_blink
from textual.pilot import Pilot

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.stats import latency_stats
from ovbench_tui.sweep.grid import SweepSpec, plan_points
from ovbench_tui.sweep.points import SweepOutcome, SweepPoint
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.sweep import SweepScreen

SIZE = (80, 24)
# (streams, requests) -> (FPS, median ms): more streams and requests buy throughput
# with latency, as on a real CPU.
FIGURES = {
    ("1", "1"): (410.0, 2.4),
    ("1", "2"): (450.0, 4.3),
    ("2", "2"): (690.0, 2.9),
    ("2", "4"): (720.0, 5.5),
    ("4", "4"): (760.0, 5.2),
    ("4", "8"): (770.0, 10.4),
}


pytestmark = pytest.mark.usefixtures("data_dir")


def fixed_outcome(config: BenchmarkConfig) -> SweepOutcome:
    spec = SweepSpec(
        base=config,
        axes={"streams": ("1", "2", "4"), "requests": ("1", "2", "4", "8")},
        point_time_s=3,
        budget_ms=6.0,
        model_cache=False,
    )
    plans = [p for p in plan_points(spec) if tuple(p.settings.values()) in FIGURES]
    outcome = SweepOutcome(spec, len(plan_points(spec)))
    rng = np.random.default_rng(5)
    for order, plan in enumerate(plans, start=1):
        fps, median = FIGURES[(plan.settings["streams"], plan.settings["requests"])]
        latencies = np.sort(median * (1 + 0.05 * rng.standard_normal(600)))
        outcome.points.append(
            SweepPoint(
                plan=plan,
                order=order,
                count=600,
                duration_s=600 / fps,
                throughput_fps=fps,
                latency=latency_stats(latencies),
                latencies_ms=latencies,
                effective={
                    "streams": plan.settings["streams"],
                    "requests": plan.settings["requests"],
                    "threads": "2",
                },
            )
        )
    return outcome


MakeApp = Callable[..., OvbenchApp]


class TestSweepScreen:
    """The Sweep screen after a 3x4 grid stopped at 6 points, budget 6 ms."""

    def test_finished_sweep(self, snap_compare: Any, make_app: MakeApp) -> None:
        config = BenchmarkConfig(model="demo:cnn")

        async def run_before(pilot: Pilot[object]) -> None:
            app = pilot.app
            fields = {"axis-streams": "1 2 4", "axis-requests": "1 2 4 8", "budget": "6"}
            screen = SweepScreen(config, fields)
            await app.push_screen(screen)
            await pilot.pause()
            screen.outcome = fixed_outcome(config)
            screen.redraw()
            screen._tick()
            no_blink(app)
            await pilot.pause()

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)


def big_figures_outcome(config: BenchmarkConfig) -> SweepOutcome:
    """Four- and six-digit FPS (a tiny model at many requests), every point kept."""
    outcome = fixed_outcome(config)
    for point, fps in zip(
        outcome.points, (1024.0, 2048.5, 123456.7, 254321.9, 9999.0, 4096.0), strict=True
    ):
        point.throughput_fps = fps
    return outcome


class TestSweepTableWidths:
    """The same table filled before the screen is shown and after: figures never cut."""

    @pytest.mark.parametrize("way", ["before_shown", "after_shown"])
    def test_big_fps(self, snap_compare: Any, make_app: MakeApp, way: str) -> None:
        config = BenchmarkConfig(model="demo:tiny")

        async def run_before(pilot: Pilot[object]) -> None:
            app = pilot.app
            fields = {"axis-streams": "1 2 4", "axis-requests": "1 2 4 8"}
            screen = SweepScreen(config, fields)
            if way == "before_shown":
                screen.outcome = big_figures_outcome(config)
            await app.push_screen(screen)
            await pilot.pause()
            if way == "after_shown":
                screen.outcome = big_figures_outcome(config)
                screen.redraw()
            no_blink(app)
            await pilot.pause()

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)

    def test_refused_sweep(self, snap_compare: Any, make_app: MakeApp) -> None:
        config = BenchmarkConfig(model="demo:cnn")

        async def run_before(pilot: Pilot[object]) -> None:
            app = pilot.app
            screen = SweepScreen(config, {"axis-streams": "1 two 4", "axis-requests": "1 2"})
            await app.push_screen(screen)
            await pilot.pause()
            await pilot.press("ctrl+r")
            no_blink(app)
            await pilot.pause()

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)

    def test_running_sweep(self, snap_compare: Any, make_app: MakeApp) -> None:
        config = BenchmarkConfig(model="demo:cnn")

        async def run_before(pilot: Pilot[object]) -> None:
            app = pilot.app
            fields = {"axis-streams": "1 2 4", "axis-requests": "1 2 4 8"}
            screen = SweepScreen(config, fields)
            await app.push_screen(screen)
            await pilot.pause()
            outcome = fixed_outcome(config)
            outcome.points[3:] = []
            screen.outcome = outcome
            screen.running = True  # a point starting: no clock in the status line
            screen.redraw()
            no_blink(app)
            await pilot.pause()
            # Stays "running" to the snapshot (a status tick would redraw it otherwise);
            # with no runner, leaving has nothing to stop.

        assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)
