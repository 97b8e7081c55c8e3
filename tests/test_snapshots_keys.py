"""Snapshots (80x24) of the help box and the command palette over the results.

Update after an intended change of look:
`pytest tests/test_snapshots_keys.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from replay import fixed_result
from textual.pilot import Pilot

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import create_app
from ovbench_tui.tui.screens.results import ResultsScreen

SIZE = (80, 24)
CONFIG = BenchmarkConfig(model="demo:dynamic", niter=600, no_history=True)


pytestmark = pytest.mark.usefixtures("data_dir")


async def on_results(pilot: Pilot[object]) -> None:
    # The form's OpenVINO workers done first: one left running can crash a later test.
    await pilot.pause(0.5)
    await pilot.app.workers.wait_for_complete()
    await pilot.app.push_screen(ResultsScreen(fixed_result(), CONFIG))
    await pilot.pause()


def test_help_screen(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await on_results(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    app = create_app(CONFIG, watch_terminal=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_command_palette(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        from textual.command import CommandInput, CommandList

        await on_results(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"re")  # Run again, Reports, Sweep's "reads", ...
        palette = pilot.app.screen
        for _ in range(300):  # the search runs in a worker: wait for its answer
            if palette.query_one(CommandList).option_count >= 3:
                break
            await pilot.pause(0.1)
        await pilot.pause(0.3)
        palette.query_one(CommandInput).cursor_blink = False

    app = create_app(CONFIG, watch_terminal=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
