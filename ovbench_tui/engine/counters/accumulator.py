"""Summing `profiling_info` records, per infer request, into a `PerfCounterTable`.

benchmark_app reads each request's `profiling_info` once, after the run, so
its tables describe only the last inference of every request.  Here the
sampler (sampler.py) hands the records of a sample of the measured
inferences to `add()`, and every request's last inference to `set_last()`
after the loop; the table holds both the sums and, per request, that last
inference (what benchmark_app prints and writes).

benchmark_app's `-pcsort` uses `timedelta.microseconds`, the sub-second part
only (its bug B9); we count whole seconds too.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from .model import STATUS_EXECUTED, LayerCounter, PerfCounterTable

_REAL = attrgetter("real_time")
_CPU = attrgetter("cpu_time")
_SECONDS: Callable[[timedelta], float] = timedelta.total_seconds

FloatVector = npt.NDArray[np.float64]


@dataclass
class _LayerInfo:
    name: str
    layer_type: str
    exec_type: str
    status: str


class _Layout:
    """One distinct list of layers a request reported (normally one per compiled model)."""

    __slots__ = ("first", "infos", "last", "size")

    def __init__(self, records: Sequence[Any]) -> None:
        self.infos = [
            _LayerInfo(r.node_name, r.node_type, r.exec_type, str(r.status)) for r in records
        ]
        self.size = len(self.infos)
        self.first = self.infos[0].name if self.infos else ""
        self.last = self.infos[-1].name if self.infos else ""

    def matches(self, records: Sequence[Any]) -> bool:
        # Comparing every name would cost more than the rest of add(); a device
        # that switches graphs (AUTO moving from CPU to GPU) changes these too.
        return (
            len(records) == self.size
            and records[0].node_name == self.first
            and records[-1].node_name == self.last
        )


class _Sums:
    """One request's sums for one layout: real times then cpu times, in microseconds."""

    __slots__ = ("count", "last", "layout", "seq", "totals")

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.totals: FloatVector = np.zeros(2 * layout.size)
        self.last: FloatVector = self.totals
        self.count = 0
        self.seq = -1


class _RequestState:
    __slots__ = ("current", "last_records", "layouts")

    def __init__(self) -> None:
        self.current: _Sums | None = None
        self.layouts: list[_Sums] = []
        self.last_records: Sequence[Any] = ()


class PerfCounterAccumulator:
    """Sums `profiling_info` over the inferences handed to it, per infer request.

    `add()` runs in the measured loop (for the sampled inferences), from the
    thread that owns the request; different requests may call it concurrently.
    It converts the timedeltas with C-level `map`s and adds one numpy vector;
    the layer names, types and statuses are read only when a request's list of
    layers is new to it (reading 176 statuses costs as much as the rest).
    """

    def __init__(self, requests: int) -> None:
        self._states = [_RequestState() for _ in range(requests)]
        self._layouts: dict[tuple[str, ...], _Layout] = {}
        self._layouts_lock = threading.Lock()
        self._sequence = itertools.count()  # next() is atomic under the GIL

    @property
    def requests(self) -> int:
        return len(self._states)

    def add(self, request_index: int, profiling_info: Sequence[Any]) -> None:
        """Account one inference of request `request_index`."""
        state = self._states[request_index]
        sums = state.current
        if sums is None or not sums.layout.matches(profiling_info):
            if not profiling_info:
                return  # profiling is off for this device: nothing to count
            sums = self._switch(state, profiling_info)
        size = sums.layout.size
        vector = np.fromiter(
            itertools.chain(
                map(_SECONDS, map(_REAL, profiling_info)),
                map(_SECONDS, map(_CPU, profiling_info)),
            ),
            np.float64,
            2 * size,
        )
        # total_seconds() is exact to the microsecond once scaled back and rounded.
        vector *= 1e6
        np.rint(vector, out=vector)
        sums.totals += vector
        sums.last = vector
        sums.count += 1
        sums.seq = next(self._sequence)
        state.last_records = profiling_info

    def set_last(self, request_index: int, profiling_info: Sequence[Any]) -> None:
        """The request's last inference, as benchmark_app reads it once after the run."""
        self._states[request_index].last_records = profiling_info

    def _switch(self, state: _RequestState, records: Sequence[Any]) -> _Sums:
        key = tuple(record.node_name for record in records)
        with self._layouts_lock:
            layout = self._layouts.get(key)
            if layout is None:
                layout = self._layouts[key] = _Layout(records)
        for sums in state.layouts:
            if sums.layout is layout:
                break
        else:
            sums = _Sums(layout)
            state.layouts.append(sums)
        state.current = sums
        return sums

    def table(self, measured: int = 0) -> PerfCounterTable:
        """The counters so far (call after the measured loop has ended); `measured`:
        how many inferences the loop ran, of which `add()` saw a sample."""
        with self._layouts_lock:
            layouts = list(self._layouts.values())  # creation order = first seen
        order: dict[str, int] = {}
        infos: list[_LayerInfo] = []
        for layout in layouts:
            for info in layout.infos:
                if info.name not in order:
                    order[info.name] = len(infos)
                    infos.append(info)
        n = len(infos)
        count = np.zeros(n, np.int64)
        real = np.zeros(n)
        cpu = np.zeros(n)
        last = np.zeros((2, n))
        last_seq = np.full(n, -1, np.int64)
        inferences = 0
        for state in self._states:
            for sums in state.layouts:
                if not sums.count:
                    continue
                index = np.fromiter(
                    (order[info.name] for info in sums.layout.infos), np.int64, sums.layout.size
                )
                size = sums.layout.size
                # np.add.at: a name repeated within one layout still adds up.
                np.add.at(count, index, sums.count)
                np.add.at(real, index, sums.totals[:size])
                np.add.at(cpu, index, sums.totals[size:])
                newer = last_seq[index] < sums.seq
                last[0, index[newer]] = sums.last[:size][newer]
                last[1, index[newer]] = sums.last[size:][newer]
                last_seq[index[newer]] = sums.seq
                inferences += sums.count
        requests = tuple(_last_inference(state.last_records) for state in self._states)
        # A layer ran if it ran in any inference read, not only in the first one: it was
        # EXECUTED when first seen or at the end, or it took time (statuses are read only
        # for a new list of layers, at the cost of the times; a layer that did not run
        # reports no time).
        ran = {layer.name for request in requests for layer in request if layer.executed}
        layers = tuple(
            LayerCounter(
                name=info.name,
                layer_type=info.layer_type,
                exec_type=info.exec_type,
                status=STATUS_EXECUTED
                if real[i] > 0 or cpu[i] > 0 or info.name in ran
                else info.status,
                count=int(count[i]),
                total_real_us=round(real[i]),
                total_cpu_us=round(cpu[i]),
                last_real_us=round(last[0, i]),
                last_cpu_us=round(last[1, i]),
            )
            for i, info in enumerate(infos)
            if count[i]
        )
        return PerfCounterTable(layers, inferences, requests, measured)


def _microseconds(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _last_inference(records: Sequence[Any]) -> tuple[LayerCounter, ...]:
    layers = []
    for record in records:
        real = _microseconds(record.real_time)
        cpu = _microseconds(record.cpu_time)
        layers.append(
            LayerCounter(
                name=record.node_name,
                layer_type=record.node_type,
                exec_type=record.exec_type,
                status=str(record.status),
                count=1,
                total_real_us=real,
                total_cpu_us=cpu,
                last_real_us=real,
                last_cpu_us=cpu,
            )
        )
    return tuple(layers)
