"""A comparison of result documents as plain data (built by build.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..knobs import EFFECTIVE_PROPERTIES as AXIS_PROPERTIES
from ..knobs import axis_name

DEFAULT_THRESHOLD_PCT = 5.0
# Runs of the same settings differ by a few % from one run to the next, which the
# within-run interval cannot see; a verdict needs the interval beyond this much of A.
DEFAULT_MIN_EFFECT_PCT = 2.0

FASTER = "faster"
SLOWER = "slower"
WITHIN_NOISE = "within noise"
NO_INTERVAL = "no interval"

# Keys that say where a run's files went, not how it ran.
BOOKKEEPING_KEYS = frozenset(
    {
        "json_out",
        "history",
        "no_history",
        "progress",
        "report_folder",
        "dump_config",
        "exec_graph_path",
    }
)
ENVIRONMENT_KEYS = ("openvino_version", "cpu_model", "devices", "logical_cores")


def effective_label(axis: str) -> str:
    """ "streams (effective)": a knob by its sweep axis name, as the compiled model ran it."""
    return f"{axis} (effective)"


# What the compiled model reported it ran with (label, compiled property), the knob
# table's sweep axes that set a device property, the hint last: a hint alone does not
# say that it meant 2 streams and 2 requests on one machine, 1 and 1 on another.
EFFECTIVE_PROPERTIES = tuple(
    (effective_label(axis), device_property)
    for axis, device_property in sorted(
        AXIS_PROPERTIES.items(), key=lambda item: item[0] == axis_name("hint")
    )
)
REQUESTS_EFFECTIVE = effective_label(axis_name("nireq"))

# (key, label, unit, direction): +1 higher is better, -1 lower is better, 0 neither.
FIGURES: tuple[tuple[str, str, str, int], ...] = (
    ("throughput_fps", "throughput", "FPS", +1),
    ("median", "median", "ms", -1),
    ("average", "average", "ms", -1),
    ("p90", "p90", "ms", -1),
    ("p95", "p95", "ms", -1),
    ("p99", "p99", "ms", -1),
    ("min", "min", "ms", -1),
    ("max", "max", "ms", -1),
    ("count", "count", "", 0),
    ("duration_ms", "duration", "ms", 0),
    # An open-loop run's (-rate): shown when both runs have them.
    ("offered_rps", "offered", "req/s", 0),
    ("achieved_rps", "achieved", "req/s", +1),
    ("service_median", "service p50", "ms", -1),
    ("service_p99", "service p99", "ms", -1),
    ("waited_pct", "waited", "%", -1),
)
OPEN_LOOP_KEYS = frozenset(("offered_rps", "achieved_rps", "service_median", "service_p99"))
WITH_INTERVAL = ("throughput_fps", "median")
LATENCY_KEYS = frozenset(key for key, _, unit, _ in FIGURES if unit == "ms") - {
    "duration_ms",
    *OPEN_LOOP_KEYS,
}

FloatArray = npt.NDArray[np.float64]


# -- plain data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunInfo:
    letter: str  # A, B, C, ... in the tables
    name: str  # what the user called it: a file or "run 12"
    model: str
    device: str
    created_at: str
    stopped_early: bool
    windows: int  # throughput windows in its stability record
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class FigureRow:
    key: str  # "throughput_fps", "median", "p90", ..., "count", "duration_ms"
    label: str
    unit: str
    direction: int  # +1 higher is better, -1 lower is better, 0 neither
    baseline: float
    other: float
    delta: float  # other - baseline
    delta_pct: float | None  # None: the baseline is 0
    interval: tuple[float, float] | None  # 95 % CI of the difference
    verdict: str | None  # None: no interval is computed for this figure
    note: str  # why there is no interval

    @property
    def better(self) -> bool | None:
        """Whether the other run did better (None: no direction, or no difference)."""
        if not self.direction or not self.delta:
            return None
        return self.delta * self.direction > 0


@dataclass(frozen=True)
class TimeRow:
    """One layer (or layer type) in both runs: mean real time per inference."""

    name: str
    layer_type: str  # "" for by-type rows
    baseline_ms: float | None  # None: the layer is not in the baseline
    other_ms: float | None
    delta_ms: float
    delta_pct: float | None  # None: only in one run, or the baseline took no time
    only_in: str  # "" in both runs, else the letter of the one run that has it

    @property
    def presence(self) -> str:
        return f"only in {self.only_in}" if self.only_in else ""

    def beyond(self, threshold_pct: float) -> bool:
        if self.only_in or self.delta_pct is None:
            return True
        return abs(self.delta_pct) >= threshold_pct


@dataclass(frozen=True)
class GroupFigures:
    count: int
    median: float | None
    average: float | None


@dataclass(frozen=True)
class GroupRow:
    label: str
    baseline: GroupFigures | None
    other: GroupFigures | None
    only_in: str

    @property
    def median_delta(self) -> tuple[float, float | None] | None:
        return _delta_of(self.baseline, self.other, "median")

    @property
    def average_delta(self) -> tuple[float, float | None] | None:
        return _delta_of(self.baseline, self.other, "average")


@dataclass(frozen=True)
class Difference:
    key: str
    values: tuple[str, ...]  # one per run, as shown


@dataclass(frozen=True)
class PairComparison:
    baseline: str  # run letters
    other: str
    figures: tuple[FigureRow, ...]
    figures_note: str
    layers: tuple[TimeRow, ...] | None  # None: a run has no layer counters
    layer_types: tuple[TimeRow, ...]
    layers_note: str
    groups: tuple[GroupRow, ...]
    groups_note: str
    layer_matching: str = ""  # how layers were paired: by name, or by structure

    def layers_beyond(self, threshold_pct: float) -> tuple[TimeRow, ...]:
        """Layers whose |difference %| is at least the threshold, and those in one run only."""
        return tuple(row for row in self.layers or () if row.beyond(threshold_pct))

    def figure(self, key: str) -> FigureRow | None:
        return next((row for row in self.figures if row.key == key), None)


@dataclass(frozen=True)
class Comparison:
    runs: tuple[RunInfo, ...]
    pairs: tuple[PairComparison, ...]  # runs[i + 1] against runs[0]
    config_differences: tuple[Difference, ...]
    environment_differences: tuple[Difference, ...]
    threshold_pct: float
    min_effect_pct: float = DEFAULT_MIN_EFFECT_PCT

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for pair, source in zip(data["pairs"], self.pairs, strict=True):
            pair["layers_beyond_threshold"] = [
                row.name for row in source.layers_beyond(self.threshold_pct)
            ]
        return data


def percent_of(delta: float, baseline: float) -> float | None:
    return delta / baseline * 100 if baseline else (0.0 if not delta else None)


def _delta_of(
    baseline: GroupFigures | None, other: GroupFigures | None, name: str
) -> tuple[float, float | None] | None:
    if baseline is None or other is None:
        return None
    a, b = getattr(baseline, name), getattr(other, name)
    if a is None or b is None:
        return None
    return b - a, percent_of(b - a, a)
