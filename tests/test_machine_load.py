"""Other load: the machine's CPU use minus ours, while measuring.

The threshold logic runs on synthetic readings; the real figure is checked
against a busy child process the test starts, and our own CPU must never be
counted as someone else's.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.engine.events import Event, LogLine
from ovbench_tui.engine.machine_load import (
    OTHER_LOAD_LIMIT_PCT,
    CpuReading,
    LoadMonitor,
    MachineLoad,
    load_between,
    read_cpu,
)
from ovbench_tui.engine.result import RunResult
from ovbench_tui.engine.stats import latency_stats
from ovbench_tui.reports.loaded_run import result_from_document
from ovbench_tui.reports.result_file import build_result_document

# -- the threshold, on synthetic readings --------------------------------------------------


def test_other_load_is_the_machine_busy_time_minus_ours() -> None:
    # 2 s: the machine was busy 3.0 CPU s, we used 2.6 of them -> others 0.4 s = 20 % of a core
    load = load_between(CpuReading(10.0, 100.0, 5.0), CpuReading(12.0, 103.0, 7.6), cores=4)
    assert load is not None
    assert load.ours_pct == pytest.approx(130.0)
    assert load.other_pct == pytest.approx(20.0)
    assert load.disturbed
    warning = load.warning()
    assert warning is not None and "20 % of a core" in warning and "\n" not in warning


def test_a_little_other_load_is_no_warning() -> None:
    load = load_between(CpuReading(0.0, 0.0, 0.0), CpuReading(10.0, 20.9, 20.0), cores=2)
    assert load is not None and load.other_pct == pytest.approx(9.0)
    assert not load.disturbed and load.warning() is None
    limit = MachineLoad(ours_pct=100, other_pct=OTHER_LOAD_LIMIT_PCT, cores=2, seconds=1)
    assert not limit.disturbed  # "above 10 %", not "at"


def test_counters_ticking_apart_never_give_negative_load() -> None:
    # busy a jiffy below ours on a quiet machine: no load, not a negative one
    load = load_between(CpuReading(0.0, 10.0, 1.0), CpuReading(1.0, 10.99, 2.0), cores=2)
    assert load is not None and load.other_pct == 0.0


def test_no_time_no_figure() -> None:
    reading = CpuReading(5.0, 1.0, 1.0)
    assert load_between(reading, reading, cores=1) is None


def test_monitor_pulls_averages_since_start_and_freezes_at_finish() -> None:
    readings = iter(
        [
            CpuReading(0.0, 0.0, 0.0),  # start
            CpuReading(1.0, 1.5, 1.0),  # a live pull: 50 % other
            CpuReading(2.0, 2.2, 2.0),  # finish: 20 % other over 2 s
        ]
    )
    monitor = LoadMonitor(read=lambda: next(readings), cores=2)
    assert monitor.snapshot() is None  # before measuring
    monitor.start()
    live = monitor.snapshot()
    assert live is not None and live.other_pct == pytest.approx(50.0)
    final = monitor.finish()
    assert final is not None and final.other_pct == pytest.approx(10.0)
    assert monitor.snapshot() == final  # no further reading after the end


def test_stored_and_loaded_back() -> None:
    load = MachineLoad(ours_pct=180.0, other_pct=35.0, cores=2, seconds=3.0)
    result = _fake_result(load)
    document = build_result_document(BenchmarkConfig(model="x.xml"), result, None, {})
    assert document["machine_load"] == {
        "ours_pct": 180.0,
        "other_pct": 35.0,
        "cores": 2,
        "seconds": 3.0,
    }
    assert result_from_document(document).machine_load == load


def _fake_result(load: MachineLoad) -> RunResult:
    return RunResult(
        count=3,
        duration_s=1.0,
        frames=3,
        throughput_fps=3.0,
        latency=latency_stats(np.array([1.0, 2.0, 3.0])),
        groups=[],
        api="async",
        nireq=1,
        inference_only=True,
        batch="1",
        device="CPU",
        machine_load=load,
    )


# -- the real figure -------------------------------------------------------------------


def _run(model: Path) -> tuple[RunResult, list[Event], float]:
    events: list[Event] = []
    engine = Engine(
        BenchmarkConfig(model=str(model), time_s=2, nireq=1, hint="latency"), events.append
    )
    result = engine.run()
    assert result is not None and result.machine_load is not None
    return result, events, time.process_time()


@pytest.mark.slow
def test_a_busy_child_process_shows_as_other_load(static_model_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        watched = psutil.Process(child.pid)
        time.sleep(0.2)  # let it start spinning
        child_before = sum(watched.cpu_times()[:2])
        started = time.perf_counter()
        result, events, _ = _run(static_model_path)
        child_pct = (sum(watched.cpu_times()[:2]) - child_before) / (time.perf_counter() - started)
    finally:
        child.kill()
        child.wait()
    load = result.machine_load
    assert load is not None
    child_pct *= 100
    assert child_pct > 1  # it ran (on a crowded machine it gets only its share of the cores)
    # Everything the child took is other load (the run's own figure, over the
    # measured loop only, is a little shorter than the child's window).
    assert load.other_pct >= 0.8 * child_pct - 5
    if child_pct > 2 * OTHER_LOAD_LIMIT_PCT:
        assert load.disturbed
        lines = [e.text for e in events if isinstance(e, LogLine) and e.level == "WARNING"]
        assert sum(line.startswith("Other load:") for line in lines) == 1


@pytest.mark.slow
def test_our_own_cpu_is_not_other_load(static_model_path: Path) -> None:
    """Without a child: what the run itself burns (all its threads) counts as ours.
    The other figure is checked only on a quiet machine (helpers and CI share cores)."""
    before = read_cpu()
    time.sleep(1.0)
    quiet = load_between(before, read_cpu(), cores=psutil.cpu_count() or 1)
    cpu_before = time.process_time()
    result, events, cpu_after = _run(static_model_path)
    load = result.machine_load
    assert load is not None
    own_pct = (cpu_after - cpu_before) / load.seconds * 100
    # The loop's share of the process's CPU is most of it (compile and warm-up are outside).
    assert 0 < load.ours_pct <= own_pct + 5
    if quiet is None or quiet.other_pct > OTHER_LOAD_LIMIT_PCT / 2:
        pytest.skip(f"the machine is busy ({quiet}): other load cannot be told from none")
    assert not load.disturbed, load
    assert not any(isinstance(e, LogLine) and e.text.startswith("Other load:") for e in events)
