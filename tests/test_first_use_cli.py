"""What a new user tripped on in the headless commands: a Δ outside its own interval,
a percentile judged from a handful of samples, a sweep table wider than a terminal,
a FIFO nobody reads, -nireq silently ignored with -api sync, and a traceback for a
Ctrl+C at start-up."""

from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from test_compare import make_document

import ovbench_tui
from ovbench_tui.capacity.runner import CapacityRunner, CapacitySpec, min_samples
from ovbench_tui.cli import main
from ovbench_tui.compare import compare_documents
from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.interval import bootstrap_difference, interval_around
from ovbench_tui.engine.stats import latency_stats
from ovbench_tui.errors import UsageError
from ovbench_tui.reports.files import StreamError, check_writable, output_prefix, write_file
from ovbench_tui.reports.history import HistoryStore
from ovbench_tui.sweep.grid import SweepSpec, plan_points
from ovbench_tui.sweep.output import table_lines
from ovbench_tui.sweep.points import SweepOutcome, SweepPoint

# -- compare: Δ and its interval ------------------------------------------------------------


def _figure(comparison: object, key: str) -> object:
    [pair] = comparison.pairs  # type: ignore[attr-defined]
    return next(row for row in pair.figures if row.key == key)


def test_the_median_delta_lies_inside_its_interval() -> None:
    # The whole-run medians (10.0, 10.3) differ from the means of the window medians
    # (about 10.0 and 9.8): the old interval, of the window means, left Δ outside it.
    a = make_document(median=10.0, seed=1)
    b = make_document(median=9.8, seed=2)
    b["statistics"]["latency_ms"]["median"] = 10.3
    row = _figure(compare_documents([a, b]), "median")
    low, high = row.interval  # type: ignore[attr-defined]
    assert row.delta == pytest.approx(0.3)  # type: ignore[attr-defined]
    assert low <= row.delta <= high  # type: ignore[attr-defined]
    window_a = np.asarray(a["stability"]["window_median_ms"])
    window_b = np.asarray(b["stability"]["window_median_ms"])
    old_low, old_high = bootstrap_difference(window_a, window_b)
    assert old_high < row.delta  # type: ignore[attr-defined]  # what a user saw before
    assert high - low == pytest.approx(old_high - old_low)  # the same spread


def test_the_interval_around_a_delta_matches_a_normal_theory_interval() -> None:
    # Independent of the bootstrap: Δ ± 1.96 standard errors of the window means.
    rng = np.random.default_rng(3)
    a, b = rng.normal(20.0, 0.4, 20), rng.normal(20.5, 0.4, 20)
    delta = 0.7  # a whole-run figure, not mean(b) - mean(a)
    low, high = interval_around(delta, a, b)
    half = 1.96 * math.sqrt(a.var() / len(a) + b.var() / len(b))
    assert low < delta < high
    assert low == pytest.approx(delta - half, abs=0.15 * half)
    assert high == pytest.approx(delta + half, abs=0.15 * half)


def test_throughput_delta_is_inside_its_interval_too() -> None:
    a, b = make_document(fps=100.0, seed=4), make_document(fps=103.0, seed=5)
    row = _figure(compare_documents([a, b]), "throughput_fps")
    low, high = row.interval  # type: ignore[attr-defined]
    assert low <= row.delta <= high  # type: ignore[attr-defined]


# -- capacity: enough samples for the percentile ------------------------------------------


def test_a_point_needs_enough_arrivals_for_its_percentile() -> None:
    assert min_samples(99) == 200 and min_samples(99.9) == 2000 and min_samples(50) == 100


