"""Open-loop runs: the arrival schedule, the figures on a fake clock, the engine's open loop."""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.engine.events import LogLine, PhaseChanged
from ovbench_tui.engine.open_loop_stats import ArrivalSchedule, open_loop_stats, queue_lengths
from ovbench_tui.engine.result import summary_lines
from ovbench_tui.errors import UsageError
from ovbench_tui.reports.loaded_run import result_from_document
from ovbench_tui.reports.result_file import build_result_document


def recorded(rate: float, arrival: str, seed: int, count: int, block: int = 1000) -> np.ndarray:
    schedule = ArrivalSchedule(rate, arrival, seed)
    return np.concatenate([schedule.next_block(block) for _ in range(count // block)])


# -- the arrival process ---------------------------------------------------------------


def test_constant_arrivals_come_at_fixed_gaps_without_drift() -> None:
    times = recorded(250.0, "constant", 0, 1_000_000, block=4096 * 4)
    assert times[0] == 0.0
    assert np.allclose(np.diff(times), 1 / 250.0, rtol=0, atol=1e-9)
    # The millionth arrival is due exactly at n / rate: no accumulated rounding.
    assert times[-1] == (len(times) - 1) / 250.0


def test_poisson_arrivals_have_the_rate_and_exponential_gaps() -> None:
    rate = 400.0
    times = recorded(rate, "poisson", 7, 20_000)
    gaps = np.diff(times)
    n = len(gaps)
    # Mean gap 1/rate within 4 standard errors; an exponential's CV is 1.
    assert abs(gaps.mean() - 1 / rate) < 4 * (1 / rate) / math.sqrt(n)
    assert abs(gaps.std() / gaps.mean() - 1) < 0.05
    # Kolmogorov-Smirnov against Exp(rate): D below the 1 % critical value.
    ordered = np.sort(gaps)
    cdf = 1 - np.exp(-rate * ordered)
    steps = np.arange(1, n + 1) / n
    statistic = max(float(np.max(steps - cdf)), float(np.max(cdf - (steps - 1 / n))))
    assert statistic < 1.63 / math.sqrt(n)
    # Gaps are independent: no correlation between neighbours.
    assert abs(np.corrcoef(gaps[:-1], gaps[1:])[0, 1]) < 4 / math.sqrt(n)


def test_the_seed_fixes_the_schedule() -> None:
    same = recorded(100.0, "poisson", 3, 2000), recorded(100.0, "poisson", 3, 2000)
    assert np.array_equal(*same)
    assert not np.array_equal(same[0], recorded(100.0, "poisson", 4, 2000))
    # Blocks continue one another: times only grow.
    assert np.all(np.diff(same[0]) >= 0)


# -- the figures, on a fake clock -------------------------------------------------------


def test_latency_from_arrival_waiting_and_queue_on_a_fake_clock() -> None:
    # One request; arrivals every 10 ms; each inference takes 15 ms, so arrivals
    # pile up: arrival k starts at 15k ms (the request comes free then).
    n = 8
    scheduled = np.arange(n) * 0.010
    starts = np.arange(n) * 0.015
    claimed = np.maximum(scheduled, starts)  # free at its arrival, or when the last one ended
    ends = starts + 0.015
    latency_ms = (ends - scheduled) * 1000
    service_ms = np.full(n, 15.0)
    stats = open_loop_stats(
        rate=100.0,
        arrival="constant",
        scheduled_s=scheduled,
        claimed_s=claimed,
        started_s=starts,
        latency_ms=latency_ms,
        service_ms=service_ms,
        offered=n,
        window_s=0.080,
    )
    # Latency from arrival = queueing + service: 15, 20, 25, ... ms.
    assert np.allclose(latency_ms, 15 + 5 * np.arange(n))
    assert stats.latency.maximum == pytest.approx(50.0)
    assert stats.service.median == pytest.approx(15.0)
    # Every arrival after the first found the request busy.
    assert stats.waited_share == pytest.approx(7 / 8)
    assert stats.offered_rps == pytest.approx(100.0)
    # Ends at 15, 30, ..., 120 ms; 7 by the window's end plus the mean latency
    # (80 + 32.5 ms): 87.5 requests/s, below 99 % of offered.
    assert stats.achieved_rps == pytest.approx(7 / 0.080)
    assert not stats.kept_up and "did not keep up" in (stats.warning() or "")
    # Claimed at 0, 15, 30, 45, ... ms: at 70 ms arrivals 5, 6, 7 (claimed at 75, 90,
    # 105 ms) wait; at 30 ms only arrival 3 (arrival 2 is claimed just then).
    assert queue_lengths(scheduled, claimed).tolist() == [0, 1, 1, 1, 2, 2, 2, 3]
    assert stats.longest_queue == 3
    assert stats.dispatch_late_median_us == pytest.approx(0.0)


def test_a_system_that_keeps_up_has_no_warning() -> None:
    n = 400
    scheduled = np.arange(n) * 0.010
    started = scheduled + 0.0001  # 100 us late to dispatch
    stats = open_loop_stats(
        rate=100.0,
        arrival="constant",
        scheduled_s=scheduled,
        claimed_s=scheduled - 0.005,  # claimed while it slept towards the arrival
        started_s=started,
        latency_ms=np.full(n, 2.1),
        service_ms=np.full(n, 2.0),
        offered=n,
        window_s=4.0,
    )
    assert stats.kept_up and stats.warning() is None
    assert stats.waited_share == 0 and stats.longest_queue == 0
    assert stats.dispatch_late_median_us == pytest.approx(100.0)
    assert stats.achieved_rps == pytest.approx(100.0)


# -- the engine's open loop -------------------------------------------------------------


def test_open_loop_run_reports_arrival_figures_and_keeps_them(model: str) -> None:
    config = BenchmarkConfig(model=model, niter=200, nireq=2, rate=400.0, arrival="constant")
    result = Engine(config).run()
    assert result is not None and result.open_loop is not None
    stats = result.open_loop
    assert result.count == stats.served == 200 and stats.arrivals == 200
    assert stats.offered_rps == pytest.approx(400.0)
    # Latency from arrival includes the service time.
    assert stats.latency.median >= stats.service.median
    lines = summary_lines(result)
    assert any(line.startswith("Offered rate:") for line in lines)
    assert any(line.startswith("Latency from arrival:") for line in lines)
    document = build_result_document(config, result, None, environment={})
    assert document["config"]["rate"] == 400.0
    assert document["open_loop"]["offered_rps"] == pytest.approx(400.0)
    loaded = result_from_document(document)
    assert loaded.open_loop is not None
    assert loaded.open_loop.latency.median == pytest.approx(stats.latency.median)


def test_closed_loop_output_is_unchanged(model: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=20, nireq=2)).run()
    assert result is not None and result.open_loop is None
    lines = [line for line in summary_lines(result) if not line.startswith("Note:")]
    assert lines[-1].startswith("Throughput:")  # (the latency footnote may follow)
    assert not any("rate" in line or "arrival" in line for line in summary_lines(result))
    document = build_result_document(BenchmarkConfig(model=model), result, None, environment={})
    assert document["open_loop"] is None


def test_open_loop_stops_and_samples_live(model: str) -> None:
    # 0.5 arrivals/s: every request sleeps seconds towards its next arrival.
    engine = Engine(BenchmarkConfig(model=model, time_s=60, nireq=2, rate=0.5))
    measuring = threading.Event()
    engine._emit = lambda event: (  # type: ignore[method-assign]
        measuring.set() if isinstance(event, PhaseChanged) and event.phase == "measuring" else None
    )
    outcome: dict[str, object] = {}
    worker = threading.Thread(target=lambda: outcome.update(result=engine.run()))
    worker.start()
    assert measuring.wait(60)
    time.sleep(0.3)
    window = engine.sample_window()
    assert window is not None and window.elapsed_s > 0
    engine.stop()
    # A hang guard, not a speed target: benchmarks/stop_latency.py measures how fast.
    worker.join(60)
    assert not worker.is_alive()
    result = outcome["result"]
    assert result is not None and result.stopped_early  # type: ignore[attr-defined]


def test_an_overloaded_run_says_so(model: str) -> None:
    events: list[object] = []
    config = BenchmarkConfig(model=model, niter=300, nireq=1, rate=1e6, api="sync")
    result = Engine(config, events.append).run()
    assert result is not None and result.open_loop is not None
    assert not result.open_loop.kept_up
    warnings = [e.text for e in events if isinstance(e, LogLine) and e.level == "WARNING"]
    assert any("did not keep up" in text for text in warnings)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"rate": 0.0}, "-rate 0 is not a positive rate"),
        ({"rate": -5.0}, "-rate -5 is not a positive rate"),
        ({"arrival": "constant"}, "-arrival constant needs -rate"),
        ({"rate": 10.0, "max_irate": 5.0}, "keep one"),
    ],
)
def test_bad_open_loop_settings_are_refused(changes: dict[str, object], words: str) -> None:
    with pytest.raises(UsageError, match=words):
        BenchmarkConfig(model="demo:tiny", **changes).validate()  # type: ignore[arg-type]


