"""Comparing result documents: the figures, layers, groups and settings, as plain data."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..engine.counters import PerfCounterTable
from ..engine.interval import bootstrap_difference
from ..engine.result import device_values, readable_property
from ..engine.stability import MIN_WINDOW_S, MIN_WINDOWS
from .layer_match import match_layers

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

# What the compiled model reported it ran with (label, compiled property): a hint
# alone does not say that it meant 2 streams and 2 requests on one machine, 1 and 1
# on another.
EFFECTIVE_PROPERTIES = (
    ("streams (effective)", "NUM_STREAMS"),
    ("threads (effective)", "INFERENCE_NUM_THREADS"),
    ("precision (effective)", "INFERENCE_PRECISION_HINT"),
    ("hint (effective)", "PERFORMANCE_HINT"),
)
REQUESTS_EFFECTIVE = "requests (effective)"
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


# -- building it ---------------------------------------------------------------------------


def _letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        text, number = "", index
        while True:
            text = chr(ord("A") + number % 26) + text
            number = number // 26 - 1
            if number < 0:
                break
        letters.append(text)
    return letters


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _percent(delta: float, baseline: float) -> float | None:
    return delta / baseline * 100 if baseline else (0.0 if not delta else None)


def _delta_of(
    baseline: GroupFigures | None, other: GroupFigures | None, name: str
) -> tuple[float, float | None] | None:
    if baseline is None or other is None:
        return None
    a, b = getattr(baseline, name), getattr(other, name)
    if a is None or b is None:
        return None
    return b - a, _percent(b - a, a)


def _figure_values(document: dict[str, Any]) -> dict[str, float]:
    statistics = _dict(document.get("statistics"))
    values = {
        key: _number(statistics.get(key)) for key in ("throughput_fps", "count", "duration_ms")
    }
    latency = _dict(statistics.get("latency_ms"))
    values.update({key: _number(latency.get(key)) for key in LATENCY_KEYS})
    open_loop = _dict(document.get("open_loop"))
    if open_loop:
        service = _dict(open_loop.get("service_ms"))
        values.update(
            offered_rps=_number(open_loop.get("offered_rps")),
            achieved_rps=_number(open_loop.get("achieved_rps")),
            service_median=_number(service.get("median")),
            service_p99=_number(service.get("p99")),
            waited_pct=None
            if _number(open_loop.get("waited_share")) is None
            else 100 * float(open_loop["waited_share"]),
        )
    return {key: value for key, value in values.items() if value is not None}


def _window_samples(document: dict[str, Any], key: str) -> tuple[FloatArray | None, str]:
    """The per-window samples of a figure, or None and why there are not enough."""
    stability = document.get("stability")
    if not isinstance(stability, dict):
        return None, "no per-window record (a compile-only run or an old result document)"
    if key == "throughput_fps":
        statistics = _dict(document.get("statistics"))
        count, frames = _number(statistics.get("count")), _number(statistics.get("frames"))
        # Windows count inferences; frames/count turns them into frames/s like the figure.
        scale = frames / count if count and frames else 1.0
        values = [
            v * scale for v in map(_number, _list(stability.get("window_fps"))) if v is not None
        ]
    else:
        if "window_median_ms" not in stability:
            return None, "an old result document without per-window medians"
        values = [
            v for v in map(_number, _list(stability.get("window_median_ms"))) if v is not None
        ]
    if len(values) < MIN_WINDOWS:
        return None, _too_short(document, stability, len(values))
    return np.asarray(values, dtype=np.float64), ""


def _too_short(document: dict[str, Any], stability: dict[str, Any], usable: int) -> str:
    """Why a run has too few windows, and a length that would give enough: windows
    are at least MIN_WINDOW_S long, and one without a completed inference (long
    inferences, a slow start) has no median, so a 2.07 s run may hold only 3."""
    seconds = (_number(_dict(document.get("statistics")).get("duration_ms")) or 0.0) / 1000
    total = len(_list(stability.get("window_fps")))
    need = MIN_WINDOWS * MIN_WINDOW_S
    if seconds >= need and usable:
        need = math.ceil(seconds * MIN_WINDOWS / usable) + 1
    empty = f" ({total - usable} of {total} finished no inference)" if total > usable else ""
    return (
        f"run too short: {usable} usable windows{empty}, needs {MIN_WINDOWS} "
        f"(measure {need:g} s or more)"
    )


def verdict_of(
    interval: tuple[float, float], direction: int, baseline: float, min_effect_pct: float
) -> str:
    """FASTER or SLOWER only when the whole interval of B - A lies beyond
    ±min_effect_pct % of A (`baseline`) in one direction, else WITHIN_NOISE."""
    low, high = interval
    margin = abs(baseline) * min_effect_pct / 100
    if low > margin:
        return FASTER if direction > 0 else SLOWER
    if high < -margin:
        return SLOWER if direction > 0 else FASTER
    return WITHIN_NOISE


def _figures(
    a: dict[str, Any], b: dict[str, Any], letters: tuple[str, str], min_effect_pct: float
) -> tuple[tuple[FigureRow, ...], str]:
    values_a, values_b = _figure_values(a), _figure_values(b)
    rows = []
    for key, label, unit, direction in FIGURES:
        if key not in values_a or key not in values_b:
            continue
        base, other = values_a[key], values_b[key]
        interval: tuple[float, float] | None = None
        verdict: str | None = None
        note = ""
        if key in WITH_INTERVAL:
            samples_a, why_a = _window_samples(a, key)
            samples_b, why_b = _window_samples(b, key)
            if samples_a is None or samples_b is None:
                verdict = NO_INTERVAL
                note = "; ".join(
                    f"{letter}: {why}"
                    for letter, why in zip(letters, (why_a, why_b), strict=True)
                    if why
                )
            else:
                interval = bootstrap_difference(samples_a, samples_b)
                verdict = verdict_of(interval, direction, base, min_effect_pct)
        rows.append(
            FigureRow(
                key=key,
                label=label,
                unit=unit,
                direction=direction,
                baseline=base,
                other=other,
                delta=other - base,
                delta_pct=_percent(other - base, base),
                interval=interval,
                verdict=verdict,
                note=note,
            )
        )
    missing = [
        letter
        for letter, document in zip(letters, (a, b), strict=True)
        if not _dict(document.get("statistics"))
    ]
    note = (
        f"{' and '.join(missing)}: no statistics (a compile-only run, -niter 0)" if missing else ""
    )
    return tuple(rows), note


def _counters(document: dict[str, Any]) -> PerfCounterTable | None:
    data = document.get("counters")
    if not isinstance(data, dict):
        return None
    try:
        table = PerfCounterTable.from_dict(data)
    except (KeyError, TypeError, ValueError):
        return None
    return table if table.layers else None


def _time_rows(
    a: dict[str, tuple[str, float]], b: dict[str, tuple[str, float]], letters: tuple[str, str]
) -> tuple[TimeRow, ...]:
    rows = []
    for name in list(a) + [name for name in b if name not in a]:
        kind_a, ms_a = a.get(name, ("", None))
        kind_b, ms_b = b.get(name, ("", None))
        if ms_a is not None and ms_b is not None:
            delta = ms_b - ms_a
            rows.append(
                TimeRow(name, kind_a or kind_b, ms_a, ms_b, delta, _percent(delta, ms_a), "")
            )
        elif ms_a is not None:
            rows.append(TimeRow(name, kind_a, ms_a, None, -ms_a, None, letters[0]))
        else:
            rows.append(TimeRow(name, kind_b, None, ms_b, ms_b or 0.0, None, letters[1]))
    rows.sort(key=lambda row: (-abs(row.delta_ms), row.name))
    return tuple(rows)


def _layers(
    a: dict[str, Any], b: dict[str, Any], letters: tuple[str, str]
) -> tuple[tuple[TimeRow, ...] | None, tuple[TimeRow, ...], str]:
    table_a, table_b = _counters(a), _counters(b)
    missing = [
        letter for letter, table in zip(letters, (table_a, table_b), strict=True) if table is None
    ]
    if table_a is None or table_b is None:
        who = " and ".join(missing)
        return None, (), f"{who}: no layer counters (run with -pc to compare layers)"
    timed_a, timed_b, how = match_layers(table_a.layers, table_b.layers)
    layers = _time_rows(timed_a, timed_b, letters)
    types = _time_rows(
        {row.key: ("", row.mean_ms) for row in table_a.by_type()},
        {row.key: ("", row.mean_ms) for row in table_b.by_type()},
        letters,
    )
    note = (
        f"mean real time per inference over {table_a.inferences} ({letters[0]}) and "
        f"{table_b.inferences} ({letters[1]}) inferences; {how}"
    )
    return layers, types, note


def _group_figures(group: dict[str, Any]) -> GroupFigures:
    latency = _dict(group.get("latency_ms"))
    count = _number(group.get("count"))
    return GroupFigures(
        count=int(count or 0),
        median=_number(latency.get("median")),
        average=_number(latency.get("average")),
    )


def _groups(
    a: dict[str, Any], b: dict[str, Any], letters: tuple[str, str]
) -> tuple[tuple[GroupRow, ...], str]:
    def by_label(document: dict[str, Any]) -> dict[str, GroupFigures]:
        groups = document.get("groups")
        return {
            str(group.get("label", "")).strip(): _group_figures(group)
            for group in (groups if isinstance(groups, list) else [])
            if isinstance(group, dict)
        }

    groups_a, groups_b = by_label(a), by_label(b)
    rows = []
    for label in list(groups_a) + [label for label in groups_b if label not in groups_a]:
        first, second = groups_a.get(label), groups_b.get(label)
        only = "" if first and second else letters[0] if first else letters[1]
        rows.append(GroupRow(label, first, second, only))
    if not rows:
        return (), "one data shape in both runs: see the figures"
    return tuple(rows), "latencies in ms"


def _shown(value: Any, key: str = "") -> str:
    if value is None or value == "":
        return "-"
    if key == "nireq" and value == 0:
        return "0 (auto)"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return ", ".join(f"{key}: {text}" if text else key for key, text in value.items()) or "-"
    return json.dumps(value, sort_keys=True)


def _same_key(value: Any) -> str:
    # "" and None both mean "not given" in a config.
    return "null" if value == "" else json.dumps(value, sort_keys=True, default=str)


def _differences(sections: Sequence[dict[str, Any]], keys: Sequence[str]) -> tuple[Difference, ...]:
    differences = []
    for key in keys:
        values = [section.get(key) for section in sections]
        if len({_same_key(value) for value in values}) > 1:
            differences.append(Difference(key, tuple(_shown(value, key) for value in values)))
    return tuple(differences)


def _effective(document: dict[str, Any]) -> dict[str, str]:
    """The settings the compiled model ran with; "" where the document does not say.
    A virtual device (AUTO, MULTI) reports them per device, as `CPU.NUM_STREAMS`."""
    properties = {
        str(key): str(value) for key, value in _dict(document.get("compiled_properties")).items()
    }
    nireq = _number(_dict(document.get("statistics")).get("nireq"))
    values = {REQUESTS_EFFECTIVE: "" if nireq is None else f"{nireq:g}"}
    for label, key in EFFECTIVE_PROPERTIES:
        nested = {
            device: readable_property(value)
            for device, value in device_values(properties, key).items()
        }
        if len(nested) == 1:
            values[label] = next(iter(nested.values()))
        else:
            values[label] = ", ".join(f"{device}: {value}" for device, value in nested.items())
    return values


def _effective_differences(documents: Sequence[dict[str, Any]]) -> tuple[Difference, ...]:
    # Only known values are compared: an old document without them differs in nothing.
    effective = [_effective(document) for document in documents]
    differences = []
    for label in [REQUESTS_EFFECTIVE] + [label for label, _ in EFFECTIVE_PROPERTIES]:
        values = [settings[label] for settings in effective]
        if len({value for value in values if value}) > 1:
            differences.append(Difference(label, tuple(value or "-" for value in values)))
    return tuple(differences)


def _run_info(letter: str, name: str, document: dict[str, Any]) -> RunInfo:
    config = _dict(document.get("config"))
    statistics = _dict(document.get("statistics"))
    stability = _dict(document.get("stability"))
    return RunInfo(
        letter=letter,
        name=name,
        model=str(config.get("model", "?")),
        device=str(statistics.get("device") or config.get("device") or "?"),
        created_at=str(document.get("created_at") or ""),
        stopped_early=bool(statistics.get("stopped_early")),
        windows=len(_list(stability.get("window_fps"))),
        warnings=tuple(str(text) for text in _list(stability.get("warnings"))),
    )


def compare_documents(
    documents: list[dict[str, Any]],
    names: list[str] | None = None,
    *,
    threshold_pct: float = DEFAULT_THRESHOLD_PCT,
    min_effect_pct: float = DEFAULT_MIN_EFFECT_PCT,
) -> Comparison:
    """Compare result documents (reports.result_file's format) with the first one.

    `names` label the runs (default: their letters A, B, ...); `threshold_pct`
    is the default layer filter of `format_comparison` and `to_dict`;
    `min_effect_pct` is the smallest difference, in % of A, a verdict of
    "faster" or "slower" needs the whole 95 % interval beyond (`verdict_of`).
    """
    if not 0 <= min_effect_pct < math.inf:
        raise ValueError(f"min_effect_pct {min_effect_pct} is not a percentage of 0 or more")
    if len(documents) < 2:
        raise ValueError(f"a comparison needs 2 or more runs, got {len(documents)}")
    letters = _letters(len(documents))
    names = list(names) if names is not None else letters
    if len(names) != len(documents):
        raise ValueError(f"{len(names)} names for {len(documents)} runs")
    runs = tuple(
        _run_info(letter, name, document)
        for letter, name, document in zip(letters, names, documents, strict=True)
    )
    baseline = documents[0]
    pairs = []
    for letter, document in zip(letters[1:], documents[1:], strict=True):
        pair_letters = (letters[0], letter)
        figures, figures_note = _figures(baseline, document, pair_letters, min_effect_pct)
        layers, layer_types, layers_note = _layers(baseline, document, pair_letters)
        groups, groups_note = _groups(baseline, document, pair_letters)
        matching = layers_note.rpartition("; ")[2] if layers is not None else ""
        pairs.append(
            PairComparison(
                baseline=letters[0],
                other=letter,
                figures=figures,
                figures_note=figures_note,
                layers=layers,
                layer_types=layer_types,
                layers_note=layers_note,
                groups=groups,
                groups_note=groups_note,
                layer_matching=matching,
            )
        )
    configs = [_dict(document.get("config")) for document in documents]
    config_keys = [key for key in configs[0] if key not in BOOKKEEPING_KEYS]
    config_keys += [
        key
        for config in configs[1:]
        for key in config
        if key not in BOOKKEEPING_KEYS and key not in config_keys
    ]
    return Comparison(
        runs=runs,
        pairs=tuple(pairs),
        config_differences=_differences(configs, list(dict.fromkeys(config_keys)))
        + _effective_differences(documents),
        environment_differences=_differences(
            [_dict(document.get("environment")) for document in documents], ENVIRONMENT_KEYS
        ),
        threshold_pct=threshold_pct,
        min_effect_pct=min_effect_pct,
    )
