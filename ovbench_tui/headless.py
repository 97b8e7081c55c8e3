"""`ovbench-tui run`: benchmark_app's console output, plus a progress display.

The engine runs in a worker thread and prints through this module's observer;
the main thread keeps the signal handling (Ctrl+C stops the measurement and
still prints what was measured, exit 130) and samples progress a few times a
second from the engine instead of hearing about every inference.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any, TextIO

from .config import BenchmarkConfig
from .engine.engine import Engine
from .engine.events import TOTAL_STEPS, Event, LogLine, RawLine, RunFailed, RunFinished, StepStarted
from .engine.result import RunResult, summary_lines
from .errors import OvbenchError
from .run_args import parse_run_args

PROGRESS_PERIOD_S = 0.25
PLAIN_PROGRESS_PERIOD_S = 5.0
EXIT_INTERRUPTED = 130


class ConsolePrinter:
    """Turns engine events into benchmark_app's lines."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.lock = threading.Lock()
        self.result: RunResult | None = None

    def line(self, text: str) -> None:
        with self.lock:
            self.out.write(text + "\n")
            self.out.flush()

    def __call__(self, event: Event) -> None:
        if isinstance(event, StepStarted):
            info = f" ({event.info})" if event.info else ""
            self.line(f"[Step {event.number}/{TOTAL_STEPS}] {event.name}{info}")
        elif isinstance(event, LogLine):
            self.line(f"[ {event.level} ] {event.text}")
        elif isinstance(event, RawLine):
            self.line(event.text)
        elif isinstance(event, RunFinished):
            self.result = event.result
            if event.result.stopped_early:
                self.line(
                    "[ WARNING ] Measurement stopped early: statistics cover the part measured"
                )
            for text in summary_lines(event.result):
                self.line(f"[ INFO ] {text}")
        elif isinstance(event, RunFailed):
            self.line(f"[ ERROR ] {event.message}")


