"""`ovbench-tui run`: benchmark_app's console output, plus a progress display.

The engine runs in a worker thread and prints through this module's observer;
the main thread only waits: Ctrl+C, SIGTERM and SIGHUP stop the measurement
(stop_signals.py), which still prints and stores what was measured (exit 130,
143, 129), and it samples progress a few times a second from the engine
instead of hearing about every inference.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .config import BenchmarkConfig
from .engine.engine import Engine
from .engine.events import TOTAL_STEPS, Event, LogLine, RawLine, RunFailed, RunFinished, StepStarted
from .engine.result import RunResult, progress_fraction, summary_lines
from .errors import OvbenchError
from .reports.run_outputs import RunOutputs
from .run_args import parse_run_args
from .stop_signals import LockedLines, StopSignals, signal_label

if TYPE_CHECKING:
    from .engine.runner import LiveWindow

PROGRESS_PERIOD_S = 0.25
PLAIN_PROGRESS_PERIOD_S = 5.0


class ConsolePrinter(LockedLines):
    """Turns engine events into benchmark_app's lines."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.result: RunResult | None = None

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
    """Progress while measuring: a rich bar on a terminal, plain lines otherwise.

    It draws under the printer's lock, and the bar ends for good at the first
    line the printer writes once it is drawn (`end`, the printer's
    `before_line`): the engine's thread prints `[Step 11/11]` or a stop notice
    where the bar is, so the bar is erased first and never drawn again between
    the statistics."""

    def __init__(self, engine: Engine, mode: str, out: TextIO, printer: LockedLines) -> None:
        self.engine = engine
        self.out = out
        self.lock = printer.lock
        self._ended = False
        printer.before_line = self.end
        is_tty = out.isatty()
        if mode == "auto":
            mode = "bar" if is_tty else "lines"
        self.mode = mode
        self._bar: Any = None  # rich.progress.Progress, imported only when drawn
        self._task: Any = None
        self._last_line = 0.0

    def fraction(self, elapsed: float, completed: int) -> float:
        engine = self.engine
        return progress_fraction(
            engine.planned_duration_s, engine.planned_iterations, elapsed, completed
        )

    def tick(self) -> None:
        if self.mode == "none" or self.engine.phase != "measuring":
            return
        window = self.engine.sample_window()
        if window is None:
            return
        fraction = self.fraction(window.elapsed_s, window.completed)
        with self.lock:
            if not self._ended:
                self._draw(window, fraction)

    def _draw(self, window: LiveWindow, fraction: float) -> None:
        if self.mode == "bar":
            self._draw_bar(fraction, window.elapsed_s, window.completed)
        elif window.at - self._last_line >= PLAIN_PROGRESS_PERIOD_S:
            self._last_line = window.at
            fps = window.completed / window.elapsed_s if window.elapsed_s > 0 else 0.0
            try:
                self.out.write(
                    f"[ INFO ] Progress: {fraction * 100:3.0f}% {window.elapsed_s:.1f} s "
                    f"{window.completed} iterations {fps:.1f} it/s\n"
                )
                self.out.flush()
            except BrokenPipeError:
                raise
            except OSError:  # stdout is full: the printer says so once, at the end
                self.mode = "none"

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

    def end(self) -> None:
        """With the lock held: erase the bar, if drawn; no more bar from then on."""
        if self._bar is not None:
            self._ended = True
            self._bar.stop()
            self._bar = None

    def close(self) -> None:
        with self.lock:
            self.end()
            self._ended = True


def run_config(
    config: BenchmarkConfig,
    out: TextIO = sys.stdout,
    argv: Sequence[str] | None = None,
    stops: StopSignals | None = None,
    md_path: str = "",
) -> int:
    """Runs and prints one benchmark; `stops` are the stop signals installed
    already (cli.main installs them before the slow imports), else its own."""
    if stops is None:
        with StopSignals() as own:
            return run_config(config, out, argv, own, md_path)
    printer = ConsolePrinter(out)
    if stops.signum is not None:  # during the start-up imports: nothing to stop yet
        printer.line(f"[ WARNING ] {signal_label(stops.signum)} before the run started")
        return stops.exit_code or 1
    outputs = RunOutputs(config, printer, argv)
    engine = Engine(config, outputs, quiet_native_stderr=True)
    progress = ProgressView(engine, config.progress, out, printer)
    outcome: dict[str, int] = {}
    # An Event, not Thread.join: a join interrupted by a signal can leave
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

    def stop(signum: int) -> None:  # in the signal handler: no lock, no write
        if engine.phase == "done":  # the statistics are out: the run is being stored
            printer.stop_notice(signum, "leaving once the run is stored")
            return
        printer.stop_notice(
            signum, "stopping the measurement; the statistics of what was measured follow"
        )
        engine.stop()

    stops.on_stop(stop, can_leave=lambda: engine.phase in ("starting", "compiling", "warmup"))
    worker = threading.Thread(target=work, name="ovbench-engine", daemon=True)
    worker.start()
    try:
        while not done.wait(PROGRESS_PERIOD_S):
            if stops.signum is not None:
                progress.close()
                printer.flush_notice()
            elif engine.phase == "measuring":
                progress.tick()
            elif engine.phase == "done":
                progress.close()
    finally:
        progress.close()
    # Every finished or stopped run goes to the history (or its pending file), then
    # each output file that could not be written: never a lost result.
    for line in outputs.closing_lines(printer.result):
        printer(line)
    md_failed = bool(
        printer.result is not None
        and md_path
        and not _write_markdown(md_path, config, printer.result, printer)
    )
    printer.flush_notice()  # a signal during the history write: said, and the run kept
    if printer.write_error is not None:
        sys.stderr.write(
            f"ovbench-tui run: cannot write the output: {printer.write_error.strerror}\n"
        )
        return stops.exit_code or 1
    if stops.exit_code:
        return stops.exit_code
    if (outputs.failures or md_failed) and outcome.get("code", 1) == 0:
        return 1
    return outcome.get("code", 1)


def _write_markdown(
    path: str, config: BenchmarkConfig, result: RunResult, printer: ConsolePrinter
) -> bool:
    """False when the file could not be written: the run then exits 1, as for -json_out."""
    from .markdown import run_markdown, write_markdown

    try:
        write_markdown(path, run_markdown(result, config))
    except OvbenchError as error:
        printer.line(f"[ ERROR ] {error}")
        return False
    printer.line(f"[ INFO ] Markdown tables are stored to {path}")
    return True


def markdown_path(argv: Sequence[str]) -> str:
    """`--md FILE` (a flag of ours, not of the config: it says where output goes)."""
    import argparse

    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--md", dest="md_out", default="")
    known, _ = parser.parse_known_args(list(argv))
    return str(known.md_out)


def run_headless(argv: Sequence[str], stops: StopSignals | None = None) -> int:

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
    return run_config(config, sys.stdout, argv, stops, md_path)
