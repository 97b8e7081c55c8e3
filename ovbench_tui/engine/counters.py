"""Per-layer performance counters: accumulated over every measured inference.

benchmark_app reads each request's `profiling_info` once, after the run, so
its tables describe only the last inference of every request.  Here the
measured loop hands every inference's `profiling_info` to a
`PerfCounterAccumulator`; the run's `PerfCounterTable` then holds both the
totals over all inferences and, per request, the last inference (which is
what benchmark_app prints and writes, so the compatible output stays
available).

Times are kept as whole microseconds: `ProfilingInfo.real_time` is a
`datetime.timedelta`, whose resolution is one microsecond, so integer sums
are exact and formatting `us / 1000` reproduces benchmark_app's figures
digit for digit.  benchmark_app's `-pcsort` uses `timedelta.microseconds`,
the sub-second part only (its bug B9); we count whole seconds too.

Console lines come back as `LogLine` (benchmark_app prints them through its
logger, with the `[ INFO ] ` prefix) or `RawLine` (plain `print`), the
engine's own event types, so the engine can emit them as they are.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from .events import LogLine, RawLine

ConsoleLine = LogLine | RawLine

STATUS_EXECUTED = "Status.EXECUTED"
STATUS_NOT_RUN = "Status.NOT_RUN"
SORT_MODES = ("no_sort", "sort", "simple_sort")

_NAME_WIDTH = 20  # benchmark_app's max_print_length
_REAL = attrgetter("real_time")
_CPU = attrgetter("cpu_time")
_SECONDS: Callable[[timedelta], float] = timedelta.total_seconds


# -- plain data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerCounter:
    """One layer's counters, summed over `count` inferences (whole microseconds)."""

    name: str
    layer_type: str
    exec_type: str
    status: str  # as benchmark_app prints it: "Status.EXECUTED", "Status.NOT_RUN", ...
    count: int
    total_real_us: int
    total_cpu_us: int
    last_real_us: int
    last_cpu_us: int

    @property
    def total_real_ms(self) -> float:
        return self.total_real_us / 1000

    @property
    def total_cpu_ms(self) -> float:
        return self.total_cpu_us / 1000

    @property
    def mean_real_us(self) -> float:
        return self.total_real_us / self.count if self.count else 0.0

    @property
    def mean_cpu_us(self) -> float:
        return self.total_cpu_us / self.count if self.count else 0.0

    @property
    def mean_real_ms(self) -> float:
        return self.mean_real_us / 1000

    @property
    def mean_cpu_ms(self) -> float:
        return self.mean_cpu_us / 1000

    @property
    def last_real_ms(self) -> float:
        return self.last_real_us / 1000

    @property
    def last_cpu_ms(self) -> float:
        return self.last_cpu_us / 1000

    @property
    def executed(self) -> bool:
        return self.status == STATUS_EXECUTED

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "layer_type": self.layer_type,
            "exec_type": self.exec_type,
            "status": self.status,
            "count": self.count,
            "total_real_us": self.total_real_us,
            "total_cpu_us": self.total_cpu_us,
            "last_real_us": self.last_real_us,
            "last_cpu_us": self.last_cpu_us,
            # Derived, for readers of the JSON; from_dict ignores them.
            "mean_real_ms": self.mean_real_ms,
            "mean_cpu_ms": self.mean_cpu_ms,
            "precision": precision_of(self.exec_type),
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> LayerCounter:
        return LayerCounter(
            name=str(data["name"]),
            layer_type=str(data["layer_type"]),
            exec_type=str(data["exec_type"]),
            status=str(data["status"]),
            count=int(data["count"]),
            total_real_us=int(data["total_real_us"]),
            total_cpu_us=int(data["total_cpu_us"]),
            last_real_us=int(data["last_real_us"]),
            last_cpu_us=int(data["last_cpu_us"]),
        )


@dataclass(frozen=True)
class SummaryRow:
    """Time spent by all layers sharing a key (layer type, exec type or precision)."""

    key: str
    layers: int  # distinct layers with this key that executed
    total_ms: float  # over all inferences
    mean_ms: float  # per inference
    percent: float  # of the table's total real time
    cumulative_percent: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "layers": self.layers,
            "total_ms": self.total_ms,
            "mean_ms": self.mean_ms,
            "percent": self.percent,
            "cumulative_percent": self.cumulative_percent,
        }


