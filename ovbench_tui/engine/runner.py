"""The measured loop: one Python thread per infer request, or a bounded pool for many.

With few requests (up to PER_REQUEST_THREADS_UP_TO) each request has its own
thread, looping on the request's blocking `infer()`, which releases the GIL
while the device works, and writing `request.latency` into the recorder.  This
keeps `nireq` requests in flight exactly as benchmark_app's AsyncInferQueue
loop does, with less Python bookkeeping per inference.  With more requests a
thread each costs more than it saves (the threads fight for the GIL and the
scheduler; thousands of them ran at 0.2x), so a fixed pool of `pool_size(nireq)` threads serves them
instead: each thread owns a share of the requests, keeps all of them started
(`start_async`) and, oldest first, waits for one, stores its latency and starts
it again.  `request.latency` is stamped by OpenVINO itself (from
`start_async` to the completion, as benchmark_app's), so the time a finished
request waits for its thread to come round is not in it.

Tickets number the submissions; a thread takes the next one from an
`itertools.count` (atomic under the GIL, no lock) and runs it while it is
below `limit`; the request threads never read the clock.  The limit replays
benchmark_app's continue-condition
`(niter and t < niter) or (duration and elapsed < duration) or (t % align)`:
with -niter alone it is fixed from the start; in a timed run the marks thread
sees the time is up and, under a lock, reads the next ticket p (without
drawing it) and sets the limit to max(p, niter) rounded up to `align` (the
number of requests in inference-only mode, of data-shape groups in full mode,
1 for sync), so Count rounds exactly as benchmark_app's does.  Every ticket
below the limit runs, none above it.  stop() and a failed inference set the
limit at p, below -niter if need be, also after the time-up close; a request
waiting for its -max_irate slot when stop() comes gives its ticket back.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from openvino import _pyopenvino

from ..errors import BenchmarkError
from .counters import CounterSampler
from .recorder import CHUNK_BITS, CHUNK_MASK, LatencyRecorder
from .stability import MARK_PERIOD_S
from .stats import FloatArray

# The binding's own infer(): skips the Python wrapper's output copies (it still
# builds a small dict of output views per call, as benchmark_app's sync loop does).
_RAW_INFER = _pyopenvino.InferRequest.infer
_RAW_START = _pyopenvino.InferRequest.start_async
_RAW_WAIT = _pyopenvino.InferRequest.wait
_UNLIMITED = 1 << 62
_CLOCK_RESOLUTION = time.get_clock_info("perf_counter").resolution
# benchmarks/requests.py --designs on 2 CPUs, demo:tiny, alternated pairs (ratios to
# benchmark_app, threads / pool): 2 requests 1.58 / 1.23, 4 1.31 / 1.16-1.31, 8 0.77-1.08 /
# 1.29, 16 1.04 / 1.65, 1000 0.36 / 1.67; one pool thread per CPU beat two.  Re-measured on a
# quiet machine (session 4, 5 pairs each): 3 requests 1.22 / 1.10, 4 1.08 / 1.28.
PER_REQUEST_THREADS_UP_TO = 3
POOL_THREADS_PER_CPU = 1


def pool_size(requests: int, cpus: int | None = None) -> int:
    """Threads serving `requests` in the bounded design: Python work is serialised by
    the GIL anyway, so more threads than cores only add switches."""
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(requests, POOL_THREADS_PER_CPU * (cpus or 1)))


def _next_ticket(tickets: itertools.count[int]) -> int:
    """The ticket `tickets` will hand out next, without drawing it: "count(N)".
    A closer that drew it could not run it, and the contiguous count (progress,
    marks, stability windows) stalled on it until a thread picked it up at the end."""
    return int(repr(tickets)[6:-1])


@dataclass(frozen=True)
class LoopPlan:
    niter: int | None  # already aligned
    duration_s: float  # 0 = no time limit
    align: int
    group_batches: Sequence[int]  # frames of each input set, in ticket order
    max_irate: float = 0.0
    # -t auto: told the marks after each one, True ends the run as time-up does
    until_stable: Callable[[list[tuple[float, int]]], bool] | None = None

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
        counters: CounterSampler | None = None,
        threads: int | None = None,
    ) -> None:
        """`input_sets` None means inference-only: requests already hold their inputs.
        `counters` reads the layer times of a sample of the inferences.
        `threads`: 0 a thread per request, n > 0 a pool of n threads, None chooses
        by the number of requests."""
        self._counters = counters if counters is not None else CounterSampler.off()
        self._requests = list(requests)
        self._input_sets = input_sets if input_sets else None
        self._plan = plan
        if threads is None:
            many = len(self._requests) > PER_REQUEST_THREADS_UP_TO
            threads = pool_size(len(self._requests)) if many else 0
        self.threads = min(threads, len(self._requests))
        self.recorder = LatencyRecorder(plan.niter or 0)
        self._lock = threading.Lock()
        self._sample_lock = threading.Lock()
        self._tickets = itertools.count()
        # With a duration the run goes on until the time (and -niter) are both met,
        # so the limit is only fixed when time is up; with -niter alone it is known now.
        if plan.duration_s:
            self._limit = _UNLIMITED
        elif plan.niter:
            self._limit = _round_up(plan.niter, plan.align)
        else:
            self._limit = 0
        self._closing = False
        self._stopping = threading.Event()  # wakes -max_irate waits
        self._stop_requested = False
        self._start: float | None = None
        self._ends = [0.0] * (self.threads or len(self._requests))
        self._sampled = 0
        self._error: BaseException | None = None
        self._final: FloatArray | None = None  # the latencies once the loop has ended
        # (elapsed s, completed inferences) every MARK_PERIOD_S, for the stability check
        self.marks: list[tuple[float, int]] = []
        self._finished = threading.Event()

    # -- control, from any thread -------------------------------------------------

    def stop(self) -> None:
        """Grant no more tickets; requests in flight finish and are counted.  Safe to
        call any number of times, from any thread, in any phase of the loop."""
        self._stopping.set()
        self._close(align=1, now=True)

    def sample(self) -> LiveWindow:
        """Everything completed since the last call; one sampler at a time."""
        with self._sample_lock:  # never while run() moves the latencies out
            return self._sample()

    def _sample(self) -> LiveWindow:
        now = time.perf_counter()
        first = self._sampled
        final = self._final
        if final is None:
            low = self.recorder.completed_from(first)
            latencies = self.recorder.slice(first, low)
        else:
            low = len(final)
            latencies = final[first:low].copy()
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
        if self.threads:
            count = len(self._requests)
            shares = [list(range(i, count, self.threads)) for i in range(self.threads)]
            threads = [
                threading.Thread(target=self._pool_worker, args=(i, share), name=f"ovbench-pool{i}")
                for i, share in enumerate(shares)
            ]
        else:
            threads = [
                threading.Thread(target=self._worker, args=(slot,), name=f"ovbench-req{slot}")
                for slot in range(len(self._requests))
            ]
        marker = threading.Thread(target=self._mark, name="ovbench-marks", daemon=True)
        for thread in threads:
            thread.start()
        marker.start()
        for thread in threads:
            thread.join()
        self._finished.set()
        marker.join()
        if self._error is not None:
            raise BenchmarkError(f"Inference failed: {self._error}") from self._error
        count = min(self._limit, self.recorder.completed_from(0))
        start = self._start if self._start is not None else time.perf_counter()
        end = max(self._ends) if count else start
        duration = max(end - start, _CLOCK_RESOLUTION)
        frames = self._plan.frames_before(count)
        if self._plan.max_irate > 0 and count:
            # benchmark_app sleeps after each submission until frames / max_irate, the
            # last one included, so a paced run lasts at least its last inference's slot.
            duration = max(duration, frames / self._plan.max_irate)
        # Marks taken after the last completion would run past the duration.
        self.marks = [mark for mark in self.marks if mark[0] < duration]
        self.marks.append((duration, count))
        with self._sample_lock:
            self._final = self.recorder.take(count)
        return LoopOutcome(
            count=count,
            duration_s=duration,
            frames=frames,
            latencies_ms=self._final,
            stopped_early=self._stop_requested,
        )

    def _mark(self) -> None:
        """Every MARK_PERIOD_S: note completions (its own cursor, so the UI's
        sampler is undisturbed) and end a timed run when its time is up; the
        request threads themselves never look at the clock."""
        position = 0
        duration = self._plan.duration_s
        while True:
            start = self._start
            wait = MARK_PERIOD_S
            if start is not None and duration and not self._closing:
                wait = min(wait, max(0.0, start + duration - time.perf_counter()))
            if self._finished.wait(wait):
                return
            start = self._start
            if start is None:
                continue
            now = time.perf_counter()
            if duration and not self._closing and now - start >= duration:
                self._close(self._plan.align)
            position = self.recorder.completed_from(position)
            self.marks.append((now - start, position))
            until_stable = self._plan.until_stable
            if until_stable is not None and not self._closing and until_stable(self.marks):
                self._close(self._plan.align)

    def _close(self, align: int, now: bool = False) -> None:
        """Fix the limit.  Time up (once): the next ticket rounded up to `align`,
        never below -niter (both limits must be met).  `now` (stop, a failed
        inference; any number of times, before or after the time is up): the next
        ticket, whatever -niter or the time-up close said."""
        with self._lock:
            if self._closing and not now:
                return
            self._closing = True
            # Send every thread drawing from here on to _admit (which waits for this
            # lock), so each compares its ticket with the final limit only.
            limit = self._limit
            self._limit = 0
            ticket = _next_ticket(self._tickets)  # every ticket below it is drawn
            if now:
                self._limit = min(limit, ticket)
                self._stop_requested |= ticket < limit
            else:
                niter = self._plan.niter or 0
                self._limit = min(limit, _round_up(max(ticket, niter), align))

    def _admit(self, ticket: int) -> bool:
        """Slow path at the end: is the ticket below the final limit?"""
        with self._lock:
            return ticket < self._limit

    def _give_back(self, ticket: int) -> None:
        """A ticket that will not run (stopped before its -max_irate slot): end the
        count before it, so Count stays the contiguous run of completed tickets."""
        with self._lock:
            if ticket < self._limit:
                self._limit = ticket
                self._stop_requested = True

    def _worker(self, slot: int) -> None:
        request = self._requests[slot]
        input_sets = self._input_sets
        set_count = len(input_sets) if input_sets else 1
        no_inputs: dict[int, Any] = {}
        recorder = self.recorder
        head = recorder.head
        head_size = len(head)
        chunks = recorder.chunks  # appended to in place, never replaced while running
        next_ticket = self._tickets.__next__
        max_irate = self._plan.max_irate
        perf_counter = time.perf_counter
        counters = self._counters
        try:
            while True:
                ticket = next_ticket()
                if ticket >= self._limit and not self._admit(ticket):
                    break
                if ticket == 0:
                    self._start = perf_counter()
                elif max_irate > 0 and not self._pace(ticket):
                    break
                sample = ticket >= counters.next_ticket and counters.claim(ticket)
                _RAW_INFER(
                    request,
                    input_sets[ticket % set_count] if input_sets else no_inputs,
                    True,
                    True,
                )
                if ticket < head_size:
                    head[ticket] = request.latency
                else:  # a timed run past the head: chunks, grown by put() when needed
                    beyond = ticket - head_size
                    try:
                        chunks[beyond >> CHUNK_BITS][beyond & CHUNK_MASK] = request.latency
                    except IndexError:
                        recorder.put(ticket, request.latency)
                if sample:
                    counters.read(slot, request)
            # The refused claim costs a lock and a clock read: negligible next to an
            # inference, and it keeps the clock out of the per-inference path.
            self._ends[slot] = perf_counter()
        except Exception as error:  # the device failed mid-run: stop everyone, report once
            self._fail(error)

    def _pool_worker(self, index: int, slots: list[int]) -> None:
        """Serve several requests from one thread: keep them all started and, oldest
        first, wait for one, store its latency and start it again."""
        requests = self._requests
        input_sets = self._input_sets
        set_count = len(input_sets) if input_sets else 1
        no_inputs: dict[int, Any] = {}
        recorder = self.recorder
        head = recorder.head
        head_size = len(head)
        chunks = recorder.chunks
        next_ticket = self._tickets.__next__
        max_irate = self._plan.max_irate
        perf_counter = time.perf_counter
        counters = self._counters
        # (slot, ticket, read its counters), oldest first
        running: deque[tuple[int, int, bool]] = deque()
        free = deque(slots)  # requests not running
        granting = True  # until a ticket is refused: every later one would be too
        try:
            while running or (granting and free):
                if granting and free:
                    ticket = next_ticket()
                    if ticket >= self._limit and not self._admit(ticket):
                        granting = False
                        continue
                    if ticket == 0:
                        self._start = perf_counter()
                    elif max_irate > 0 and not self._pace(ticket):
                        granting = False
                        continue
                    slot = free.popleft()
                    sample = ticket >= counters.next_ticket and counters.claim(ticket)
                    _RAW_START(
                        requests[slot],
                        input_sets[ticket % set_count] if input_sets else no_inputs,
                        None,
                    )
                    running.append((slot, ticket, sample))
                    if free:
                        continue  # start every free request before waiting for one
                slot, ticket, sample = running.popleft()
                request = requests[slot]
                _RAW_WAIT(request)
                if ticket < head_size:
                    head[ticket] = request.latency
                else:
                    beyond = ticket - head_size
                    try:
                        chunks[beyond >> CHUNK_BITS][beyond & CHUNK_MASK] = request.latency
                    except IndexError:
                        recorder.put(ticket, request.latency)
                if sample:
                    counters.read(slot, request)
                free.append(slot)
            self._ends[index] = perf_counter()
        except Exception as error:
            self._fail(error)
            for slot, _, _ in running:  # never leave a request running past the loop
                with contextlib.suppress(Exception):
                    _RAW_WAIT(requests[slot])

    def _fail(self, error: BaseException) -> None:
        with self._lock:
            if self._error is None:
                self._error = error
        self._close(align=1, now=True)

    def _pace(self, ticket: int) -> bool:
        """Wait for the ticket's -max_irate slot; False (the ticket given back) when
        stop() comes first, so a stop never waits for a slot nor runs above the cap."""
        # benchmark_app sleeps after each submission until frames/max_irate seconds
        # have passed; waiting before ticket t for the frames of tickets < t is the same.
        start = self._start
        if start is None:
            return True
        due = start + self._plan.frames_before(ticket) / self._plan.max_irate
        if due <= time.perf_counter():
            return True
        if not self._stopping.wait(due - time.perf_counter()) or time.perf_counter() >= due:
            return True  # its slot came (a stop after it leaves it in flight, as any)
        self._give_back(ticket)
        return False


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple
