"""OvbenchApp: form -> live run -> results, with errors shown in the form."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..config import BenchmarkConfig
from ..errors import OvbenchError
from ..form_state import FormValues, config_to_values, values_to_config
from .field_values import error_line
from .leaving import LeavingApp
from .screens.setup import SetupScreen

if TYPE_CHECKING:
    from ..engine.result import RunResult
    from ..live import LiveSeries
    from ..reports.run_outputs import RunOutputs, Stored


class OvbenchApp(LeavingApp):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "ovbench-tui"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    # Help on every screen: F1 even from a text field, where ? is typed.
    BINDINGS += [
        Binding("question_mark", "help", "Keys", show=False, key_display="?"),
        Binding("f1", "help", "Keys", show=False, priority=True),
    ]

    def __init__(
        self,
        values: FormValues,
        *,
        base_config: BenchmarkConfig | None = None,
        start: bool = False,
        watch_terminal: bool = True,
        exit_report: str | None = None,
        demo_keys: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(watch_terminal=watch_terminal)
        from .color_filters import safe_filters

        self._filters = safe_filters(self._filters)
        # No animations: they cost CPU the benchmark is measuring, and bytes over SSH.
        self.animation_level = "none"
        self.exit_report = exit_report
        self.initial_values = values
        self.base_config = base_config
        self.start_at_once = start
        self.ui_cpu_at_measure_start = 0.0  # time.thread_time() of this thread then
        self.setup_screen: SetupScreen | None = None
        self.sweep_fields: dict[str, str] = {}  # the Sweep screen's values between visits
        self.capacity_fields: dict[str, str] = {}  # the Capacity screen's, likewise
        self.tune_fields: dict[str, str] = {}  # the Tune screen's
        # The last sweep, capacity search and tune: (the settings, the outcome); see stop_key.py.
        self.kept_work: dict[str, tuple[BenchmarkConfig, object]] = {}
        self.demo_keys = demo_keys  # form fields --demo filled in
        # What main() prints once the app is gone (where a run stopped by Ctrl+Q went).

    def on_mount(self) -> None:
        self.setup_screen = SetupScreen(self.initial_values, self.demo_keys)
        self.push_screen(self.setup_screen)
        self.watch_for_leaving()
        if self.start_at_once:
            self.call_after_refresh(lambda: self.start_run(self.initial_values))

    # -- flow ----------------------------------------------------------------------

    def _config_from_form(self, values: FormValues) -> BenchmarkConfig | None:
        """The form's config, or None with the reason shown in the form's error panel."""
        try:
            config = values_to_config(values, self.base_config)
        except Exception as error:  # one we did not foresee too: still a message, never a crash
            self._form().show_error(error_line(error))
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

    def open_tune(self, values: FormValues) -> None:
        config = self._config_from_form(values)
        if config is None:
            return
        from .screens.tune import TuneScreen

        self.push_screen(TuneScreen(config, self.tune_fields))

    def remember_tune_fields(self, fields: dict[str, str]) -> None:
        self.tune_fields = dict(fields)

    def open_capacity(self, values: FormValues) -> None:
        """The Capacity screen over the form's settings (what all points share)."""
        from .screens.capacity import CapacityScreen

        config = self._config_from_form(values)
        if config is None:
            return
        self.push_screen(CapacityScreen(config, self.capacity_fields))

    def remember_capacity_fields(self, fields: dict[str, str]) -> None:
        self.capacity_fields = dict(fields)

    def show_results(
        self,
        result: RunResult,
        config: BenchmarkConfig,
        live: LiveSeries | None,
        outputs: RunOutputs | None = None,
    ) -> None:
        from .screens.results import ResultsScreen

        stored = self._store_in_history(result, config, outputs)
        run_id = stored.run_id
        if self._leaving:  # the run was stopped to quit: stored, now go
            self.leaving_note = leaving_note(stored)
            self.work_ended()
            return
        if self.exit_report:
            self._write_exit_report(result)
            self.exit(0)
            return
        screen = ResultsScreen(result, config)
        screen.history_id = run_id  # for a note on it (t)
        self.switch_screen(screen)

    def _store_in_history(
        self, result: RunResult, config: BenchmarkConfig, outputs: RunOutputs | None
    ) -> Stored:
        """The run in the history (or its pending file), then each output file that
        could not be written: warnings in the status, never a lost result."""
        from ..reports.run_outputs import RunOutputs

        outputs = outputs or RunOutputs(config, lambda event: None)
        stored = outputs.store(result)
        for notice in stored.notices:
            self.notify(notice, severity="warning")
        if stored.run_id is not None:
            self.notify(f"Stored as run {stored.run_id} in the history")
        elif stored.warning:
            self.notify(stored.warning, severity="warning")
        for failure in outputs.failures:
            self.notify(failure, severity="error")
        return stored

    def _write_exit_report(self, result: RunResult) -> None:
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
        if self._leaving:
            self.work_ended()
            return
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

    # -- keys, palette, getting results out --------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_show_help_panel(self) -> None:
        # Textual's panel lists every binding of the focused widget (a text field's
        # dozen editing keys): the help screen lists the screen's own.
        self.action_help()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from .commands import app_commands, screen_commands

        seen: set[str] = set()
        for command in (
            *screen_commands(self, screen),
            *app_commands(self, screen),
            *super().get_system_commands(screen),
        ):
            if command.title == "Keys":
                command = SystemCommand("Keys", "This screen's keys (? or F1)", self.action_help)
            if command.title not in seen:  # the screen's own first: History (f3), not ours
                seen.add(command.title)
                yield command

    def show_form(self) -> None:
        """Back to the form, its values as they were."""
        self._back_to_form_screen()

    def copy_markdown(self, what: str, text: str) -> None:
        """To the clipboard of the terminal the user sits at (OSC 52: over SSH too)."""
        self.copy_to_clipboard(text)
        lines = text.count("\n")
        self.notify(
            f"Copied the {what} as Markdown ({lines} lines). Nothing pasted? The terminal "
            "may not allow OSC 52: w saves it to a file instead."
        )

    def save_markdown(self, what: str, text: str, folder: str = "") -> str | None:
        """`what` as a Markdown file named by time; the path, or None (said why)."""
        import time

        from ..markdown import write_markdown

        name = f"ovbench-{what.replace(' ', '-')}-" + time.strftime("%Y%m%d-%H%M%S.md")
        path = Path(folder or ".").resolve() / name
        try:
            write_markdown(str(path), text, "the Markdown file")
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return None
        self.notify(f"Saved the {what} as Markdown: {path}")
        return str(path)

    def open_compare(self, documents: list[dict[str, Any]], names: list[str]) -> None:
        from .screens.compare import CompareScreen

        self.push_screen(CompareScreen(documents, names))

    def edit_config(self, config: BenchmarkConfig) -> None:
        """Back to the form, filled with `config`'s settings (a stored run's)."""
        self._back_to_form_screen()
        self._form().load_values(config_to_values(config))

    def save_result(self, result: RunResult, config: BenchmarkConfig) -> None:
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

    def save_reports(self, result: RunResult, config: BenchmarkConfig) -> None:
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
        files = f"{len(lines)} file{'s' if len(lines) != 1 else ''}"
        self.notify(f"Reports written to {folder}/ ({files})")

    def _back_to_form_screen(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if self.screen is not self.setup_screen:
            self.switch_screen(self._form())

    def _form(self) -> SetupScreen:
        assert self.setup_screen is not None
        return self.setup_screen


def leaving_note(stored: Stored) -> str:
    """The line left on the terminal when Ctrl+Q (or a signal) stopped a run: the
    results screen never showed, so say where the run went."""
    if stored.run_id is not None:
        return f"ovbench-tui: stopped run stored as run {stored.run_id} in the history"
    if stored.warning:
        return f"ovbench-tui: stopped run. {stored.warning}"
    return "ovbench-tui: stopped run not stored (--no-history)"


def create_app(
    config: BenchmarkConfig | None = None,
    *,
    start: bool = False,
    watch_terminal: bool | None = None,
    exit_report: str | None = None,
    demo_keys: frozenset[str] = frozenset(),
) -> OvbenchApp:
    """The app, its form filled from `config` (None: an empty form on CPU).

    The one way to build it, for main(), `serve`, the tests and the screenshots.
    `watch_terminal` (leave when the terminal goes, as after an SSH drop) is on
    by default, except under textual-serve, whose app has no terminal at all.
    `demo_keys`: the form fields --demo filled in (cleared when another model is picked).
    """
    if watch_terminal is None:
        watch_terminal = "web_driver" not in os.environ.get("TEXTUAL_DRIVER", "")
    values = config_to_values(config) if config is not None else {"target_device": "CPU"}
    return OvbenchApp(
        values,
        base_config=config,
        start=start,
        watch_terminal=watch_terminal,
        exit_report=exit_report,
        demo_keys=demo_keys,
    )
