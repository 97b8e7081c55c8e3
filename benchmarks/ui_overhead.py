"""What the app costs the benchmark it shows.

    .venv/bin/python benchmarks/ui_overhead.py [--model demo:cnn] [--pairs 4] [--time 10]

Runs the same model and settings headless (`ovbench-tui run`) and in the app
(`ovbench-tui --start`, in a real pseudo-terminal of 80x24 whose output is
read and thrown away, as a terminal would), alternately, and prints:

* the median throughput ratio app / headless (target >= 0.97 on 2 cores);
* the app's UI-thread CPU time as a share of the measuring time;
* the time from launch to the first drawn screen, the form (target <= 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from fcntl import ioctl
from pathlib import Path

BIN = Path(sys.executable).parent
OVBENCH = str(BIN / "ovbench-tui")
THROUGHPUT = re.compile(r"Throughput:\s+([\d.]+) FPS")


def spawn_in_pty(argv: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    """Start argv on a new 80x24 pseudo-terminal (sized before the app starts)."""
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    return process, master


def headless(model: str, seconds: int, extra: list[str]) -> float:
    out = subprocess.run(
        [OVBENCH, "run", "-m", model, "-t", str(seconds), "-progress", "false", *extra],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = THROUGHPUT.search(out)
    if not match:
        raise RuntimeError(f"no throughput in headless output:\n{out[-2000:]}")
    return float(match.group(1))


def in_app(model: str, seconds: int, extra: list[str]) -> tuple[float, float, float]:
    """(throughput, UI-thread CPU seconds, seconds to first drawn screen) of one app run."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        argv = [
            OVBENCH,
            "-m",
            model,
            "-t",
            str(seconds),
            "--start",
            "--exit-when-done",
            str(report),
            *extra,
        ]
        started = time.perf_counter()
        process, fd = spawn_in_pty(argv)
        first_paint = None
        while True:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            if first_paint is None and b"ovbench-tui" in chunk:
                first_paint = time.perf_counter() - started
        process.wait()
        os.close(fd)
        data = json.loads(report.read_text())
    return (
        data["throughput_fps"],
        data["ui_thread_cpu_s"] / data["duration_s"],
        first_paint or float("nan"),
    )


def first_paint(model: str) -> float:
    """Seconds from launch until the form's title is on the terminal (then ctrl+q)."""
    started = time.perf_counter()
    process, fd = spawn_in_pty([OVBENCH, "-m", model])
    seen = b""
    painted = float("nan")
    while time.perf_counter() - started < 30:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            seen += os.read(fd, 65536)
        except OSError:
            break
        if b"set up a run" in seen:
            painted = time.perf_counter() - started
            break
    os.write(fd, b"\x11")  # ctrl+q
    deadline = time.perf_counter() + 10
    while process.poll() is None and time.perf_counter() < deadline:
        try:
            if select.select([fd], [], [], 0.1)[0]:
                os.read(fd, 65536)  # keep draining, as a terminal would
        except OSError:
            break
    if process.poll() is None:
        process.kill()
        process.wait()
    os.close(fd)
    return painted


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="demo:cnn")
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--time", type=int, default=10)
    parser.add_argument("--flags", default="", help="extra flags for both, e.g. '-hint latency'")
    args = parser.parse_args()
    extra = args.flags.split()
    ratios, shares, paints, head_fps, app_fps = [], [], [], [], []
    for pair in range(args.pairs):
        order = ("headless", "app") if pair % 2 == 0 else ("app", "headless")
        results: dict[str, float] = {}
        for kind in order:
            if kind == "headless":
                results[kind] = headless(args.model, args.time, extra)
            else:
                fps, share, _ = in_app(args.model, args.time, extra)
                results[kind] = fps
                shares.append(share)
        paints.append(first_paint(args.model))
        head_fps.append(results["headless"])
        app_fps.append(results["app"])
        ratios.append(results["app"] / results["headless"])
        print(
            f"pair {pair + 1}: headless {results['headless']:.1f} FPS, "
            f"app {results['app']:.1f} FPS, ratio {ratios[-1]:.3f}",
            flush=True,
        )
    print()
    print(f"model {args.model}, {args.time} s per run, {args.pairs} pairs")
    head, app = statistics.median(head_fps), statistics.median(app_fps)
    print(f"median FPS headless {head:.1f}, app {app:.1f}")
    print(f"median ratio app/headless: {statistics.median(ratios):.3f}  (target >= 0.97)")
    share = statistics.median(shares) * 100
    print(f"UI thread CPU, share of one core while measuring: median {share:.1f} %")
    print(
        f"launch to first drawn screen: median {statistics.median(paints):.2f} s  (target <= 1 s)"
    )


if __name__ == "__main__":
    main()
