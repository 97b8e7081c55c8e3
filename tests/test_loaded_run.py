"""A stored run brought back: config and result from a result document, real runs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.engine.result import RunResult
from ovbench_tui.errors import UsageError
from ovbench_tui.reports.history import HistoryStore
from ovbench_tui.reports.loaded_run import (
    CLEARED_ON_LOAD,
    config_from_document,
    result_from_document,
)
from ovbench_tui.reports.result_file import build_result_document

ENVIRONMENT = {"openvino_version": "test", "devices": {}, "cpu_model": "test"}


def run(config: BenchmarkConfig) -> RunResult:
    result = Engine(config).run()
    assert result is not None
    return result


def stored(document: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """The document as the history gives it back (through JSON and SQLite)."""
    with HistoryStore(tmp_path / "history.sqlite") as store:
        return store.document(store.add(document))


def assert_same_figures(rebuilt: RunResult, original: RunResult) -> None:
    for name in (
        "count",
        "frames",
        "throughput_fps",
        "latency",
        "groups",
        "api",
        "nireq",
        "inference_only",
        "batch",
        "device",
        "execution_devices",
        "compiled_properties",
        "timings_ms",
        "stopped_early",
        "pcseq",
        "hide_latency",
        "counters",
        "stability",
    ):
        assert getattr(rebuilt, name) == getattr(original, name), name
    assert rebuilt.duration_s == pytest.approx(original.duration_s, rel=1e-12)
    assert len(rebuilt.latencies_ms) == 0


def test_round_trip_of_a_real_run(models: dict[str, str], tmp_path: Path) -> None:
    config = BenchmarkConfig(model=models["static"], niter=20, hint="latency", perf_counts=True)
    result = run(config)
    # The old run's output files: a re-run must not overwrite them.
    with_outputs = config.replace(
        json_out="old.json", dump_config="old-config.json", exec_graph_path="old-graph.xml"
    )
    document = stored(
        build_result_document(with_outputs, result, result.counters, ENVIRONMENT), tmp_path
    )

    rebuilt_config = config_from_document(document)
    assert rebuilt_config == config
    assert isinstance(rebuilt_config.inputs, tuple)
    for name, value in CLEARED_ON_LOAD.items():
        assert getattr(rebuilt_config, name) == value

    rebuilt = result_from_document(document)
    assert result.counters is not None and result.stability is not None
    assert_same_figures(rebuilt, result)


def test_round_trip_with_shape_groups(models: dict[str, str], tmp_path: Path) -> None:
    config = BenchmarkConfig(
        model=models["dynamic"],
        niter=20,
        data_shape="[1,3,16,16][2,3,24,24]",
        layout="NCHW",
        pcseq=True,
        inputs=(),
        latency_percentile=90,
    )
    result = run(config)
    document = stored(build_result_document(config, result, None, ENVIRONMENT), tmp_path)
    assert config_from_document(document) == config
    rebuilt = result_from_document(document)
    assert [group.label for group in rebuilt.groups] == [" data: [1,3,16,16]", " data: [2,3,24,24]"]
    assert rebuilt.latency.percent == 90
    assert_same_figures(rebuilt, result)


def test_inputs_come_back_as_a_tuple() -> None:
    config = BenchmarkConfig(model="m.xml", niter=4, inputs=("a:x.npy", "b:y.bin"))
    document = json.loads(json.dumps({"config": dataclasses.asdict(config)}))
    assert config_from_document(document).inputs == ("a:x.npy", "b:y.bin")


def old_document() -> dict[str, Any]:
    """What an older ovbench-tui wrote: fewer config keys, no window medians, no
    counters, and a key this version does not know."""
    return {
        "schema": "ovbench-tui/result",
        "schema_version": 1,
        "created_at": "2025-03-01T10:00:00+00:00",
        "config": {
            "model": "old.xml",
            "device": "CPU",
            "hint": "throughput",
            "niter": 100,
            "inputs": [],
            "a_knob_from_the_future": 3,
        },
        "statistics": {
            "count": 100,
            "duration_ms": 2000.0,
            "frames": 100,
            "throughput_fps": 50.0,
            "api": "async",
            "nireq": 2,
            "batch": "1",
            "device": "CPU",
            "latency_ms": {"count": 100, "median": 40.0, "average": 41.0, "min": 30.0, "max": 60.0},
        },
        "stability": {
            "window_s": 0.5,
            "window_fps": [50.0, 49.0, 51.0, 50.0],
            "cv": 0.01,
            "outliers": 0,
            "mad_ms": 1.0,
            "warnings": [],
        },
    }


def test_an_old_partial_document_still_loads() -> None:
    document = old_document()
    config = config_from_document(document)
    assert config == BenchmarkConfig(model="old.xml", hint="throughput", niter=100)
    result = result_from_document(document)
    assert result.count == 100 and result.throughput_fps == 50.0
    assert result.duration_s == 2.0
    assert result.latency.median == 40.0 and result.latency.percentile_value == 40.0
    assert result.latency.p90 is None and result.latency.std == 0.0
    assert result.groups == [] and result.counters is None
    assert result.stability is not None and result.stability.window_median_ms == []
    assert result.stability.window_fps == [50.0, 49.0, 51.0, 50.0]
    assert not result.stopped_early and not result.hide_latency


def test_hidden_latency_stays_hidden() -> None:
    document = old_document()
    document["statistics"]["latency_ms"] = None  # benchmark_app prints none for MULTI
    result = result_from_document(document)
    assert result.hide_latency and result.latency.count == 0


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        {},
        {"config": "model.xml"},
        {"config": {"device": "CPU"}},
        {"config": {"model": 3}},
        {"config": {"model": "m.xml", "nireq": "two"}},
        {"config": {"model": "m.xml", "inputs": [1, 2]}},
        {"config": {"model": "m.xml", "pcseq": "yes"}},
        {"config": {"model": "m.xml", "latency_percentile": 500}},
    ],
)
def test_garbage_config_is_one_clear_line(document: Any) -> None:
    with pytest.raises(UsageError) as caught:
        config_from_document(document)
    assert "\n" not in str(caught.value) and "stored run" in str(caught.value)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("statistics"),
        lambda d: d.update(statistics=None),  # a compile-only run
        lambda d: d["statistics"].update(count="many"),
        lambda d: d["statistics"].update(latency_ms={"median": "fast"}),
        lambda d: d.update(groups=[{"label": "x", "count": "lots"}]),
        lambda d: d.update(counters={"layers": "none"}),
        lambda d: d.update(stability={"window_s": 0.5}),
        lambda d: d.update(timings_ms={"read": "soon"}),
    ],
)
def test_garbage_result_is_one_clear_line(change: Any) -> None:
    document = old_document()
    change(document)
    with pytest.raises(UsageError) as caught:
        result_from_document(document)
    assert "\n" not in str(caught.value) and "stored run" in str(caught.value)


def test_not_a_document_at_all() -> None:
    with pytest.raises(UsageError):
        result_from_document(["not", "a", "document"])
