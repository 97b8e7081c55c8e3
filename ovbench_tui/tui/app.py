"""OvbenchApp: form -> live run -> results, with errors shown in the form."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from ..config import BenchmarkConfig
from ..errors import OvbenchError, UsageError
from ..form_state import FormValues, config_to_values, values_to_config
from ..run_args import build_run_parser, config_from_args
from .screens.setup import SetupScreen

TTY_CHECK_S = 2.0


class OvbenchApp(App[int]):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "ovbench-tui"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self,
        values: FormValues,
        *,
        base_config: BenchmarkConfig | None = None,
        start: bool = False,
        watch_terminal: bool = True,
        exit_report: str | None = None,
    ) -> None:
        super().__init__()
        from .color_filters import safe_filters

        self._filters = safe_filters(self._filters)
        # No animations: they cost CPU the benchmark is measuring, and bytes over SSH.
        self.animation_level = "none"
        self.exit_report = exit_report
        self.initial_values = values
        self.base_config = base_config
        self.start_at_once = start
        self.watch_terminal = watch_terminal
        self.ui_cpu_at_measure_start = 0.0  # time.thread_time() of this thread then
        self._leaving = False
        self.setup_screen: SetupScreen | None = None
        self.sweep_fields: dict[str, str] = {}  # the Sweep screen's values between visits
        self.demo_keys: frozenset[str] = frozenset()  # form fields --demo filled in

    def on_mount(self) -> None:
        self.setup_screen = SetupScreen(self.initial_values, self.demo_keys)
        self.push_screen(self.setup_screen)
        if self.watch_terminal:
            self.set_interval(TTY_CHECK_S, self._check_terminal)
            if hasattr(signal, "SIGHUP"):
                signal.signal(signal.SIGHUP, lambda *_: self.call_later(self._terminal_gone))
        if self.start_at_once:
            self.call_after_refresh(lambda: self.start_run(self.initial_values))

    # -- flow ----------------------------------------------------------------------

    def _config_from_form(self, values: FormValues) -> BenchmarkConfig | None:
        """The form's config, or None with the reason shown in the form's error panel."""
        try:
            config = values_to_config(values, self.base_config)
        except OvbenchError as error:
            self._form().show_error(str(error).split(" (see ovbench-tui run -h)")[0])
            return None
        except Exception as error:  # a case we did not foresee: still a message, never a crash
            self._form().show_error(f"{type(error).__name__}: {error}")
            return None
        self._form().show_error(None)
        return config

    def start_run(self, values: FormValues) -> None:
        from .screens.run import RunScreen

        config = self._config_from_form(values)
        if config is None:
            return
        from .recent import remember

        remember(config.model)
        self.push_screen(RunScreen(config.replace(progress="none")))

    def open_sweep(self, values: FormValues) -> None:
        """The Sweep screen over the form's settings (what all points share)."""
        from .screens.sweep import SweepScreen

        config = self._config_from_form(values)
        if config is None:
            return
        self.push_screen(SweepScreen(config, self.sweep_fields))

    def remember_sweep_fields(self, fields: dict[str, str]) -> None:
        self.sweep_fields = dict(fields)

    def show_results(self, result: Any, config: BenchmarkConfig, live: Any) -> None:
        from .screens.results import ResultsScreen

        if not config.no_history:
            self._store_in_history(result, config)
        if self.exit_report:
            self._write_exit_report(result)
            self.exit(0)
            return
        self.switch_screen(ResultsScreen(result, config))

    def _store_in_history(self, result: Any, config: BenchmarkConfig) -> None:
        from ..reports.history import HistoryStore
        from ..reports.result_file import build_result_document

        try:
            with HistoryStore(config.history or None) as store:
                run_id = store.add(build_result_document(config, result, result.counters))
        except OvbenchError as error:
            self.notify(f"Not stored in the run history: {error}", severity="warning")
            return
        self.notify(f"Stored as run {run_id} in the history")

    def _write_exit_report(self, result: Any) -> None:
        # For benchmarks/ui_overhead.py: what the run measured and what the UI
        # thread (this one) spent, so the app's cost can be set against headless.
        import json
        import time

        report = {
            "throughput_fps": result.throughput_fps,
            "count": result.count,
            "duration_s": result.duration_s,
            "ui_thread_cpu_s": time.thread_time() - self.ui_cpu_at_measure_start,
        }
        Path(self.exit_report or "").write_text(json.dumps(report), encoding="utf-8")

    def show_failure(self, message: str, config: BenchmarkConfig) -> None:
        self._back_to_form_screen()
        self._form().show_error(message)

    def back_to_form(self, config: BenchmarkConfig) -> None:
        self._back_to_form_screen()

    def rerun(self, config: BenchmarkConfig) -> None:
        from .screens.run import RunScreen

        self.switch_screen(RunScreen(config))

    # -- the run history ----------------------------------------------------------------

    def history_path(self) -> str:
        """The --history file ("" = the user data folder's), where runs are stored."""
        return self.base_config.history if self.base_config is not None else ""

    def open_history(self) -> None:
        """The history list; back to the one already open under this screen, if any."""
        from .screens.history import HistoryScreen

        stack = self.screen_stack
        for index in range(len(stack) - 1, -1, -1):
            if isinstance(stack[index], HistoryScreen):
                for _ in range(len(stack) - 1 - index):
                    self.pop_screen()  # its ScreenResume reloads the list
                return
        self.push_screen(HistoryScreen(self.history_path(), self.base_config))

    def action_open_history(self) -> None:  # for key bindings: "app.open_history"
        self.open_history()

    def open_compare(self, documents: list[dict[str, Any]], names: list[str]) -> None:
        from .screens.compare import CompareScreen

        self.push_screen(CompareScreen(documents, names))

    def edit_config(self, config: BenchmarkConfig) -> None:
        """Back to the form, filled with `config`'s settings (a stored run's)."""
        self._back_to_form_screen()
        self._form().load_values(config_to_values(config))

    def save_result(self, result: Any, config: BenchmarkConfig) -> None:
        """Our result file, named by time so earlier saves are kept."""
        import time

        from ..reports.result_file import build_result_document, write_result_file

        path = config.json_out or str(
            Path(config.report_folder or ".") / time.strftime("ovbench-result-%Y%m%d-%H%M%S.json")
        )
        try:
            write_result_file(path, build_result_document(config, result, result.counters, None))
        except (OSError, OvbenchError) as error:
            self.notify(f"Could not save: {error}", severity="error")
            return
        self.notify(f"Saved {path}")

    def save_reports(self, result: Any, config: BenchmarkConfig) -> None:
        """benchmark_app's report files for this run (counters ones when collected)."""
        from ..reports.benchmark_reports import ReportSetup, write_reports

        report_type = config.report_type or (
            "detailed_counters" if result.counters is not None else "no_counters"
        )
        folder = config.report_folder or "ovbench-reports"
        setup = ReportSetup(
            niter=config.niter,
            duration_s=float(config.time_s or 0),
            perf_counts=result.counters is not None,
        )
        try:
            lines = write_reports(
                config.replace(report_type=report_type, report_folder=folder),
                None,
                result,
                result.counters,
                setup,
            )
        except (OSError, OvbenchError) as error:
            self.notify(f"Could not write the reports: {error}", severity="error")
            return
        self.notify(f"Reports written to {folder}/ ({len(lines)} files)")

    def _back_to_form_screen(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if self.screen is not self.setup_screen:
            self.switch_screen(self._form())

    def _form(self) -> SetupScreen:
        assert self.setup_screen is not None
        return self.setup_screen

    # -- terminal manners ------------------------------------------------------------

    def _check_terminal(self) -> None:
        stream = sys.__stdin__
        try:
            alive = stream is not None and os.isatty(stream.fileno())
        except (OSError, ValueError):
            alive = False
        if not alive:
            self._terminal_gone()

    def _terminal_gone(self) -> None:
        # An SSH drop: stop the benchmark cleanly instead of spinning without a reader.
        if self._leaving:
            return  # tmux and the kernel may both send SIGHUP
        self._leaving = True
        screen = self.screen
        for attribute in ("engine", "runner"):  # a run's engine, a sweep's runner
            running = getattr(screen, attribute, None)
            if running is not None:
                running.stop()
        # Textual's shutdown can block writing to a terminal that is gone; the
        # benchmark is already stopped, so leave for sure after a grace period.
        import threading

        fallback = threading.Timer(5.0, lambda: os._exit(1))
        fallback.daemon = True
        fallback.start()
        self.exit(1)


def build_app_parser() -> Any:

    parser = build_run_parser("ovbench-tui")
    for action in parser._actions:
        if action.dest == "path_to_model":
            action.required = False
    extra = parser.add_argument_group("App")
    extra.add_argument("--demo", action="store_true", help="Open on the demo model and start.")
    extra.add_argument("--start", action="store_true", help="Start the run at once.")
    extra.add_argument("--exit-when-done", default=None, help=argparse.SUPPRESS)
    return parser


DEMO_DATA_SHAPES = "[1,3,64,64][2,3,96,96][1,3,128,128]"


def apply_demo_defaults(args: argparse.Namespace) -> frozenset[str]:
    """--demo shows everything the app can: counters for the layer table and, for
    the dynamic demo model, several data shapes for the shape-group table. Returns
    the form fields it filled in (cleared when the user picks a model of their own)."""
    filled = set()
    if not args.path_to_model:
        args.path_to_model = "demo:cnn"
    if args.time is None and args.number_iterations is None:
        args.time = 10
    if args.perf_counts is None:
        args.perf_counts = True
        filled.add("perf_counts")
    if args.path_to_model == "demo:dynamic" and not args.data_shape:
        args.data_shape = DEMO_DATA_SHAPES
        args.pcseq = True
        filled |= {"data_shape", "pcseq"}
    return frozenset(filled)


def main(argv: list[str]) -> int:
    # Request threads need the GIL for a few microseconds after each inference;
    # CPython's default 5 ms switch interval let a long UI render hold them
    # back (the device idles). A waiting thread now gets it within 0.5 ms.
    sys.setswitchinterval(0.0005)

    parser = build_app_parser()
    if any(arg in ("-h", "--help") for arg in argv):
        print(parser.format_help())
        return 0
    try:
        args = parser.parse_args(argv)
        demo_keys = apply_demo_defaults(args) if args.demo else frozenset()
        base = config_from_args(args) if args.path_to_model else None
        if base is not None:
            base.validate()
    except UsageError as error:
        sys.stderr.write(f"ovbench-tui: error: {error}\n")
        return error.exit_code
    values = config_to_values(base) if base is not None else {"target_device": "CPU"}
    app = OvbenchApp(
        values,
        base_config=base,
        start=bool(args.demo or args.start) and base is not None,
        exit_report=args.exit_when_done,
    )
    app.demo_keys = demo_keys
    app.run()
    return app.return_code or 0