class ProgressView:
    """Progress while measuring: a rich bar on a terminal, plain lines otherwise."""

    def __init__(self, engine: Engine, mode: str, out: TextIO) -> None:
        self.engine = engine
        self.out = out
        is_tty = out.isatty()
        if mode == "auto":
            mode = "bar" if is_tty else "lines"
        self.mode = mode
        self._bar: Any = None  # rich.progress.Progress, imported only when drawn
        self._task: Any = None
        self._last_line = 0.0

    def fraction(self, elapsed: float, completed: int) -> float:
        parts = []
        if self.engine.planned_duration_s:
            parts.append(elapsed / self.engine.planned_duration_s)
        if self.engine.planned_iterations:
            parts.append(completed / self.engine.planned_iterations)
        # With both limits the run goes on until both are met.
        return max(0.0, min(1.0, min(parts))) if parts else 0.0

    def tick(self) -> None:
        if self.mode == "none" or self.engine.phase != "measuring":
            return
        window = self.engine.sample_window()
        if window is None:
            return
        fraction = self.fraction(window.elapsed_s, window.completed)
        if self.mode == "bar":
            self._draw_bar(fraction, window.elapsed_s, window.completed)
        elif window.at - self._last_line >= PLAIN_PROGRESS_PERIOD_S:
            self._last_line = window.at
            fps = window.completed / window.elapsed_s if window.elapsed_s > 0 else 0.0
            self.out.write(
                f"[ INFO ] Progress: {fraction * 100:3.0f}% {window.elapsed_s:.1f} s "
                f"{window.completed} iterations {fps:.1f} it/s\n"
            )
            self.out.flush()

    def _draw_bar(self, fraction: float, elapsed: float, completed: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        if self._bar is None:
            self._bar = Progress(
                TextColumn("Measuring"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[iterations]} it"),
                TimeElapsedColumn(),
                console=Console(file=self.out),
                transient=True,
                auto_refresh=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("measure", total=1.0, iterations=0)
        assert self._task is not None
        self._bar.update(self._task, completed=fraction, iterations=completed)
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def run_config(
    config: BenchmarkConfig,
    out: TextIO = sys.stdout,
    argv: Sequence[str] | None = None,
    md_path: str = "",
) -> int:
    printer = ConsolePrinter(out)
    engine = Engine(
        config, printer, quiet_native_stderr=True, argv=list(argv) if argv is not None else None
    )
    progress = ProgressView(engine, config.progress, out)
    outcome: dict[str, int] = {}
    # An Event, not Thread.join: a join interrupted by Ctrl+C can leave
    # is_alive() False while the thread still runs (CPython), losing the result.
    done = threading.Event()

    def work() -> None:
        try:
            engine.run()
            outcome["code"] = 0
        except OvbenchError as error:
            outcome["code"] = error.exit_code
        except BaseException as error:  # never a traceback: one line, exit 1
            printer.line(f"[ ERROR ] {error}")
            outcome["code"] = 1
        finally:
            done.set()

    worker = threading.Thread(target=work, name="ovbench-engine", daemon=True)
    interrupted = False
    worker.start()
    try:
        while not done.is_set():
            try:
                done.wait(PROGRESS_PERIOD_S)
                if engine.phase == "measuring":
                    progress.tick()
                elif engine.phase == "done":
                    progress.close()
            except KeyboardInterrupt:
                if interrupted:
                    raise
                interrupted = True
                progress.close()
                printer.line(
                    "[ WARNING ] Interrupted: stopping the measurement (Ctrl+C again to quit)"
                )
                engine.stop()
    except KeyboardInterrupt:
        progress.close()
        return EXIT_INTERRUPTED
    finally:
        progress.close()
    if printer.result is not None and not config.no_history:
        _store_in_history(config, printer.result, printer)
    if printer.result is not None and md_path:
        _write_markdown(md_path, config, printer.result, printer)
    if interrupted:
        return EXIT_INTERRUPTED
    return outcome.get("code", 1)


def _store_in_history(config: BenchmarkConfig, result: RunResult, printer: ConsolePrinter) -> None:
    """Every finished or stopped run goes to the history; a failure to store it
    is a warning, never a lost result (it was printed already)."""
    from .reports.history import HistoryStore
    from .reports.result_file import build_result_document

    try:
        with HistoryStore(config.history or None) as store:
            run_id = store.add(build_result_document(config, result, result.counters))
    except OvbenchError as error:
        printer.line(f"[ WARNING ] Not stored in the run history: {error}")
        return
    printer.line(f"[ INFO ] Stored in the run history as run {run_id} ({store.path})")


def _write_markdown(
    path: str, config: BenchmarkConfig, result: RunResult, printer: ConsolePrinter
) -> None:
    from .markdown import run_markdown, write_markdown

    try:
        write_markdown(path, run_markdown(result, config))
    except OvbenchError as error:
        printer.line(f"[ ERROR ] {error}")
        return
    printer.line(f"[ INFO ] Markdown tables are stored to {path}")


def markdown_path(argv: Sequence[str]) -> str:
    """`--md FILE` (a flag of ours, not of the config: it says where output goes)."""
    import argparse

    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--md", dest="md_out", default="")
    known, _ = parser.parse_known_args(list(argv))
    return str(known.md_out)


def run_headless(argv: Sequence[str]) -> int:

    try:
        config = parse_run_args(argv)
    except OvbenchError as error:
        sys.stderr.write(f"ovbench-tui run: error: {error}\n")
        return error.exit_code
    if config is None:
        return 0
    md_path = markdown_path(argv)
    if md_path:
        from .markdown import check_markdown_path

        try:
            check_markdown_path(md_path)
        except OvbenchError as error:
            sys.stderr.write(f"ovbench-tui run: error: {error}\n")
            return error.exit_code
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run_config(config, sys.stdout, argv, md_path)
    finally:
        signal.signal(signal.SIGINT, previous)