@pytest.mark.slow
def test_a_low_rate_point_is_measured_until_it_has_enough_samples(tmp_path: Path) -> None:
    # 1 s at 40 requests/s would be 40 arrivals; p90 needs 100: the point runs longer.
    history = tmp_path / "history.db"
    base = BenchmarkConfig(model="demo:tiny", hint="latency", nireq=1, history=str(history))
    spec = CapacitySpec(base=base, slo_ms=1000.0, percent=90, point_time_s=1, max_rate=80.0)
    runner: CapacityRunner

    def stop_after_the_first_point(event: object) -> None:
        if type(event).__name__ == "CapacityPointFinished":
            runner.stop()

    runner = CapacityRunner(spec, stop_after_the_first_point)
    outcome = runner.run()
    assert outcome.points and outcome.points[0].rate_rps == pytest.approx(40.0)
    with HistoryStore(history) as store:
        [run] = [row for row in store.runs() if row.tag.endswith("point 1")]
    assert run.count is not None and run.count >= min_samples(90)
    assert outcome.points[0].latency_ms is not None and outcome.points[0].verdict == "meets"


# -- sweep: the table fits 80 columns --------------------------------------------------------


def _point(plan: object, order: int, effective: dict[str, str]) -> SweepPoint:
    latencies = np.sort(np.random.default_rng(order).uniform(1.0, 3.0, 400))
    return SweepPoint(
        plan,  # type: ignore[arg-type]
        order,
        len(latencies),
        5.0,
        1234.56 * order,
        latency_stats(latencies),
        latencies,
        effective=effective,
    )


def _wide_sweep(percentile: float) -> SweepOutcome:
    base = BenchmarkConfig(model="demo:tiny", hint="none")
    axes = {"streams": ("1", "2", "4"), "requests": ("1", "8"), "batch": ("1", "16")}
    spec = SweepSpec(base=base, axes=axes, percentile=percentile)
    plans = plan_points(spec)
    outcome = SweepOutcome(spec, len(plans))
    for order, plan in enumerate(plans, start=1):
        streams = min(int(plan.settings["streams"]), int(plan.settings["requests"]))
        effective = {
            "streams": str(streams),  # the CPU plugin's: no more streams than requests
            "threads": "2",
            "precision": "f32",
            "hint": "THROUGHPUT",
            "requests": plan.settings["requests"],
            "batch": plan.settings["batch"],
        }
        outcome.points.append(_point(plan, order, effective))
    return outcome


@pytest.mark.parametrize("percentile", [50, 99])
def test_the_sweep_table_fits_80_columns(percentile: float) -> None:
    lines = table_lines(_wide_sweep(percentile))
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    assert any("precision f32" in line and "hint THROUGHPUT" in line for line in lines)
    assert ("p99 ms" in lines[0]) == (percentile == 99)  # p50 is the median column
    # 4 streams asked with 1 request compile to 1 stream: said on that row only.
    rows = [line[2:].split() for line in lines[1:13]]  # past the marks
    ran_one = [row[1:4] for row in rows if row[-2:] == ["streams", "1"]]
    assert sorted(ran_one) == [["2", "1", "1"], ["2", "16", "1"], ["4", "1", "1"], ["4", "16", "1"]]


def test_a_long_effective_column_is_cut_and_says_where_it_is_whole() -> None:
    outcome = _wide_sweep(99)
    for point in outcome.points:
        point.effective["precision"] = f"bf16-for-point-{point.order}-and-a-very-long-tail"
    lines = table_lines(outcome)
    assert max(len(line) for line in lines) <= 80
    assert any(line.endswith("...") for line in lines)
    assert any("--md files hold every setting" in line for line in lines)
    whole = "\n".join(table_lines(outcome, width=None))
    assert "bf16-for-point-12-and-a-very-long-tail" in whole


# -- output paths that cannot take the output -------------------------------------------------


def test_json_out_to_a_fifo_nobody_reads_is_refused_before_measuring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "result.fifo"
    os.mkfifo(fifo)
    code = main(["run", "-m", "demo:tiny", "-niter", "10", "-json_out", str(fifo), "-no_history"])
    captured = capsys.readouterr()
    assert code == 2
    [error] = [line for line in captured.out.splitlines() if "[ ERROR ]" in line]
    assert "no process is reading" in error and "would block" in error and "cat " in error
    assert "folder" not in error
    assert "[Step 10/11]" not in captured.out  # nothing measured


