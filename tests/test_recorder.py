"""The latency store: values by ticket, and one array at the end without a second copy."""

from __future__ import annotations

import threading
import tracemalloc

import numpy as np

from ovbench_tui.engine.recorder import CHUNK_SIZE, LatencyRecorder


def filled(count: int, expected: int = 0) -> LatencyRecorder:
    recorder = LatencyRecorder(expected)
    # written by another thread, as the request threads do
    writer = threading.Thread(
        target=lambda: [recorder.put(t, 1.0 + t) for t in range(count)]  # type: ignore[func-returns-value]
    )
    writer.start()
    writer.join()
    return recorder


def test_completed_prefix_and_slices() -> None:
    recorder = filled(CHUNK_SIZE + 10)
    recorder.put(CHUNK_SIZE + 20, 5.0)  # a gap at +10
    assert recorder.completed_from(0) == CHUNK_SIZE + 10
    across = recorder.slice(CHUNK_SIZE - 2, CHUNK_SIZE + 2)
    np.testing.assert_array_equal(across, 1.0 + np.arange(CHUNK_SIZE - 2, CHUNK_SIZE + 2))


def test_a_run_within_the_head_is_taken_as_a_view() -> None:
    recorder = filled(1000, expected=1000)
    head = recorder.head
    out = recorder.take(1000)
    assert np.shares_memory(out, head)
    np.testing.assert_array_equal(out, 1.0 + np.arange(1000))


def test_a_long_timed_run_is_gathered_without_a_second_whole_copy() -> None:
    count = 5 * CHUNK_SIZE + 123
    recorder = filled(count + 50)  # some written beyond the count (refused at the end)
    tracemalloc.start()
    try:
        out = recorder.take(count)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < count * 8 // 4  # no np.empty(count) beside the chunks
    assert len(out) == count
    np.testing.assert_array_equal(out, 1.0 + np.arange(count))
    out.sort()  # the statistics sort it in place
    assert recorder.nbytes == 0


def test_a_head_still_viewed_elsewhere_is_copied() -> None:
    count = 2 * CHUNK_SIZE + 7
    recorder = filled(count)
    viewer = recorder.head[:10]  # the mapping cannot grow under it
    out = recorder.take(count)
    np.testing.assert_array_equal(out, 1.0 + np.arange(count))
    np.testing.assert_array_equal(viewer, 1.0 + np.arange(10))
