"""Counters and report files from a real run, end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ovbench_tui.cli import main
from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.reports.result_file import read_result_file
from ovbench_tui.reports.run_outputs import RunOutputs


def test_counters_come_from_a_sample_of_the_measured_inferences(model: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=10, nireq=2, perf_counts=True)).run()
    assert result is not None and result.counters is not None
    counters = result.counters
    assert counters.measured == result.count == 10
    assert 1 <= counters.inferences <= 10
    assert len(counters.per_request_last()) == 2
    executed = [layer for layer in counters.layers if layer.executed]
    assert executed and all(layer.count == counters.inferences for layer in counters.layers)
    total = sum(layer.total_real_us for layer in counters.layers)
    assert counters.total_real_us == total
    assert sum(row.percent for row in counters.by_type()) == pytest.approx(100.0)


def test_no_counters_without_asking(model: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=4)).run()
    assert result is not None and result.counters is None


def test_reports_and_result_file(
    model: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new" / "reports"
    result_path = tmp_path / "result.json"
    code = main(
        [
            "run", "-m", model, "-niter", "8", "-pc", "-progress", "false",
            "-report_type", "detailed_counters", "-report_folder", str(folder),
            "-json_out", str(result_path),
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Performance counts for 0-th infer request" in out
    assert "Performance counts averaged over " in out
    main_report = (folder / "benchmark_report.csv").read_text().splitlines()
    assert main_report[0] == "Command line parameters"
    assert "total number of iterations;8" in main_report
    with open(folder / "benchmark_detailed_counters_report.csv", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0] == [
        "layerName",
        "execStatus",
        "layerType",
        "execType",
        "realTime (ms)",
        "cpuTime (ms)",
    ]
    document = read_result_file(str(result_path))
    assert document["statistics"]["count"] == 8
    assert document["counters"]["measured"] == 8
    assert 1 <= document["counters"]["inferences"] <= 8
    assert sum(document["histogram"]["counts"]) == 8
    json.dumps(document)


def test_report_folder_that_cannot_be_made(
    model: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["run", "-m", model, "-niter", "4", "-report_type", "no_counters",
                 "-report_folder", str(blocker / "sub")])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    assert "-report_folder" in captured.out and "Traceback" not in captured.out + captured.err
    assert "Count:" not in captured.out  # refused before measuring, not after


def test_exec_graph_is_written(model: str, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    path = tmp_path / "exec_graph.xml"
    config = BenchmarkConfig(model=model, niter=2, exec_graph_path=str(path))
    Engine(config, RunOutputs(config, lambda event: None)).run()
    # A runtime graph: layers carry the kernel and its time (counters were turned on).
    names = {data.get("primitiveType") for data in ET.parse(path).iter("data")}
    assert any(names - {None})
    assert any(data.get("execTimeMcs") for data in ET.parse(path).iter("data"))


def test_load_from_file_compiles_straight_from_the_path(model: str) -> None:
    events: list[object] = []
    result = Engine(BenchmarkConfig(model=model, niter=4, load_from_file=True), events.append).run()
    assert result is not None and result.count == 4
    assert any(
        getattr(e, "text", "") == "Skipping the step for loading model from file" for e in events
    )


def test_max_irate_caps_the_rate(model: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=20, max_irate=100.0)).run()
    assert result is not None
    # As in benchmark_app, submission k waits until k frames / 100 FPS: the 20th goes
    # at >= 0.19 s, so the rate over the run is at most 20 / 0.19 s.
    assert result.duration_s >= 0.19
    assert result.throughput_fps <= 20 / 0.19


def test_no_warmup_skips_the_first_inference(model: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=4, no_warmup=True)).run()
    assert result is not None and "first_inference" not in result.timings_ms


@pytest.mark.parametrize("device", ["AUTO:CPU", "MULTI:CPU", "HETERO:CPU"])
def test_virtual_devices(model: str, device: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=4, device=device)).run()
    assert result is not None and result.count >= 4
    assert "CPU" in " ".join(result.execution_devices) or device.startswith("HETERO")


def test_unqualified_streams_reach_the_device_behind_auto(model: str) -> None:
    # benchmark_app silently drops -nstreams for AUTO (its B13).
    config = BenchmarkConfig(model=model, niter=4, device="AUTO:CPU", hint="none", nstreams="1")
    result = Engine(config).run()
    assert result is not None
    assert result.compiled_properties.get("CPU.NUM_STREAMS", "1") == "1"


def test_infer_precision_is_applied(model: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=2, infer_precision="f32")).run()
    assert result is not None
    assert "float32" in result.compiled_properties["INFERENCE_PRECISION_HINT"]


def test_missing_extension_is_one_clear_error(model: str) -> None:
    from ovbench_tui.errors import UsageError

    with pytest.raises(UsageError, match="extension library not found"):
        Engine(BenchmarkConfig(model=model, niter=2, extensions="/nonexistent/libext.so")).run()
