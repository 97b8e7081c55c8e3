"""The capacity search on a synthetic latency curve (no OpenVINO)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pytest

from ovbench_tui.capacity.search import CapacitySearch, Measured, quantile_interval


@dataclass
class MM1:
    """An M/M/1 server: latency from arrival ~ Exp(mu - rate), so the p-th percentile
    is -ln(1 - p/100) / (mu - rate) and the capacity has a closed form."""

    service_rate: float
    samples: int = 20000
    seed: int = 0
    rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)

    def capacity(self, slo_ms: float, percent: float) -> float:
        return self.service_rate + math.log(1 - percent / 100) / (slo_ms / 1000)

    def measure(self, rate: float) -> Measured:
        if rate >= self.service_rate:  # cannot keep up
            return Measured(rate, self.service_rate, np.full(self.samples, 1e6), 1.0, False)
        latencies = self.rng.exponential(1000 / (self.service_rate - rate), self.samples)
        return Measured(rate, rate, latencies, rate / self.service_rate)


def drive(search: CapacitySearch, curve: MM1) -> int:
    measured = 0
    while (rate := search.next_rate()) is not None:
        search.record(rate, curve.measure(rate))
        measured += 1
    return measured


@pytest.mark.parametrize(("percent", "slo_ms"), [(99, 10.0), (50, 2.0), (90, 50.0)])
def test_finds_the_boundary_within_the_tolerance_in_few_points(
    percent: float, slo_ms: float
) -> None:
    curve = MM1(service_rate=1000.0)
    search = CapacitySearch(upper_rps=1000.0, slo_ms=slo_ms, percent=percent, tolerance=0.05)
    points = drive(search, curve)
    answer = search.answer()
    truth = curve.capacity(slo_ms, percent)
    assert answer.converged
    # The true boundary lies in the stated interval, which is within the tolerance.
    assert answer.low_rps <= truth * 1.01 and truth <= answer.high_rps * 1.01
    assert answer.high_rps - answer.low_rps <= 0.05 * answer.high_rps
    assert answer.capacity_rps == answer.low_rps
    # log2(1 / 0.05) = 4.3 halvings, a repeat or two near the boundary, the final re-measure.
    assert points <= 9
    assert search.points[-1].role == "final" and search.points[-1].verdict == "meets"
    assert answer.at_capacity is search.points[-1]


def test_no_rate_meets_a_target_below_the_service_time() -> None:
    curve = MM1(service_rate=1000.0)  # p99 is at least 4.6 ms even when idle
    search = CapacitySearch(upper_rps=1000.0, slo_ms=1.0, percent=99)
    points = drive(search, curve)
    answer = search.answer()
    assert answer.capacity_rps == 0.0 and answer.at_capacity is None
    assert points <= 6


def test_an_uncertain_point_is_measured_again_and_pooled() -> None:
    curve = MM1(service_rate=1000.0, samples=300)
    slo = 10.0
    boundary = curve.capacity(slo, 99)
    search = CapacitySearch(upper_rps=2 * boundary, slo_ms=slo, percent=99)
    rate = search.next_rate()
    assert rate == pytest.approx(boundary)
    first = search.record(rate, curve.measure(rate))
    assert first.interval_ms is not None and first.interval_ms[0] <= slo <= first.interval_ms[1]
    assert search.next_rate() == rate  # measured again
    second = search.record(rate, curve.measure(rate))
    assert second.role == "repeat"


def test_a_final_point_that_misses_reopens_the_search() -> None:
    search = CapacitySearch(upper_rps=100.0, slo_ms=10.0, percent=50, tolerance=0.3)
    fast = Measured(0, 0, np.full(1000, 1.0))
    slow = Measured(0, 0, np.full(1000, 100.0))
    for _ in range(3):
        rate = search.next_rate()
        assert rate is not None
        search.record(rate, Measured(rate, rate, (fast if rate <= 60 else slow).latencies_ms))
    rate = search.next_rate()
    assert search.points[-1].role != "final" and rate == search.low  # the final re-measure
    search.record(rate, Measured(rate, rate, slow.latencies_ms))  # it no longer holds
    assert search.high == rate and search.low < rate
    assert search.next_rate() is not None


def test_a_rate_not_kept_up_misses_whatever_its_latency() -> None:
    search = CapacitySearch(upper_rps=100.0, slo_ms=10.0)
    rate = search.next_rate()
    assert rate is not None
    point = search.record(rate, Measured(rate, 0.9 * rate, np.full(1000, 1.0)))
    assert point.verdict == "misses" and search.high == rate


def test_quantile_interval_brackets_the_percentile() -> None:
    values = np.arange(1000, dtype=np.float64)
    low, high = quantile_interval(values, 99) or (0, 0)
    assert low < 989 < high and high - low < 20


def test_the_knee_is_where_latency_leaves_the_flat_part() -> None:
    from ovbench_tui.capacity.output import knee_index

    search = CapacitySearch(upper_rps=1000.0, slo_ms=1e9, percent=50)
    rates = [100, 200, 300, 400, 500, 600, 700, 800, 900]
    points = [
        search.record(rate, Measured(rate, rate, np.full(200, 1.0 / (1 - rate / 1000))))
        for rate in rates
    ]
    knee = knee_index(points)
    assert knee is not None and 600 <= points[knee].rate_rps <= 800
    flat = [search.record(r, Measured(r, r, np.full(200, 1.0))) for r in (100.0, 200.0, 300.0)]
    assert knee_index(flat) is None
