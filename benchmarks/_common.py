"""Helpers shared by the benchmark scripts: run a tool as a child process, read its peak RSS,
parse benchmark_app-style output.

This module must stay light (standard library only). The kernel seeds a child's ``ru_maxrss``
with the parent's own peak RSS at exec time, so if the harness imported openvino (~70 MB) every
child would report at least that much. That is also why demo models are resolved in a
subprocess instead of importing ``ovbench_tui`` here.
"""

from __future__ import annotations

import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The final block of benchmark_app (and of ours), e.g.
#   [ INFO ] Count:            87242 iterations
#   [ INFO ] Throughput:   43618.89 FPS
_THROUGHPUT_RE = re.compile(r"Throughput:\s+([0-9.]+)\s*FPS")
_COUNT_RE = re.compile(r"Count:\s+([0-9]+)\s+iterations")

# The venv's console scripts live next to its interpreter; using them (not whatever is on PATH)
# makes sure both tools run against the same openvino.
VENV_BIN = Path(sys.executable).parent

# Benchmark runs are not the user's runs: every child stores its history (and
# caches its demo models) in a folder of its own, never the user data folder.
os.environ.setdefault("OVBENCH_TUI_DATA_DIR", tempfile.mkdtemp(prefix="ovbench-bench-"))


@dataclass
class RunResult:
    """One finished child process."""

    cmd: list[str]
    returncode: int
    stdout: str
    stderr: str
    peak_rss_kb: int  # ru_maxrss of the child; kilobytes on Linux
    wall_s: float
    cpu_s: float  # user + system time of the child
    timed_out: bool = False
    fps: float | None = None
    count: int | None = None
    peak_threads: int = 0  # most threads seen in the child (polled at 20 Hz)

    @property
    def ok(self) -> bool:
        return (
            self.returncode == 0
            and not self.timed_out
            and self.fps is not None
            and self.count is not None
        )

    def describe_failure(self, tail_lines: int = 25) -> str:
        """The command and the end of its output, enough to reproduce and diagnose."""
        why = "timed out" if self.timed_out else f"exit code {self.returncode}"
        if self.returncode == 0 and not self.timed_out:
            why = "no Throughput/Count line in stdout"
        parts = [f"FAILED ({why}): {format_cmd(self.cmd)}"]
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr)):
            lines = text.rstrip().splitlines()[-tail_lines:]
            if lines:
                parts.append(f"--- {name} (last {len(lines)} lines) ---")
                parts.extend(lines)
        return "\n".join(parts)


def format_cmd(cmd: Sequence[str]) -> str:
    return shlex.join(cmd)


def run_child(cmd: Sequence[str], timeout_s: float) -> RunResult:
    """Run ``cmd`` to completion and return its output, exit code and peak RSS.

    ``subprocess.run`` reaps the child itself and throws the rusage away, so we reap it with
    ``os.wait4`` instead. Output goes to temporary files rather than pipes: nobody reads the
    pipes while we wait, and a chatty child (e.g. ``-pc``) would otherwise block on a full pipe.
    """
    with (
        tempfile.TemporaryFile(mode="w+b") as out,
        tempfile.TemporaryFile(mode="w+b") as err,
    ):
        start = time.monotonic()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout_s
        timed_out = False
        peak_threads = 0
        # Poll with WNOHANG so a hung child can be killed; 20 Hz costs nothing measurable and
        # the pid cannot be reused before we reap it, so kill() never hits another process.
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_threads = max(peak_threads, _threads_of(proc.pid))
            if not timed_out and time.monotonic() > deadline:
                proc.kill()
                timed_out = True
            time.sleep(0.05)
        wall = time.monotonic() - start
        # Tell Popen the child is gone so it does not try to wait for it again.
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")

    result = RunResult(
        cmd=list(cmd),
        returncode=proc.returncode,
        stdout=stdout,
        stderr=stderr,
        peak_rss_kb=rusage.ru_maxrss,
        wall_s=wall,
        cpu_s=rusage.ru_utime + rusage.ru_stime,
        timed_out=timed_out,
        peak_threads=peak_threads,
    )
    if m := _THROUGHPUT_RE.search(stdout):
        result.fps = float(m.group(1))
    if m := _COUNT_RE.search(stdout):
        result.count = int(m.group(1))
    return result


def _threads_of(pid: int) -> int:
    """The `Threads:` line of /proc/PID/status (0 where there is no /proc)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def find_tool(name: str) -> str:
    """Path of a console script installed in the running venv."""
    path = VENV_BIN / name
    if not path.exists():
        sys.exit(f"error: {path} not found; run this script with the project's .venv/bin/python")
    return str(path)


def resolve_model(model: str) -> str:
    """Turn ``demo:<name>`` into the cached IR path (benchmark_app needs a real file).

    Done in a subprocess so the harness never imports openvino (see the module docstring).
    """
    if not model.startswith("demo:"):
        return model
    code = (
        "import sys; from ovbench_tui.demo_models import resolve_demo_model; "
        "print(resolve_demo_model(sys.argv[1]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, model], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.exit(f"error: cannot resolve {model}:\n{proc.stderr.strip()}")
    return proc.stdout.strip().splitlines()[-1]


def openvino_version() -> str:
    proc = subprocess.run(
        [sys.executable, "-c", "import openvino; print(openvino.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or "unknown"


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(value: float | None, spec: str) -> str:
    """Format a number that may be missing (all runs of that kind failed)."""
    return "n/a" if value is None else format(value, spec)
