"""Building a `Comparison` from result documents: figures with intervals and
verdicts, layers, groups, settings."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine.counters import PerfCounterTable
from ..engine.interval import interval_around
from ..engine.stability import MIN_WINDOW_S, MIN_WINDOWS
from .documents import as_dict, as_list, as_number
from .layer_match import match_layers
from .model import (
    BOOKKEEPING_KEYS,
    DEFAULT_MIN_EFFECT_PCT,
    DEFAULT_THRESHOLD_PCT,
    ENVIRONMENT_KEYS,
    FASTER,
    FIGURES,
    LATENCY_KEYS,
    NO_INTERVAL,
    SLOWER,
    WITH_INTERVAL,
    WITHIN_NOISE,
    Comparison,
    FigureRow,
    FloatArray,
    GroupFigures,
    GroupRow,
    PairComparison,
    RunInfo,
    TimeRow,
    percent_of,
)
from .settings import differences, effective_differences


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


def _figure_values(document: dict[str, Any]) -> dict[str, float]:
    statistics = as_dict(document.get("statistics"))
    values = {
        key: as_number(statistics.get(key)) for key in ("throughput_fps", "count", "duration_ms")
    }
    latency = as_dict(statistics.get("latency_ms"))
    values.update({key: as_number(latency.get(key)) for key in LATENCY_KEYS})
    open_loop = as_dict(document.get("open_loop"))
    if open_loop:
        service = as_dict(open_loop.get("service_ms"))
        values.update(
            offered_rps=as_number(open_loop.get("offered_rps")),
            achieved_rps=as_number(open_loop.get("achieved_rps")),
            service_median=as_number(service.get("median")),
            service_p99=as_number(service.get("p99")),
            waited_pct=None
            if as_number(open_loop.get("waited_share")) is None
            else 100 * float(open_loop["waited_share"]),
        )
    return {key: value for key, value in values.items() if value is not None}


def _window_samples(document: dict[str, Any], key: str) -> tuple[FloatArray | None, str]:
    """The per-window samples of a figure, or None and why there are not enough."""
    stability = document.get("stability")
    if not isinstance(stability, dict):
        return None, "no per-window record (a compile-only run or an old result document)"
    if key == "throughput_fps":
        statistics = as_dict(document.get("statistics"))
        count, frames = as_number(statistics.get("count")), as_number(statistics.get("frames"))
        # Windows count inferences; frames/count turns them into frames/s like the figure.
        scale = frames / count if count and frames else 1.0
        values = [
            v * scale for v in map(as_number, as_list(stability.get("window_fps"))) if v is not None
        ]
    else:
        if "window_median_ms" not in stability:
            return None, "an old result document without per-window medians"
        values = [
            v for v in map(as_number, as_list(stability.get("window_median_ms"))) if v is not None
        ]
    if len(values) < MIN_WINDOWS:
        return None, _too_short(document, stability, len(values))
    return np.asarray(values, dtype=np.float64), ""


def _too_short(document: dict[str, Any], stability: dict[str, Any], usable: int) -> str:
    """Why a run has too few windows, and a length that would give enough: windows
    are at least MIN_WINDOW_S long, and one without a completed inference (long
    inferences, a slow start) has no median, so a 2.07 s run may hold only 3."""
    seconds = (as_number(as_dict(document.get("statistics")).get("duration_ms")) or 0.0) / 1000
    total = len(as_list(stability.get("window_fps")))
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
                # Around Δ itself: the windows give the spread, not the point.
                interval = interval_around(other - base, samples_a, samples_b)
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
                delta_pct=percent_of(other - base, base),
                interval=interval,
                verdict=verdict,
                note=note,
            )
        )
    missing = [
        letter
        for letter, document in zip(letters, (a, b), strict=True)
        if not as_dict(document.get("statistics"))
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
                TimeRow(name, kind_a or kind_b, ms_a, ms_b, delta, percent_of(delta, ms_a), "")
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
    latency = as_dict(group.get("latency_ms"))
    count = as_number(group.get("count"))
    return GroupFigures(
        count=int(count or 0),
        median=as_number(latency.get("median")),
        average=as_number(latency.get("average")),
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


def _run_info(letter: str, name: str, document: dict[str, Any]) -> RunInfo:
    config = as_dict(document.get("config"))
    statistics = as_dict(document.get("statistics"))
    stability = as_dict(document.get("stability"))
    return RunInfo(
        letter=letter,
        name=name,
        model=str(config.get("model", "?")),
        device=str(statistics.get("device") or config.get("device") or "?"),
        created_at=str(document.get("created_at") or ""),
        stopped_early=bool(statistics.get("stopped_early")),
        windows=len(as_list(stability.get("window_fps"))),
        warnings=tuple(str(text) for text in as_list(stability.get("warnings"))),
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
    configs = [as_dict(document.get("config")) for document in documents]
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
        config_differences=differences(configs, list(dict.fromkeys(config_keys)))
        + effective_differences(documents),
        environment_differences=differences(
            [as_dict(document.get("environment")) for document in documents], ENVIRONMENT_KEYS
        ),
        threshold_pct=threshold_pct,
        min_effect_pct=min_effect_pct,
    )
