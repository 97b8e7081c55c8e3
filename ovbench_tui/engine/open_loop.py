"""The open loop: arrivals at a set rate, independent of completions.

Arrival k is due at `start + t_k` (open_loop_stats.ArrivalSchedule: times from
the start, so nothing drifts over a long run).  The request threads are the
dispatcher: a free request claims the next arrival (an `itertools.count`, in
order, no lock), sleeps until it is due and runs the blocking `infer()` (the
GIL is released while the device works).  When every request is busy the next
arrival is claimed by the first one to come free, late: it waited, and its
wait counts.  One thread wakes per arrival, where a separate dispatcher thread
handing arrivals to request threads would need two wake-ups (and two GIL
hand-overs) in series.

Per arrival, by index: the latency from the *scheduled* arrival to the end of
its inference (queueing included: no coordinated omission), the service time
the runtime measured (the inference alone), and when a request claimed it and
when its inference started (for the waiting share, the queue and the
dispatch lateness).  Four clock-free stores per inference and two clock reads
besides the one the latency needs; nothing else.

Limits follow benchmark_app's continue-condition on arrivals: go on while
(-niter and k < niter) or (-t and t_k < t).  In a timed run an arrival still
waiting when the time is up is not served (an overloaded device would
otherwise serve its backlog long after the end); it counts as offered.
`stop()` ends it at once: every wait longer than SLEEP_LIMIT_S is an Event
wait; requests in flight finish and are counted.  The live view pulls
`sample()` as for the closed loop.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from openvino import _pyopenvino

from ..errors import BenchmarkError
from .counters import CounterSampler
from .open_loop_stats import ArrivalSchedule, OpenLoopStats, open_loop_stats
from .recorder import LatencyRecorder
from .runner import LiveWindow, LoopOutcome, LoopPlan
from .stability import MARK_PERIOD_S
from .stats import FloatArray

_RAW_INFER = _pyopenvino.InferRequest.infer
BLOCK = 1 << 14  # arrival times generated at a time
# Longer waits go through an Event so stop() cuts them short; the rest of the
# wait (and shorter ones) is a time.sleep, whose wake-up is tighter.
SLEEP_LIMIT_S = 0.05
PREALLOCATED = 1 << 20


class OpenLoop:
    def __init__(
        self,
        requests: Sequence[Any],
        input_sets: Sequence[dict[int, Any]] | None,
        plan: LoopPlan,
        *,
        rate: float,
        arrival: str,
        seed: int,
        percent: int = 50,
        counters: CounterSampler | None = None,
    ) -> None:
        self._requests = list(requests)
        self._input_sets = input_sets if input_sets else None
        self._plan = plan
        self._rate = rate
        self._arrival = arrival
        self._percent = percent
        self._counters = counters
        self._schedule = ArrivalSchedule(rate, arrival, seed)
        self._blocks: list[FloatArray] = [self._schedule.next_block(BLOCK)]
        self._block_lock = threading.Lock()
        # Four stores by arrival: preallocate a usual run's, grow past it in chunks.
        expected = min(plan.niter or int(rate * plan.duration_s) + 1, PREALLOCATED)
        self.recorder = LatencyRecorder(expected)  # latency from arrival, for sampling
        self._service = LatencyRecorder(expected)
        self._claimed = LatencyRecorder(expected)  # s from the start
        self._started = LatencyRecorder(expected)
        self._tickets = itertools.count()
        self._stopping = threading.Event()
        self._stop_requested = False
        self._stopped_at: float | None = None
        self._start: float | None = None
        self._error: BaseException | None = None
        self._sample_lock = threading.Lock()
        self._sampled = 0
        self._final: FloatArray | None = None
        self.marks: list[tuple[float, int]] = []  # (elapsed s, completed), made after the run
        self.stats: OpenLoopStats | None = None

    # -- control, from any thread -------------------------------------------------

    def stop(self) -> None:
        if not self._stopping.is_set():
            self._stop_requested = True
            start = self._start
            self._stopped_at = None if start is None else time.perf_counter() - start
            self._stopping.set()

    def sample(self) -> LiveWindow:
        with self._sample_lock:
            now = time.perf_counter()
            first = self._sampled
            if self._final is None:
                low = self.recorder.completed_from(first)
                latencies = self.recorder.slice(first, low)
            else:
                low = len(self._final)
                latencies = self._final[first:low].copy()
            self._sampled = max(first, low)
            start = self._start
            return LiveWindow(
                at=now,
                elapsed_s=0.0 if start is None else now - start,
                completed=self._sampled,
                first_ticket=first,
                latencies_ms=latencies,
            )

    # -- the schedule ---------------------------------------------------------------

    def due(self, ticket: int) -> float:
        """Arrival `ticket`'s time in seconds from the start."""
        block, index = divmod(ticket, BLOCK)
        blocks = self._blocks
        if block >= len(blocks):
            with self._block_lock:  # blocks are only appended
                while block >= len(blocks):
                    blocks.append(self._schedule.next_block(BLOCK))
        return float(blocks[block][index])

    def _admitted(self, ticket: int, due_rel: float) -> bool:
        niter = self._plan.niter or 0
        duration = self._plan.duration_s
        return bool((niter and ticket < niter) or (duration and due_rel < duration))

    # -- the loop -------------------------------------------------------------------

    def run(self) -> LoopOutcome:
        workers = [
            threading.Thread(target=self._worker, args=(slot,), name=f"ovbench-req{slot}")
            for slot in range(len(self._requests))
        ]
        self._start = time.perf_counter()
        if self._stop_requested:
            self._stopped_at = 0.0
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if self._error is not None:
            raise BenchmarkError(f"Inference failed: {self._error}") from self._error
        claimed_upto = next(self._tickets)
        latency = _column(self.recorder, claimed_upto)
        served = ~np.isnan(latency)
        # A timed run's unserved backlog (or a stop) can leave gaps: keep the served.
        latency = np.ascontiguousarray(latency[served])
        self.due(claimed_upto)  # every claimed arrival's block exists
        scheduled = np.concatenate(self._blocks)[: len(served)][served]

        def column(recorder: LatencyRecorder) -> FloatArray:
            return np.ascontiguousarray(_column(recorder, claimed_upto)[served])

        window = self._window()
        stats = open_loop_stats(
            rate=self._rate,
            arrival=self._arrival,
            scheduled_s=scheduled,
            claimed_s=column(self._claimed),
            started_s=column(self._started),
            latency_ms=latency,
            service_ms=column(self._service),
            offered=max(self._offered_before(window), len(latency)),
            window_s=window,
            percent=self._percent,
        )
        self.stats = stats
        with self._sample_lock:
            self._final = latency
            self.recorder = LatencyRecorder(0)
        count = len(latency)
        ends = scheduled + latency / 1000.0
        duration = max(float(ends.max()) if count else 0.0, window, 1e-9)
        # The closed loop's marks, from the end times: inferences completed contiguously
        # from the first at every MARK_PERIOD_S (the per-window samples of a comparison).
        if count:
            times = np.arange(MARK_PERIOD_S, duration, MARK_PERIOD_S)
            done = np.searchsorted(np.maximum.accumulate(ends), times, side="right")
            self.marks = list(zip(times.tolist(), done.tolist(), strict=True))
        return LoopOutcome(
            count=count,
            duration_s=duration,
            frames=self._plan.frames_before(count),
            latencies_ms=latency,
            stopped_early=self._stop_requested,
        )

    def _window(self) -> float:
        """The time arrivals were offered over: up to a stop, the time limit, or the
        arrival after the last one -niter lets in (so offered = n / window is the
        schedule's own rate: a Poisson count varies around the target)."""
        if self._stopped_at is not None:
            return self._stopped_at
        niter = self._plan.niter or 0
        return max(self._plan.duration_s, self.due(niter) if niter else 0.0)

    def _offered_before(self, window: float) -> int:
        count = 0
        block = 0
        while True:
            self.due(block * BLOCK)  # makes the block exist
            times = self._blocks[block]
            before = int(np.searchsorted(times, window, side="left"))
            count += before
            if before < len(times):
                return count
            block += 1

    def _worker(self, slot: int) -> None:
        request = self._requests[slot]
        input_sets = self._input_sets
        set_count = len(input_sets) if input_sets else 1
        no_inputs: dict[int, Any] = {}
        start = self._start
        assert start is not None
        niter = self._plan.niter or 0
        duration = self._plan.duration_s
        stopping = self._stopping
        next_ticket = self._tickets.__next__
        due_of = self.due
        put_latency = self.recorder.put
        put_service = self._service.put
        put_claimed = self._claimed.put
        put_started = self._started.put
        perf_counter = time.perf_counter
        sleep = time.sleep
        counters = self._counters if self._counters is not None else CounterSampler.off()
        try:
            while not stopping.is_set():
                ticket = next_ticket()
                claimed = perf_counter() - start
                due_rel = due_of(ticket)
                if not self._admitted(ticket, due_rel):
                    return
                if duration and claimed >= duration and not (niter and ticket < niter):
                    continue  # still waiting when the time is up: not served
                sample = ticket >= counters.next_ticket and counters.claim(ticket)
                delay = due_rel - claimed
                if delay > SLEEP_LIMIT_S:
                    if stopping.wait(delay - SLEEP_LIMIT_S / 2):
                        return
                    delay = due_rel - (perf_counter() - start)
                if delay > 0:
                    sleep(delay)
                started = perf_counter() - start
                _RAW_INFER(
                    request,
                    input_sets[ticket % set_count] if input_sets else no_inputs,
                    True,
                    True,
                )
                ended = perf_counter() - start
                put_service(ticket, request.latency)
                put_claimed(ticket, claimed)
                put_started(ticket, started)
                put_latency(ticket, (ended - due_rel) * 1000.0)
                if sample:
                    counters.read(slot, request)
        except Exception as error:  # the device failed mid-run: stop everyone, report once
            if self._error is None:
                self._error = error
            self._stopping.set()


def _column(recorder: LatencyRecorder, count: int) -> FloatArray:
    """Tickets [0, count) of a recorder, NaN where nothing was stored."""
    values = np.full(count, np.nan)
    stored = recorder.slice(0, count)
    values[: len(stored)] = stored
    return values
