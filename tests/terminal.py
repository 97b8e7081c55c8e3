"""A child process on a pseudo-terminal of 80x24, for tests of what it writes there."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def start_in_terminal(args: list[str], data: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`python -m ovbench_tui ARGS` with a pty as its terminal; returns it and the
    pty's master end (the caller closes it)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, OVBENCH_TUI_DATA_DIR=str(data), TERM="xterm-256color")
    process = subprocess.Popen(
        [sys.executable, "-m", "ovbench_tui", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    return process, master


def read_until(
    master: int,
    process: subprocess.Popen[bytes],
    done: Callable[[bytes], bool],
    seconds: float,
) -> bytes:
    """What the child writes until `done(all of it)`, it ends, or `seconds` pass."""
    output = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done(output):
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    return output
