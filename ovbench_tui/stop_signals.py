"""Ctrl+C, SIGTERM and SIGHUP for the headless front ends: they ask the work to stop.

Python's default SIGINT handler raises KeyboardInterrupt wherever the main
thread happens to be.  If that unwinds the interpreter while request threads
are inside OpenVINO, its C++ runtime aborts (`terminate called without an
active exception`, exit 134) and everything measured is lost; SIGTERM and
SIGHUP kill the process outright.  While a front end runs, these handlers only
record the signal and call the front end's `on_stop` once: the main thread
keeps waiting for the engine, prints what was measured, stores it and exits
128 + the signal's number (130, 143, 129), as shells report a signal's death.

A signal handler runs in the main thread between two bytecodes, possibly in
the middle of a `write()` or with a lock held, so `on_stop` must not write or
take a lock the main thread may hold; stop notices go through `LockedLines`,
which prints them before its next line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any, Generic, TextIO, TypeVar

STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
# A later signal leaves at once (without waiting for the work) only when the first
# one has not been obeyed for this long: a double tap must still keep the result.
FORCE_AFTER_S = 5.0
WAIT_S = 0.1  # how often a waiting main thread prints a stop notice
T = TypeVar("T")
SIGNAL_NAMES = {"SIGINT": "Interrupted (Ctrl+C)", "SIGTERM": "Terminated", "SIGHUP": "Hang-up"}


def signal_label(signum: int) -> str:
    """`Interrupted (Ctrl+C)`, `Terminated (SIGTERM)`, `Hang-up (SIGHUP)`."""
    name = signal.Signals(signum).name
    label = SIGNAL_NAMES.get(name, name)
    return label if name == "SIGINT" else f"{label} ({name})"


class StopSignals:
    """Installs the stop handlers (a context manager; restores the previous ones)."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.first_at = 0.0
        self._on_stop: Callable[[int], None] | None = None
        self._can_leave: Callable[[], bool] = lambda: False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for name in STOP_SIGNALS:
                number = getattr(signal, name, None)
                if number is not None:
                    self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for number, previous in self._previous.items():
            if self.signum is not None:
                # Leaving because of a stop: a late second tap must not turn the
                # clean exit into a death by signal (or a traceback) on the way out.
                previous = signal.SIG_IGN
            signal.signal(number, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()

    @property
    def exit_code(self) -> int | None:
        return None if self.signum is None else 128 + self.signum

    def on_stop(
        self, callback: Callable[[int], None], can_leave: Callable[[], bool] | None = None
    ) -> None:
        """`callback(signum)` runs once, in the handler, on the first signal (at once
        if one came already).  `can_leave()` says a later signal may end the process
        without waiting, as nothing measured would be lost."""
        self._on_stop = callback
        self._can_leave = can_leave or (lambda: False)
        if self.signum is not None:
            callback(self.signum)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum
            self.first_at = time.monotonic()
            if signum == getattr(signal, "SIGHUP", None) and hasattr(signal, "SIGPIPE"):
                # The reader may be gone with the session: a write must fail, not kill
                # us before the run is stored.
                signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            if self._on_stop is not None:
                self._on_stop(signum)
            return
        if self._can_leave() or time.monotonic() - self.first_at >= FORCE_AFTER_S:
            # Nothing left to keep, or the stop was not obeyed: leave now.  os._exit,
            # because a normal exit with request threads inside OpenVINO aborts.
            waited = time.monotonic() - self.first_at
            note = (
                "nothing was measured yet"
                if self._can_leave()
                else f"still stopping after {waited:.0f} s: nothing more is stored"
            )
            message = f"[ WARNING ] {signal_label(signum)} again: leaving ({note})\n"
            with contextlib.suppress(OSError):
                os.write(1, message.encode())  # not sys.stdout: it may be mid-write
            os._exit(128 + self.signum)


class LockedLines:
    """Whole lines to one stream from several threads.  A signal handler sets
    `notice` (plain assignment: no lock, no write) and it goes out first, before
    the next line from any thread or at the next `flush_notice()`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.lock = threading.Lock()
        self.notice: str | None = None
        self.reader_gone_ok = False  # after a hang-up, writes that fail are dropped
        self.before_line: Callable[[], None] | None = None  # e.g. erase a progress bar
        # The stream refused a line (/dev/full): the work goes on and is stored; the
        # front end says so once on stderr at the end.
        self.write_error: OSError | None = None

    def line(self, text: str | None) -> None:
        with self.lock:
            if self.write_error is not None:
                return
            notice, self.notice = self.notice, None
            if self.before_line is not None and (notice is not None or text is not None):
                self.before_line()
            try:
                if notice is not None:
                    self.out.write(notice + "\n")
                if text is not None:
                    self.out.write(text + "\n")
                self.out.flush()
            except BrokenPipeError:
                if not self.reader_gone_ok:
                    raise
            except OSError as error:
                if not self.reader_gone_ok:
                    self.write_error = error

    def stop_notice(self, signum: int, what: str) -> None:
        """From a signal handler: `[ WARNING ] <signal>: <what>` goes out next."""
        if signum == getattr(signal, "SIGHUP", None):
            self.reader_gone_ok = True
        self.notice = f"[ WARNING ] {signal_label(signum)}: {what}"

    def flush_notice(self) -> None:
        if self.notice is not None:
            self.line(None)


@dataclass
class Finished(Generic[T]):
    """What a stoppable piece of work returned, or why it failed (never a traceback)."""

    value: T | None = None
    error: str = ""


def run_until_done(
    work: Callable[[], T],
    stop: Callable[[], None],
    stops: StopSignals,
    printer: LockedLines,
    what: str,
) -> Finished[T]:
    """Run `work` in a thread; a stop signal says so (`[ WARNING ] ...: stopping
    <what>; the finished points are kept`) and calls `stop`.  The main thread
    only waits, so a signal never unwinds over OpenVINO's threads."""
    finished: Finished[T] = Finished()
    done = threading.Event()

    def target() -> None:
        try:
            finished.value = work()
        except BaseException as error:  # never a traceback
            finished.error = str(error) or type(error).__name__
        finally:
            done.set()

    def on_signal(signum: int) -> None:  # in the signal handler: no lock, no write
        printer.stop_notice(signum, f"stopping {what}; the finished points are kept")
        stop()

    stops.on_stop(on_signal)
    threading.Thread(target=target, name="ovbench-work", daemon=True).start()
    while not done.wait(WAIT_S):
        printer.flush_notice()
    printer.flush_notice()
    return finished
