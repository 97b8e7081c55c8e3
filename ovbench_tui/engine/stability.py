"""Is a run's result trustworthy?  Throughput over time windows and latency outliers.

While measuring, the engine notes how many inferences had completed every
0.1 s (a mark costs one scan of the new latencies, nothing per inference).
After the run the marks are grouped into at most 20 windows of at least
0.5 s, and three rules raise a warning, as hyperfine and trtexec do:

* unstable: the coefficient of variation (std / mean) of the window
  throughputs is above 10 %;
* slow start: the first 10 % of the windows (at least one) ran below 80 % of
  the median window throughput of the rest (the warm-up was too short);
* outliers: more than 1 % of the latencies (of at least 100) lie beyond 3.5
  modified z-scores (0.6745 * |x - median| / MAD), the median-absolute-deviation rule.

With fewer than 4 windows the run is too short to judge its stability.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from .stats import FloatArray

MARK_PERIOD_S = 0.1
MIN_WINDOW_S = 0.5
MAX_WINDOWS = 20
MIN_WINDOWS = 4
CV_LIMIT = 0.10
SLOW_START_RATIO = 0.8
OUTLIER_Z = 3.5
OUTLIER_SHARE = 0.01
MIN_OUTLIER_SAMPLES = 100  # below this a single slow inference is not a pattern


@dataclass(frozen=True)
class Stability:
    window_s: float
    window_fps: list[float]  # inferences per second in each window
    cv: float | None  # None: too few windows to judge
    outliers: int
    mad_ms: float
    warnings: list[str] = field(default_factory=list)
    # Median latency of the inferences completed in each window (None: none did);
    # with window_fps, the per-window samples a comparison's confidence intervals use.
    window_median_ms: list[float | None] = field(default_factory=list)


def _completions_at_edges(
    marks: list[tuple[float, int]], duration_s: float
) -> tuple[float, FloatArray]:
    """(window length, completed inferences at each window edge) from the marks."""
    if len(marks) < 2 or duration_s <= 0:
        return 0.0, np.empty(0)
    count = max(1, min(MAX_WINDOWS, int(duration_s / MIN_WINDOW_S)))
    length = duration_s / count
    # The loop starts at time 0 with nothing completed.
    times = np.array([0.0] + [t for t, _ in marks])
    done = np.array([0] + [c for _, c in marks], dtype=np.float64)
    edges = np.linspace(0.0, length * count, count + 1)
    # Completions at each edge, interpolated between the marks around it.
    return length, np.interp(edges, times, done)


def windows_from_marks(
    marks: list[tuple[float, int]], duration_s: float
) -> tuple[float, list[float]]:
    """(window length, completions per second of each window) from (elapsed, completed) marks."""
    length, at_edges = _completions_at_edges(marks, duration_s)
    if not len(at_edges):
        return 0.0, []
    return length, [float(x) for x in np.diff(at_edges) / length]


def window_medians(
    marks: list[tuple[float, int]],
    duration_s: float,
    latencies_in_ticket_order: FloatArray,
    *,
    reorder: bool = False,
) -> list[float | None]:
    """Median latency of each window's inferences.  A mark counts the tickets completed
    contiguously from 0, so window i holds the tickets between its two edges' counts.
    `reorder`: the caller sorts the latencies next, so each window is partitioned in
    place instead of copied (a long run's copies add up to its whole size)."""
    _, at_edges = _completions_at_edges(marks, duration_s)
    bounds = np.round(at_edges).astype(np.int64)
    medians: list[float | None] = []
    for low, high in itertools.pairwise(bounds):
        mine = latencies_in_ticket_order[low:high]
        medians.append(float(np.median(mine, overwrite_input=reorder)) if len(mine) else None)
    return medians


def coefficient_of_variation(values: list[float]) -> float | None:
    if len(values) < MIN_WINDOWS:
        return None
    array = np.asarray(values)
    mean = float(array.mean())
    return float(array.std() / mean) if mean > 0 else None


def median_absolute_deviation(sorted_ms: FloatArray) -> float:
    """MAD of a sorted sample without a temporary copy of it (a long run has millions):
    the k-th smallest deviation is the least d with k values within d of the median."""
    n = len(sorted_ms)
    if n < 2:
        return 0.0
    median = _median(sorted_ms)

    def kth_deviation(k: int) -> float:
        low, high = 0.0, float(max(sorted_ms[-1] - median, median - sorted_ms[0]))
        for _ in range(200):
            middle = (low + high) / 2
            within = np.searchsorted(sorted_ms, median + middle, side="right") - np.searchsorted(
                sorted_ms, median - middle, side="left"
            )
            if within >= k:
                high = middle
            else:
                low = middle
            if high - low <= 1e-13 * max(1.0, high):
                break
        return high

    if n % 2:
        return kth_deviation((n + 1) // 2)
    return (kth_deviation(n // 2) + kth_deviation(n // 2 + 1)) / 2


def _median(sorted_ms: FloatArray) -> float:
    n = len(sorted_ms)
    return float(sorted_ms[(n - 1) // 2] + sorted_ms[n // 2]) / 2


def count_outliers(sorted_ms: FloatArray, mad: float) -> int:
    if mad <= 0 or len(sorted_ms) < 3:
        return 0
    n = len(sorted_ms)
    median = _median(sorted_ms)
    reach = OUTLIER_Z * mad / 0.6745
    inside = np.searchsorted(sorted_ms, median + reach, side="right") - np.searchsorted(
        sorted_ms, median - reach, side="left"
    )
    return int(n - inside)


def assess(
    marks: list[tuple[float, int]],
    duration_s: float,
    sorted_ms: FloatArray,
    medians: list[float | None] | None = None,
) -> Stability:
    """`medians`: window_medians() of the same run, taken before its latencies were sorted."""
    length, fps = windows_from_marks(marks, duration_s)
    cv = coefficient_of_variation(fps)
    mad = median_absolute_deviation(sorted_ms)
    outliers = count_outliers(sorted_ms, mad)
    warnings = []
    if cv is not None and cv > CV_LIMIT:
        warnings.append(
            f"Unstable run: throughput varied by {cv * 100:.1f} % (coefficient of variation "
            f"over {len(fps)} windows of {length:.2f} s); close other programs or measure longer"
        )
    if cv is not None:
        head = max(1, len(fps) // 10)
        rest = float(np.median(fps[head:]))
        first = float(np.mean(fps[:head]))
        if rest > 0 and first < SLOW_START_RATIO * rest:
            warnings.append(
                f"The first windows ran at {first / rest * 100:.0f} % of the rest: the device "
                "was still warming up; measure longer (-t) so it weighs less"
            )
    if len(sorted_ms) >= MIN_OUTLIER_SAMPLES and outliers > OUTLIER_SHARE * len(sorted_ms):
        warnings.append(
            f"{outliers} latencies ({outliers / len(sorted_ms) * 100:.1f} %) are outliers by "
            "median absolute deviation: something else ran now and then"
        )
    return Stability(length, fps, cv, outliers, mad, warnings, list(medians or []))
