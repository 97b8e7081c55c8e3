"""Statistics against an independent computation (numpy's own percentile)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ovbench_tui.engine.result import group_results
from ovbench_tui.engine.stats import enough_samples_for, latency_stats, nearest_rank_index


@pytest.mark.parametrize("count", [1, 2, 3, 10, 99, 100, 1001])
@pytest.mark.parametrize("percent", [1, 10, 50, 90, 95, 99, 100])
def test_percentile_is_nearest_rank(count: int, percent: int) -> None:
    values = np.random.default_rng(count * 1000 + percent).exponential(2.0, count)
    stats = latency_stats(values, percent)
    # numpy's inverted_cdf is the nearest-rank definition benchmark_app uses:
    # the smallest value whose cumulative share reaches p.
    assert stats.percentile_value == np.percentile(values, percent, method="inverted_cdf")
    assert stats.median == np.percentile(values, 50, method="inverted_cdf")
    assert stats.average == pytest.approx(float(np.mean(values)))
    assert stats.minimum == values.min() and stats.maximum == values.max()
    assert stats.std == pytest.approx(float(np.std(values)))
    assert stats.count == count


def test_median_of_even_count_is_the_lower_middle_value() -> None:
    stats = latency_stats(np.array([4.0, 1.0, 3.0, 2.0]))
    assert stats.median == 2.0


def test_index_formula_matches_benchmark_app() -> None:
    for n in range(1, 200):
        for p in range(1, 101):
            assert nearest_rank_index(n, p) == math.ceil(n * p / 100) - 1


def test_extra_percentiles_need_a_sample_beyond_them() -> None:
    assert not enough_samples_for(99, 99)
    assert enough_samples_for(100, 99)
    assert not enough_samples_for(999, 99.9)
    assert enough_samples_for(1000, 99.9)
    stats = latency_stats(np.arange(50, dtype=float))
    assert stats.p90 is not None and stats.p99 is None and stats.p999 is None


def test_empty_sample_gives_zeros() -> None:
    stats = latency_stats(np.empty(0))
    assert stats.count == 0 and stats.average == 0.0 and stats.p90 is None


def test_group_results_split_by_ticket() -> None:
    # ticket t belongs to group t % 3
    latencies = np.array([1.0, 10.0, 100.0, 2.0, 20.0, 200.0, 3.0, 30.0, 300.0])
    groups = group_results(latencies, [" a: [1]", " a: [2]", " a: [4]"], [1, 2, 4], 50)
    assert [g.count for g in groups] == [3, 3, 3]
    assert [g.frames for g in groups] == [3, 6, 12]
    assert [g.stats.median for g in groups] == [2.0, 20.0, 200.0]
    assert [g.stats.average for g in groups] == [2.0, 20.0, 200.0]
    assert sum(g.time_share for g in groups) == pytest.approx(1.0)
    assert groups[2].time_share == pytest.approx(600 / 666)
