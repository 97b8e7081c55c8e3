"""Statistics against an independent computation (numpy's own percentile)."""

from __future__ import annotations

import math
import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest

from ovbench_tui.engine.result import GroupResult, group_results
from ovbench_tui.engine.stability import window_medians
from ovbench_tui.engine.stats import (
    LatencyStats,
    enough_samples_for,
    latency_stats,
    nearest_rank_index,
)


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


# -- memory: a long run's statistics must not copy its latencies whole -------------------


def traced_peak(work: Callable[[], object]) -> int:
    """Bytes allocated at the peak of `work` beyond what existed before (numpy arrays
    report their buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


N = 400_000
SMALL = 200_000  # bytes: fixed-size blocks, far below the array's 3.2 MB


def test_statistics_of_sorted_latencies_copy_nothing_whole() -> None:
    values = np.sort(np.random.default_rng(3).lognormal(0.0, 0.5, N))
    expected = np.percentile(values.copy(), 99, method="inverted_cdf")
    stats: list[LatencyStats] = []
    assert traced_peak(lambda: stats.append(latency_stats(values, 50, presorted=True))) < SMALL
    assert stats[0].p99 == expected
    assert stats[0].std == pytest.approx(float(np.std(values.copy())))


@pytest.mark.parametrize("groups", [2, 3])
def test_group_statistics_copy_one_group_at_a_time(groups: int) -> None:
    values = np.random.default_rng(groups).exponential(1.0, N)
    untouched = values.copy()
    out: list[list[GroupResult]] = []
    labels = [f" g{i}" for i in range(groups)]
    peak = traced_peak(lambda: out.append(group_results(values, labels, [1] * groups, 90)))
    assert peak < N * 8 / groups + SMALL
    np.testing.assert_array_equal(values, untouched)  # still in ticket order
    for index, group in enumerate(out[0]):
        mine = untouched[index::groups].copy()
        assert group.count == len(mine)
        assert group.stats.percentile_value == np.percentile(mine, 90, method="inverted_cdf")
        assert group.stats.median == np.percentile(mine, 50, method="inverted_cdf")
        assert group.stats.average == pytest.approx(float(mine.mean()))
        assert group.time_share == pytest.approx(float(mine.sum() / untouched.sum()))


def test_window_medians_in_place_match_the_copying_ones() -> None:
    values = np.random.default_rng(7).exponential(1.0, N)
    marks = [(t / 10, int(N * t / 40)) for t in range(1, 41)]
    expected = window_medians(marks, 4.0, values.copy())
    got: list[list[float | None]] = []
    peak = traced_peak(lambda: got.append(window_medians(marks, 4.0, values, reorder=True)))
    assert peak < SMALL
    assert got[0] == expected
    edges = range(0, N + 1, N // 8)
    for low, high, median in zip(edges[:-1], edges[1:], got[0], strict=True):
        assert median == float(np.median(values[low:high].copy()))
