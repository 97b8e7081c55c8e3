"""Latency statistics, computed exactly as benchmark_app defines them.

benchmark_app sorts the per-request latencies (ms) and takes the nearest-rank
percentile with index ceil(n * p / 100) - 1, so p=50 with an even count gives
the lower median and p=100 the maximum.  Average is the arithmetic mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def nearest_rank_index(count: int, percent: float) -> int:
    """0-based index of benchmark_app's percentile in a sorted list of `count` values."""
    if count <= 0:
        raise ValueError("no samples")
    return max(0, math.ceil(count * percent / 100) - 1)


def percentile(sorted_values: FloatArray, percent: float) -> float:
    return float(sorted_values[nearest_rank_index(len(sorted_values), percent)])


# The extra percentiles (p90..p99.9) are reported only when at least one
# sample lies beyond them, i.e. n >= 100 / (100 - p): p99 needs 100 samples,
# p99.9 needs 1000.  Below that the "percentile" would just be the maximum.
def enough_samples_for(count: int, percent: float) -> bool:
    if percent >= 100:
        return count > 0
    return count >= math.ceil(round(100 / (100 - percent), 6))


@dataclass(frozen=True)
class LatencyStats:
    """Summary of one set of latencies in milliseconds."""

    count: int
    percentile_value: float  # the -latency_percentile value (the median by default)
    percent: int
    median: float
    average: float
    minimum: float
    maximum: float
    std: float
    p90: float | None
    p95: float | None
    p99: float | None
    p999: float | None

    @staticmethod
    def empty(percent: int = 50) -> LatencyStats:
        return LatencyStats(0, 0.0, percent, 0.0, 0.0, 0.0, 0.0, 0.0, None, None, None, None)


def latency_stats(
    latencies_ms: FloatArray, percent: int = 50, presorted: bool = False
) -> LatencyStats:
    """Statistics of a latency sample; an empty sample gives zeros, as benchmark_app prints.

    `presorted` skips the sorted copy (8 bytes per inference) for a long run."""
    n = len(latencies_ms)
    if n == 0:
        return LatencyStats.empty(percent)
    values = latencies_ms if presorted else np.sort(latencies_ms)

    def guarded(p: float) -> float | None:
        return percentile(values, p) if enough_samples_for(n, p) else None

    return LatencyStats(
        count=n,
        percentile_value=percentile(values, percent),
        percent=percent,
        median=percentile(values, 50),
        average=float(values.mean()),
        minimum=float(values[0]),
        maximum=float(values[-1]),
        std=_std(values),
        p90=guarded(90),
        p95=guarded(95),
        p99=guarded(99),
        p999=guarded(99.9),
    )


def _std(values: FloatArray, block: int = 1 << 13) -> float:
    """Population standard deviation in blocks: numpy's std would hold two
    temporary copies of a long run's latencies (16 bytes per inference)."""
    mean = float(values.mean())
    total = 0.0
    for start in range(0, len(values), block):
        deviation = values[start : start + block] - mean
        total += float(np.dot(deviation, deviation))
    return math.sqrt(total / len(values))


def throughput_fps(frames: int, duration_s: float) -> float:
    """Frames per second: batch-weighted iterations over the measured wall time."""
    return frames / duration_s if duration_s > 0 else 0.0
