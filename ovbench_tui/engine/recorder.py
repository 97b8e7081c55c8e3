"""Where measured latencies go: 8 bytes per inference, no allocation per inference.

Latencies are stored by ticket (the submission index) in fixed-size numpy
chunks, so the buffer can grow for a time-limited run without ever moving
data a request thread may be writing to.  Chunks start as NaN: a ticket is
complete when its value is not NaN, which lets a sampler find the completed
prefix without any lock or per-inference bookkeeping.  Because a ticket fixes
the input set (ticket % groups), per-group statistics need no extra storage.
"""

from __future__ import annotations

import threading

import numpy as np

from .stats import FloatArray

CHUNK_BITS = 16
CHUNK_SIZE = 1 << CHUNK_BITS
CHUNK_MASK = CHUNK_SIZE - 1


def _new_chunk() -> FloatArray:
    return np.full(CHUNK_SIZE, np.nan, dtype=np.float64)


class LatencyRecorder:
    def __init__(self, expected: int = 0) -> None:
        self.chunks: list[FloatArray] = []
        self._lock = threading.Lock()
        # One chunk more than expected, so writers rarely need to grow.
        self.reserve(max(expected, 1) + CHUNK_SIZE)

    def reserve(self, count: int) -> None:
        """Make room for tickets [0, count).  Chunks are only ever appended."""
        with self._lock:
            while len(self.chunks) * CHUNK_SIZE < count:
                self.chunks.append(_new_chunk())

    def put(self, ticket: int, latency_ms: float) -> None:
        try:
            self.chunks[ticket >> CHUNK_BITS][ticket & CHUNK_MASK] = latency_ms
        except IndexError:
            self.reserve(ticket + 1 + CHUNK_SIZE)
            self.chunks[ticket >> CHUNK_BITS][ticket & CHUNK_MASK] = latency_ms

    def completed_from(self, start: int) -> int:
        """The first incomplete ticket at or after `start` (all before it are complete)."""
        position = start
        while True:
            index = position >> CHUNK_BITS
            if index >= len(self.chunks):
                return position
            chunk = self.chunks[index]
            offset = position & CHUNK_MASK
            gaps = np.flatnonzero(np.isnan(chunk[offset:]))
            if len(gaps):
                return position + int(gaps[0])
            position = (index + 1) << CHUNK_BITS

    def slice(self, start: int, stop: int) -> FloatArray:
        """Copy of tickets [start, stop), all of which must be complete."""
        if stop <= start:
            return np.empty(0, dtype=np.float64)
        parts = []
        first, last = start >> CHUNK_BITS, (stop - 1) >> CHUNK_BITS
        for index in range(first, last + 1):
            lo = start - index * CHUNK_SIZE if index == first else 0
            hi = stop - index * CHUNK_SIZE if index == last else CHUNK_SIZE
            parts.append(self.chunks[index][lo:hi])
        return np.concatenate(parts) if len(parts) > 1 else parts[0].copy()

    def take(self, count: int) -> FloatArray:
        """Move the first `count` latencies into one array, freeing chunks as it goes."""
        out = np.empty(count, dtype=np.float64)
        for index in range((count + CHUNK_SIZE - 1) >> CHUNK_BITS):
            lo = index * CHUNK_SIZE
            hi = min(count, lo + CHUNK_SIZE)
            out[lo:hi] = self.chunks[index][: hi - lo]
            self.chunks[index] = np.empty(0, dtype=np.float64)
        self.chunks = []
        return out

    @property
    def nbytes(self) -> int:
        return sum(chunk.nbytes for chunk in self.chunks)
