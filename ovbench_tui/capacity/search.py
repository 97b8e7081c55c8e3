"""The capacity search: the highest arrival rate served within a latency target.

Plain arithmetic, no OpenVINO: the driver (capacity/runner.py, or a test on a
synthetic latency curve) asks `next_rate()`, measures an open-loop point at
that rate and gives it back with `record()`.

A rate *meets* the target when the device kept up (achieved >= 99 % of the
offered rate, the queue did not grow) and the chosen percentile of the latency
from arrival is within the target.  The search keeps `low` (the highest rate
that met it, 0 at first) and `high` (the lowest that did not; at first the
upper bound, the closed-loop throughput, which an open loop cannot sustain)
and measures the middle until high - low <= tolerance * high.

Near the boundary a point's percentile is uncertain: its confidence interval
(distribution-free, from the binomial law of the order statistics) holds the
target.  Such a rate is measured once more and the two samples pooled; if
the pooled interval still holds the target, the point estimate decides.  The
final `low` is then measured again: if it no longer meets the target it
becomes `high` and the bisection goes on below it.  At most `max_points`
measurements in all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..engine.stats import FloatArray, enough_samples_for, percentile

KEEP_UP_RATIO = 0.99
DEFAULT_TOLERANCE = 0.05
DEFAULT_MAX_POINTS = 16
Z_95 = 1.959964
Verdict = Literal["meets", "misses"]


@dataclass(frozen=True)
class Measured:
    """What one open-loop point measured (from a RunResult, or a synthetic curve)."""

    offered_rps: float  # the arrivals' own rate over the point
    achieved_rps: float
    latencies_ms: FloatArray  # from the scheduled arrival, any order
    waited_share: float = 0.0
    kept_up: bool = True  # the queue did not grow through the run
    run_id: int | None = None


@dataclass
class CapacityPoint:
    rate_rps: float  # the rate asked for (-rate)
    offered_rps: float
    achieved_rps: float
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    latency_ms: float | None  # the chosen percentile
    interval_ms: tuple[float, float] | None  # its 95 % confidence interval
    waited_share: float
    verdict: Verdict
    role: str = ""  # "repeat" (pooled with the one before), "final" (the re-measure)
    run_id: int | None = None
    fell_behind: bool = False  # missed because it did not keep up, whatever the latency

    @property
    def verdict_text(self) -> str:
        """The verdict with its reason where the latency alone is not it."""
        return "misses: fell behind" if self.fell_behind else self.verdict


@dataclass
class CapacityAnswer:
    # The rate the arrivals came at in the answer's measurement (0: no rate met the
    # target): a seeded Poisson schedule offers a little more or less than was asked,
    # and only what came was served within the target.
    capacity_rps: float
    low_rps: float  # the boundary lies between these two rates asked (-rate)
    high_rps: float
    converged: bool  # False: stopped early or out of points
    at_capacity: CapacityPoint | None  # the final measurement of the answer


def quantile_interval(
    sorted_ms: FloatArray, percent: float, z: float = Z_95
) -> tuple[float, float] | None:
    """Distribution-free confidence interval of a percentile: the order statistics
    around rank n*q, z standard deviations of the binomial count either side."""
    n = len(sorted_ms)
    if n == 0:
        return None
    q = percent / 100
    spread = z * math.sqrt(n * q * (1 - q))
    low = max(0, math.floor(n * q - spread) - 1)
    high = min(n - 1, math.ceil(n * q + spread))
    return float(sorted_ms[low]), float(sorted_ms[high])


def _at(sorted_ms: FloatArray, percent: float) -> float | None:
    n = len(sorted_ms)
    if n == 0 or (percent > 50 and not enough_samples_for(n, percent)):
        return None
    return percentile(sorted_ms, percent)


class CapacitySearch:
    def __init__(
        self,
        upper_rps: float,
        slo_ms: float,
        percent: float = 99.0,
        tolerance: float = DEFAULT_TOLERANCE,
        max_points: int = DEFAULT_MAX_POINTS,
    ) -> None:
        self.upper_rps = upper_rps
        self.slo_ms = slo_ms
        self.percent = percent
        self.tolerance = tolerance
        self.max_points = max_points
        self.low = 0.0
        self.high = upper_rps
        self.points: list[CapacityPoint] = []
        self._meeting: list[float] = []  # rates that met the target, for a failed final
        self._repeat: tuple[float, FloatArray] | None = None  # a rate to measure again
        self.pending_role = ""
        self._confirmed = False
        self.finished = False
        self.stopped = False

    # -- the driver's side -----------------------------------------------------------

    def next_rate(self) -> float | None:
        """The rate to measure next, or None when the search is over."""
        if self.finished or self.stopped or len(self.points) >= self.max_points:
            return None
        if self._repeat is not None:
            self.pending_role = "repeat"
            return self._repeat[0]
        if not self._converged():
            self.pending_role = ""
            return (self.low + self.high) / 2
        if self.low > 0 and not self._confirmed:
            self.pending_role = "final"
            return self.low
        self.finished = True
        return None

    def record(self, rate: float, measured: Measured) -> CapacityPoint:
        latencies = np.sort(np.asarray(measured.latencies_ms, dtype=np.float64))
        role = self.pending_role
        pooled = latencies
        if role == "repeat" and self._repeat is not None and self._repeat[0] == rate:
            pooled = np.sort(np.concatenate([self._repeat[1], latencies]))
        self._repeat = None
        kept_up = measured.kept_up and (
            measured.achieved_rps >= KEEP_UP_RATIO * measured.offered_rps
        )
        value = _at(pooled, self.percent)
        interval = quantile_interval(pooled, self.percent)
        verdict: Verdict
        if not kept_up or value is None or interval is None:
            verdict = "misses"
        elif interval[1] <= self.slo_ms:
            verdict = "meets"
        elif interval[0] > self.slo_ms:
            verdict = "misses"
        elif role == "":  # uncertain: measure this rate again before deciding
            verdict = "meets" if value <= self.slo_ms else "misses"
            self._repeat = (rate, latencies)
        else:
            verdict = "meets" if value <= self.slo_ms else "misses"
        point = CapacityPoint(
            rate_rps=rate,
            offered_rps=measured.offered_rps,
            achieved_rps=measured.achieved_rps,
            p50_ms=_at(pooled, 50),
            p90_ms=_at(pooled, 90),
            p99_ms=_at(pooled, 99),
            latency_ms=value,
            interval_ms=interval,
            waited_share=measured.waited_share,
            verdict=verdict,
            role=role,
            run_id=measured.run_id,
            fell_behind=not kept_up,
        )
        self.points.append(point)
        if self._repeat is None:
            self._decide(rate, verdict, role)
        return point

    def _decide(self, rate: float, verdict: Verdict, role: str) -> None:
        if role == "final":
            if verdict == "meets":
                self._confirmed = True
                return
            # The answer did not hold: it becomes the upper end, below it the search goes on.
            self.high = rate
            self._meeting = [r for r in self._meeting if r < rate]
            self.low = max(self._meeting, default=0.0)
            return
        if verdict == "meets":
            self.low = max(self.low, rate)
            self._meeting.append(rate)
        else:
            self.high = min(self.high, rate)

    def _converged(self) -> bool:
        if self.low == 0.0:
            # Nothing met the target yet: give up once the rates are negligible.
            return self.high <= self.tolerance * self.upper_rps
        return self.high - self.low <= self.tolerance * self.high

    def answer(self) -> CapacityAnswer:
        confirmed = self._confirmed or self.low == 0.0
        final = next(
            (p for p in reversed(self.points) if p.rate_rps == self.low and p.verdict == "meets"),
            None,
        )
        return CapacityAnswer(
            capacity_rps=final.offered_rps if final is not None else self.low,
            low_rps=self.low,
            high_rps=self.high,
            # A stop that came after the search finished does not undo its answer.
            converged=self._converged() and confirmed and (self.finished or not self.stopped),
            at_capacity=final,
        )
