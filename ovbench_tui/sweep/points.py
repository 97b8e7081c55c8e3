"""A finished sweep point and the sweep's outcome, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.open_loop_stats import OpenLoopStats
from ..engine.result import readable_device_values
from ..engine.stats import FloatArray, LatencyStats, enough_samples_for, percentile
from ..knobs import EFFECTIVE_PROPERTIES as KNOB_EFFECTIVE_PROPERTIES
from ..knobs import axis_name
from .grid import PointPlan, SweepSpec
from .selection import best_point, pareto_front

# What the compiled model says it runs with, read back after compiling (axis name ->
# property, from the knob table).
EFFECTIVE_PROPERTIES = KNOB_EFFECTIVE_PROPERTIES


@dataclass
class SweepPoint:
    plan: PointPlan
    order: int  # 1-based position in the run order
    count: int
    duration_s: float
    throughput_fps: float
    latency: LatencyStats
    latencies_ms: FloatArray = field(repr=False)  # sorted, for any percentile
    window_fps: list[float] = field(default_factory=list, repr=False)  # inferences/s
    window_median_ms: list[float | None] = field(default_factory=list, repr=False)
    effective: dict[str, str] = field(default_factory=dict)
    compiled_reused: bool = False
    warnings: list[str] = field(default_factory=list)
    run_id: int | None = None  # in the run history
    open_loop: OpenLoopStats | None = None  # a sweep at a set rate (-rate): its figures

    def latency_at(self, percent: float) -> float | None:
        """The percentile by benchmark_app's nearest rank, None when too few samples
        lie beyond it (the rule of the summary's p90..p99.9)."""
        n = len(self.latencies_ms)
        if n == 0 or (percent > 50 and not enough_samples_for(n, percent)):
            return None
        return percentile(self.latencies_ms, percent)


@dataclass
class PointFailure:
    plan: PointPlan
    message: str
    exit_code: int = 1


@dataclass
class SweepOutcome:
    spec: SweepSpec
    total: int
    points: list[SweepPoint] = field(default_factory=list)  # finished, in run order
    failures: list[PointFailure] = field(default_factory=list)
    stopped: bool = False

    def latencies(self, percent: float | None = None) -> list[float | None]:
        chosen = self.spec.percentile if percent is None else percent
        return [point.latency_at(chosen) for point in self.points]

    def pareto(self, percent: float | None = None) -> list[bool]:
        return pareto_front(self.latencies(percent), [p.throughput_fps for p in self.points])

    def best(self, percent: float | None = None, budget_ms: float | None = -1.0) -> int | None:
        """Index into `points`; budget -1 means the spec's budget."""
        budget = self.spec.budget_ms if budget_ms == -1.0 else budget_ms
        latencies = self.latencies(percent)
        if self.spec.base.rate:
            # Every point serves the same arrivals: the best keeps up with the lowest
            # latency from arrival (the fastest under the budget would be noise).
            latencies = [
                x if p.open_loop is None or p.open_loop.kept_up else None
                for p, x in zip(self.points, latencies, strict=True)
            ]
            return best_point(latencies, [-(x or 0.0) for x in latencies], budget)
        return best_point(latencies, [p.throughput_fps for p in self.points], budget)


def effective_settings(properties: dict[str, str], nireq: int, batch: str) -> dict[str, str]:
    """The compiled model's own values by axis name; a virtual device (AUTO, MULTI)
    reports them per device as `CPU.NUM_STREAMS`: joined with commas."""
    result = {}
    for name, key in EFFECTIVE_PROPERTIES.items():
        result[name] = ",".join(readable_device_values(properties, key).values())
    result[axis_name("nireq")] = str(nireq)
    result[axis_name("batch")] = batch
    return result
