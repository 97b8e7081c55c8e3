"""What a run measured, as plain data, and benchmark_app's text for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .counters import PerfCounterTable
from .machine_load import MachineLoad
from .open_loop_stats import OpenLoopStats, open_loop_lines
from .stability import Stability
from .stats import FloatArray, LatencyStats, latency_stats
from .until_stable import AutoOutcome, ThroughputInterval, interval_text

# Below this median, in async mode, benchmark_app's latency (start_async to its
# Python callback) carries its own Python overhead and queueing for the GIL
# (on a ~10k FPS model it read twice ours): the two are not comparable.
COMPARABLE_LATENCY_MS = 1.0
LATENCY_FOOTNOTE = (
    "Note: latency is each infer() call's own time; benchmark_app's async latency adds "
    "its Python callback overhead: the two are not comparable below ~1 ms"
)


@dataclass(frozen=True)
class GroupResult:
    label: str  # benchmark_app's label, with its leading space
    batch: int
    count: int
    frames: int
    stats: LatencyStats
    time_share: float  # fraction of the summed latency spent in this group
    # Counts on bins shared by every group of the run (histogram_edges), so the
    # results screen can show one histogram per data shape; empty for stored runs.
    histogram: list[int] = field(default_factory=list, compare=False)


HISTOGRAM_BINS = 30
_HISTOGRAM_CHUNK = 1 << 14  # latencies binned at a time (a copy this small, not the group)


def histogram_edges(groups: list[GroupResult]) -> FloatArray:
    """Bins shared by a run's shape groups, from the fastest latency to the slowest,
    or to the highest group p99 when the slowest reach past twice it (one outlier
    would squeeze every bar into one).  From the groups' own figures: no copy of
    the run's latencies, so the peak memory stays one group's."""
    low = min(g.stats.minimum for g in groups)
    high = max(g.stats.maximum for g in groups)
    p99s = [g.stats.p99 for g in groups if g.stats.p99 is not None]
    if p99s and high > 2 * max(p99s):
        high = max(p99s)
    return np.linspace(low, max(high, low + 1e-6), HISTOGRAM_BINS + 1)


@dataclass
class RunResult:
    count: int
    duration_s: float
    frames: int
    throughput_fps: float
    latency: LatencyStats
    groups: list[GroupResult]
    api: str
    nireq: int
    inference_only: bool
    batch: str  # the network batch as benchmark_app prints it ("1", "?", "1..4")
    device: str
    execution_devices: list[str] = field(default_factory=list)
    compiled_properties: dict[str, str] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(
        default_factory=dict
    )  # read, reshape, compile, first_inference
    stopped_early: bool = False
    latencies_ms: FloatArray = field(default_factory=lambda: np.empty(0))  # sorted
    pcseq: bool = False
    hide_latency: bool = False  # benchmark_app prints no latency for MULTI
    counters: PerfCounterTable | None = None  # per-layer counters, when collected
    stability: Stability | None = None  # window throughputs, CV, outliers, warnings
    environment: dict[str, Any] = field(default_factory=dict)  # machine and software
    throughput_interval: ThroughputInterval | None = None  # 95 % CI (runs of 2 s or more)
    auto: AutoOutcome | None = None  # how a -t auto run ended
    machine_load: MachineLoad | None = None  # our and other processes' CPU while measuring
    open_loop: OpenLoopStats | None = None  # an open-loop run's rates, queueing, service

    @property
    def latency_not_comparable(self) -> bool:
        """True when benchmark_app's latency would not mean the same as ours."""
        return (
            self.api == "async"
            and not self.hide_latency
            and 0 < self.latency.median < COMPARABLE_LATENCY_MS
        )

    def trust_warnings(self) -> list[str]:
        """Why the figures may be off: the stability check's, other load, -t auto's end."""
        warnings = list(self.stability.warnings) if self.stability is not None else []
        load = self.machine_load.warning() if self.machine_load is not None else None
        if load:
            warnings.append(load)
        if self.auto is not None and not self.auto.stable and not self.stopped_early:
            warnings.append(self.auto.message())  # stopped by the user: not -t auto's doing
        return warnings


@dataclass(frozen=True)
class ReportSetup:
    """What the report needs beyond RunResult, known to the engine."""

    topology: str = ""  # the model's friendly name ("" = NETWORK_NAME of the compiled model)
    niter: int | None = None  # the iteration limit after alignment, as benchmark_app reports it
    duration_s: float = 0.0  # the time limit (0 = none)
    streams: Mapping[str, str] = field(default_factory=dict)  # device -> streams (step 10)
    perf_counts: bool = False  # PERF_COUNT was on for the device (counters were collected)
    timings_ms: Mapping[str, float] = field(default_factory=dict)  # used when result is None


