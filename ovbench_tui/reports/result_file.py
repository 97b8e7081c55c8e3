"""ovbench-tui's own JSON result file (`--json-out FILE`): everything a run measured,
with the configuration and the machine, so runs can be compared later."""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any

import numpy as np

from .. import __version__
from ..config import BenchmarkConfig
from ..engine.counters import PerfCounterTable
from ..engine.environment import collect_environment
from ..engine.open_loop_stats import OpenLoopStats
from ..engine.result import RunResult
from ..engine.stats import FloatArray, LatencyStats
from ..errors import UsageError
from .files import describe_with, write_file

SCHEMA = "ovbench-tui/result"
SCHEMA_VERSION = 1
HISTOGRAM_BINS = 50
# Latencies spanning more than a decade get log-spaced bins, so the bulk of a
# run and its slow tail both show; narrower spreads read better linearly.
LOG_BINS_ABOVE_RATIO = 10.0


# -- writing files ------------------------------------------------------------------------


def atomic_write_text(path: str, text: str, newline: str | None = None) -> None:
    """Write `text` to `path` without damaging what it points at (see files.write_file).

    Raises OSError; callers turn it into a one-line message naming their option.
    """
    write_file(path, text, newline)


# -- the document ---------------------------------------------------------------------------


def _latency_dict(stats: LatencyStats) -> dict[str, Any]:
    return {
        "count": stats.count,
        "percent": stats.percent,
        "percentile": stats.percentile_value,
        "median": stats.median,
        "average": stats.average,
        "min": stats.minimum,
        "max": stats.maximum,
        "std": stats.std,
        "p90": stats.p90,
        "p95": stats.p95,
        "p99": stats.p99,
        "p99_9": stats.p999,
    }


def latency_histogram(
    sorted_latencies_ms: FloatArray, bins: int = HISTOGRAM_BINS
) -> dict[str, Any]:
    """Bin edges (len = counts + 1) and counts between the smallest and largest latency;
    the last bin includes the maximum."""
    values = np.asarray(sorted_latencies_ms, dtype=np.float64)
    if values.size == 0:
        return {"unit": "ms", "scale": "linear", "edges": [], "counts": []}
    low, high = float(values[0]), float(values[-1])
    if high <= low:
        return {"unit": "ms", "scale": "linear", "edges": [low, high], "counts": [int(values.size)]}
    if low > 0 and high / low > LOG_BINS_ABOVE_RATIO:
        scale = "log"
        edges = np.geomspace(low, high, bins + 1)
    else:
        scale = "linear"
        edges = np.linspace(low, high, bins + 1)
    # geomspace/linspace may miss the ends by an ulp, which would drop min or max.
    edges[0], edges[-1] = low, high
    counts, _ = np.histogram(values, bins=edges)
    return {
        "unit": "ms",
        "scale": scale,
        "edges": [float(edge) for edge in edges],
        "counts": [int(count) for count in counts],
    }


def _statistics(result: RunResult) -> dict[str, Any]:
    return {
        "count": result.count,
        "duration_ms": result.duration_s * 1000,
        "frames": result.frames,
        "throughput_fps": result.throughput_fps,
        "api": result.api,
        "nireq": result.nireq,
        "inference_only": result.inference_only,
        "batch": result.batch,
        "device": result.device,
        "execution_devices": list(result.execution_devices),
        "stopped_early": result.stopped_early,
        "pcseq": result.pcseq,
        "latency_ms": None if result.hide_latency else _latency_dict(result.latency),
    }


def open_loop_dict(stats: OpenLoopStats) -> dict[str, Any]:
    """An open-loop run's own figures (None in the document for a closed loop)."""
    data = dataclasses.asdict(stats)
    data["latency_ms"] = _latency_dict(stats.latency)  # from the scheduled arrival
    data["service_ms"] = _latency_dict(stats.service)
    del data["latency"], data["service"]
    return data


def build_result_document(
    config: BenchmarkConfig,
    result: RunResult | None,
    counters: PerfCounterTable | None,
    environment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Plain JSON-ready data; `result` None for a compile-only run (-niter 0);
    `environment` None collects it now (see collect_environment)."""
    if environment is None:
        environment = collect_environment()
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ovbench-tui", "version": __version__},
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "config": dataclasses.asdict(config),
        "environment": environment,
        "statistics": None if result is None else _statistics(result),
        "groups": []
        if result is None
        else [
            {
                "label": group.label.strip(),
                "batch": group.batch,
                "count": group.count,
                "frames": group.frames,
                "time_share": group.time_share,
                "latency_ms": _latency_dict(group.stats),
            }
            for group in result.groups
        ],
        "histogram": None if result is None else latency_histogram(result.latencies_ms),
        "counters": None if counters is None else counters.to_dict(),
        "compiled_properties": {} if result is None else dict(result.compiled_properties),
        "timings_ms": {} if result is None else dict(result.timings_ms),
        "stability": None
        if result is None or result.stability is None
        else dataclasses.asdict(result.stability),
        "open_loop": None
        if result is None or result.open_loop is None
        else open_loop_dict(result.open_loop),
        **_trust(result),
    }


def _trust(result: RunResult | None) -> dict[str, Any]:
    """How far to trust the figures: the throughput's interval, -t auto's end, other load."""

    def plain(value: Any) -> Any:
        return None if value is None else dataclasses.asdict(value)

    return {
        "throughput_interval": plain(None if result is None else result.throughput_interval),
        "auto": plain(None if result is None else result.auto),
        "machine_load": plain(None if result is None else result.machine_load),
    }


def write_json_file(path: str, data: dict[str, Any], option: str) -> None:
    """Atomically, as indented JSON; a failure is one line naming `option`."""
    try:
        atomic_write_text(path, json.dumps(data, indent=2) + "\n")
    except OSError as error:
        advice = describe_with(error, " (check that the folder exists and is writable)")
        raise UsageError(f"{option}: cannot write {path}: {advice}") from error


def write_result_file(path: str, document: dict[str, Any]) -> None:
    write_json_file(path, document, "--json-out")


def read_result_file(path: str) -> dict[str, Any]:
    """A result document written by `write_result_file` (any older schema version)."""
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except OSError as error:
        raise UsageError(f"cannot read result file {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"result file {path} is not UTF-8 text ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise UsageError(
            f"result file {path} is not valid JSON (line {error.lineno}: {error.msg})"
        ) from error
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise UsageError(f'{path} is not an ovbench-tui result file (no "schema": "{SCHEMA}")')
    version = document.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise UsageError(
            f"result file {path} has schema version {version!r}; this ovbench-tui reads up to "
            f"{SCHEMA_VERSION}: upgrade ovbench-tui to read it"
        )
    # null: a compile-only run; absent or anything else: not what a run writes.
    if not isinstance(document.get("statistics", False), dict | None):
        raise UsageError(
            f'{path} is not a result file: it has no "statistics" (write one with -json_out)'
        )
    return document


def counters_from_document(document: dict[str, Any]) -> PerfCounterTable | None:
    data = document.get("counters")
    return None if data is None else PerfCounterTable.from_dict(data)
