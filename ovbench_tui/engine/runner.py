"""The measured loop: one Python thread per infer request.

Each thread loops on the request's blocking `infer()`, which releases the GIL
while the device works, and writes `request.latency` into the recorder.  This
keeps `nireq` requests in flight exactly as benchmark_app's AsyncInferQueue
loop does, with less Python bookkeeping per inference (no idle-request queue,
no per-iteration bookkeeping besides claiming a ticket).

Tickets number the submissions.  A ticket is granted while benchmark_app's own
continue-condition holds: `(niter and t < niter) or (duration and elapsed <
duration) or (t % align)`, where `align` is the number of requests (async,
inference only), the number of data-shape groups (async, full mode) or 1
(sync).  So Count matches benchmark_app's rounding exactly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from openvino import _pyopenvino

from ..errors import BenchmarkError
from .recorder import CHUNK_BITS, CHUNK_MASK, LatencyRecorder
from .stats import FloatArray

# The binding's own infer(): skips the Python wrapper's output dictionary copy,
# so the loop adds nothing benchmark_app's C++-side queue does not.
_RAW_INFER = _pyopenvino.InferRequest.infer
_NOT_IN_FLIGHT = 1 << 62
_CLOCK_RESOLUTION = time.get_clock_info("perf_counter").resolution


@dataclass(frozen=True)
class LoopPlan:
    niter: int | None  # already aligned
    duration_s: float  # 0 = no time limit
    align: int
    group_batches: Sequence[int]  # frames of each input set, in ticket order
    max_irate: float = 0.0

    def frames_before(self, ticket: int) -> int:
        groups = len(self.group_batches)
        whole, part = divmod(ticket, groups)
        return whole * sum(self.group_batches) + sum(self.group_batches[:part])


@dataclass(frozen=True)
class LiveWindow:
    """Latencies completed since the previous sample (the pull model's unit)."""

    at: float  # perf_counter() when sampled
    elapsed_s: float  # since the measured loop started
    completed: int  # tickets completed so far (contiguous from 0)
    first_ticket: int
    latencies_ms: FloatArray

    def groups(self, group_count: int) -> np.ndarray:
        return (np.arange(len(self.latencies_ms)) + self.first_ticket) % group_count


@dataclass(frozen=True)
class LoopOutcome:
    count: int
    duration_s: float
    frames: int
    latencies_ms: FloatArray  # in ticket order
    stopped_early: bool


class MeasurementLoop:
    def __init__(
        self,
        requests: Sequence[Any],
        input_sets: Sequence[dict[int, Any]] | None,
        plan: LoopPlan,
        counters: Any = None,
    ) -> None:
        """`input_sets` None means inference-only: requests already hold their inputs.
        `counters` (a PerfCounterAccumulator) gets every inference's layer times."""
        self._counters = counters
        self._requests = list(requests)
        self._input_sets = list(input_sets) if input_sets else None
        self._plan = plan
        expected = plan.niter or 1024
        self.recorder = LatencyRecorder(expected)
        self._lock = threading.Lock()
        self._next = 0
        self._closed = False
        self._stop_requested = False
        self._start: float | None = None
        self._inflight = [_NOT_IN_FLIGHT] * len(self._requests)
        self._ends = [0.0] * len(self._requests)
        self._sampled = 0
        self._error: BaseException | None = None
        self._final: FloatArray | None = None  # the latencies once the loop has ended

    # -- control, from any thread -------------------------------------------------

    def stop(self) -> None:
        """Grant no more tickets; requests in flight finish and are counted."""
        with self._lock:
            self._stop_requested = True
            self._closed = True

    @property
    def started_at(self) -> float | None:
        return self._start

    def sample(self) -> LiveWindow:
        """Everything completed since the last call; one sampler at a time."""
        now = time.perf_counter()
        issued = self._next  # read before the in-flight list: see _claim
        low = min(issued, *self._inflight) if self._inflight else issued
        first = self._sampled
        final = self._final
        latencies = self.recorder.slice(first, low) if final is None else final[first:low].copy()
        self._sampled = max(first, low)
        start = self._start
        return LiveWindow(
            at=now,
            elapsed_s=0.0 if start is None else now - start,
            completed=self._sampled,
            first_ticket=first,
            latencies_ms=latencies,
        )

    # -- the loop -------------------------------------------------------------------

    def run(self) -> LoopOutcome:
        threads = [
            threading.Thread(target=self._worker, args=(slot,), name=f"ovbench-req{slot}")
            for slot in range(len(self._requests))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self._error is not None:
            raise BenchmarkError(f"Inference failed: {self._error}") from self._error
        count = self._next
        start = self._start if self._start is not None else time.perf_counter()
        end = max(self._ends) if count else start
        duration = max(end - start, _CLOCK_RESOLUTION)
        self._final = self.recorder.take(count)
        return LoopOutcome(
            count=count,
            duration_s=duration,
            frames=self._plan.frames_before(count),
            latencies_ms=self._final,
            stopped_early=self._stop_requested,
        )

    def _claim(self, slot: int) -> int:
        plan = self._plan
        with self._lock:
            if self._closed:
                return -1
            ticket = self._next
            if ticket == 0:
                self._start = time.perf_counter()
            elif not (
                (plan.niter and ticket < plan.niter)
                or (plan.duration_s and time.perf_counter() - self._start < plan.duration_s)  # type: ignore[operator]
                or ticket % plan.align
            ):
                self._closed = True
                return -1
            if not (ticket & CHUNK_MASK):
                self.recorder.reserve(ticket + 1)
            # In flight before the ticket is visible as issued, so a sampler that
            # reads `_next` first never counts this ticket as complete.
            self._inflight[slot] = ticket
            self._next = ticket + 1
            return ticket

    def _worker(self, slot: int) -> None:
        request = self._requests[slot]
        input_sets = self._input_sets
        set_count = len(input_sets) if input_sets else 1
        no_inputs: dict[int, Any] = {}
        chunks = self.recorder.chunks
        inflight = self._inflight
        claim = self._claim
        max_irate = self._plan.max_irate
        perf_counter = time.perf_counter
        add_counters = self._counters.add if self._counters is not None else None
        try:
            while (ticket := claim(slot)) >= 0:
                if max_irate > 0:
                    self._pace(ticket)
                _RAW_INFER(
                    request,
                    input_sets[ticket % set_count] if input_sets else no_inputs,
                    True,
                    True,
                )
                chunks[ticket >> CHUNK_BITS][ticket & CHUNK_MASK] = request.latency
                if add_counters is not None:
                    # Read at once: the CPU plugin keeps counters per stream, so a
                    # later read could show another request's inference.
                    add_counters(slot, request.profiling_info)
                inflight[slot] = _NOT_IN_FLIGHT
            # The refused claim takes a lock and a clock read: negligible next to
            # an inference, and it keeps the clock out of the per-inference path.
            self._ends[slot] = perf_counter()
        except Exception as error:  # the device failed mid-run: stop everyone, report once
            with self._lock:
                self._closed = True
                if self._error is None:
                    self._error = error
            inflight[slot] = _NOT_IN_FLIGHT

    def _pace(self, ticket: int) -> None:
        # benchmark_app sleeps after each submission until frames/max_irate seconds
        # have passed; waiting before ticket t for the frames of tickets < t is the same.
        start = self._start
        if start is None or ticket == 0:
            return
        delay = (
            start + self._plan.frames_before(ticket) / self._plan.max_irate - time.perf_counter()
        )
        if delay > 0:
            time.sleep(delay)
