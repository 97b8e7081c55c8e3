"""A/B comparison: the bootstrap interval, compare_documents, the headless command."""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from model_builders import save, static_conv

from ovbench_tui.cli import main
from ovbench_tui.compare import (
    FASTER,
    NO_INTERVAL,
    SLOWER,
    WITHIN_NOISE,
    bootstrap_difference,
    compare_documents,
    format_comparison,
    verdict_of,
)
from ovbench_tui.reports.history import HistoryStore
from ovbench_tui.reports.result_file import write_result_file

Layers = list[tuple[str, str, float]]


def _layer(name: str, kind: str, ms: float, inferences: int) -> dict[str, Any]:
    us = round(ms * 1000 * inferences)
    last = round(ms * 1000)
    return {
        "name": name,
        "layer_type": kind,
        "exec_type": "jit_avx2_f32",
        "status": "Status.EXECUTED",
        "count": inferences,
        "total_real_us": us,
        "total_cpu_us": us,
        "last_real_us": last,
        "last_cpu_us": last,
    }


def make_document(
    fps: float = 100.0,
    median: float = 10.0,
    *,
    windows: int = 20,
    noise: float = 0.01,
    seed: int = 0,
    layers: Layers | None = None,
    groups: list[tuple[str, int, float, float]] | None = None,
    config: dict[str, Any] | None = None,
    environment: dict[str, Any] | None = None,
    window_medians: bool = True,
    p99: float | None = None,
    created_at: str = "2026-11-28T12:00:00+00:00",
    compiled: dict[str, str] | None = None,
    nireq: int = 2,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """A result document as build_result_document writes it, with made-up figures:
    `windows` windows around `fps` and `median`, spread by `noise` (relative std)."""
    rng = np.random.default_rng(seed)
    duration_s = 10.0
    count = int(fps * duration_s)
    stability: dict[str, Any] = {
        "window_s": duration_s / windows,
        "window_fps": [float(v) for v in fps * (1 + noise * rng.standard_normal(windows))],
        "cv": noise,
        "outliers": 0,
        "mad_ms": 0.1,
        "warnings": list(warnings or []),
    }
    if window_medians:
        stability["window_median_ms"] = [
            float(v) for v in median * (1 + noise * rng.standard_normal(windows))
        ]
    base_config: dict[str, Any] = {
        "model": "model.xml",
        "device": "CPU",
        "hint": "throughput",
        "nireq": 2,
        "nstreams": None,
        "inputs": [],
        "json_out": "result.json",
        "history": "",
        "progress": "auto",
    }
    base_config.update(config or {})
    latency = {
        "count": count,
        "percent": 50,
        "percentile": median,
        "median": median,
        "average": median * 1.02,
        "min": median * 0.8,
        "max": median * 2.0,
        "std": median * 0.05,
        "p90": median * 1.1,
        "p95": median * 1.2,
        "p99": p99,
        "p99_9": None,
    }
    return {
        "schema": "ovbench-tui/result",
        "schema_version": 1,
        "created_at": created_at,
        "config": base_config,
        "environment": environment
        or {
            "openvino_version": "2026.4.1",
            "cpu_model": "Test CPU",
            "devices": {"CPU": "Test CPU"},
            "logical_cores": 2,
            "python_version": "3.12.0",
        },
        "statistics": {
            "count": count,
            "duration_ms": duration_s * 1000,
            "frames": count,
            "throughput_fps": fps,
            "api": "async",
            "nireq": nireq,
            "batch": 1,
            "device": "CPU",
            "stopped_early": False,
            "latency_ms": latency,
        },
        "groups": [
            {
                "label": label,
                "batch": 1,
                "count": n,
                "frames": n,
                "time_share": 0.5,
                "latency_ms": {"median": group_median, "average": group_average},
            }
            for label, n, group_median, group_average in groups or []
        ],
        "counters": None
        if layers is None
        else {
            "inferences": count,
            "layers": [_layer(name, kind, ms, count) for name, kind, ms in layers],
            "per_request_last": [],
        },
        "stability": stability,
        **({} if compiled is None else {"compiled_properties": compiled}),
    }


LAYERS_A: Layers = [
    ("conv1", "Convolution", 1.000),
    ("conv2", "Convolution", 0.500),
    ("relu1", "Relu", 0.100),
    ("pool", "MaxPool", 0.200),
]
LAYERS_B: Layers = [
    ("conv1", "Convolution", 0.800),  # -20 %
    ("conv2", "Convolution", 0.510),  # +2 %
    ("relu1", "Relu", 0.100),  # 0 %
    ("fc", "FullyConnected", 0.300),  # only in B
]


# -- the bootstrap ------------------------------------------------------------------------


def test_bootstrap_separates_a_known_difference() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(100, 2, 20), rng.normal(110, 2, 20)
    low, high = bootstrap_difference(a, b)
    assert 0 < low < 10 < high
    assert bootstrap_difference(a, b) == (low, high)  # seeded: reproducible
    assert bootstrap_difference(b, a)[1] < 0


def test_bootstrap_covers_the_true_difference_about_95_percent_of_the_time() -> None:
    covered = 0
    trials = 200
    for trial in range(trials):
        rng = np.random.default_rng(1000 + trial)
        a, b = rng.normal(100, 2, 20), rng.normal(100, 2, 20)
        low, high = bootstrap_difference(a, b, seed=trial)
        covered += low <= 0 <= high
    assert 0.88 <= covered / trials <= 0.99


def _t_quantile(p: float, df: float) -> float:
    """Student t quantile by the Cornish-Fisher expansion (no scipy here)."""
    z = statistics.NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / df + g2 / df**2 + g3 / df**3


def test_bootstrap_agrees_with_a_welch_interval_on_normal_data() -> None:
    rng = np.random.default_rng(7)
    a, b = rng.normal(50, 3, 20), rng.normal(53, 1.5, 20)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = _t_quantile(0.975, df) * math.sqrt(va + vb)
    centre = b.mean() - a.mean()
    low, high = bootstrap_difference(a, b)
    # The percentile bootstrap is a little narrower at n = 20 (plug-in variance, z not t).
    assert abs(low - (centre - half)) < 0.15 * half
    assert abs(high - (centre + half)) < 0.15 * half


def test_bootstrap_refuses_empty_samples() -> None:
    with pytest.raises(ValueError):
        bootstrap_difference([], [1.0, 2.0])


# -- compare_documents --------------------------------------------------------------------


def test_figures_deltas_and_verdicts() -> None:
    a = make_document(100.0, 10.0)
    b = make_document(110.0, 9.0, seed=1)
    pair = compare_documents([a, b]).pairs[0]
    throughput = pair.figure("throughput_fps")
    assert throughput is not None
    assert throughput.baseline == 100.0 and throughput.other == 110.0
    assert throughput.delta == pytest.approx(10.0)
    assert throughput.delta_pct == pytest.approx(10.0)
    assert throughput.interval is not None and throughput.interval[0] > 0
    assert throughput.verdict == FASTER and throughput.better
    median = pair.figure("median")
    assert median is not None and median.delta == pytest.approx(-1.0)
    assert median.interval is not None and median.interval[1] < 0
    assert median.verdict == FASTER  # lower latency
    average = pair.figure("average")
    assert average is not None and average.verdict is None and average.interval is None
    assert [row.key for row in pair.figures] == [
        "throughput_fps",
        "median",
        "average",
        "p90",
        "p95",
        "min",
        "max",
        "count",
        "duration_ms",
    ]
    slower = compare_documents([b, a]).pairs[0]
    assert slower.figure("throughput_fps").verdict == SLOWER  # type: ignore[union-attr]
    assert slower.figure("median").verdict == SLOWER  # type: ignore[union-attr]


def test_throughput_windows_are_scaled_to_frames() -> None:
    a, b = make_document(100.0), make_document(100.0, seed=1)
    for document in (a, b):
        document["statistics"]["frames"] = 4 * document["statistics"]["count"]  # batch 4
        document["statistics"]["throughput_fps"] = 400.0
    b["stability"]["window_fps"] = [v * 1.1 for v in b["stability"]["window_fps"]]
    b["statistics"]["throughput_fps"] = 440.0
    row = compare_documents([a, b]).pairs[0].figure("throughput_fps")
    assert row is not None and row.interval is not None
    assert row.interval[0] < 40 < row.interval[1]  # frames/s: 10 % of 400
    # The spread is in frames/s too: 1 % noise of 400 per window, not of 100.
    assert row.interval[1] - row.interval[0] > 3


def test_same_distribution_is_within_noise() -> None:
    a = make_document(100.0, 10.0, noise=0.05, seed=3)
    b = make_document(100.0, 10.0, noise=0.05, seed=4)
    pair = compare_documents([a, b]).pairs[0]
    assert pair.figure("throughput_fps").verdict == WITHIN_NOISE  # type: ignore[union-attr]
    assert pair.figure("median").verdict == WITHIN_NOISE  # type: ignore[union-attr]


def _verdicts(a: dict[str, Any], b: dict[str, Any], **options: float) -> tuple[str, str]:
    pair = compare_documents([a, b], **options).pairs[0]  # type: ignore[arg-type]
    return pair.figure("throughput_fps").verdict, pair.figure("median").verdict  # type: ignore[union-attr,return-value]


def test_a_one_percent_difference_is_within_noise_by_default() -> None:
    # Tight noise: the interval excludes 0, but 1 % is what a rerun of the same
    # settings may differ by, so it takes min_effect_pct=0 to call it.
    a = make_document(100.0, 10.0, noise=0.001)
    b = make_document(101.0, 9.9, noise=0.001, seed=1)
    row = compare_documents([a, b]).pairs[0].figure("throughput_fps")
    assert row is not None and row.interval is not None and row.interval[0] > 0
    assert _verdicts(a, b) == (WITHIN_NOISE, WITHIN_NOISE)
    assert _verdicts(b, a) == (WITHIN_NOISE, WITHIN_NOISE)
    assert _verdicts(a, b, min_effect_pct=0) == (FASTER, FASTER)
    assert _verdicts(b, a, min_effect_pct=0) == (SLOWER, SLOWER)
    assert _verdicts(a, b, min_effect_pct=0.5) == (FASTER, FASTER)


def test_a_ten_percent_difference_passes_the_minimum_effect() -> None:
    a = make_document(100.0, 10.0, noise=0.001)
    b = make_document(110.0, 9.0, noise=0.001, seed=1)
    assert _verdicts(a, b) == (FASTER, FASTER)
    assert _verdicts(b, a) == (SLOWER, SLOWER)
    assert _verdicts(a, b, min_effect_pct=20) == (WITHIN_NOISE, WITHIN_NOISE)


def test_verdict_needs_the_whole_interval_beyond_the_margin() -> None:
    # Baseline 200, 2 %: the margin is 4 either side.
    assert verdict_of((4.1, 9.0), +1, 200.0, 2.0) == FASTER
    assert verdict_of((4.1, 9.0), -1, 200.0, 2.0) == SLOWER  # more latency
    assert verdict_of((3.9, 9.0), +1, 200.0, 2.0) == WITHIN_NOISE
    assert verdict_of((-9.0, -4.1), +1, 200.0, 2.0) == SLOWER
    assert verdict_of((-9.0, -4.1), -1, 200.0, 2.0) == FASTER
    assert verdict_of((-9.0, -3.9), -1, 200.0, 2.0) == WITHIN_NOISE
    assert verdict_of((0.001, 1.0), +1, 200.0, 0.0) == FASTER
    assert verdict_of((0.0, 1.0), +1, 200.0, 0.0) == WITHIN_NOISE
    with pytest.raises(ValueError, match="not a percentage"):
        compare_documents([make_document(), make_document(seed=1)], min_effect_pct=-1)


def test_min_effect_is_kept_and_said() -> None:
    a, b = make_document(), make_document(110.0, seed=1)
    comparison = compare_documents([a, b], min_effect_pct=3.5)
    assert comparison.min_effect_pct == 3.5
    assert json.loads(json.dumps(comparison.to_dict()))["min_effect_pct"] == 3.5
    text = "\n".join(format_comparison(comparison))
    assert "verdicts need the 95 % interval beyond ±3.5 % of A" in text
    assert compare_documents([a, b]).min_effect_pct == 2.0


def test_percentile_rows_need_both_runs() -> None:
    a = make_document(p99=30.0)
    b = make_document(seed=1, p99=None)  # too few samples
    keys = [row.key for row in compare_documents([a, b]).pairs[0].figures]
    assert "p99" not in keys and "p95" in keys
    both = compare_documents([a, make_document(seed=1, p99=33.0)]).pairs[0]
    assert both.figure("p99").delta == pytest.approx(3.0)  # type: ignore[union-attr]


def test_old_document_without_window_medians_has_no_median_interval() -> None:
    pair = compare_documents([make_document(), make_document(seed=1, window_medians=False)]).pairs[
        0
    ]
    median = pair.figure("median")
    assert median is not None and median.verdict == NO_INTERVAL and median.interval is None
    assert "B: an old result document without per-window medians" in median.note
    assert pair.figure("throughput_fps").verdict != NO_INTERVAL  # type: ignore[union-attr]


def test_short_run_has_no_interval() -> None:
    pair = compare_documents([make_document(windows=3), make_document(seed=1)]).pairs[0]
    for key in ("throughput_fps", "median"):
        row = pair.figure(key)
        assert row is not None and row.verdict == NO_INTERVAL
        assert row.note.startswith("A: run too short: 3 usable windows, needs 4")


def test_null_window_medians_are_dropped() -> None:
    b = make_document(seed=1)
    b["stability"]["window_median_ms"][:17] = [None] * 17
    row = compare_documents([make_document(), b]).pairs[0].figure("median")
    assert row is not None and row.verdict == NO_INTERVAL and "3 usable windows" in row.note


def test_a_two_second_run_is_told_a_length_that_would_do() -> None:
    # 2.07 s: four windows, the first without a finished inference (long inferences).
    a = make_document(windows=4)
    a["statistics"]["duration_ms"] = 2070.0
    a["stability"]["window_median_ms"][0] = None
    row = compare_documents([a, make_document(seed=1)]).pairs[0].figure("median")
    assert row is not None and row.verdict == NO_INTERVAL
    assert "3 usable windows (1 of 4 finished no inference), needs 4" in row.note
    assert "measure 4 s or more" in row.note and "measure 2 s" not in row.note


def test_layers_matched_by_name_filtered_and_sorted() -> None:
    a = make_document(layers=LAYERS_A)
    b = make_document(seed=1, layers=LAYERS_B)
    pair = compare_documents([a, b]).pairs[0]
    assert pair.layers is not None
    names = [row.name for row in pair.layers]
    # Largest absolute difference first: pool -0.2 (only in A), conv1 -0.2, fc +0.3 ...
    assert names[0] == "fc" and set(names) == {"conv1", "conv2", "relu1", "pool", "fc"}
    by_name = {row.name: row for row in pair.layers}
    assert by_name["conv1"].delta_ms == pytest.approx(-0.2)
    assert by_name["conv1"].delta_pct == pytest.approx(-20.0)
    assert by_name["pool"].only_in == "A" and by_name["pool"].presence == "only in A"
    assert by_name["fc"].only_in == "B" and by_name["fc"].baseline_ms is None
    beyond = {row.name for row in pair.layers_beyond(5.0)}
    assert beyond == {"conv1", "pool", "fc"}
    assert {row.name for row in pair.layers_beyond(1.0)} == beyond | {"conv2"}
    assert {row.name for row in pair.layers_beyond(0.0)} == set(names)
    deltas = [abs(row.delta_ms) for row in pair.layers]
    assert deltas == sorted(deltas, reverse=True)


def test_layer_types_diff() -> None:
    pair = compare_documents(
        [make_document(layers=LAYERS_A), make_document(seed=1, layers=LAYERS_B)]
    ).pairs[0]
    types = {row.name: row for row in pair.layer_types}
    assert types["Convolution"].baseline_ms == pytest.approx(1.5)
    assert types["Convolution"].other_ms == pytest.approx(1.31)
    assert types["MaxPool"].only_in == "A" and types["FullyConnected"].only_in == "B"
    assert types["Relu"].delta_pct == pytest.approx(0.0)


def test_a_run_without_counters_gets_a_note_not_a_table() -> None:
    pair = compare_documents([make_document(layers=LAYERS_A), make_document(seed=1)]).pairs[0]
    assert pair.layers is None and pair.layer_types == ()
    assert pair.layers_note == "B: no layer counters (run with -pc to compare layers)"
    assert pair.layers_beyond(5.0) == ()


def test_shape_groups_matched_by_label() -> None:
    a = make_document(groups=[("[1,3,64,64]", 50, 5.0, 5.2), ("[4,3,64,64]", 50, 15.0, 15.5)])
    b = make_document(seed=1, groups=[("[1,3,64,64]", 60, 4.0, 4.4), ("[8,3,64,64]", 40, 30, 31)])
    pair = compare_documents([a, b]).pairs[0]
    rows = {row.label: row for row in pair.groups}
    assert set(rows) == {"[1,3,64,64]", "[4,3,64,64]", "[8,3,64,64]"}
    small = rows["[1,3,64,64]"]
    assert small.baseline is not None and small.other is not None
    assert (small.baseline.count, small.other.count) == (50, 60)
    assert small.median_delta == (pytest.approx(-1.0), pytest.approx(-20.0))
    assert small.average_delta is not None and small.average_delta[0] == pytest.approx(-0.8)
    assert rows["[4,3,64,64]"].only_in == "A" and rows["[4,3,64,64]"].median_delta is None
    assert rows["[8,3,64,64]"].only_in == "B"
    none = compare_documents([make_document(), make_document(seed=1)]).pairs[0]
    assert none.groups == () and "one data shape" in none.groups_note


def test_config_and_environment_differences() -> None:
    a = make_document(config={"json_out": "a.json", "progress": "bar", "inputs": ["x.png"]})
    b = make_document(
        seed=1,
        config={"nireq": 4, "json_out": "b.json", "history": "h.sqlite", "hint": "latency"},
        environment={
            "openvino_version": "2026.5.0",
            "cpu_model": "Test CPU",
            "devices": {"CPU": "Test CPU", "GPU": "Test GPU"},
            "logical_cores": 2,
            "python_version": "3.13.0",  # not compared
        },
    )
    comparison = compare_documents([a, b], ["a.json", "run 7"])
    config = {d.key: d.values for d in comparison.config_differences}
    assert config == {
        "hint": ("throughput", "latency"),
        "nireq": ("2", "4"),
        "inputs": ('["x.png"]', "[]"),
    }
    environment = {d.key: d.values for d in comparison.environment_differences}
    assert environment == {
        "openvino_version": ("2026.4.1", "2026.5.0"),
        "devices": ("CPU: Test CPU", "CPU: Test CPU, GPU: Test GPU"),
    }
    assert [run.name for run in comparison.runs] == ["a.json", "run 7"]


def test_none_and_empty_string_are_the_same_setting() -> None:
    a = make_document(config={"nstreams": None})
    b = make_document(seed=1, config={"nstreams": ""})
    assert compare_documents([a, b]).config_differences == ()


COMPILED_THROUGHPUT = {
    "NUM_STREAMS": "2",
    "INFERENCE_NUM_THREADS": "2",
    "INFERENCE_PRECISION_HINT": "<Type: 'float32'>",
    "PERFORMANCE_HINT": "THROUGHPUT",
    "PERF_COUNT": "NO",
}
COMPILED_LATENCY = {**COMPILED_THROUGHPUT, "NUM_STREAMS": "1", "PERFORMANCE_HINT": "LATENCY"}


def test_effective_settings_are_config_differences() -> None:
    a = make_document(config={"hint": "throughput"}, compiled=COMPILED_THROUGHPUT, nireq=2)
    b = make_document(seed=1, config={"hint": "latency"}, compiled=COMPILED_LATENCY, nireq=1)
    comparison = compare_documents([a, b])
    config = {d.key: d.values for d in comparison.config_differences}
    assert config == {
        "hint": ("throughput", "latency"),
        "requests (effective)": ("2", "1"),
        "streams (effective)": ("2", "1"),
        "hint (effective)": ("THROUGHPUT", "LATENCY"),
    }
    text = "\n".join(format_comparison(comparison))
    differences = text.split("Config differences")[1].split("Environment")[0]
    assert "streams (effective)" in differences and "requests (effective)" in differences


def test_effective_settings_of_a_virtual_device_and_of_old_documents() -> None:
    cpu = make_document(compiled=COMPILED_THROUGHPUT)
    auto = make_document(
        seed=1,
        config={"device": "AUTO"},
        compiled={
            "PERFORMANCE_HINT": "PerformanceMode.THROUGHPUT",
            "CPU.NUM_STREAMS": "2",
            "CPU.INFERENCE_NUM_THREADS": "2",
            "CPU.INFERENCE_PRECISION_HINT": "<Type: 'bfloat16'>",
        },
    )
    config = {d.key: d.values for d in compare_documents([cpu, auto]).config_differences}
    assert config == {"device": ("CPU", "AUTO"), "precision (effective)": ("f32", "bf16")}
    multi = make_document(
        seed=2, compiled={"CPU.NUM_STREAMS": "2", "GPU.NUM_STREAMS": "4"}, nireq=6
    )
    config = {d.key: d.values for d in compare_documents([cpu, multi]).config_differences}
    assert config["streams (effective)"] == ("2", "CPU: 2, GPU: 4")
    assert config["requests (effective)"] == ("2", "6")
    assert "hint (effective)" not in config  # unknown in one run: no difference to show
    old = make_document(seed=3)  # no compiled_properties
    assert compare_documents([cpu, old]).config_differences == ()


def test_automatic_nireq_is_shown_as_auto() -> None:
    a = make_document(config={"nireq": 0})
    b = make_document(seed=1, config={"nireq": 4})
    [difference] = compare_documents([a, b]).config_differences
    assert difference.values == ("0 (auto)", "4")


def test_three_runs_each_against_the_baseline() -> None:
    documents = [make_document(100.0), make_document(120.0, seed=1), make_document(80, seed=2)]
    comparison = compare_documents(documents)
    assert [run.letter for run in comparison.runs] == ["A", "B", "C"]
    assert [(p.baseline, p.other) for p in comparison.pairs] == [("A", "B"), ("A", "C")]
    verdicts = [p.figure("throughput_fps").verdict for p in comparison.pairs]  # type: ignore[union-attr]
    assert verdicts == [FASTER, SLOWER]
    with pytest.raises(ValueError, match="2 or more"):
        compare_documents(documents[:1])


def test_minimal_documents_do_not_break_it() -> None:
    # As older history rows hold them: no stability, no counters, no environment.
    a = {"config": {"model": "m.xml"}, "statistics": {"count": 10, "throughput_fps": 5.0}}
    b = {"config": {"model": "m.xml"}, "statistics": None, "stability": {"window_fps": 3}}
    comparison = compare_documents([a, b])
    pair = comparison.pairs[0]
    assert pair.figures == () and "B: no statistics" in pair.figures_note
    c = {"config": {}, "statistics": {"count": 12, "throughput_fps": 6.0, "latency_ms": None}}
    row = compare_documents([a, c]).pairs[0].figure("throughput_fps")
    assert row is not None and row.verdict == NO_INTERVAL and "no per-window record" in row.note
    assert format_comparison(comparison)


WARNING = (
    "throughput varied by 12 % between windows (cv 0.12): something else ran now and then, "
    "or the device changed its clock; rerun on a quiet machine with -t 20 or more"
)


def test_text_fits_100_columns_and_json_round_trips() -> None:
    a = make_document(layers=LAYERS_A, groups=[("[1,3,64,64]", 50, 5.0, 5.2)])
    b = make_document(
        110.0,
        9.0,
        seed=1,
        layers=LAYERS_B,
        groups=[("[1,3,64,64]", 55, 4.5, 4.6)],
        config={"model": "/a/very/long/folder/name/" * 6 + "model.xml", "nireq": 4},
        warnings=[WARNING],
    )
    comparison = compare_documents([a, b], ["first.json", "run 12"])
    lines = format_comparison(comparison, 5.0)
    assert all(len(line) <= 100 for line in lines), max(lines, key=len)
    text = "\n".join(lines)
    # Prose wraps but is never cut: the whole warning is there, word for word.
    assert " ".join(text.split()).count(WARNING) == 1
    assert "…" not in "".join(line for line in lines if "warning" in line)
    for expected in (
        "Figures: B vs A",
        "95 % CI of Δ",
        "faster",
        "Config differences",
        "nireq",
        "Shape groups: B vs A",
        "Layers: B vs A, |Δ| ≥ 5 %",
        "only in B",
        "Layer types: B vs A",
    ):
        assert expected in text, expected
    assert "conv2" not in text.split("Layers: B vs A")[1].split("Layer types")[0]
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["pairs"][0]["figures"][0]["verdict"] == FASTER
    assert set(data["pairs"][0]["layers_beyond_threshold"]) == {"conv1", "pool", "fc"}


def test_compare_module_imports_no_ui_library() -> None:
    code = (
        "import sys, ovbench_tui.compare, ovbench_tui.compare_cli;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- ovbench-tui compare ------------------------------------------------------------------


def _files(tmp_path: Path) -> tuple[str, str]:
    first, second = str(tmp_path / "a.json"), str(tmp_path / "b.json")
    write_result_file(first, make_document(layers=LAYERS_A))
    write_result_file(second, make_document(110.0, 9.0, seed=1, layers=LAYERS_B))
    return first, second


def test_cli_compares_two_result_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _files(tmp_path)
    out_json = tmp_path / "cmp.json"
    assert main(["compare", first, second, "--threshold", "1", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    runs = out.split("Figures")[0]
    assert "\n  A  " in runs and "a.json: model.xml on CPU" in runs
    assert "\n  B  " in runs and "b.json: model.xml on CPU" in runs
    assert "throughput FPS" in out and "faster" in out
    assert "Layers: B vs A, |Δ| ≥ 1 %" in out and "conv2" in out
    data = json.loads(out_json.read_text())
    assert [run["name"] for run in data["runs"]] == [first, second]
    assert data["threshold_pct"] == 1.0


def test_cli_compares_history_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = tmp_path / "h.sqlite"
    with HistoryStore(history) as store:
        first = store.add(make_document(100.0))
        second = store.add(make_document(90.0, 11.0, seed=1, config={"nireq": 8}))
    first_file, _ = _files(tmp_path)
    code = main(["compare", str(first), str(second), first_file, "--history", str(history)])
    assert code == 0
    out = capsys.readouterr().out
    assert f"A  run {first}:" in out and f"B  run {second}:" in out and "C  " in out
    assert "Figures: B vs A" in out and "Figures: C vs A" in out
    assert "slower" in out and "nireq" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json", "other.json"], "'missing.json' is neither a result file nor"),
        (["{a}", "42"], "no run history at {tmp}/h.sqlite: check --history (runs are"),
        (["{a}", "run-3"], "'run-3' is neither a result file nor a history run id"),
        (["{a}"], "give 2 or more runs to compare"),
        ([], "the following arguments are required: RUN"),
        (["{a}", "{b}", "--threshold", "lots"], "argument --threshold: 'lots' is not a number"),
        (["{a}", "{b}", "--threshold", "-3"], "is not a percentage of 0 or more"),
        (["{a}", "{b}", "--min-effect", "lots"], "argument --min-effect: 'lots' is not a number"),
        (["{a}", "{b}", "--min-effect", "-1"], "argument --min-effect: -1 is not a percentage"),
        (["{a}", "{b}", "--min-effect", "inf"], "argument --min-effect: inf is not a percentage"),
        (["{a}", "{tmp}"], "is a folder"),
        (["{a}", "{bad}"], "is not valid JSON"),
        (["{a}", "{b}", "--json", "{tmp}/no/such/folder/x.json"], "--json: cannot write"),
    ],
)
def test_cli_errors_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    first, second = _files(tmp_path)
    (tmp_path / "bad.json").write_text("{not json")
    values = {"a": first, "b": second, "tmp": str(tmp_path), "bad": str(tmp_path / "bad.json")}
    argv = [arg.format(**values) for arg in args]
    assert main(["compare", *argv, "--history", str(tmp_path / "h.sqlite")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ovbench-tui compare: error: "), captured.err
    assert message.format(**values) in lines[0]
    assert not (tmp_path / "h.sqlite").exists()  # a typo of --history creates nothing


def test_cli_missing_id_in_an_existing_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = _files(tmp_path)
    history = tmp_path / "h.sqlite"
    HistoryStore(history).close()
    assert main(["compare", first, "42", "--history", str(history)]) == 2
    assert capsys.readouterr().err == (
        f"ovbench-tui compare: error: no run 42 in the history {history}\n"
    )


def test_cli_min_effect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = str(tmp_path / "a.json"), str(tmp_path / "b.json")
    write_result_file(first, make_document(100.0, 10.0, noise=0.001))
    write_result_file(second, make_document(101.0, 9.9, noise=0.001, seed=1))
    out_json = tmp_path / "cmp.json"
    assert main(["compare", first, second, "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "within noise" in out and "faster" not in out
    assert "verdicts need the 95 % interval beyond ±2 % of A" in out
    assert json.loads(out_json.read_text())["min_effect_pct"] == 2.0
    assert main(["compare", first, second, "--min-effect", "0", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "faster" in out and "±0 % of A" in out
    assert json.loads(out_json.read_text())["min_effect_pct"] == 0.0


def test_cli_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    first, _ = _files(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "ovbench_tui", "compare", first, str(tmp_path / "gone.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1 and "Traceback" not in completed.stderr
    assert completed.stderr.startswith("ovbench-tui compare: error: ")


# -- end to end on the real engine --------------------------------------------------------


@pytest.mark.slow
def test_two_real_runs_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ovbench_tui.config import BenchmarkConfig
    from ovbench_tui.engine.engine import Engine
    from ovbench_tui.reports.result_file import build_result_document, collect_environment

    model = save(static_conv(), tmp_path, "static")
    environment = collect_environment(devices=["CPU"])
    documents = []
    for nireq in (1, 2):
        config = BenchmarkConfig(model=model, time_s=2, nireq=nireq, perf_counts=True)
        result = Engine(config).run()
        assert result is not None
        documents.append(build_result_document(config, result, result.counters, environment))
    comparison = compare_documents(documents, ["one request", "two requests"])
    pair = comparison.pairs[0]
    throughput = pair.figure("throughput_fps")
    assert throughput is not None and throughput.baseline > 0 and throughput.other > 0
    windows = [len(document["stability"]["window_fps"]) for document in documents]
    if min(windows) >= 4:
        assert throughput.verdict in (FASTER, SLOWER, WITHIN_NOISE)
        low, high = throughput.interval  # type: ignore[misc]
        assert low <= high
    else:
        assert throughput.verdict == NO_INTERVAL and "run too short" in throughput.note
    differences = {d.key: d.values for d in comparison.config_differences}
    assert differences["nireq"] == ("1", "2") and differences["requests (effective)"] == ("1", "2")
    # With no hint, the device may pick its streams from the number of requests.
    assert set(differences) <= {"nireq", "requests (effective)", "streams (effective)"}
    assert comparison.environment_differences == ()
    assert pair.layers is not None and pair.layers
    # Layers named in the model match; the plugin's own nodes (Reorder "Convert_23...")
    # carry ids that may differ between compilations, so those may be "only in" rows.
    matched = {row.layer_type: row for row in pair.layers if not row.only_in}
    assert {"Convolution", "Parameter"} <= set(matched)
    assert matched["Convolution"].baseline_ms and matched["Convolution"].other_ms
    paths = [str(tmp_path / "one.json"), str(tmp_path / "two.json")]
    for path, document in zip(paths, documents, strict=True):
        write_result_file(path, document)
    assert main(["compare", *paths, "--threshold", "0"]) == 0
    out = capsys.readouterr().out
    assert "throughput FPS" in out and "Convolution" in out


@pytest.mark.slow
def test_real_runs_differing_in_hint_show_what_the_compiled_models_did(tmp_path: Path) -> None:
    from ovbench_tui.config import BenchmarkConfig
    from ovbench_tui.engine.engine import Engine
    from ovbench_tui.reports.result_file import build_result_document

    model = save(static_conv(), tmp_path, "static")
    documents = []
    for hint in ("throughput", "latency"):
        config = BenchmarkConfig(model=model, niter=8, hint=hint)
        result = Engine(config).run()
        assert result is not None
        documents.append(build_result_document(config, result, None, {}))
    differences = {d.key: d.values for d in compare_documents(documents).config_differences}
    assert differences["hint"] == ("throughput", "latency")
    assert differences["hint (effective)"] == ("THROUGHPUT", "LATENCY")
    streams = [d["compiled_properties"]["NUM_STREAMS"] for d in documents]
    if streams[0] != streams[1]:  # 1 and 1 on a one-core machine
        assert differences["streams (effective)"] == tuple(streams)
    requests = [str(d["statistics"]["nireq"]) for d in documents]
    if requests[0] != requests[1]:
        assert differences["requests (effective)"] == tuple(requests)


# -- layer matching -------------------------------------------------------------------------


def test_layers_renamed_between_reads_are_matched_by_structure() -> None:
    # TFLite names nodes anew on every read; the CPU plugin adds a Reorder in B.
    a_layers: Layers = [
        ("Convolution_100", "Convolution", 1.0),
        ("Relu_101", "Relu", 0.1),
        ("Convolution_102", "Convolution", 0.5),
    ]
    b_layers: Layers = [
        ("Convolution_200", "Convolution", 1.1),
        ("Relu_201", "Relu", 0.1),
        ("reorder_x", "Reorder", 0.05),
        ("Convolution_202", "Convolution", 0.5),
    ]
    pair = compare_documents(
        [make_document(layers=a_layers), make_document(seed=1, layers=b_layers)]
    ).pairs[0]
    assert pair.layers is not None
    by_name = {row.name: row for row in pair.layers}
    assert (
        by_name["Convolution #1"].baseline_ms == 1.0 and by_name["Convolution #1"].other_ms == 1.1
    )
    assert by_name["Convolution #2"].only_in == "" and by_name["Relu #1"].only_in == ""
    assert by_name["reorder_x"].only_in == "B"
    assert "matched by structure" in pair.layer_matching
    assert "matched by structure" in "\n".join(
        format_comparison(
            compare_documents(
                [make_document(layers=a_layers), make_document(seed=1, layers=b_layers)]
            )
        )
    )


def test_layers_with_the_same_names_are_matched_by_name() -> None:
    pair = compare_documents(
        [make_document(layers=LAYERS_A), make_document(seed=1, layers=LAYERS_B)]
    ).pairs[0]
    assert pair.layer_matching == "layers matched by name"


PALM = Path.home() / ".cache/ovbench-public-models/palm_detection_lite.tflite"


@pytest.mark.slow
@pytest.mark.skipif(not PALM.exists(), reason="palm_detection_lite.tflite is not cached")
def test_a_tflite_model_read_twice_matches_its_layers() -> None:
    from ovbench_tui.config import BenchmarkConfig
    from ovbench_tui.engine.engine import Engine
    from ovbench_tui.reports.result_file import build_result_document

    documents = []
    for _ in range(2):
        config = BenchmarkConfig(model=str(PALM), niter=8, perf_counts=True, hint="latency")
        run = Engine(config).run()
        assert run is not None
        documents.append(build_result_document(config, run, run.counters, {}))
    pair = compare_documents(documents).pairs[0]
    assert pair.layers is not None
    alone = [row for row in pair.layers if row.only_in]
    assert len(alone) <= len(pair.layers) // 10, [row.name for row in alone]
    assert "place in execution order" in pair.layer_matching