def test_rate_zero_on_the_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ovbench_tui", "run", "-m", "demo:tiny", "-rate", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "-rate 0 is not a positive rate" in done.stderr


def test_a_sweep_at_a_set_rate_picks_the_setting_that_keeps_up_with_the_lowest_latency() -> None:
    import dataclasses

    from ovbench_tui.engine.stats import latency_stats
    from ovbench_tui.sweep.grid import SweepSpec, plan_points
    from ovbench_tui.sweep.points import SweepOutcome, SweepPoint

    sweep = SweepSpec(
        base=BenchmarkConfig(model="m.xml", rate=100.0),
        axes={"requests": ("1", "2", "4")},
        budget_ms=10.0,
    )
    n = 400
    kept = open_loop_stats(
        rate=100.0,
        arrival="constant",
        scheduled_s=np.arange(n) * 0.01,
        claimed_s=np.arange(n) * 0.01,
        started_s=np.arange(n) * 0.01,
        latency_ms=np.full(n, 1.0),
        service_ms=np.full(n, 1.0),
        offered=n,
        window_s=4.0,
    )
    behind = dataclasses.replace(kept, achieved_rps=50.0)
    outcome = SweepOutcome(sweep, 3)
    for order, (plan, latency, stats) in enumerate(
        zip(plan_points(sweep), (5.0, 3.0, 1.0), (kept, kept, behind), strict=True), start=1
    ):
        values = np.full(200, latency)
        outcome.points.append(
            SweepPoint(plan, order, 200, 2.0, 100.0, latency_stats(values), values, open_loop=stats)
        )
    # The third is fastest but did not keep up; of the others the lower latency wins.
    assert outcome.best() == 1
