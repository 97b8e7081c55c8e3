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
        self.exit_report = exit_report
        self.initial_values = values
        self.base_config = base_config
        self.start_at_once = start
        self.watch_terminal = watch_terminal
        self.last_result: Any = None
        self.setup_screen: SetupScreen | None = None

    def on_mount(self) -> None:
        self.setup_screen = SetupScreen(self.initial_values)
        self.push_screen(self.setup_screen)
        if self.watch_terminal:
            self.set_interval(TTY_CHECK_S, self._check_terminal)
            if hasattr(signal, "SIGHUP"):
                signal.signal(signal.SIGHUP, lambda *_: self.call_later(self._terminal_gone))
        if self.start_at_once:
            self.call_after_refresh(lambda: self.start_run(self.initial_values))

    # -- flow ----------------------------------------------------------------------

    def start_run(self, values: FormValues) -> None:
        from .screens.run import RunScreen

        try:
            config = values_to_config(values, self.base_config)
        except OvbenchError as error:
            self._form().show_error(str(error).split(" (see ovbench-tui run -h)")[0])
            return
        self._form().show_error(None)
        from .recent import remember

        remember(config.model)
        self.push_screen(RunScreen(config.replace(progress="none")))

    def show_results(self, result: Any, config: BenchmarkConfig, live: Any) -> None:
        from .screens.results import ResultsScreen

        self.last_result = result
        if self.exit_report:
            self._write_exit_report(result)
            self.exit(0)
            return
        self.switch_screen(ResultsScreen(result, config))

    def _write_exit_report(self, result: Any) -> None:
        # For benchmarks/ui_overhead.py: what the run measured and what the UI
        # thread (this one) spent, so the app's cost can be set against headless.
        import json
        import time

        report = {
            "throughput_fps": result.throughput_fps,
            "count": result.count,
            "duration_s": result.duration_s,
            "ui_thread_cpu_s": time.thread_time(),
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

    def save_result(self, result: Any, config: BenchmarkConfig) -> None:
        try:
            from ..reports.result_file import build_result_document, write_result_file
        except ImportError:
            self.notify("Saving results is not available yet", severity="warning")
            return
        path = Path(config.report_folder or ".") / "ovbench_result.json"
        try:
            write_result_file(
                str(path),
                build_result_document(config, result, getattr(result, "counters", None), None),
            )
        except (OSError, OvbenchError) as error:
            self.notify(f"Could not save: {error}", severity="error")
            return
        self.notify(f"Saved {path}")

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
        screen = self.screen
        if hasattr(screen, "action_stop"):
            screen.action_stop()
        self.exit(1)


def build_app_parser() -> Any:
    from ..cli import build_run_parser

    parser = build_run_parser("ovbench-tui")
    for action in parser._actions:
        if action.dest == "path_to_model":
            action.required = False
    extra = parser.add_argument_group("App")
    extra.add_argument("--demo", action="store_true", help="Open on the demo model and start.")
    extra.add_argument("--start", action="store_true", help="Start the run at once.")
    extra.add_argument("--exit-when-done", default=None, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str]) -> int:
    from ..cli import config_from_args

    parser = build_app_parser()
    if any(arg in ("-h", "--help") for arg in argv):
        print(parser.format_help())
        return 0
    try:
        args = parser.parse_args(argv)
        if args.demo and not args.path_to_model:
            args.path_to_model = "demo:cnn"
            if args.time is None and args.number_iterations is None:
                args.time = 10
        base = config_from_args(args) if args.path_to_model else None
        if base is not None:
            base.validate()
    except UsageError as error:
        sys.stderr.write(f"ovbench-tui: error: {error}\n")
        return error.exit_code
    values = config_to_values(base) if base is not None else {"target_device": "CPU"}
    app = OvbenchApp(
        values, base_config=base, start=bool(args.demo or args.start) and base is not None
    )
    app.run()
    return 0
