"""Leaving the app while it measures: Ctrl+Q, SIGTERM, SIGHUP stop the run, store
it, put the terminal back (alternate screen, mouse, cursor) and exit."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from terminal import read_until, start_in_terminal
from textual.widgets import Input

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.reports.history import HistoryStore
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.run import RunScreen
from ovbench_tui.tui.screens.stop_key import StoppableScreen
from ovbench_tui.tui.screens.sweep import SweepScreen

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pty and signals")


def stored_runs(history: Path) -> list[object]:
    if not history.exists():
        return []
    with HistoryStore(history) as store:
        return list(store.runs())


async def wait_until(pilot, condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


async def test_ctrl_q_during_a_run_stops_stores_and_quits(
    tmp_path: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    history = tmp_path / "h.sqlite"
    config = BenchmarkConfig(model="demo:tiny", time_s=60, history=str(history))
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RunScreen))
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await wait_until(pilot, lambda: screen.live is not None and screen.live.count > 0)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 0
    (run,) = stored_runs(history)
    assert run.stopped_early  # type: ignore[attr-defined]
    # main() prints it once the terminal is back (trial 4: the screen was left blank).
    assert app.leaving_note == f"ovbench-tui: stopped run stored as run {run.id} in the history"  # type: ignore[attr-defined]


async def test_a_stop_signal_during_a_sweep_stops_it_and_quits(
    tmp_path: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    history = tmp_path / "h.sqlite"
    config = BenchmarkConfig(model="demo:tiny", history=str(history))
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, SweepScreen))
        screen = app.screen
        assert isinstance(screen, SweepScreen)
        screen.query_one("#sweep-axis-requests", Input).value = "1 2"
        screen.query_one("#sweep-point-time", Input).value = "60"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.running and bool(screen.current))
        app.leave(143)  # what the SIGTERM handler calls
        await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 143
    assert not screen.running


@pytest.mark.parametrize(("key", "field"), [("f6", "#cap-point-time"), ("f7", "#tune-point-time")])
async def test_ctrl_q_during_a_capacity_search_or_a_tune_stops_it_then_quits(
    tmp_path: Path, make_app: Callable[..., OvbenchApp], key: str, field: str
) -> None:
    config = BenchmarkConfig(model="demo:tiny", history=str(tmp_path / "h.sqlite"))
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, StoppableScreen))
        screen = app.screen
        assert isinstance(screen, StoppableScreen)
        screen.query_one(field, Input).value = "60"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.running)
        await pilot.pause(0.5)  # into the first point's measuring
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running)
        # The app waited for the work to stop (a 60 s point did not run out).
        assert not screen.running
    assert app.return_code == 0
    # What main() prints once the terminal is back: where the points went.
    assert app.leaving_note.startswith(f"ovbench-tui: {screen.KEPT_AS} stopped; ")
    assert "stored in the history" in app.leaving_note


@pytest.mark.slow
@pytest.mark.parametrize(("how", "code"), [("SIGTERM", 143), ("ctrl+q", 0)], ids=str)
def test_the_app_in_a_terminal_stops_stores_and_restores_it(
    tmp_path: Path, how: str, code: int
) -> None:
    history = tmp_path / "h.sqlite"
    args = ["-m", "demo:tiny", "-t", "60", "--start", "--history", str(history)]
    process, master = start_in_terminal(args, tmp_path / "data")
    try:
        screen = read_until(master, process, lambda out: b"Measuring" in out, 90)
        assert b"Measuring" in screen
        assert b"\x1b[?1049h" in screen  # it did take the alternate screen
        time.sleep(1.0)
        if how == "ctrl+q":
            os.write(master, b"\x11")
        else:
            process.send_signal(getattr(signal, how))
        after = read_until(master, process, lambda out: process.poll() is not None, 30)
        returned = process.wait(timeout=30)
        after += read_until(master, process, lambda out: False, 0.2)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert returned == code
    for restore in (b"\x1b[?1049l", b"\x1b[?25h", b"\x1b[?1000l"):  # screen, cursor, mouse
        assert restore in after, restore
    text = re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]", b"", after)
    assert b"Traceback" not in text
    (run,) = stored_runs(history)
    assert run.stopped_early  # type: ignore[attr-defined]
    # After the app's last frame, on the terminal put back: where the run went.
    note = f"ovbench-tui: stopped run stored as run {run.id} in the history"  # type: ignore[attr-defined]
    assert note.encode() in after[after.rindex(b"\x1b[?1049l") :]
