"""The confirmation round: is the winner really better than the runner-up?

The best two or three candidates are measured again, interleaved (A B C A B C
...), so a drift of the machine (another program, heat) falls on all of them
alike.  The samples are the window throughputs of every confirmation run of a
candidate, pooled: they hold the variation within runs and, once there are two
rounds or more, between them.  Rounds go on until each candidate's 95 %
interval of the mean throughput is within ±`target_pct` of its mean (at least
`min_rounds`, at most `max_rounds`).

At a set rate (-rate) the samples are the windows' median latencies from
arrival instead, and lower wins.  The winner is declared only when the whole
95 % interval of its difference to the runner-up (percentile bootstrap, as
`compare` uses) lies above zero; otherwise the candidates are "within noise"
and listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.interval import bootstrap_difference, bootstrap_mean

TARGET_PCT = 2.0
MIN_ROUNDS = 2
MAX_ROUNDS = 6
CANDIDATES = 3


def half_width_pct(samples: Sequence[float]) -> float | None:
    """Half the 95 % interval of the mean, in % of the mean; None without two samples."""
    if len(samples) < 2:
        return None
    mean = float(np.mean(samples))
    if mean <= 0:
        return None
    low, high = bootstrap_mean(samples)
    return (high - low) / 2 / mean * 100


def settled(samples: Sequence[Sequence[float]], rounds: int, target_pct: float) -> bool:
    """Whether the confirmation can stop after `rounds` rounds."""
    if rounds >= MAX_ROUNDS:
        return True
    if rounds < MIN_ROUNDS:
        return False
    widths = [half_width_pct(s) for s in samples]
    return all(w is not None and w <= target_pct for w in widths)


@dataclass(frozen=True)
class Verdict:
    decided: bool  # the winner beats the runner-up outside the interval
    difference_pct: float  # winner over runner-up, % of the runner-up's mean
    low_pct: float
    high_pct: float
    lower_is_better: bool = False  # latencies at a set rate, not throughputs

    def text(self, winner: str, runner_up: str) -> str:
        interval = f"{self.low_pct:+.1f} % to {self.high_pct:+.1f} %"
        what = " lower latency" if self.lower_is_better else ""
        if self.decided:
            return (
                f"{winner} beats {runner_up} by {self.difference_pct:+.1f} %{what} "
                f"(95 % CI {interval})"
            )
        return (
            f"{winner} and {runner_up} are within noise: {self.difference_pct:+.1f} % "
            f"(95 % CI {interval} includes 0)"
        )


def verdict(
    winner: Sequence[float], runner_up: Sequence[float], lower_is_better: bool = False
) -> Verdict:
    """Winner's samples against the runner-up's: throughputs (higher is better) or,
    at a set rate, latencies (lower is better; the difference is then how much lower)."""
    base = float(np.mean(runner_up))
    if lower_is_better:
        low, high = bootstrap_difference(winner, runner_up)  # runner-up minus winner
        difference = base - float(np.mean(winner))
    else:
        low, high = bootstrap_difference(runner_up, winner)
        difference = float(np.mean(winner)) - base
    scale = 100 / base if base > 0 else 0.0
    return Verdict(low > 0, difference * scale, low * scale, high * scale, lower_is_better)
