"""A stored run brought back: its BenchmarkConfig and RunResult from a result document.

The document is reports.result_file's (the history stores the same one).  Old
and new documents both load: unknown keys are dropped, missing ones take their
defaults.  The latencies themselves are not stored (a histogram is), so the
rebuilt result has an empty `latencies_ms`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

import numpy as np

from ..config import BenchmarkConfig
from ..engine.machine_load import MachineLoad
from ..engine.open_loop_stats import OpenLoopStats
from ..engine.result import GroupResult, RunResult
from ..engine.stability import Stability
from ..engine.stats import LatencyStats
from ..engine.until_stable import AutoOutcome, ThroughputInterval
from ..errors import UsageError
from .result_file import counters_from_document

# Output files of the old run: a re-run must never overwrite them.
CLEARED_ON_LOAD: dict[str, object] = {"json_out": "", "dump_config": "", "exec_graph_path": None}


def _fits(value: object, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is tuple:
        return isinstance(value, tuple) and all(isinstance(item, str) for item in value)
    if origin is dict:
        return isinstance(value, dict)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def config_from_document(document: Any) -> BenchmarkConfig:
    """The settings of a stored run, ready to run again (its output files cleared).

    Raises UsageError when the document holds no usable settings."""
    data = document.get("config") if isinstance(document, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("model"), str) or not data["model"]:
        raise UsageError(
            "the stored run has no settings to load (its result document has no config "
            "with a model): run it again from the form"
        )
    hints = typing.get_type_hints(BenchmarkConfig)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(BenchmarkConfig):
        if field.name not in data:
            continue  # an older document: the default
        value = data[field.name]
        if field.name == "inputs" and isinstance(value, list):
            value = tuple(value)  # JSON has no tuples
        if not _fits(value, hints[field.name]):
            raise UsageError(
                f"the stored run's setting {field.name} = {value!r} is not of the expected "
                "type: the history file was edited or damaged; run it again from the form"
            )
        values[field.name] = float(value) if hints[field.name] is float else value
    values.update(CLEARED_ON_LOAD)
    try:
        return BenchmarkConfig(**values).validate()
    except UsageError as error:
        raise UsageError(f"the stored run's settings are no longer valid: {error}") from error


def _number(data: dict[str, Any], key: str, default: float = 0.0) -> float:
    value = data.get(key)
    return default if value is None else float(value)


def _optional(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    return None if value is None else float(value)


def _latency(data: Any, percent: int) -> LatencyStats:
    if not isinstance(data, dict):
        return LatencyStats.empty(percent)
    median = _number(data, "median")
    return LatencyStats(
        count=int(data.get("count") or 0),
        percentile_value=_number(data, "percentile", median),
        percent=int(data.get("percent") or percent),
        median=median,
        average=_number(data, "average"),
        minimum=_number(data, "min"),
        maximum=_number(data, "max"),
        std=_number(data, "std"),
        p90=_optional(data, "p90"),
        p95=_optional(data, "p95"),
        p99=_optional(data, "p99"),
        p999=_optional(data, "p99_9"),
    )


def _group(data: dict[str, Any], percent: int) -> GroupResult:
    label = str(data.get("label") or "")
    return GroupResult(
        label=f" {label}",  # stored stripped; benchmark_app's label has a leading space
        batch=int(data.get("batch") or 1),
        count=int(data.get("count") or 0),
        frames=int(data.get("frames") or 0),
        stats=_latency(data.get("latency_ms"), percent),
        time_share=_number(data, "time_share"),
    )


def _stability(data: Any) -> Stability | None:
    return _stored(Stability, data)


T = typing.TypeVar("T")


def _stored(kind: type[T], data: Any) -> T | None:
    """A dataclass from its stored dict (unknown keys dropped); None when absent."""
    if not isinstance(data, dict):
        return None
    known = {field.name for field in dataclasses.fields(kind)}  # type: ignore[arg-type]
    return kind(**{key: value for key, value in data.items() if key in known})


def _open_loop(data: Any, percent: int) -> OpenLoopStats | None:
    if not isinstance(data, dict):
        return None
    known = {field.name for field in dataclasses.fields(OpenLoopStats)}
    values = {key: value for key, value in data.items() if key in known}
    values["latency"] = _latency(data.get("latency_ms"), percent)
    values["service"] = _latency(data.get("service_ms"), percent)
    return OpenLoopStats(**values)


def result_from_document(document: Any) -> RunResult:
    """The figures of a stored run (every statistic, groups, counters, stability).

    Raises UsageError when the document has no statistics (a compile-only run)
    or is damaged."""
    statistics = document.get("statistics") if isinstance(document, dict) else None
    if not isinstance(statistics, dict):
        raise UsageError(
            "the stored run has no statistics (a compile-only run, or not a result document)"
        )
    config = document.get("config") if isinstance(document.get("config"), dict) else {}
    try:
        percent = int(config.get("latency_percentile") or 50)
        latency = statistics.get("latency_ms")
        return RunResult(
            count=int(statistics.get("count") or 0),
            duration_s=_number(statistics, "duration_ms") / 1000,
            frames=int(statistics.get("frames") or 0),
            throughput_fps=_number(statistics, "throughput_fps"),
            latency=_latency(latency, percent),
            groups=[_group(group, percent) for group in document.get("groups") or []],
            api=str(statistics.get("api") or ""),
            nireq=int(statistics.get("nireq") or 0),
            inference_only=bool(statistics.get("inference_only")),
            batch=str(statistics.get("batch") or ""),
            device=str(statistics.get("device") or config.get("device") or ""),
            execution_devices=[str(name) for name in statistics.get("execution_devices") or []],
            compiled_properties={
                str(key): str(value)
                for key, value in (document.get("compiled_properties") or {}).items()
            },
            timings_ms={
                str(key): float(value) for key, value in (document.get("timings_ms") or {}).items()
            },
            stopped_early=bool(statistics.get("stopped_early")),
            latencies_ms=np.empty(0),
            pcseq=bool(statistics.get("pcseq")),
            hide_latency=latency is None,
            counters=counters_from_document(document),
            stability=_stability(document.get("stability")),
            throughput_interval=_stored(ThroughputInterval, document.get("throughput_interval")),
            auto=_stored(AutoOutcome, document.get("auto")),
            machine_load=_stored(MachineLoad, document.get("machine_load")),
            open_loop=_open_loop(document.get("open_loop"), percent),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise UsageError(
            f"the stored run's result is damaged ({type(error).__name__}: {error}): "
            "run it again from the form"
        ) from error