def group_results(
    latencies_in_ticket_order: FloatArray,
    labels: list[str],
    batches: list[int],
    percent: int,
) -> list[GroupResult]:
    """Split latencies by group: ticket t belongs to group t % len(labels)."""
    count = len(labels)
    total = float(latencies_in_ticket_order.sum()) or 1.0
    results = []
    for index, (label, batch) in enumerate(zip(labels, batches, strict=False)):
        mine = latencies_in_ticket_order[index::count]
        results.append(
            GroupResult(
                label=label,
                batch=batch,
                count=len(mine),
                frames=len(mine) * batch,
                stats=latency_stats(mine, percent),
                time_share=float(mine.sum()) / total,
            )
        )
    if results and latencies_in_ticket_order.size:
        edges = histogram_edges(results)
        for index, group in enumerate(results):
            mine = latencies_in_ticket_order[index::count]
            counts = np.zeros(HISTOGRAM_BINS, dtype=np.int64)
            for start in range(0, len(mine), _HISTOGRAM_CHUNK):  # no copy of the group
                counts += np.histogram(mine[start : start + _HISTOGRAM_CHUNK], bins=edges)[0]
            group.histogram.extend(int(c) for c in counts)
    return results


def format_latency(value_ms: float, use_us: bool) -> str:
    return f"{value_ms * 1000:.2f} us" if use_us else f"{value_ms:.2f} ms"


def summary_lines(result: RunResult) -> list[str]:
    """The final block, line for line as benchmark_app prints it (without `[ INFO ] `)."""
    lines = [
        f"Count:            {result.count} iterations",
        f"Duration:         {result.duration_s * 1000:.2f} ms",
    ]
    stats = result.latency
    if not result.hide_latency:
        use_us = stats.average < 1.0
        lines.append("Latency:")
        lines.append(_percentile_line(stats, use_us, "   Median:        ", "     "))
        lines.append(f"   Average:       {format_latency(stats.average, use_us)}")
        lines.append(f"   Min:           {format_latency(stats.minimum, use_us)}")
        lines.append(f"   Max:           {format_latency(stats.maximum, use_us)}")
    if result.pcseq:
        lines.append("Latency for each data shape group:")
        for number, group in enumerate(result.groups, start=1):
            g = group.stats
            use_us = g.average < 1.0
            lines.append(f"{number}.{group.label}")
            lines.append(_percentile_line(g, use_us, "   Median:     ", "     "))
            lines.append(f"   Average:    {format_latency(g.average, use_us)}")
            lines.append(f"   Min:        {format_latency(g.minimum, use_us)}")
            lines.append(f"   Max:        {format_latency(g.maximum, use_us)}")
    # The interval follows the number on the same line: scripts that parse
    # benchmark_app's `Throughput:\s+([\d.]+) FPS` still read it.
    lines.append(
        f"Throughput:   {result.throughput_fps:.2f} FPS{interval_text(result.throughput_interval)}"
    )
    if result.open_loop is not None:
        lines.extend(open_loop_lines(result.open_loop))
    if result.latency_not_comparable:
        lines.append(LATENCY_FOOTNOTE)
    return lines


def _percentile_line(stats: LatencyStats, use_us: bool, median_label: str, gap: str) -> str:
    value = format_latency(stats.percentile_value, use_us)
    if stats.percent == 50:
        return f"{median_label}{value}"
    return f"   {stats.percent} percentile:{gap}{value}"


def readable_property(text: str) -> str:
    """A compiled model's property as people write it."""
    # "<Type: 'float32'>" -> "f32"; "PerformanceMode.THROUGHPUT" -> "THROUGHPUT"
    names = {"float32": "f32", "bfloat16": "bf16", "float16": "f16", "int8": "i8"}
    if text.startswith("<Type: '") and text.endswith("'>"):
        inner = text[len("<Type: '") : -2]
        return names.get(inner, inner)
    return text.rsplit(".", 1)[-1] if text.startswith("PerformanceMode.") else text


def device_values(properties: dict[str, str], key: str) -> dict[str, str]:
    """A compiled-model setting as {device: value}: {"": value} when the model
    reports it itself, one entry per device when a virtual device (AUTO, MULTI)
    reports it as `CPU.NUM_STREAMS`."""
    if key in properties:
        return {"": properties[key]}
    return {
        name[: -len(key) - 1]: value
        for name, value in properties.items()
        if name.endswith("." + key)
    }


def readable_device_values(properties: dict[str, str], key: str) -> dict[str, str]:
    """`device_values` as people write them: what a sweep's effective columns and a
    comparison's "(effective)" rows show."""
    return {
        device: readable_property(value) for device, value in device_values(properties, key).items()
    }


def progress_fraction(
    planned_s: float, planned_n: int | None, elapsed_s: float, completed: int
) -> float:
    """How far a run is towards its limits (0 when it has none)."""
    parts = []
    if planned_s:
        parts.append(elapsed_s / planned_s)
    if planned_n:
        parts.append(completed / planned_n)
    # With both limits the run goes on until both are met.
    return max(0.0, min(1.0, min(parts))) if parts else 0.0
