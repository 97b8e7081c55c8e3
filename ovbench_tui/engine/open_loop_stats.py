"""An open-loop run's schedule and figures: pure arithmetic on recorded times.

Arrivals come at a set rate whatever the device does: `ArrivalSchedule` gives
their times from the start (exponential gaps from a seeded generator for
`poisson`, fixed gaps for `constant`), each computed from the start, never from
the previous sleep, so a long run does not drift.  After the run,
`open_loop_stats` turns what the loop recorded per arrival (scheduled time,
dispatch time, latency from the scheduled arrival, service time) into the
figures of the final block.  No OpenVINO here: tests run it on a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .stats import FloatArray, LatencyStats, latency_stats

KEEP_UP_RATIO = 0.99  # achieved below this share of offered: the device did not keep up
# The queue "grows through the run" when the last quarter's mean queue is at least
# this many arrivals and more than twice (plus one) the first quarter's.
GROWING_QUEUE_MIN = 2.0


class ArrivalSchedule:
    """Arrival times in seconds from the start, block by block (t_0 = 0)."""

    def __init__(self, rate: float, arrival: str, seed: int) -> None:
        self.rate = rate
        self.arrival = arrival
        self._rng = np.random.default_rng(seed)
        self._issued = 0
        self._last = 0.0

    def next_block(self, size: int) -> FloatArray:
        if self.arrival == "constant":
            # index / rate, not a running sum: no rounding drift however long the run.
            times = np.arange(self._issued, self._issued + size, dtype=np.float64) / self.rate
        else:
            gaps = self._rng.exponential(1.0 / self.rate, size)
            if self._issued == 0:
                gaps[0] = 0.0
            times = self._last + np.cumsum(gaps)
            self._last = float(times[-1])
        self._issued += size
        return times


@dataclass(frozen=True)
class OpenLoopStats:
    rate_rps: float  # as set with -rate
    arrival: str
    arrivals: int  # offered in the window (served or not)
    served: int
    window_s: float  # the time arrivals were offered over
    offered_rps: float
    achieved_rps: float
    latency: LatencyStats  # from the scheduled arrival
    service: LatencyStats  # the inference alone
    waited_share: float  # arrivals that found every request busy
    longest_queue: int  # most arrivals waiting for a request at once
    queue_grew: bool
    dispatch_late_median_us: float | None  # dispatch after schedule, arrivals that did not wait
    dispatch_late_p99_us: float | None

    @property
    def kept_up(self) -> bool:
        return self.achieved_rps >= KEEP_UP_RATIO * self.offered_rps and not self.queue_grew

    def warning(self) -> str | None:
        if self.kept_up:
            return None
        why = []
        if self.achieved_rps < KEEP_UP_RATIO * self.offered_rps:
            why.append(
                f"achieved {self.achieved_rps:.1f} of {self.offered_rps:.1f} requests/s offered"
            )
        if self.queue_grew:
            why.append(f"the queue grew through the run (up to {self.longest_queue})")
        return (
            "The device did not keep up with the arrivals ("
            + ", ".join(why)
            + "): the figures describe an overloaded system; lower -rate"
        )


def queue_lengths(scheduled_s: FloatArray, claimed_s: FloatArray) -> np.ndarray:
    """Arrivals waiting for a request just after each arrival: those that came when
    every request was busy (claimed after they were due) and were not claimed yet."""
    waited = claimed_s > scheduled_s
    index = np.flatnonzero(waited)
    if not len(index):
        return np.zeros(len(scheduled_s), dtype=np.int64)
    arrived = np.searchsorted(index, np.arange(len(scheduled_s)), side="right")
    left = np.searchsorted(np.sort(claimed_s[index]), scheduled_s, side="right")
    return np.maximum(arrived - left, 0)


def open_loop_stats(
    *,
    rate: float,
    arrival: str,
    scheduled_s: FloatArray,
    claimed_s: FloatArray,
    started_s: FloatArray,
    latency_ms: FloatArray,
    service_ms: FloatArray,
    offered: int,
    window_s: float,
    percent: int = 50,
) -> OpenLoopStats:
    """Arrays in arrival order, one entry per served arrival, times in seconds from the
    start: when it was due, when a free request took it (later than due: it waited),
    when its inference started; `offered` arrivals fell in the `window_s` seconds
    arrivals were offered over (unserved ones included)."""
    served = len(latency_ms)
    ended_s = scheduled_s + latency_ms / 1000.0
    waited = claimed_s > scheduled_s
    queue = queue_lengths(scheduled_s, claimed_s)
    free = ~waited
    late_us = (started_s[free] - scheduled_s[free]) * 1e6
    quarter = served // 4
    grew = False
    if quarter:
        first = float(queue[:quarter].mean())
        last = float(queue[-quarter:].mean())
        grew = last >= GROWING_QUEUE_MIN and last > 2 * first + 1
    # Completions lag their arrivals by the latency, so count those done by the end of
    # the window plus the mean latency (Little's law): a device that keeps up then
    # achieves the offered rate however short the window; a backlog does not count.
    lag_s = float(latency_ms.mean()) / 1000 if served else 0.0
    done = int(np.count_nonzero(ended_s <= window_s + lag_s))
    return OpenLoopStats(
        rate_rps=rate,
        arrival=arrival,
        arrivals=offered,
        served=served,
        window_s=window_s,
        offered_rps=offered / window_s if window_s > 0 else 0.0,
        achieved_rps=done / window_s if window_s > 0 else 0.0,
        latency=latency_stats(latency_ms, percent),
        service=latency_stats(service_ms, percent),
        waited_share=float(waited.mean()) if served else 0.0,
        longest_queue=int(queue.max()) if served else 0,
        queue_grew=grew,
        dispatch_late_median_us=float(np.median(late_us)) if len(late_us) else None,
        dispatch_late_p99_us=float(np.percentile(late_us, 99)) if len(late_us) else None,
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} ms"


def open_loop_lines(stats: OpenLoopStats) -> list[str]:
    """The final block's open-loop part (printed after Throughput)."""
    lines = [
        f"Arrivals:         {stats.arrival}, {stats.arrivals} in {stats.window_s:.2f} s "
        f"({stats.served} served)",
        f"Offered rate:     {stats.offered_rps:.2f} requests/s (-rate {stats.rate_rps:g})",
        f"Achieved rate:    {stats.achieved_rps:.2f} requests/s",
    ]
    for title, figures in (
        ("Latency from arrival:", stats.latency),
        ("Service time:", stats.service),
    ):
        lines.append(title)
        lines.append(
            f"   p50 {_ms(figures.median)}   p90 {_ms(figures.p90)}   "
            f"p99 {_ms(figures.p99)}   max {_ms(figures.maximum)}"
        )
    lines.append(
        f"Waited:           {stats.waited_share * 100:.1f} % of arrivals found every request "
        f"busy; longest queue {stats.longest_queue}"
    )
    if stats.dispatch_late_median_us is not None and stats.dispatch_late_p99_us is not None:
        lines.append(
            f"Dispatch lateness: median {stats.dispatch_late_median_us:.0f} us, "
            f"p99 {stats.dispatch_late_p99_us:.0f} us after the schedule"
        )
    return lines
