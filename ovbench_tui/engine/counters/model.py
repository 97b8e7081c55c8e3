"""Per-layer counters, the data: one layer's sums, a run's table, its summaries.

Times are kept as whole microseconds: `ProfilingInfo.real_time` is a
`datetime.timedelta`, whose resolution is one microsecond, so integer sums
are exact and formatting `us / 1000` reproduces benchmark_app's figures
digit for digit.

A run's table holds the sums over the inferences whose counters were read
(a sample spread over the measured loop, see sampler.py) and, per infer
request, its last inference as benchmark_app reads it after the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

STATUS_EXECUTED = "Status.EXECUTED"
STATUS_NOT_RUN = "Status.NOT_RUN"
SORT_MODES = ("no_sort", "sort", "simple_sort")


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
    """The counters of a run: totals over the sampled inferences of all requests
    (layers matched by name, in first-seen order) and each request's last inference."""

    layers: tuple[LayerCounter, ...]
    inferences: int  # profiling records aggregated (the sampled inferences)
    requests: tuple[tuple[LayerCounter, ...], ...] = field(default_factory=tuple)
    measured: int = 0  # inferences in the measured loop; 0: not known (every one was read)

    @property
    def sampled(self) -> bool:
        """The means come from part of the measured inferences."""
        return self.measured > self.inferences

    @property
    def sample_text(self) -> str:
        """How many inferences the means come from, for table headers."""
        if self.sampled:
            return f"{self.inferences} sampled of {self.measured} inferences"
        return f"{self.inferences} inferences"

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
            self.measured,
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
            "measured": self.measured,
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
            measured=int(data.get("measured", 0)),
        )

    @staticmethod
    def from_profiling(profiling: Sequence[Sequence[Any]]) -> PerfCounterTable:
        """benchmark_app's view: each request's `profiling_info` read once, after the run."""
        from .accumulator import PerfCounterAccumulator  # it builds tables: imports this module

        accumulator = PerfCounterAccumulator(len(profiling))
        for index, records in enumerate(profiling):
            accumulator.add(index, records)
            accumulator.set_last(index, records)
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
