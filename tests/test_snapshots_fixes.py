"""SVG snapshots (80x24) of the screens issue 12 asked to pin: the form's error panel,
the file picker, an empty history and a MULTI run's results (no latency).

Update after an intended change of look:
`pytest tests/test_snapshots_fixes.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pilots import no_blink
from replay import fixed_result
from textual.pilot import Pilot

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.results import ResultsScreen

SIZE = (80, 24)
# A fixed folder: the picker shows its path, so a tmp path would change every run.
PICKER_FOLDER = Path("/tmp/ovbench-tui-snapshot-models")


pytestmark = pytest.mark.usefixtures("data_dir")


MakeApp = Callable[..., OvbenchApp]


def test_error_panel(snap_compare: Any, make_app: MakeApp) -> None:
    config = BenchmarkConfig(model="demo:tiny", time_s=5, hint="none", nstreams="abc")

    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.pause(0.5)
        await pilot.app.workers.wait_for_complete()
        await pilot.press("ctrl+r")
        await pilot.pause()
        pilot.app.screen.set_focus(None)
        await pilot.pause()

    assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)


def test_file_picker(snap_compare: Any, make_app: MakeApp) -> None:
    shutil.rmtree(PICKER_FOLDER, ignore_errors=True)
    (PICKER_FOLDER / ".cache").mkdir(parents=True)
    (PICKER_FOLDER / "detection").mkdir()
    for name in ("ppocr_v4_det.onnx", "ppocr_v4_rec.onnx", "readme.txt"):
        (PICKER_FOLDER / name).write_bytes(b"")
    config = BenchmarkConfig(model=str(PICKER_FOLDER / "ppocr_v4_det.onnx"))

    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.pause(0.5)
        await pilot.app.workers.wait_for_complete()
        await pilot.press("ctrl+o")
        await pilot.pause(0.5)
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)


def test_empty_history(snap_compare: Any, make_app: MakeApp) -> None:
    # The status line shows the history file's path: a fixed one, emptied first.
    history = Path("/tmp/ovbench-tui-snapshot-history/runs.sqlite")
    shutil.rmtree(history.parent, ignore_errors=True)
    history.parent.mkdir(parents=True)
    config = BenchmarkConfig(model="demo:cnn", history=str(history))

    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.pause(0.3)
        await pilot.press("f3")
        await pilot.pause(0.5)
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)


def test_multi_results(snap_compare: Any, make_app: MakeApp) -> None:
    config = BenchmarkConfig(model="demo:cnn", device="MULTI:CPU", niter=600)
    result = dataclasses.replace(
        fixed_result(), hide_latency=True, pcseq=False, groups=[], device="MULTI:CPU"
    )

    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.app.push_screen(ResultsScreen(result, config))
        await pilot.pause()
        no_blink(pilot.app)

    assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)
