"""Stopping from outside: Ctrl+C (once, twice, a storm), SIGTERM and SIGHUP end a
run or a sweep with what was measured printed and stored, exit 128 + the signal,
and never a traceback or a C++ abort (`terminate called ...`, exit 134)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from model_builders import save, static_conv
from terminal import read_until, start_in_terminal

from ovbench_tui.reports.history import HistoryStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

MEASURING = "[Step 10/11]"  # printed when the measured loop is about to start


class Process:
    """`python -m ovbench_tui ...` with its stdout read line by line in a thread."""

    def __init__(self, args: list[str], data: Path) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "ovbench_tui", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1", OVBENCH_TUI_DATA_DIR=str(data)),
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line)

    def wait_for(self, prefix: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while not any(line.startswith(prefix) for line in self.lines):
            if self.popen.poll() is not None or time.monotonic() > deadline:
                self.popen.kill()
                raise AssertionError(f"never printed {prefix!r}:\n{''.join(self.lines)}")
            time.sleep(0.02)

    def signal(self, number: int, times: int = 1, gap_s: float = 0.05) -> float:
        sent = time.monotonic()
        for index in range(times):
            if index:
                time.sleep(gap_s)
            if self.popen.poll() is None:
                self.popen.send_signal(number)
        return sent

    def finish(self, seconds: float = 30) -> tuple[int, str, str]:
        try:
            self.popen.wait(timeout=seconds)
        finally:
            if self.popen.poll() is None:
                self.popen.kill()
            self._reader.join(5)
        assert self.popen.stderr is not None
        return self.popen.returncode, "".join(self.lines), self.popen.stderr.read()


def stored_runs(history: Path) -> list[object]:
    with HistoryStore(history) as store:
        return list(store.runs())


def assert_clean(out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert "terminate called" not in out + err


def run_args(history: Path, *extra: str) -> list[str]:
    return ["run", "-m", "demo:tiny", "-progress", "false", "--history", str(history), *extra]


@pytest.mark.slow
def test_ctrl_c_twice_prints_partial_statistics_and_exits_130(tmp_path: Path) -> None:
    model = save(static_conv(), tmp_path, "static")
    history = tmp_path / "h.sqlite"
    process = Process(
        ["run", "-m", model, "-t", "60", "-progress", "false", "--history", str(history)],
        tmp_path / "data",
    )
    process.wait_for(MEASURING)
    time.sleep(1.0)
    process.signal(signal.SIGINT, times=2, gap_s=0.05)  # a double tap
    code, out, err = process.finish()
    assert code == 130
    assert "Count:" in out and "Throughput:" in out
    assert "stopped early" in out and "Interrupted (Ctrl+C)" in out
    assert_clean(out, err)
    assert len(stored_runs(history)) == 1


@pytest.mark.slow
@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129)], ids=str)
def test_a_double_signal_still_ends_with_the_statistics_and_the_run_stored(
    tmp_path: Path, name: str, code: int
) -> None:
    history = tmp_path / "h.sqlite"
    process = Process(run_args(history, "-t", "30", "-nireq", "4"), tmp_path / "data")
    process.wait_for(MEASURING)
    time.sleep(0.5)
    process.signal(getattr(signal, name), times=2, gap_s=0.05)
    returned, out, err = process.finish()
    assert returned == code, out + err
    assert "Count:" in out and "Throughput:" in out
    assert_clean(out, err)
    (run,) = stored_runs(history)
    assert run.stopped_early  # type: ignore[attr-defined]


@pytest.mark.slow
def test_on_a_terminal_the_progress_bar_is_erased_before_the_stop_notice(tmp_path: Path) -> None:
    # The engine's thread prints the notice and the statistics where the bar is.
    history = tmp_path / "h.sqlite"
    args = ["run", "-m", "demo:tiny", "-t", "30", "--history", str(history)]
    process, master = start_in_terminal(args, tmp_path / "data")
    try:
        shown = read_until(master, process, lambda out: out.count(b"Measuring ") >= 2, 90)
        assert shown.count(b"Measuring ") >= 2  # the banner and a drawn bar
        process.send_signal(signal.SIGINT)
        time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        after = read_until(master, process, lambda out: False, 30)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert code == 130
    assert b"\x1b[2K[ WARNING ] Interrupted (Ctrl+C)" in after
    assert b"Measuring " not in after.split(b"[ WARNING ] Interrupted")[1]
    assert b"Count:" in after and b"Traceback" not in after


@pytest.mark.slow
def test_ctrl_c_during_the_history_write_is_one_line(tmp_path: Path) -> None:
    import sqlite3

    history = tmp_path / "h.sqlite"
    HistoryStore(history).close()
    holder = sqlite3.connect(history, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # the run's write waits for it
    try:
        process = Process(run_args(history, "-niter", "200"), tmp_path / "data")
        process.wait_for("[ INFO ] Throughput:")
        time.sleep(0.3)
        process.signal(signal.SIGINT, times=2, gap_s=0.05)
        time.sleep(0.3)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    code, out, err = process.finish()
    assert code == 130, out + err
    assert_clean(out, err)
    notices = [line for line in out.splitlines() if "Interrupted (Ctrl+C)" in line]
    assert notices == ["[ WARNING ] Interrupted (Ctrl+C): leaving once the run is stored"]


@pytest.mark.slow
def test_a_storm_of_ctrl_c_through_the_end_and_the_history_write(tmp_path: Path) -> None:
    # A signal every 20 ms from the measurement to the exit lands in the
    # statistics, the history write and the way out too.
    history = tmp_path / "h.sqlite"
    process = Process(run_args(history, "-t", "30"), tmp_path / "data")
    process.wait_for(MEASURING)
    time.sleep(0.3)
    while process.popen.poll() is None:
        process.signal(signal.SIGINT)
        time.sleep(0.02)
    code, out, err = process.finish()
    assert code == 130, out + err
    assert "Count:" in out and "Throughput:" in out
    assert_clean(out, err)
    assert len(stored_runs(history)) == 1


@pytest.mark.slow
def test_sighup_with_the_reader_gone_still_stores_the_run(tmp_path: Path) -> None:
    # A closed SSH session without a TTY: the hang-up, then nobody reads stdout.
    history = tmp_path / "h.sqlite"
    popen = subprocess.Popen(
        [sys.executable, "-m", "ovbench_tui", *run_args(history, "-t", "30")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1", OVBENCH_TUI_DATA_DIR=str(tmp_path)),
    )
    assert popen.stdout is not None
    for line in popen.stdout:
        if line.startswith(MEASURING):
            break
    time.sleep(0.5)
    popen.send_signal(signal.SIGHUP)
    popen.stdout.close()
    assert popen.wait(timeout=30) == 129
    assert len(stored_runs(history)) == 1


def _openvino_loading(pid: int) -> bool:
    try:
        return "openvino" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
def test_ctrl_c_during_the_start_up_imports_is_one_line(tmp_path: Path) -> None:
    process = Process(run_args(tmp_path / "h.sqlite", "-t", "30"), tmp_path / "data")
    deadline = time.monotonic() + 60
    while not _openvino_loading(process.popen.pid) and time.monotonic() < deadline:
        time.sleep(0.005)
    process.signal(signal.SIGINT)
    code, out, err = process.finish()
    assert code == 130
    assert_clean(out, err)
    assert out == "[ WARNING ] Interrupted (Ctrl+C) before the run started\n", err


@pytest.mark.slow
@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143)], ids=str)
def test_a_signal_stops_a_sweep_keeping_and_writing_the_finished_points(
    tmp_path: Path, name: str, code: int
) -> None:
    history = tmp_path / "h.sqlite"
    prefix = tmp_path / "sweep"
    args = ["sweep", "-m", "demo:tiny", "--requests", "1", "2", "--point-time", "2"]
    args += ["--point-count", "10", "--history", str(history), "--out", str(prefix)]
    process = Process(args, tmp_path / "data")
    process.wait_for("[ 2/2 ] point")  # the first point has been stored
    time.sleep(1.0)
    process.signal(getattr(signal, name), times=2, gap_s=0.05)
    returned, out, err = process.finish()
    assert returned == code, out + err
    assert_clean(out, err)
    assert "stopping the sweep" in out and "stopped: not kept" in out
    assert Path(f"{prefix}.csv").is_file() and Path(f"{prefix}.json").is_file()
    assert len(stored_runs(history)) == 1


@pytest.mark.slow
def test_ctrl_c_after_the_time_ran_out_with_niter_pending(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite"
    process = Process(run_args(history, "-t", "1", "-niter", "10000000"), tmp_path / "data")
    process.wait_for(MEASURING)
    time.sleep(2.5)  # past -t: the loop goes on for -niter
    process.signal(signal.SIGINT)
    code, out, _ = process.finish(seconds=5)
    assert code == 130
    assert "Count:" in out and len(stored_runs(history)) == 1


def test_a_second_signal_leaves_at_once_when_nothing_would_be_lost(tmp_path: Path) -> None:
    # StopSignals' way out: a stop that cannot be obeyed (nothing measured yet)
    # must not trap the user; os._exit, never an abort.
    script = textwrap.dedent(
        """
        import os, signal, time
        from ovbench_tui.stop_signals import StopSignals

        with StopSignals() as stops:
            stops.on_stop(lambda signum: print("stop", signum, flush=True), lambda: True)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.1)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(10)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 143  # the first signal's code
    assert f"stop {int(signal.SIGTERM)}" in done.stdout
    assert "Interrupted (Ctrl+C) again: leaving (nothing was measured yet)" in done.stdout


def test_stop_signals_call_on_stop_once_and_never_raise() -> None:
    from ovbench_tui.stop_signals import StopSignals

    previous = signal.getsignal(signal.SIGINT)
    calls: list[int] = []
    try:
        with StopSignals() as stops:
            stops.on_stop(calls.append)
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the handler runs between bytecodes
            assert calls == [signal.SIGINT]
            assert stops.exit_code == 130
        # Leaving after a stop: a late tap is ignored, not a KeyboardInterrupt.
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
