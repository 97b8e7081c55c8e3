"""Ctrl+C during a headless run: statistics of what was measured, exit 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from model_builders import save, static_conv


@pytest.mark.slow
def test_ctrl_c_prints_partial_statistics_and_exits_130(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = save(static_conv(), tmp_path, "static")
    process = subprocess.Popen(
        [sys.executable, "-m", "ovbench_tui", "run", "-m", model, "-t", "60", "-progress", "false"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + 60
    for line in process.stdout:
        lines.append(line)
        if line.startswith("[Step 10/11]") or time.monotonic() > deadline:
            break
    time.sleep(1.0)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    output = "".join(lines) + out
    assert process.returncode == 130
    assert time.monotonic() - sent < 5
    assert "Count:" in output and "Throughput:" in output
    assert "stopped early" in output
    assert "Traceback" not in output + err