def test_json_out_to_a_fifo_with_a_reader_gets_the_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "result.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code = 2
    for _ in range(200):  # until the reader has opened its end (hang guard)
        code = main(
            ["run", "-m", "demo:tiny", "-niter", "10", "-json_out", str(fifo), "-no_history"]
        )
        if code != 2:
            break
        time.sleep(0.01)
    capsys.readouterr()
    reader.join(30)
    assert code == 0
    assert received and b'"schema": "ovbench-tui/result"' in received[0]


def test_other_outputs_name_the_fifo_problem(tmp_path: Path) -> None:
    fifo = tmp_path / "sweep.json"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="no process is reading"):
        output_prefix(str(tmp_path / "sweep"), "sweep")
    from ovbench_tui.markdown import check_markdown_path

    with pytest.raises(UsageError, match="no process is reading"):
        check_markdown_path(str(fifo))


def test_a_reader_that_leaves_before_the_write_is_named(tmp_path: Path) -> None:
    fifo = tmp_path / "result.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    check_writable(str(fifo))  # before measuring: a reader is there, its end is kept
    os.close(reader)  # ... and it is gone by the end of the run
    with pytest.raises(StreamError, match="reader closed it"):
        write_file(str(fifo), "{}\n")


def test_a_report_folder_that_is_a_fifo_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "reports"
    os.mkfifo(fifo)
    args = ["run", "-m", "demo:tiny", "-niter", "5", "-report_type", "no_counters"]
    assert main([*args, "-report_folder", str(fifo), "-no_history"]) == 2
    assert f"-report_folder {fifo} is a FIFO, not a folder" in capsys.readouterr().out


# -- -api sync with -nireq ---------------------------------------------------------------------


def test_sync_says_that_nireq_is_ignored(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "run",
                "-m",
                "demo:tiny",
                "-api",
                "sync",
                "-nireq",
                "64",
                "-niter",
                "70",
                "-no_history",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if "-nireq 64 is ignored" in line]
    assert len(warnings) == 1 and warnings[0].startswith("[ WARNING ]")
    assert "-api sync" in warnings[0] and "-api async" in warnings[0]
    assert "Start inference synchronously" in out


def test_one_sync_request_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            ["run", "-m", "demo:tiny", "-api", "sync", "-nireq", "1", "-niter", "5", "-no_history"]
        )
        == 0
    )
    assert "is ignored" not in capsys.readouterr().out


# -- Ctrl+C at start-up -------------------------------------------------------------------------


def _handler_line() -> int:
    # Read, not imported: importing it would put its handler in this test process.
    entry = Path(ovbench_tui.__file__).parent / "__main__.py"
    source = entry.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(source, 1) if line.startswith("signal.signal("))


def _past_our_handler(err: str) -> bool:
    """A traceback through our code after __main__ installed its handler. Before it
    (Python's own start-up, the `site` module, finding the package) no code of ours
    can help: those are left out."""
    frames = re.findall(r'File "([^"]*ovbench_tui[/\\][^"]*)", line (\d+)', err)
    return any(
        not (path.endswith("__main__.py") and int(line) <= _handler_line()) for path, line in frames
    )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_an_early_ctrl_c_is_one_line_never_a_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "ovbench-tui"
    if not script.exists():
        pytest.skip("the console script is not installed")
    env = dict(os.environ, OVBENCH_TUI_DATA_DIR=str(tmp_path))
    handled = 0
    for index in range(24):  # spread over the first 0.12 s of start-up
        process = subprocess.Popen(
            [str(script), "run", "-m", "demo:tiny", "-niter", "5", "-no_history"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(index * 0.005)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        if "Traceback" in err or "Fatal Python error" in err:
            assert not _past_our_handler(err), err
            continue
        # Before Python set up its handler, the signal ends the process as a shell's would.
        assert process.returncode in (130, -signal.SIGINT), (index, process.returncode, err)
        assert err.count("\n") <= 1, err
        handled += process.returncode == 130
    assert handled  # some signals came once our code ran
