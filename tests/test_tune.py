"""The tuner: its search on synthetic objectives, the confirmation verdict, the CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from ovbench_tui.cli import main
from ovbench_tui.tune import confirm
from ovbench_tui.tune.search import Climber, SearchSpace, Setting, Trial, best_trials, score

# The device's own choices in the synthetic world.
HINT_EFFECTIVE = {"throughput": (2, 4), "latency": (1, 1)}


def synthetic(peak: tuple[int, int], fail: set[tuple[int, int]] | None = None):
    """A unimodal throughput surface over log2(streams), log2(requests), peaked at
    `peak`; latency grows with the requests in flight per stream."""
    fail = fail or set()
    calls: list[Setting] = []

    def measure(setting: Setting, reason: str, parent: int | None = None) -> Trial:
        calls.append(setting)
        if setting.hint != "none":
            streams, requests = HINT_EFFECTIVE[setting.hint]
        else:
            streams, requests = setting.streams or 1, setting.requests or 1
        trial = Trial(0, setting, reason)
        if (streams, requests) in fail:
            trial.error = "the device refused it"
            return trial
        ds = math.log2(streams) - math.log2(peak[0])
        dr = math.log2(requests) - math.log2(peak[1])
        trial.fps = 1000.0 - 60 * ds * ds - 40 * dr * dr
        trial.latency_ms = 1000.0 * requests / trial.fps
        trial.effective = Setting("none", streams, requests)
        return trial

    return measure, calls


def explicit(trial: Trial) -> tuple[int | None, int | None]:
    assert trial.effective is not None
    return trial.effective.streams, trial.effective.requests


@pytest.mark.parametrize("peak", [(4, 8), (1, 2), (8, 32)])
def test_search_finds_the_optimum_of_a_unimodal_grid(peak: tuple[int, int]) -> None:
    measure, calls = synthetic(peak)
    climber = Climber(SearchSpace(axes=("streams", "requests")), budget_ms=None, max_points=30)
    trials = climber.run(measure)
    best = best_trials(trials, None, 1)[0]
    assert explicit(best) == peak
    assert len({c.key() for c in calls}) == len(calls)  # never the same setting twice
    # Far fewer points than the 7 x 11 grid of powers of two it searches.
    assert len(trials) <= 16


def test_search_starts_from_both_hints_and_says_why() -> None:
    measure, _ = synthetic((4, 8))
    trials = Climber(SearchSpace(axes=("streams", "requests")), None, 12).run(measure)
    assert [t.setting.hint for t in trials[:2]] == ["throughput", "latency"]
    assert "throughput hint" in trials[0].reason
    assert all("from point" in t.reason for t in trials[2:])
    assert all(t.parent is not None and t.parent < t.order for t in trials[2:])
    assert [t.order for t in trials] == list(range(1, len(trials) + 1))


def test_search_stops_at_max_points() -> None:
    measure, calls = synthetic((16, 64))
    trials = Climber(SearchSpace(axes=("streams", "requests")), None, max_points=5).run(measure)
    assert len(trials) == 5 and len(calls) == 5


def test_search_respects_the_latency_budget() -> None:
    measure, _ = synthetic((8, 32))
    budget = 10.0
    trials = Climber(SearchSpace(axes=("streams", "requests")), budget, 30).run(measure)
    best = best_trials(trials, budget, 1)[0]
    assert best.latency_ms is not None and best.latency_ms <= budget
    # The best point within the budget among all the grid's explicit settings:
    grid = []
    for s in (1, 2, 4, 8, 16):
        for r in (1, 2, 4, 8, 16, 32, 64):
            if r < s:
                continue
            trial = measure(Setting("none", s, r), "grid")
            if trial.latency_ms is not None and trial.latency_ms <= budget:
                grid.append(trial.fps)
    assert best.fps == pytest.approx(max(grid))


def test_search_goes_on_past_failing_points() -> None:
    measure, _ = synthetic((4, 8), fail={(4, 4), (1, 2)})
    trials = Climber(SearchSpace(axes=("streams", "requests")), None, 30).run(measure)
    failed = [t for t in trials if t.failed]
    assert failed and all(t.error for t in failed)
    assert explicit(best_trials(trials, None, 1)[0]) == (4, 8)


def test_search_stops_when_measure_says_stopped() -> None:
    measure, _ = synthetic((4, 8))
    count = 0

    def stopping(setting: Setting, reason: str, parent: int | None) -> Trial | None:
        nonlocal count
        count += 1
        return None if count == 4 else measure(setting, reason, parent)

    climber = Climber(SearchSpace(axes=("streams", "requests")), None, 30)
    trials = climber.run(stopping)
    assert len(trials) == 3 and climber.stopped


def test_best_trials_are_distinct_settings_within_budget() -> None:
    same = Setting("none", 2, 4)
    trials = [
        Trial(1, Setting("throughput"), "", 100.0, 5.0, same),
        Trial(2, same, "", 99.0, 5.0, same),
        Trial(3, Setting("none", 1, 1), "", 80.0, 1.0, Setting("none", 1, 1)),
        Trial(4, Setting("none", 4, 8), "", 150.0, 50.0, Setting("none", 4, 8)),
    ]
    chosen = best_trials(trials, 10.0, 3)
    assert [t.order for t in chosen] == [1, 3]


def test_verdict_on_clearly_different_distributions() -> None:
    rng = np.random.default_rng(1)
    fast = rng.normal(1100, 10, 40)
    slow = rng.normal(1000, 10, 40)
    result = confirm.verdict(fast, slow)
    assert result.decided
    assert result.difference_pct == pytest.approx(10, abs=1)
    assert result.low_pct > 0
    assert "beats" in result.text("point 3", "point 5")


def test_verdict_within_noise_for_the_same_distribution() -> None:
    rng = np.random.default_rng(2)
    a = rng.normal(1000, 30, 30)
    b = rng.normal(1000, 30, 30)
    result = confirm.verdict(a, b)
    assert not result.decided
    assert result.low_pct < 0 < result.high_pct
    assert "within noise" in result.text("point 1", "point 2")


def test_confirmation_settles_on_narrow_samples_and_caps_rounds() -> None:
    narrow = [[1000.0, 1001.0, 999.0, 1000.5]] * 2
    wide = [[500.0, 1500.0, 700.0, 1300.0]] * 2
    assert not confirm.settled(narrow, 1, 2.0)  # at least MIN_ROUNDS
    assert confirm.settled(narrow, 2, 2.0)
    assert not confirm.settled(wide, 2, 2.0)
    assert confirm.settled(wide, confirm.MAX_ROUNDS, 2.0)


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--budget-ms", "0"], "--budget-ms 0"),
        (["--budget-ms", "-3"], "--budget-ms -3"),
        (["--percentile", "120"], "--percentile 120"),
        (["--axes", "streams", "colour"], "--axes colour"),
        (["--max-points", "1"], "--max-points 1"),
        (["-hint", "none", "-nstreams", "2"], "-nstreams 2"),
        (["-nireq", "4"], "-nireq 4"),
        (["--axes", "batch", "-b", "4"], "-b 4 fixes batch, which the tuner searches"),
        (["--axes", "precision", "-infer_precision", "f32"], "-infer_precision f32 fixes the"),
        (["-t", "5"], "-t sets one run's length"),
    ],
)
def test_bad_tune_input_is_one_line(
    flags: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tune", "-m", "demo:tiny", *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1


@pytest.mark.slow
def test_tune_end_to_end_writes_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "t"
    code = main(
        [
            "tune",
            "-m",
            "demo:tiny",
            "--max-points",
            "4",
            "--point-time",
            "1",
            "--axes",
            "streams",
            "requests",
            "--budget-ms",
            "1000",
            "--history",
            str(tmp_path / "h.sqlite"),
            "--out",
            str(prefix),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    document = json.loads((tmp_path / "t.json").read_text())
    assert 2 <= len(document["points"]) <= 4
    for point in document["points"]:
        assert {"streams", "requests", "batch", "hint", "precision", "reason"} <= set(point)
        assert point["throughput_fps"] > 0
    assert document["points"][0]["hint"] == "throughput"
    assert document["winner"] is not None and document["verdict"]
    assert document["commands"]["benchmark_app"].startswith("benchmark_app -m demo:tiny")
    assert "Verdict:" in out
    config = json.loads((tmp_path / "t.config.json").read_text())
    assert "CPU" in config and "PERFORMANCE_HINT" in config["CPU"]
    assert (tmp_path / "t.csv").read_text().startswith("point,reason,streams")


def test_a_tune_whose_every_point_is_refused_says_so_writes_nothing_and_exits_with_its_code(
    tmp_path: Path, model: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Four channels into a three-channel convolution: every point's reshape is refused.
    prefix = tmp_path / "t"
    args = ["tune", "-m", model, "-shape", "[1,4,32,32]", "--max-points", "2", "--point-time", "1"]
    code = main([*args, "--no-history", "--out", str(prefix)])
    captured = capsys.readouterr()
    assert code in (1, 2)  # the first refusal's code
    assert "cannot be reshaped" in captured.out
    assert "Verdict: every point failed" in captured.out
    assert "--budget-ms" not in captured.out.split("Verdict:")[1]
    assert "No point finished: nothing to write" in captured.out
    assert not list(tmp_path.iterdir())


def test_at_a_set_rate_the_lower_latency_wins_and_falling_behind_loses() -> None:
    def trial(order: int, fps: float, latency: float, kept_up: bool) -> Trial:
        setting = Setting("none", order, order)
        return Trial(order, setting, "", fps, latency, setting, kept_up=kept_up)

    fast_but_late = trial(1, 500.0, 3.0, True)
    quick = trial(2, 500.0, 1.5, True)
    behind = trial(3, 420.0, 0.9, False)  # served less than arrived: never within
    over = trial(4, 500.0, 30.0, True)
    budget = 10.0
    assert not behind.within(budget)
    ranked = sorted([fast_but_late, quick, behind, over], key=lambda t: score(t, budget))
    assert [t.order for t in ranked] == [3, 4, 1, 2]
    assert [t.order for t in best_trials([fast_but_late, quick, behind, over], budget, 3)] == [2, 1]


def test_verdict_on_latencies_says_lower_wins() -> None:
    rng = np.random.default_rng(4)
    low = rng.normal(2.0, 0.05, 30)
    high = rng.normal(2.5, 0.05, 30)
    result = confirm.verdict(low, high, lower_is_better=True)
    assert result.decided and result.difference_pct == pytest.approx(20, abs=2)
    assert "lower latency" in result.text("point 2", "point 1")


def test_the_winner_is_written_with_the_knob_tables_flags_and_properties() -> None:
    from ovbench_tui.config import BenchmarkConfig
    from ovbench_tui.tune.output import device_config, run_command, winner_config
    from ovbench_tui.tune.runner import TuneOutcome, TuneSpec

    outcome = TuneOutcome(TuneSpec(base=BenchmarkConfig("demo:tiny")))
    trial = Trial(1, Setting("none", 2, 4, None, "bf16"), "why", fps=100.0, latency_ms=1.0)
    assert device_config(outcome, trial) == {
        "CPU": {
            "PERFORMANCE_HINT": "LATENCY",
            "NUM_STREAMS": "2",
            "INFERENCE_PRECISION_HINT": "bf16",
        }
    }
    config = winner_config(outcome, trial)
    assert (config.hint, config.nstreams, config.nireq) == ("none", "2", 4)
    assert (config.batch, config.infer_precision) == ("", "bf16")
    command = run_command(outcome, trial, "benchmark_app")
    assert command.startswith("benchmark_app -m demo:tiny")
    assert "-nstreams 2" in command and "-nireq 4" in command
    assert "-infer_precision bf16" in command
