"""The throughput's confidence interval and `-t auto`: the bootstrap against a known
distribution, the stop rule on synthetic marks, real runs, and bad flags."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from ovbench_tui.cli import main
from ovbench_tui.config import AUTO_MIN_S, BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.engine.events import Event, LogLine
from ovbench_tui.engine.interval import bootstrap_mean, student_t_quantile
from ovbench_tui.engine.result import LATENCY_FOOTNOTE, RunResult, summary_lines
from ovbench_tui.engine.stats import latency_stats
from ovbench_tui.engine.until_stable import (
    CHECK_PERIOD_S,
    StableStop,
    interval_text,
    throughput_interval,
)
from ovbench_tui.reports.loaded_run import result_from_document
from ovbench_tui.reports.result_file import build_result_document

# -- the interval ----------------------------------------------------------------------


@pytest.mark.parametrize("windows", [6, 20])
def test_interval_covers_the_true_mean_about_95_percent_of_the_time(windows: int) -> None:
    """Normal window throughputs of known mean and sd: 95 % of the intervals hold the mean
    (within what 600 trials can tell: ±2 points)."""
    rng = np.random.default_rng(11)
    trials = 600
    covered = 0
    for trial in range(trials):
        sample = rng.normal(1000.0, 30.0, windows)
        low, high = bootstrap_mean(sample, seed=trial)
        covered += low <= 1000.0 <= high
    assert 0.92 <= covered / trials <= 0.985


def test_interval_width_matches_the_t_interval_on_normal_data() -> None:
    rng = np.random.default_rng(5)
    sample = rng.normal(500.0, 10.0, 20)
    low, high = bootstrap_mean(sample, resamples=20000)
    half = student_t_quantile(0.975, 19) * sample.std(ddof=1) / np.sqrt(20)
    assert (high - low) / 2 == pytest.approx(half, rel=0.1)
    assert bootstrap_mean(sample) == bootstrap_mean(sample)  # seeded: reproducible


def test_t_quantiles_match_the_tables() -> None:
    for df, expected in [(3, 3.182), (5, 2.571), (10, 2.228), (19, 2.093), (1000, 1.962)]:
        assert student_t_quantile(0.975, df) == pytest.approx(expected, rel=0.01)


def test_throughput_interval_needs_four_windows_and_is_scaled_to_frames() -> None:
    assert throughput_interval([100.0, 101.0, 99.0], 100.0) is None
    fps = [100.0, 102.0, 98.0, 101.0, 99.0, 100.0]
    interval = throughput_interval(fps, 200.0)  # batch 2: frames/s twice inferences/s
    assert interval is not None and interval.windows == 6
    assert interval.low_fps < 200.0 < interval.high_fps
    assert interval.pct == pytest.approx(
        max(200 - interval.low_fps, interval.high_fps - 200) / 2, rel=1e-9
    )
    assert interval_text(interval) == f" ± {interval.pct:.1f} % (95 % CI)"
    assert interval_text(None) == ""


# -- the stop rule -------------------------------------------------------------------------


def _marks(rates: list[float], period: float = 0.1) -> list[tuple[float, int]]:
    """(elapsed, completed) every `period` s at the given rates per mark."""
    marks, done = [], 0.0
    for index, rate in enumerate(rates, start=1):
        done += rate * period
        marks.append((round(index * period, 6), int(done)))
    return marks


def test_a_steady_run_stops_at_the_minimum_time() -> None:
    stop = StableStop(2.0)
    marks = _marks([1000.0] * 100)
    decisions = [stop(marks[:end]) for end in range(1, len(marks) + 1)]
    first = decisions.index(True)
    assert marks[first][0] == pytest.approx(AUTO_MIN_S)
    assert stop.stable_at == pytest.approx(AUTO_MIN_S)
    outcome = stop.outcome(max_s=60, measured_s=3.0)
    assert outcome.stable and "Stable after 3.0 s" in outcome.message()


def test_a_noisy_run_never_stops_and_says_why() -> None:
    rng = np.random.default_rng(2)
    marks = _marks(list(rng.choice([200.0, 1800.0], 300)))
    stop = StableStop(2.0)
    assert not any(stop(marks[:end]) for end in range(1, len(marks) + 1))
    outcome = stop.outcome(max_s=30, measured_s=30.0)
    assert not outcome.stable and outcome.last_pct is not None and outcome.last_pct > 2
    assert "not stable within ± 2 % after 30.0 s" in outcome.message()


def test_the_check_runs_at_most_every_half_second() -> None:
    calls = 0
    stop = StableStop(0.0001)  # never met: it keeps checking
    marks = _marks([900.0, 1100.0] * 50)
    for end in range(1, len(marks) + 1):
        before = stop._checked_at
        stop(marks[:end])
        calls += stop._checked_at != before
    # 3.0 s .. 10.0 s, every CHECK_PERIOD_S
    assert calls == int((10.0 - AUTO_MIN_S) / CHECK_PERIOD_S) + 1


# -- real runs ---------------------------------------------------------------------------


def _run(config: BenchmarkConfig) -> tuple[object, list[Event]]:
    events: list[Event] = []
    result = Engine(config, events.append).run()
    assert result is not None
    return result, events


@pytest.mark.slow
def test_auto_stops_between_the_minimum_and_the_maximum(static_model_path: Path) -> None:
    config = BenchmarkConfig(
        model=str(static_model_path), time_auto=True, stable_pct=25.0, t_max_s=8
    )
    result, events = _run(config)
    auto = result.auto  # type: ignore[attr-defined]
    duration = result.duration_s  # type: ignore[attr-defined]
    assert auto is not None and auto.stable_pct == 25.0 and auto.max_s == 8
    assert AUTO_MIN_S <= duration <= 8 + 1
    interval = result.throughput_interval  # type: ignore[attr-defined]
    assert interval is not None and interval.windows >= 6
    throughput = [line for line in summary_lines(result) if line.startswith("Throughput:")]  # type: ignore[arg-type]
    assert throughput[0].endswith(" % (95 % CI)")
    infos = [e.text for e in events if isinstance(e, LogLine)]
    if auto.stable:
        assert any(text.startswith("Stable after") for text in infos)
    else:  # a very busy machine: it says so
        assert any("-t auto: not stable" in text for text in infos)
    document = build_result_document(config, result, None, {})  # type: ignore[arg-type]
    assert document["auto"]["stable"] == auto.stable
    assert result_from_document(document).auto == auto


@pytest.mark.slow
def test_auto_says_when_it_stopped_at_its_maximum(static_model_path: Path) -> None:
    config = BenchmarkConfig(
        model=str(static_model_path), time_auto=True, stable_pct=0.0001, t_max_s=3
    )
    result, events = _run(config)
    auto = result.auto  # type: ignore[attr-defined]
    assert auto is not None and not auto.stable
    assert 3 <= result.duration_s <= 4.5  # type: ignore[attr-defined]
    warnings = [e.text for e in events if isinstance(e, LogLine) and e.level == "WARNING"]
    assert any(w.startswith("-t auto: not stable within ± 0.0001 %") for w in warnings)


def test_short_runs_print_no_interval_and_parse_as_before(static_model_path: Path) -> None:
    result, _ = _run(BenchmarkConfig(model=str(static_model_path), niter=8))
    lines = summary_lines(result)  # type: ignore[arg-type]
    assert result.throughput_interval is None  # type: ignore[attr-defined]
    line = next(line for line in lines if line.startswith("Throughput:"))
    assert re.fullmatch(r"Throughput:   [0-9.]+ FPS", line)


def test_the_interval_follows_the_number_so_scripts_still_parse_it() -> None:
    result = _result(median_ms=5.0)
    result.throughput_fps = 1234.5
    result.throughput_interval = throughput_interval([99.0, 101.0, 100.0, 100.5, 99.5], 1234.5)
    line = next(line for line in summary_lines(result) if line.startswith("Throughput:"))
    assert re.fullmatch(r"Throughput:   1234\.50 FPS ± \d+\.\d % \(95 % CI\)", line)
    # benchmarks/_common.py's pattern, and benchmark_app users' usual one
    assert re.search(r"Throughput:\s+([0-9.]+)\s*FPS", line).group(1) == "1234.50"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("api", "median_ms", "footnote"),
    [("async", 0.4, True), ("async", 3.0, False), ("sync", 0.4, False)],
)
def test_latency_footnote_when_benchmark_apps_latency_means_something_else(
    api: str, median_ms: float, footnote: bool
) -> None:
    result = _result(median_ms=median_ms, api=api)
    assert (LATENCY_FOOTNOTE in summary_lines(result)) is footnote


def _result(median_ms: float, api: str = "async") -> RunResult:
    return RunResult(
        count=3,
        duration_s=1.0,
        frames=3,
        throughput_fps=3.0,
        latency=latency_stats(np.array([median_ms] * 3)),
        groups=[],
        api=api,
        nireq=2,
        inference_only=True,
        batch="1",
        device="CPU",
    )


# -- flags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-t", "auto", "-stable_pct", "0"], "-stable_pct 0 is out of range"),
        (["-t", "auto", "-stable_pct", "-3"], "-stable_pct -3 is out of range"),
        (["-t", "auto", "-t_max", "1"], "-t_max 1 is below -t auto's 3 s minimum"),
        (["-t", "auto", "-t_max", "0"], "0 is not positive"),
        (["-stable_pct", "5"], "-stable_pct only applies to -t auto"),
        (["-t", "10", "-t_max", "30"], "-t_max only applies to -t auto"),
        (["-t", "soon"], "neither a whole number of seconds nor auto"),
    ],
)
def test_bad_auto_flags_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(["run", "-m", "demo:tiny", *args])
    captured = capsys.readouterr()
    assert code == 2
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], captured.err
    assert "Traceback" not in captured.out + captured.err


def test_auto_flags_reach_the_config() -> None:
    from ovbench_tui.form_state import config_to_values, values_to_config
    from ovbench_tui.run_args import parse_run_args

    config = parse_run_args(["-m", "x.xml", "-t", "AUTO", "-stable_pct", "1.5", "-t_max", "20"])
    assert config is not None
    assert config.time_auto and config.time_s is None
    assert (config.auto_stable_pct, config.auto_max_s, config.duration_s()) == (
        1.5,
        20,
        (20, False),
    )
    # The form: "auto" in the duration field, its bounds kept from the config it came from
    values = config_to_values(config)
    assert values["time"] == "auto"
    assert values_to_config(values, base=config) == config
