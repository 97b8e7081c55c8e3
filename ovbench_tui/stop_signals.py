"""Run a long measurement in a worker thread and stop it on Ctrl+C, SIGTERM or SIGHUP.

The main thread only waits: a signal asks the work to stop (every signal after
the first too, so a double tap is safe) and the main thread keeps waiting for
it to return what it measured.  No KeyboardInterrupt ever unwinds while
request threads are inside OpenVINO (that ends in a C++ abort).  The exit code
is the shell's for the first signal: 130 (INT), 143 (TERM), 129 (HUP).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
WAIT_S = 0.1
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@dataclass
class Finished(Generic[T]):
    value: T | None = None
    error: str = ""
    exit_code: int = 0  # 128 + the first stop signal, 0 when none came


def run_until_signalled(
    work: Callable[[], T],
    stop: Callable[[], None],
    say: Callable[[str], None],
    what: str,
) -> Finished[T]:
    finished: Finished[T] = Finished()
    done = threading.Event()

    def target() -> None:
        try:
            finished.value = work()
        except BaseException as error:  # never a traceback
            finished.error = str(error) or type(error).__name__
        finally:
            done.set()

    def on_signal(number: int, _frame: object) -> None:
        if not finished.exit_code:
            finished.exit_code = 128 + number
            name = signal.Signals(number).name
            say(f"[ WARNING ] {name}: stopping {what}, keeping what was measured")
        stop()

    previous = {}
    on_main = threading.current_thread() is threading.main_thread()
    if on_main:
        for number in STOP_SIGNALS:
            previous[number] = signal.signal(number, on_signal)
    try:
        threading.Thread(target=target, name="ovbench-work", daemon=True).start()
        while not done.wait(WAIT_S):
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return finished
