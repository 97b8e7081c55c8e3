"""Which measured inferences have their counters read: a sample within a time budget.

Reading `profiling_info` costs Python time (about 100 us on a 176-layer model,
more than a whole inference of a fast one), so reading it after every
inference halves the throughput of a fast model, and benchmark_app does not
pay it (it reads each request once, after the run).  The sampler reads the
counters of a sample of the measured inferences instead, spread over the
whole run: after each read it measures what the read cost and puts the next
one as many tickets later as keep the time spent reading within `budget` of
the loop's time so far.  The budget is small (0.25 %) because a read costs the
throughput more than its own time: while one request thread holds the GIL for
it, the others finish their inferences and wait, and the hand-offs after it
add up (on demo:tiny a measured 1 % cost 11 % of the throughput, 0.25 % cost
nothing measurable).  A slow model gets up to one inference in `nireq` read (one
sample is in flight at a time); a fast one a hundred or more per second.

The measured loop calls, per ticket (both are cheap when nothing is sampled):

    sample = ticket >= sampler.next_ticket and sampler.claim(ticket)
    ...run the inference...
    if sample:
        sampler.read(slot, request)

The choice is made when the ticket is drawn, before its inference runs, so
the sample does not lean to the inferences that finish first; one sample is
in flight at a time.  The read happens right after the inference in the
thread that ran it: the CPU plugin keeps counters per stream, so a later read
could show another request's inference.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from typing import Any

from ...config import BenchmarkConfig
from .accumulator import PerfCounterAccumulator
from .model import PerfCounterTable

BUDGET = 0.0025  # share of the measured loop's time spent reading counters (see above)
_NEVER = 1 << 62  # a ticket no run reaches


def counters_wanted(config: BenchmarkConfig, perf_count_on: bool) -> bool:
    """Whether the run reads counters: PERF_COUNT is on for a reason other than
    -exec_graph_path alone.  The runtime graph carries the plugin's own mean times
    (execTimeMcs, which need PERF_COUNT) and needs no read in the loop."""
    if not perf_count_on:
        return False
    asked = config.perf_counts or config.perf_counts_sort
    reports = config.report_type in ("average_counters", "detailed_counters")
    # Otherwise PERF_COUNT came from -exec_graph_path or a -load_config file.
    return bool(asked or reports or not config.exec_graph_path)


class CounterSampler:
    """Chooses the inferences whose counters are read and reads them (see the module)."""

    def __init__(self, requests: int, budget: float | None = BUDGET) -> None:
        """`budget` None reads every inference (the full read the tests compare with);
        0 reads none."""
        self._accumulator = PerfCounterAccumulator(requests)
        self._every = budget is None
        self._budget = budget or 0.0
        self._lock = threading.Lock()
        # Read by every request thread after drawing a ticket: a plain int attribute.
        self.next_ticket = 0 if self._every or self._budget > 0 else _NEVER
        self._claimed = 0
        self._origin = 0.0  # perf_counter() when the first sample was claimed
        self._origin_ticket = -1
        self._spent = 0.0  # seconds spent reading

    @classmethod
    def off(cls) -> CounterSampler:
        """A sampler that never samples: the loop's default."""
        return cls(0, budget=0)

    def claim(self, ticket: int) -> bool:
        """Whether this ticket's counters are to be read (call when drawn, before it runs)."""
        if self._every:
            return True
        with self._lock:
            if ticket < self.next_ticket:
                return False  # another thread claimed the sample first
            self.next_ticket = _NEVER  # until this one is read
            self._claimed = ticket
            if self._origin_ticket < 0:
                self._origin = time.perf_counter()
                self._origin_ticket = ticket
            return True

    def read(self, slot: int, request: Any) -> None:
        """Read the counters of the inference `request` has just run (its claimed ticket)."""
        start = time.perf_counter()
        self._accumulator.add(slot, request.profiling_info)
        if self._every:
            return
        now = time.perf_counter()
        self._spent += now - start
        elapsed = now - self._origin
        tickets = self._claimed - self._origin_ticket + 1
        # The next read when the loop's time has caught up with what reading cost,
        # in tickets at the rate seen so far (including the reads themselves).
        behind = self._spent / self._budget - elapsed
        per_ticket = elapsed / tickets
        gap = max(1, math.ceil(behind / per_ticket)) if per_ticket > 0 else 1
        self.next_ticket = self._claimed + gap

    def read_last(self, requests: Sequence[Any]) -> None:
        """After the loop: every request's last inference, read once as benchmark_app does
        (for the per-request blocks of -pc and the detailed report)."""
        for slot, request in enumerate(requests):
            self._accumulator.set_last(slot, request.profiling_info)

    @property
    def spent_s(self) -> float:
        """Seconds spent reading counters in the measured loop."""
        return self._spent

    def table(self, measured: int) -> PerfCounterTable:
        """The sampled sums; `measured`: the inferences the loop ran."""
        return self._accumulator.table(measured)
