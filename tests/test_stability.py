"""The stability rules against independent computations on synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from ovbench_tui.engine.stability import (
    assess,
    coefficient_of_variation,
    count_outliers,
    median_absolute_deviation,
    window_medians,
    windows_from_marks,
)


@pytest.mark.parametrize("n", [2, 3, 10, 101, 1000, 5001])
def test_mad_matches_numpy(n: int) -> None:
    values = np.sort(np.random.default_rng(n).lognormal(1.0, 0.5, n))
    expected = float(np.median(np.abs(values - np.median(values))))
    assert median_absolute_deviation(values) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_outliers_by_modified_z_score() -> None:
    rng = np.random.default_rng(1)
    values = np.sort(np.concatenate([rng.normal(10, 0.1, 1000), [30.0] * 20]))
    mad = median_absolute_deviation(values)
    z = 0.6745 * np.abs(values - np.median(values)) / mad
    assert count_outliers(values, mad) == int((z > 3.5).sum()) >= 20


def test_windows_from_marks_interpolate_a_steady_rate() -> None:
    marks = [(t / 10, int(t * 100)) for t in range(1, 51)]  # 1000 per second for 5 s
    length, fps = windows_from_marks(marks, 5.0)
    assert length == pytest.approx(0.5)
    assert len(fps) == 10
    assert fps == pytest.approx([1000.0] * 10, rel=0.02)


def test_cv_needs_four_windows() -> None:
    assert coefficient_of_variation([1.0, 2.0, 3.0]) is None
    values = [90.0, 110.0, 100.0, 100.0]
    assert coefficient_of_variation(values) == pytest.approx(
        float(np.std(values) / np.mean(values))
    )


def test_warnings_for_an_unstable_slow_starting_run() -> None:
    # 10 windows of 0.5 s: the first at 300/s, the rest alternating 1000 and 600.
    rates = [300.0] + [1000.0, 600.0] * 4 + [1000.0]
    marks, done, t = [], 0.0, 0.0
    for rate in rates:
        for _ in range(5):
            t += 0.1
            done += rate * 0.1
            marks.append((round(t, 6), int(done)))
    latencies = np.sort(np.random.default_rng(2).normal(5, 0.2, 2000))
    stability = assess(marks, 5.0, latencies)
    assert stability.cv is not None and stability.cv > 0.1
    text = " ".join(stability.warnings)
    assert "Unstable run" in text and "first windows" in text
    assert "outliers" not in text


def test_a_steady_run_has_no_warnings() -> None:
    marks = [(t / 10, int(t * 100)) for t in range(1, 51)]
    latencies = np.sort(np.random.default_rng(3).normal(5, 0.05, 500))
    assert assess(marks, 5.0, latencies).warnings == []


def test_window_medians_take_each_windows_tickets() -> None:
    # 100 inferences per second for 4 s: window i (1 s... 8 windows of 0.5 s) holds
    # tickets 50*i .. 50*i+49, whose latencies here are i + their position / 100.
    marks = [(t / 10, t * 10) for t in range(1, 41)]
    latencies = np.concatenate([i + np.arange(50) / 100 for i in range(8)])
    medians = window_medians(marks, 4.0, latencies)
    assert medians == pytest.approx([float(np.median(i + np.arange(50) / 100)) for i in range(8)])
    stability = assess(marks, 4.0, np.sort(latencies), medians)
    assert stability.window_median_ms == medians
    assert len(stability.window_fps) == len(medians)


def test_an_empty_window_has_no_median() -> None:
    marks = [(0.5, 10), (1.0, 10), (1.5, 20), (2.0, 30)]
    medians = window_medians(marks, 2.0, np.arange(30, dtype=np.float64))
    assert medians[1] is None and medians[0] == pytest.approx(4.5)
