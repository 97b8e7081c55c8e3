"""`ovbench-tui capacity`: bad targets, and Ctrl+C keeps the finished points."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ovbench_tui.capacity.output import answer_text, capacity_document, table_lines
from ovbench_tui.capacity.runner import CapacityOutcome, CapacitySpec
from ovbench_tui.capacity.search import CapacitySearch, Measured
from ovbench_tui.capacity_cli import run_capacity
from ovbench_tui.config import BenchmarkConfig


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--slo-ms", "0"], "--slo-ms 0 is not a latency target"),
        (["--slo-ms", "-3"], "--slo-ms -3 is not a latency target"),
        (["--slo-ms", "10", "--percentile", "101"], "--percentile 101 is out of range"),
        (["--slo-ms", "10", "--percentile", "0"], "--percentile 0 is out of range"),
        (["--slo-ms", "10", "--max-rate", "0"], "--max-rate 0 is not a rate"),
        (["--slo-ms", "10", "-rate", "100"], "-rate is chosen by the capacity search"),
        (["--slo-ms", "10", "-t", "5"], "-t is chosen by the capacity search"),
        (["--slo-ms", "10", "-rate", "0"], "-rate is chosen by the capacity search"),
        ([], "--slo-ms"),
    ],
)
def test_bad_targets_are_one_line_and_exit_2(
    flags: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_capacity(["-m", "demo:tiny", *flags]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


def test_the_document_table_and_answer_of_a_search() -> None:
    spec = CapacitySpec(base=BenchmarkConfig(model="demo:tiny"), slo_ms=10.0, percent=99)
    search = CapacitySearch(upper_rps=100.0, slo_ms=10.0, percent=99, tolerance=0.3)
    outcome = CapacityOutcome(spec, upper_rps=100.0)
    while (rate := search.next_rate()) is not None:
        latency = np.full(500, 1.0 if rate <= 60 else 50.0)
        outcome.points.append(search.record(rate, Measured(rate, rate, latency, 0.1)))
    outcome.answer = search.answer()
    document = capacity_document(outcome)
    assert document["capacity_rps"] == pytest.approx(50.0)
    assert document["slo_ms"] == 10.0 and document["percentile"] == 99
    point = document["points"][0]
    for key in ("offered_rps", "achieved_rps", "p50_ms", "p90_ms", "p99_ms", "latency_ms"):
        assert key in point
    assert table_lines(outcome)[0].split()[:2] == ["offered", "achieved"]
    assert answer_text(outcome).startswith("Capacity: 50.0 requests/s")


@pytest.mark.slow
def test_ctrl_c_keeps_the_finished_points(tmp_path: Path) -> None:
    prefix = tmp_path / "cap"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ovbench_tui",
            "capacity",
            "-m",
            "demo:tiny",
            "--slo-ms",
            "1000",
            "--max-rate",
            "200",
            "--point-time",
            "1",
            "-nireq",
            "2",
            "--no-history",
            "--out",
            str(prefix),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + 120
    for line in process.stdout:
        lines.append(line)
        if line.startswith("[ 2 ] ") and "achieved" not in line:
            break  # one point finished, the second one is measuring
        assert time.monotonic() < deadline
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    output = "".join(lines) + out
    assert process.returncode == 130, output + err
    assert "Traceback" not in output + err
    document = json.loads((tmp_path / "cap.json").read_text())
    assert len(document["points"]) >= 1 and document["stopped"] is True
    assert (tmp_path / "cap.csv").read_text().startswith("point,offered_rps")
