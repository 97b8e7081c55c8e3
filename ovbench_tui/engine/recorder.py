"""Where measured latencies go: 8 bytes per inference, no allocation per inference.

Latencies are stored by ticket (the submission index).  With -niter the count
is known, so one contiguous `head` array holds them all and becomes the
result without a copy.  A time-limited run grows by fixed-size chunks after
the head, so storage never moves under a request thread writing to it.
Slots start as NaN: a ticket is complete when its value is not NaN, which
lets a sampler find the completed prefix without locks or per-inference
bookkeeping.  Because a ticket fixes the input set (ticket % groups),
per-group statistics need no extra storage.
"""

from __future__ import annotations

import threading

import numpy as np

from .stats import FloatArray

CHUNK_BITS = 16
CHUNK_SIZE = 1 << CHUNK_BITS
CHUNK_MASK = CHUNK_SIZE - 1
SCAN_BLOCK = 1 << 14
# A -niter run's head is allocated (and touched) up front; beyond this it grows
# by chunks instead, so a huge -niter does not commit gigabytes at once.
MAX_HEAD = 1 << 24


def _nan_array(size: int) -> FloatArray:
    return np.full(size, np.nan, dtype=np.float64)


class LatencyRecorder:
    def __init__(self, expected: int = 0) -> None:
        self.head = _nan_array(min(max(expected, CHUNK_SIZE), MAX_HEAD))
        self.chunks: list[FloatArray] = []  # tickets from len(head) on
        self._lock = threading.Lock()

    @property
    def capacity(self) -> int:
        return len(self.head) + len(self.chunks) * CHUNK_SIZE

    def _locate(self, ticket: int) -> tuple[FloatArray, int]:
        head = len(self.head)
        if ticket < head:
            return self.head, ticket
        beyond = ticket - head
        return self.chunks[beyond >> CHUNK_BITS], beyond & CHUNK_MASK

    def put(self, ticket: int, latency_ms: float) -> None:
        if ticket >= self.capacity:
            with self._lock:  # chunks are only ever appended, never moved
                while ticket >= self.capacity:
                    self.chunks.append(_nan_array(CHUNK_SIZE))
        array, index = self._locate(ticket)
        array[index] = latency_ms

    def _segments(self, start: int, stop: int) -> list[FloatArray]:
        """Views of tickets [start, stop) in order (clipped to what exists)."""
        stop = min(stop, self.capacity)
        parts = []
        position = start
        while position < stop:
            array, index = self._locate(position)
            length = min(len(array) - index, stop - position)
            parts.append(array[index : index + length])
            position += length
        return parts

    def completed_from(self, start: int) -> int:
        """The first incomplete ticket at or after `start` (all before it are complete).

        Scans in blocks from `start`, so the cost follows what completed since,
        not the size of a long -niter run's head."""
        position = start
        capacity = self.capacity
        while position < capacity:
            stop = min(position + SCAN_BLOCK, capacity)
            for segment in self._segments(position, stop):
                missing = np.isnan(segment)
                if missing.any():
                    return position + int(missing.argmax())
                position += len(segment)
        return position

    def slice(self, start: int, stop: int) -> FloatArray:
        """Copy of tickets [start, stop), all of which must be complete."""
        parts = self._segments(start, stop)
        if not parts:
            return np.empty(0, dtype=np.float64)
        return np.concatenate(parts) if len(parts) > 1 else parts[0].copy()

    def take(self, count: int) -> FloatArray:
        """The first `count` latencies as one array; the recorder is emptied.

        A run that fitted in the head (every -niter run) gives a view: no copy."""
        if count <= len(self.head):
            out = self.head[:count]
        else:
            out = np.empty(count, dtype=np.float64)
            out[: len(self.head)] = self.head
            position = len(self.head)
            for index, chunk in enumerate(self.chunks):
                if position >= count:
                    break
                length = min(CHUNK_SIZE, count - position)
                out[position : position + length] = chunk[:length]
                self.chunks[index] = np.empty(0, dtype=np.float64)  # free as we go
                position += length
        self.head = np.empty(0, dtype=np.float64)
        self.chunks = []
        return out

    @property
    def nbytes(self) -> int:
        return self.head.nbytes + sum(chunk.nbytes for chunk in self.chunks)
