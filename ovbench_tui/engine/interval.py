"""Bootstrap confidence intervals from one run's per-window samples.

Shared by the engine (the interval of a run's throughput, `-t auto`'s stop
rule) and by compare (the interval of a difference between two runs).

The samples are one run's windows, so an interval captures the variation
*within* that run only: a machine that is faster on one boot than on the next,
or a thermal state that lasts a whole run, is invisible to it.  That
run-to-run variation needs repeated runs of each setting.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

RESAMPLES = 2000
CONFIDENCE = 0.95


def _resampled_means(
    values: npt.NDArray[np.float64], resamples: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    return values[rng.integers(0, len(values), size=(resamples, len(values)))].mean(axis=1)


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence {confidence} is not between 0 and 1")


def bootstrap_difference(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    *,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile-bootstrap confidence interval of mean(b) - mean(a).

    Each resample draws len(a) values from `a` and len(b) from `b`, with
    replacement and independently of each other; the interval is the
    (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of the resampled
    differences.  A fixed seed makes the same inputs give the same interval.
    """
    first = np.asarray(a, dtype=np.float64)
    second = np.asarray(b, dtype=np.float64)
    if first.ndim != 1 or second.ndim != 1 or not len(first) or not len(second):
        raise ValueError("bootstrap_difference needs two non-empty 1-D samples")
    _check_confidence(confidence)
    rng = np.random.default_rng(seed)
    means_a = _resampled_means(first, resamples, rng)
    means_b = _resampled_means(second, resamples, rng)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means_b - means_a, [tail, 1 - tail])
    return float(low), float(high)


def interval_around(
    delta: float,
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    *,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> tuple[float, float]:
    """The confidence interval of `delta` (a difference of two whole-run figures, such
    as their medians) whose spread comes from the runs' per-window samples.

    `bootstrap_difference` is an interval of mean(b) - mean(a), which is not quite
    `delta` (the mean of window medians is not the median of all latencies), so Δ
    could lie outside it.  Here its distances below and above d = mean(b) - mean(a)
    are kept and laid around `delta`: [delta - (d - low), delta + (high - d)].
    """
    first = np.asarray(a, dtype=np.float64)
    second = np.asarray(b, dtype=np.float64)
    low, high = bootstrap_difference(
        first, second, resamples=resamples, confidence=confidence, seed=seed
    )
    d = float(second.mean() - first.mean())
    # A percentile interval of a mean holds the sample's own mean but for rounding.
    return delta - max(d - low, 0.0), delta + max(high - d, 0.0)


def bootstrap_mean(
    values: npt.ArrayLike,
    *,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> tuple[float, float]:
    """Expanded-percentile bootstrap confidence interval of the mean of `values`.

    The plain percentile bootstrap is too narrow for the few windows a short run
    has (about 85 % coverage at 6 windows for a nominal 95 %): it uses the plug-in
    variance and normal, not Student, tails.  Hesterberg's expansion takes the
    quantiles at Phi(-sqrt(n / (n - 1)) * t(n - 1)) instead of (1 - confidence) / 2,
    which restores the coverage for small n and changes little for large n.
    """
    sample = np.asarray(values, dtype=np.float64)
    if sample.ndim != 1 or len(sample) < 2:
        raise ValueError("bootstrap_mean needs a 1-D sample of 2 or more values")
    _check_confidence(confidence)
    n = len(sample)
    t = student_t_quantile(1 - (1 - confidence) / 2, n - 1)
    tail = _normal_cdf(-math.sqrt(n / (n - 1)) * t)
    means = _resampled_means(sample, resamples, np.random.default_rng(seed))
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _normal_quantile(p: float) -> float:
    """Inverse of _normal_cdf by bisection (called a few times a second at most)."""
    low, high = -40.0, 40.0
    for _ in range(100):
        middle = (low + high) / 2
        if _normal_cdf(middle) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def student_t_quantile(p: float, df: int) -> float:
    """Student's t quantile by the Cornish-Fisher expansion in 1/df (to ~1 % at
    df = 3, better above); numpy has no t distribution and scipy is not a dependency."""
    z = _normal_quantile(p)
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )
