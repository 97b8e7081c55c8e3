"""A/B comparison of runs: figures with confidence intervals, layers, groups, settings.

The first result document is the baseline; every other one is compared with it.
Differences are always "other minus baseline", so for throughput a positive
difference is better and for latencies a negative one is.

Throughput and median latency get a 95 % confidence interval of the difference
around the difference shown, its spread from the runs' per-window samples
(`engine.interval.interval_around`), and a verdict: "faster"/"slower" when the
whole interval lies beyond ±min_effect_pct (default 2) % of A's value in that
direction, "within noise" otherwise (the interval sees only within-run noise,
and runs of the same settings differ by a few % from run to run), "no interval"
when a run has fewer than 4 usable windows.

Config differences include what the compiled models reported (streams, threads,
precision, hint, requests: "... (effective)"), since a hint alone hides them.

Plain data only (`model`), rendered as text by `text` for the headless command
and as tables by the app's Compare screen.
"""

from ..engine.interval import bootstrap_difference
from .build import compare_documents, verdict_of
from .model import (
    DEFAULT_MIN_EFFECT_PCT,
    DEFAULT_THRESHOLD_PCT,
    FASTER,
    NO_INTERVAL,
    SLOWER,
    WITHIN_NOISE,
    Comparison,
    PairComparison,
    TimeRow,
)
from .text import (
    figure_cells,
    figure_label,
    format_comparison,
    format_interval,
    format_number,
    format_percent,
    format_signed,
    group_cells,
)

__all__ = [
    "DEFAULT_MIN_EFFECT_PCT",
    "DEFAULT_THRESHOLD_PCT",
    "FASTER",
    "NO_INTERVAL",
    "SLOWER",
    "WITHIN_NOISE",
    "Comparison",
    "PairComparison",
    "TimeRow",
    "bootstrap_difference",
    "compare_documents",
    "figure_cells",
    "figure_label",
    "format_comparison",
    "format_interval",
    "format_number",
    "format_percent",
    "format_signed",
    "group_cells",
    "verdict_of",
]
