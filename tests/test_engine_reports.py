"""Counters and report files from a real run, end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from model_builders import save, static_conv

from ovbench_tui.cli import main
from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.reports.result_file import read_result_file


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> str:
    return save(static_conv(), tmp_path_factory.mktemp("reports-model"), "static")


def test_counters_cover_every_measured_inference(model: str) -> None:
    result = Engine(BenchmarkConfig(model=model, niter=10, nireq=2, perf_counts=True)).run()
    assert result is not None and result.counters is not None
    counters = result.counters
    assert counters.inferences == result.count == 10
    assert len(counters.per_request_last()) == 2
    executed = [layer for layer in counters.layers if layer.executed]
    assert executed and all(layer.count == 10 for layer in counters.layers)
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
    assert "averaged over 8 inferences" in out
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
    assert document["counters"]["inferences"] == 8
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
