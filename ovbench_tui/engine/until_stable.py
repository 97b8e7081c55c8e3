"""How sure is a throughput, and `-t auto`: measure until it is sure enough.

The throughput's 95 % confidence interval comes from the run's windows (the
same ones the stability check uses, stability.windows_from_marks): an
expanded-percentile bootstrap of their mean (interval.bootstrap_mean).  Equal
windows make that mean the run's throughput, so the interval is printed
beside it as ± % of it.  It needs stability.MIN_WINDOWS windows (a 2 s run).

`-t auto` measures until that interval lies within ±stable_pct of the mean
(the larger side counts), after at least config.AUTO_MIN_S and at most -t_max
seconds, as perf_analyzer's stability windows and hyperfine's adaptive runs
do.  The check runs on the loop's marks thread every CHECK_PERIOD_S (a
bootstrap of at most 20 windows, about a millisecond), never per inference.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import AUTO_MIN_S
from .interval import bootstrap_mean
from .stability import MIN_WINDOWS, windows_from_marks

CHECK_PERIOD_S = 0.5
# At 3 s the windows are 0.5 s long: 6 of them, enough for the expanded bootstrap.
MIN_AUTO_WINDOWS = 6


@dataclass(frozen=True)
class ThroughputInterval:
    low_fps: float
    high_fps: float
    pct: float  # the larger distance from the throughput to an end, in % of it
    windows: int


def throughput_interval(window_fps: list[float], throughput: float) -> ThroughputInterval | None:
    """The 95 % interval of `throughput`, from the run's window throughputs (in
    inferences/s; scaled to the throughput's unit, frames/s); None with too few windows."""
    if len(window_fps) < MIN_WINDOWS:
        return None
    mean = sum(window_fps) / len(window_fps)
    if mean <= 0 or throughput <= 0:
        return None
    low, high = bootstrap_mean(window_fps)
    pct = max(mean - low, high - mean) / mean * 100
    scale = throughput / mean
    return ThroughputInterval(low * scale, high * scale, pct, len(window_fps))


def interval_text(interval: ThroughputInterval | None) -> str:
    """` ± 1.1 % (95 % CI)`, the suffix of the summary's Throughput line ("" without one)."""
    return "" if interval is None else f" ± {interval.pct:.1f} % (95 % CI)"


@dataclass(frozen=True)
class AutoOutcome:
    """How a `-t auto` run ended."""

    stable_pct: float  # the target
    max_s: float
    stable: bool  # False: stopped at max_s (or by the user) without reaching the target
    after_s: float  # when it was judged stable, or the measured time
    last_pct: float | None  # the whole run's interval (None: too short to have one)

    def message(self) -> str:
        if self.stable:
            return (
                f"Stable after {self.after_s:.1f} s: the throughput's 95 % interval is within "
                f"± {self.stable_pct:g} % (-t auto)"
            )
        reached = "" if self.last_pct is None else f" (± {self.last_pct:.1f} % at the end)"
        return (
            f"-t auto: not stable within ± {self.stable_pct:g} % after {self.after_s:.1f} s"
            f"{reached}: the figures vary more than asked; raise -t_max or -stable_pct, "
            "or measure on a quieter machine"
        )


class StableStop:
    """LoopPlan.until_stable: told the (elapsed s, completed) marks so far, says
    whether the throughput is known well enough to stop.  Called from one thread."""

    def __init__(self, stable_pct: float, min_s: float = AUTO_MIN_S) -> None:
        self.stable_pct = stable_pct
        self.min_s = min_s
        self.stable_at: float | None = None
        self.last_pct: float | None = None
        self._checked_at = 0.0

    def __call__(self, marks: list[tuple[float, int]]) -> bool:
        if self.stable_at is not None:
            return True
        if not marks:
            return False
        elapsed = marks[-1][0]
        if elapsed < self.min_s or elapsed - self._checked_at < CHECK_PERIOD_S:
            return False
        self._checked_at = elapsed
        _, fps = windows_from_marks(marks, elapsed)
        if len(fps) < MIN_AUTO_WINDOWS:
            return False
        interval = throughput_interval(fps, sum(fps) / len(fps))
        if interval is None:
            return False
        self.last_pct = interval.pct
        if interval.pct <= self.stable_pct:
            self.stable_at = elapsed
            return True
        return False

    def outcome(
        self, max_s: float, measured_s: float, final: ThroughputInterval | None = None
    ) -> AutoOutcome:
        """`final`: the interval of the whole run, which the message then quotes (the
        one printed beside the throughput), rather than the last check's."""
        stable = self.stable_at is not None
        return AutoOutcome(
            stable_pct=self.stable_pct,
            max_s=max_s,
            stable=stable,
            after_s=self.stable_at if self.stable_at is not None else measured_s,
            last_pct=final.pct if final is not None else self.last_pct,
        )