_PRECISION = re.compile(r"^(?:bf16|f\d+|i\d+|u\d+|f8e4m3|f8e5m2|f8e8m0|f4e2m1|nf4|boolean|bin)$")


def precision_of(exec_type: str) -> str:
    """Precision named at the end of an exec type: `brgconv_avx512_amx_bf16` -> bf16.

    `undef` (fused or skipped layers) and an empty string give "none"; a suffix
    that is not a precision name gives "other".
    """
    token = exec_type.rsplit("_", 1)[-1].lower()
    if token in ("", "undef"):
        return "none"
    return token if _PRECISION.match(token) else "other"


@dataclass(frozen=True)
class PerfCounterTable:
    """The counters of a run: totals over all measured inferences of all requests
    (layers matched by name, in first-seen order) and each request's last inference."""

    layers: tuple[LayerCounter, ...]
    inferences: int  # profiling records aggregated (measured inferences)
    requests: tuple[tuple[LayerCounter, ...], ...] = field(default_factory=tuple)

    @property
    def total_real_us(self) -> int:
        return sum(layer.total_real_us for layer in self.layers)

    @property
    def total_cpu_us(self) -> int:
        return sum(layer.total_cpu_us for layer in self.layers)

    @property
    def total_real_ms(self) -> float:
        return self.total_real_us / 1000

    @property
    def total_cpu_ms(self) -> float:
        return self.total_cpu_us / 1000

    @property
    def mean_real_ms(self) -> float:
        """Real time of one inference, summed over its layers."""
        return sum(layer.mean_real_ms for layer in self.layers)

    @property
    def mean_cpu_ms(self) -> float:
        return sum(layer.mean_cpu_ms for layer in self.layers)

    def is_empty(self) -> bool:
        return not self.layers and not any(self.requests)

    def per_request_last(self) -> list[PerfCounterTable]:
        """One table per infer request holding its last inference (count 1 per layer),
        what benchmark_app prints and writes to its detailed report."""
        return [PerfCounterTable(layers, 1 if layers else 0, (layers,)) for layers in self.requests]

    def sorted(self, mode: str) -> PerfCounterTable:
        """benchmark_app's -pcsort orders (spec 9.2), applied to the totals and to every
        request's table: `sort` by descending real time, `no_sort` as measured,
        `simple_sort` by descending real time without the NOT_RUN layers."""
        if mode not in SORT_MODES:
            raise ValueError(f"unknown sort mode {mode!r}: use one of {', '.join(SORT_MODES)}")
        return PerfCounterTable(
            _sorted_layers(self.layers, mode),
            self.inferences,
            tuple(_sorted_layers(layers, mode) for layers in self.requests),
        )

    def by_type(self) -> list[SummaryRow]:
        return _summary(self.layers, lambda layer: layer.layer_type)

    def by_exec_type(self) -> list[SummaryRow]:
        return _summary(self.layers, lambda layer: layer.exec_type)

    def by_precision(self) -> list[SummaryRow]:
        return _summary(self.layers, lambda layer: precision_of(layer.exec_type))

    def to_dict(self) -> dict[str, Any]:
        return {
            "inferences": self.inferences,
            "total_real_us": self.total_real_us,
            "total_cpu_us": self.total_cpu_us,
            "mean_real_ms": self.mean_real_ms,
            "mean_cpu_ms": self.mean_cpu_ms,
            "layers": [layer.to_dict() for layer in self.layers],
            "per_request_last": [[layer.to_dict() for layer in req] for req in self.requests],
            # Derived, for readers of the JSON; from_dict ignores them.
            "by_type": [row.to_dict() for row in self.by_type()],
            "by_exec_type": [row.to_dict() for row in self.by_exec_type()],
            "by_precision": [row.to_dict() for row in self.by_precision()],
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> PerfCounterTable:
        return PerfCounterTable(
            layers=tuple(LayerCounter.from_dict(item) for item in data["layers"]),
            inferences=int(data["inferences"]),
            requests=tuple(
                tuple(LayerCounter.from_dict(item) for item in request)
                for request in data.get("per_request_last", [])
            ),
        )

    @staticmethod
    def from_profiling(profiling: Sequence[Sequence[Any]]) -> PerfCounterTable:
        """benchmark_app's view: each request's `profiling_info` read once, after the run."""
        accumulator = PerfCounterAccumulator(len(profiling))
        for index, records in enumerate(profiling):
            accumulator.add(index, records)
        return accumulator.table()


def _sorted_layers(layers: tuple[LayerCounter, ...], mode: str) -> tuple[LayerCounter, ...]:
    if mode == "no_sort":
        return layers
    # sorted() is stable with reverse=True too, so ties keep model order as in benchmark_app.
    ordered = sorted(layers, key=lambda layer: layer.mean_real_us, reverse=True)
    if mode == "simple_sort":
        ordered = [layer for layer in ordered if layer.status != STATUS_NOT_RUN]
    return tuple(ordered)


def _summary(
    layers: Iterable[LayerCounter], key_of: Callable[[LayerCounter], str]
) -> list[SummaryRow]:
    totals: dict[str, list[float]] = {}  # key -> [executed layers, total us, mean us]
    for layer in layers:
        entry = totals.setdefault(key_of(layer), [0, 0.0, 0.0])
        entry[0] += layer.executed
        entry[1] += layer.total_real_us
        entry[2] += layer.mean_real_us
    # A key whose layers never ran and took no time (fused Relu, Parameter) says nothing.
    kept = {key: entry for key, entry in totals.items() if entry[0] or entry[1]}
    grand = sum(entry[1] for entry in kept.values())
    rows = []
    cumulative = 0.0
    for key, (executed, total_us, mean_us) in sorted(
        kept.items(), key=lambda item: item[1][1], reverse=True
    ):
        percent = 100.0 * total_us / grand if grand else 0.0
        cumulative += percent
        rows.append(
            SummaryRow(key, int(executed), total_us / 1000, mean_us / 1000, percent, cumulative)
        )
    return rows


# -- accumulation in the measured loop ---------------------------------------------------


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
    """Sums `profiling_info` over every measured inference, per infer request.

    `add()` runs in the measured loop, once per inference, from the thread that
    owns the request; different requests may call it concurrently.  It converts
    the timedeltas with C-level `map`s and adds one numpy vector; the layer
    names, types and statuses are read only when a request's list of layers is
    new to it.
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

    def table(self) -> PerfCounterTable:
        """The counters so far (call after the measured loop has ended)."""
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
        layers = tuple(
            LayerCounter(
                name=info.name,
                layer_type=info.layer_type,
                exec_type=info.exec_type,
                status=info.status,
                count=int(count[i]),
                total_real_us=round(real[i]),
                total_cpu_us=round(cpu[i]),
                last_real_us=round(last[0, i]),
                last_cpu_us=round(last[1, i]),
            )
            for i, info in enumerate(infos)
            if count[i]
        )
        requests = tuple(_last_inference(state.last_records) for state in self._states)
        return PerfCounterTable(layers, inferences, requests)


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


# -- console output (benchmark_app's -pc / -pcsort) ----------------------------------------


def _clip(text: str) -> str:
    return text[: _NAME_WIDTH - 4] + "..." if len(text) >= _NAME_WIDTH else text


def _columns(name: str, status: str, layer_type: str, exec_type: str) -> str:
    return (
        f"{_clip(name):<20} {status:<20} layerType: {_clip(layer_type):<20} "
        f"execType: {exec_type:<20} "
    )


def _pc_block(
    header: str, layers: Sequence[LayerCounter], mean: bool, exact_totals: bool
) -> list[ConsoleLine]:
    lines: list[ConsoleLine] = [LogLine("INFO", header)]
    for layer in layers:
        real = layer.mean_real_ms if mean else layer.total_real_ms
        cpu = layer.mean_cpu_ms if mean else layer.total_cpu_ms
        lines.append(
            RawLine(
                _columns(layer.name, layer.status, layer.layer_type, layer.exec_type)
                + f"realTime (ms): {real:<10.3f} cpuTime (ms): {cpu:<10.3f}"
            )
        )
    if exact_totals:
        # benchmark_app prints the float unformatted (repr of whole-us sum / 1000).
        total = f"{sum(layer.total_real_us for layer in layers) / 1000}"
        total_cpu = f"{sum(layer.total_cpu_us for layer in layers) / 1000}"
    else:
        total = f"{sum(layer.mean_real_ms for layer in layers):.3f}"
        total_cpu = f"{sum(layer.mean_cpu_ms for layer in layers):.3f}"
    lines.append(RawLine(f"Total time:     {total} milliseconds"))
    lines.append(RawLine(f"Total CPU time: {total_cpu} milliseconds"))
    lines.append(RawLine(""))
    return lines


def format_pc(table: PerfCounterTable, averaged: bool = True) -> list[ConsoleLine]:
    """`-pc` output: benchmark_app's block per infer request (its last inference),
    then, if `averaged`, one block with the mean per inference over all of them."""
    lines: list[ConsoleLine] = []
    for index, request in enumerate(table.per_request_last()):
        lines += _pc_block(
            f"Performance counts for {index}-th infer request", request.layers, False, True
        )
    if averaged and table.inferences:
        lines += _pc_block(_averaged_header(table, ""), table.layers, True, False)
    return lines


def _averaged_header(table: PerfCounterTable, sorted_word: str) -> str:
    return (
        f"Performance counts{sorted_word} averaged over {table.inferences} inferences of "
        f"{len(table.requests)} infer requests (ms per inference)"
    )


@dataclass(frozen=True)
class SortedRow:
    """One line of benchmark_app's sorted table: times in microseconds (may be
    fractional for averages) and the proportion rounded to 4 places as it does."""

    layer: LayerCounter
    real_us: float
    cpu_us: float
    proportion: float

    @property
    def percent_text(self) -> str:
        return f"{self.proportion * 100:.2f}%"


@dataclass(frozen=True)
class SortedTable:
    rows: tuple[SortedRow, ...]
    total_real_us: float  # over every layer, also those simple_sort leaves out
    total_cpu_us: float
    total_proportion: float  # sum of the rounded proportions


def sorted_rows(layers: Sequence[LayerCounter], mode: str, mean: bool) -> SortedTable:
    """benchmark_app's print_perf_counters_sort data, with whole seconds counted
    (its B9) and 0 proportions instead of a ZeroDivisionError when nothing ran."""

    def times(layer: LayerCounter) -> tuple[float, float]:
        if mean:
            return layer.mean_real_us, layer.mean_cpu_us
        return float(layer.total_real_us), float(layer.total_cpu_us)

    total_real = sum(times(layer)[0] for layer in layers)
    total_cpu = sum(times(layer)[1] for layer in layers)
    proportion_sum = 0.0
    rows = []
    for layer in layers:
        real, cpu = times(layer)
        proportion = round(real / total_real, 4) if total_real else 0.0
        proportion_sum += proportion
        rows.append(SortedRow(layer, real, cpu, proportion))
    if mode != "no_sort":
        rows.sort(key=lambda row: row.real_us, reverse=True)
    if mode == "simple_sort":
        rows = [row for row in rows if row.layer.status != STATUS_NOT_RUN]
    return SortedTable(tuple(rows), total_real, total_cpu, proportion_sum)


def _pcsort_block(header: str, table: SortedTable) -> list[ConsoleLine]:
    lines: list[ConsoleLine] = [LogLine("INFO", header)]
    for row in table.rows:
        layer = row.layer
        percent = f"{row.proportion * 100:.2f}"
        if percent == "0.00":
            percent = "N/A"
        lines.append(
            RawLine(
                _columns(layer.name, layer.status, layer.layer_type, layer.exec_type)
                + f"realTime (ms): {row.real_us / 1000:<10.3f} "
                f"cpuTime (ms): {row.cpu_us / 1000:<10.3f}"
                f"proportion: {percent + '%':<8}"
            )
        )
    lines.append(RawLine(f"Total time:       {table.total_real_us / 1000:.3f} milliseconds"))
    lines.append(RawLine(f"Total CPU time:   {table.total_cpu_us / 1000:.3f} milliseconds"))
    lines.append(RawLine(f"Total proportion: {round(table.total_proportion) * 100:.2f} % "))
    lines.append(RawLine(""))
    return lines


def format_pcsort(table: PerfCounterTable, mode: str, averaged: bool = True) -> list[ConsoleLine]:
    """`-pcsort MODE` output: benchmark_app's sorted block per infer request (its last
    inference), then, if `averaged`, one sorted block of the mean per inference."""
    if mode not in SORT_MODES:
        raise ValueError(f"unknown sort mode {mode!r}: use one of {', '.join(SORT_MODES)}")
    lines: list[ConsoleLine] = []
    for index, request in enumerate(table.per_request_last()):
        lines += _pcsort_block(
            f"Performance counts sorted for {index}-th infer request",
            sorted_rows(request.layers, mode, mean=False),
        )
    if averaged and table.inferences:
        lines += _pcsort_block(
            _averaged_header(table, " sorted,"), sorted_rows(table.layers, mode, mean=True)
        )
    return lines
