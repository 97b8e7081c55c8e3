"""`ovbench-tui serve`: the server's command line and address, and a quick start/stop."""

from __future__ import annotations

import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ovbench_tui.cli import main
from ovbench_tui.serve import build_server


def test_the_server_runs_this_app_on_localhost_by_default() -> None:
    server = build_server(["-m", "demo:tiny", "-t", "5"])
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert shlex.split(server.command) == [
        sys.executable,
        "-m",
        "ovbench_tui",
        "-m",
        "demo:tiny",
        "-t",
        "5",
    ]


def test_host_and_port_are_taken_wherever_they_are_given() -> None:
    server = build_server(["--demo", "--host", "0.0.0.0", "--port", "9123"])
    assert (server.host, server.port) == ("0.0.0.0", 9123)
    assert shlex.split(server.command)[3:] == ["--demo"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--port", "70000"], "is not a port"),
        (["-m", "demo:tiny", "-nstreams", "abc"], "nstreams"),
        (["--bogus"], "unrecognized arguments"),
        (["run", "-m", "demo:tiny"], "give the app's flags"),
        (["--demo", "--md", "x.md"], "in the app, w saves Markdown"),
    ],
)
def test_bad_flags_are_one_line_before_serving(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("ovbench-tui serve: error:") and words in line


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_answers_with_the_page_and_stops_on_ctrl_c() -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ovbench_tui", "serve", "--port", str(port), "--demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = ""
        for _ in range(300):  # a hang guard, not a speed target
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    page = answer.read().decode()
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        assert "textual" in page.lower(), server.stdout.read() if server.poll() else ""
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
        assert server.returncode == 0
        assert f"http://127.0.0.1:{port}" in output
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
