"""The app shows how far to trust a run: other load in the live view (amber when it
would be warned about), our own CPU share, and the warnings on the results screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilots import screen_lines
from replay import BATCHES, LABELS, ReplayEngine, fixed_result, windows
from textual.widgets import Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.machine_load import MachineLoad
from ovbench_tui.engine.stability import Stability
from ovbench_tui.engine.until_stable import AutoOutcome, throughput_interval
from ovbench_tui.live import LiveSeries
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.run import RunScreen

QUIET = MachineLoad(ours_pct=190.0, other_pct=4.0, cores=2, seconds=2.0)
BUSY = MachineLoad(ours_pct=150.0, other_pct=35.0, cores=2, seconds=2.0)


pytestmark = pytest.mark.usefixtures("data_dir")


def replay_with(load: MachineLoad) -> type[ReplayEngine]:
    class LoadedReplay(ReplayEngine):
        def machine_load(self) -> MachineLoad:
            return load

    return LoadedReplay


@pytest.mark.parametrize(("load", "amber"), [(QUIET, False), (BUSY, True)])
async def test_live_view_shows_our_cpu_and_other_load(
    make_app: Callable[..., OvbenchApp], load: MachineLoad, amber: bool
) -> None:
    config = BenchmarkConfig(model="demo:dynamic", time_s=10)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RunScreen(config, engine_factory=replay_with(load)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        screen.live = LiveSeries(list(LABELS), list(BATCHES))
        for window in windows():
            screen.live.add(window)
        screen.draw_live()
        await pilot.pause()
        numbers = screen.query_one("#big-numbers", Static)
        text = str(numbers.render())
        assert f"CPU ours  {load.ours_pct:6.0f} %" in text
        assert f"Other load{load.other_pct:6.0f} %" in text
        markup = str(numbers.content)
        assert ("[b yellow]" in markup) is amber


async def test_live_view_without_a_load_figure_keeps_its_lines(
    make_app: Callable[..., OvbenchApp],
) -> None:
    config = BenchmarkConfig(model="demo:dynamic", time_s=10)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RunScreen(config, engine_factory=ReplayEngine))
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        screen.live = LiveSeries(list(LABELS), list(BATCHES))
        screen.live.add(windows()[0])
        screen.draw_live()
        await pilot.pause()
        assert "Other load" not in str(screen.query_one("#big-numbers", Static).render())


async def test_results_warn_about_other_load_and_an_unstable_auto_run(
    make_app: Callable[..., OvbenchApp],
) -> None:
    result = fixed_result(with_counters=False)
    result.machine_load = BUSY
    result.throughput_interval = throughput_interval([398.0, 402.0, 400.0, 401.0, 399.0], 600.0)
    result.auto = AutoOutcome(stable_pct=2.0, max_s=60.0, stable=False, after_s=60.0, last_pct=3.4)
    config = BenchmarkConfig(model="demo:dynamic", time_auto=True)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ResultsScreen(result, config))
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "FPS ± " in summary and "(95 % CI)" in summary
        assert "this run 150 %, other processes 35 %" in summary
        assert "Warning: Other load: other processes used 35 % of a core" in summary
        assert "Warning: -t auto: not stable within ± 2 % after 60.0 s" in summary


async def test_headline_figures_show_above_warnings_groups_and_a_toast(
    make_app: Callable[..., OvbenchApp],
) -> None:
    """Trial 4: three stability warnings and the other-load one pushed Throughput off
    an 80x24 screen, and the "stored as run N" toast covered the last line."""
    result = fixed_result(with_counters=False)  # three data shape groups (-pcseq)
    result.machine_load = BUSY
    result.stability = Stability(
        0.5,
        [400.0] * 8,
        0.168,
        122,
        0.4,
        [
            "Unstable run: throughput varied by 16.8 % (coefficient of variation over 8 "
            "windows of 0.50 s); close other programs or measure longer",
            "The first windows ran at 61 % of the rest: the device was still warming up; "
            "measure longer (-t) so it weighs less",
            "122 latencies (13.7 %) are outliers by median absolute deviation: something "
            "else ran now and then",
        ],
    )
    assert len(result.trust_warnings()) == 4
    config = BenchmarkConfig(model="demo:dynamic", time_s=4)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ResultsScreen(result, config))
        app.notify("Stored as run 12 in the history")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        for headline in ("Count:", "Duration:", "Median:", "p99:", "Throughput:   600.00 FPS"):
            assert headline in shown, headline
        assert "Warning: Unstable run" in shown  # the first warning still shows
        summary = str(app.screen.query_one("#summary", Static).render())
        assert summary.index("Throughput:") < summary.index("Warning:")
        groups = summary.index("Latency for each data shape group:")
        assert summary.index("Warning: Other load") < groups
