"""The confidence interval of a difference between two runs, from per-window samples."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RESAMPLES = 2000
CONFIDENCE = 0.95


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

    The samples are one run's windows, so the interval captures the variation
    *within* each run only: a machine that is faster on one boot than on the
    next, or a thermal state that lasts a whole run, is invisible to it.  That
    run-to-run variation needs repeated runs of each setting.
    """
    first = np.asarray(a, dtype=np.float64)
    second = np.asarray(b, dtype=np.float64)
    if first.ndim != 1 or second.ndim != 1 or not len(first) or not len(second):
        raise ValueError("bootstrap_difference needs two non-empty 1-D samples")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence {confidence} is not between 0 and 1")
    rng = np.random.default_rng(seed)
    means_a = first[rng.integers(0, len(first), size=(resamples, len(first)))].mean(axis=1)
    means_b = second[rng.integers(0, len(second), size=(resamples, len(second)))].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means_b - means_a, [tail, 1 - tail])
    return float(low), float(high)
