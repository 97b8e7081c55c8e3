"""Leaving the app: Ctrl+Q, signals and a terminal that is gone all stop the work
in progress and keep what it measured before the process exits."""

from __future__ import annotations

import os
import signal
import sys

from textual.app import App

from .app_api import WorkScreen

TTY_CHECK_S = 2.0
# Quitting during a run first stops it and stores it; if the engine has not
# returned after this long, the app quits anyway (and the process leaves
# without waiting for it: see _leave_for_sure).
QUIT_GRACE_S = 2.0
EXIT_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


class LeavingApp(App[int]):
    """An App whose screens may run work (a run, a sweep, a capacity search, a tune):
    leaving stops it first.  Such a screen is an app_api.WorkScreen and calls
    `work_ended()` once its work has stopped and been kept.
    """

    def __init__(self, *, watch_terminal: bool = True) -> None:
        super().__init__()
        self.watch_terminal = watch_terminal
        self._leaving = False
        # The line left on the terminal after the app, when leaving stopped work.
        self.leaving_note = ""
        self._leave_code = 0
        self._exit_armed = False

    @property
    def leaving(self) -> bool:
        """Quitting (Ctrl+Q, a signal, the terminal gone) has begun."""
        return self._leaving

    def watch_for_leaving(self) -> None:
        """From on_mount: leave when the terminal goes or a signal asks to."""
        if self.watch_terminal:
            self.set_interval(TTY_CHECK_S, self._check_terminal)
            self._watch_signals()

    async def action_quit(self) -> None:
        """Ctrl+Q: a run in progress is stopped and stored first, then the app quits."""
        self.leave(0)

    def leave(self, code: int) -> None:
        """Quit with `code`; a run or sweep in progress is stopped first and what it
        measured is kept (a run is stored by show_results, sweep points as they end)."""
        if self._leaving:
            return  # a second Ctrl+Q, or tmux and the kernel both sending SIGHUP
        self._leaving = True
        self._leave_code = code
        stopping = False
        for screen in self.screen_stack:
            if isinstance(screen, WorkScreen) and screen.stop_work():
                stopping = True
        if not stopping:
            self._exit_now()
            return
        self.notify("Stopping: what was measured is stored, then the app quits")
        self.set_timer(QUIT_GRACE_S, self._exit_now)

    def work_ended(self) -> None:
        """A screen's run or sweep has ended (and been stored): quit if asked to."""
        if self._leaving and not any(
            isinstance(screen, WorkScreen) and screen.working for screen in self.screen_stack
        ):
            self._exit_now()

    def _exit_now(self) -> None:
        if self.is_running and not self._exit_armed:
            self._exit_armed = True
            if self.watch_terminal:  # the real app, not a test's
                self._leave_for_sure(self._leave_code)
            self.exit(return_code=self._leave_code)

    @staticmethod
    def _leave_for_sure(code: int) -> None:
        # Textual's shutdown waits for its worker threads (an engine that did not
        # stop in time) and can block writing to a terminal that is gone; a normal
        # exit with request threads inside OpenVINO would abort.  So if the process
        # is still here a little after the app was asked to exit, it leaves.
        import threading

        fallback = threading.Timer(QUIT_GRACE_S, lambda: os._exit(code))
        fallback.daemon = True
        fallback.start()

    def _watch_signals(self) -> None:
        """SIGTERM (a CI timeout, `kill`), SIGINT (`kill -INT`; Ctrl+C is a key here) and
        SIGHUP (an SSH drop): stop and store the run, restore the terminal, exit
        128 + the signal's number, as the headless front ends do."""
        import asyncio

        loop = asyncio.get_running_loop()
        for name in EXIT_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                loop.add_signal_handler(number, self.leave, 128 + number)

    def _check_terminal(self) -> None:
        stream = sys.__stdin__
        try:
            alive = stream is not None and os.isatty(stream.fileno())
        except (OSError, ValueError):
            alive = False
        if not alive:
            # An SSH drop that sent no SIGHUP: stop the benchmark cleanly instead of
            # spinning without a reader.
            self.leave(128 + getattr(signal, "SIGHUP", 1))
