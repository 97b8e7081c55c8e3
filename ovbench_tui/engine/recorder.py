"""Where measured latencies go: 8 bytes per inference, no allocation per inference.

Latencies are stored by ticket (the submission index).  With -niter the count
is known, so one contiguous `head` array holds them all and becomes the
result without a copy.  A time-limited run grows by fixed-size chunks after
the head, so storage never moves under a request thread writing to it.
Slots start as NaN: a ticket is complete when its value is not NaN, which
lets a sampler find the completed prefix without locks or per-inference
bookkeeping.  Because a ticket fixes the input set (ticket % groups),
per-group statistics need no extra storage.

The statistics sort one contiguous array in place.  Head and chunks are
anonymous memory maps of their own, so at the end (`take`) the head's mapping
is grown to the count (mremap: no copy, the new pages cost nothing until
written) and each chunk is copied into it and unmapped at once: the peak
stays at 8 bytes per inference plus one chunk, where a fresh array beside
the chunks (which the allocator keeps once freed) made it about 16.
"""

from __future__ import annotations

import mmap
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


def _mapping(size: int) -> mmap.mmap:
    flags = {"flags": mmap.MAP_PRIVATE} if hasattr(mmap, "MAP_PRIVATE") else {}
    return mmap.mmap(-1, size * 8, **flags)


def _nan_array(mapping: mmap.mmap) -> FloatArray:
    """A NaN array on `mapping`: unmapped (its pages returned to the system) when
    the last reference goes, whatever the allocator's thresholds."""
    array = np.frombuffer(mapping, dtype=np.float64)
    array.fill(np.nan)
    return array


class LatencyRecorder:
    def __init__(self, expected: int = 0) -> None:
        self._head_mapping: mmap.mmap | None = _mapping(min(max(expected, CHUNK_SIZE), MAX_HEAD))
        self.head = _nan_array(self._head_mapping)
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
                    self.chunks.append(_nan_array(_mapping(CHUNK_SIZE)))
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
        head = self.head
        self.head = np.empty(0, dtype=np.float64)
        if count <= len(head):
            out = head[:count]
        else:
            position = len(head)
            del head  # the mapping can only grow while nothing views it
            out = self._grown_head(count)
            for index, chunk in enumerate(self.chunks):
                if position >= count:
                    break
                length = min(CHUNK_SIZE, count - position)
                out[position : position + length] = chunk[:length]
                self.chunks[index] = np.empty(0, dtype=np.float64)  # unmapped here
                position += length
        self.chunks = []
        self._head_mapping = None
        return out

    def _grown_head(self, count: int) -> FloatArray:
        """`count` slots starting with the head's values: the head's mapping grown in
        place (mremap), or a copy where something still views it or the system cannot."""
        mapping = self._head_mapping
        assert mapping is not None
        try:
            mapping.resize(count * 8)
            return np.frombuffer(mapping, dtype=np.float64)
        except (BufferError, OSError, SystemError, ValueError):
            head = np.frombuffer(mapping, dtype=np.float64)
            out = np.empty(count, dtype=np.float64)
            out[: len(head)] = head
            return out

    @property
    def nbytes(self) -> int:
        return self.head.nbytes + sum(chunk.nbytes for chunk in self.chunks)
