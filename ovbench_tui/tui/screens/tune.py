"""The Tune screen: a budget, then live: the search's points on the FPS/latency
plane, the confirmation round and the verdict."""

from __future__ import annotations

import textwrap
import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import DataTable, Footer, Input, Label, Static

from ...config import BenchmarkConfig
from ...errors import OvbenchError, UsageError
from ...tune.runner import TuneOutcome, TuneRunner, TuneSpec
from ...tune.search import DEFAULT_AXES, DEFAULT_MAX_POINTS, Trial, check_axes
from ..app_api import ovbench_app
from ..field_values import error_line, positive_number
from ..messages import WorkFailed
from ..widgets.knob_input import KnobInput
from ..widgets.title_bar import TitleBar
from ..widgets.tune_plot import TunePlot
from .kept_outcome import OutcomeScreen

STATUS_PERIOD_S = 0.5
SCROLLBAR_WIDTH = 2  # the table's, once the points outgrow it
WHY_MIN_WIDTH = 16
FIELDS = (
    ("budget", "Budget ms", "none: most FPS"),
    ("percentile", "Percentile", "90"),
    ("max-points", "Max points", str(DEFAULT_MAX_POINTS)),
    ("axes", "Axes", " ".join(DEFAULT_AXES)),
    ("point-time", "Point time s", "3"),
)


# The labels a refused value is named by (OptionError.field -> label), not the CLI's flags.
ERROR_LABELS = {key: label for key, label, _ in FIELDS}

if TYPE_CHECKING:
    from ..work_messages import (
        ConfirmRoundPosted,
        TrialMeasuredPosted,
        TrialStartedPosted,
        TuneFinishedPosted,
    )


class TuneScreen(OutcomeScreen[TuneOutcome]):
    KEPT_AS = "tune"
    BINDINGS = [
        Binding("ctrl+r", "start", "Tune", priority=True),
        Binding("ctrl+x", "stop", "Stop", priority=True),
        # priority: the focused table's own enter (select_cursor) would hide this one.
        # In the footer once there is a point, and the table has the focus (as when the
        # tune ends); in a field, enter goes to the table instead.
        Binding("enter", "open_point", "Open point", priority=True),
        Binding("e", "edit_winner", "Use winner"),  # its settings into the form
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
        # Shown: the focus sits in a field here, where ? is typed (except in KnobInputs).
        Binding("f1", "app.help", "Keys", priority=True),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, base: BenchmarkConfig, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.base = base.replace(time_s=None, niter=None)
        self.initial = values or {}
        self.trials: list[Trial] = []
        self.outcome: TuneOutcome | None = None
        self.runner: TuneRunner | None = None
        self.running = False
        self.current = ""
        self.current_since = 0.0
        self.spec: TuneSpec | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="tune-top"):
            with Vertical(id="tune-fields"):
                for key, label, placeholder in FIELDS:
                    with Horizontal(classes="sweep-row"):
                        yield Label(label, classes="sweep-label")
                        yield KnobInput(
                            self.initial.get(key, ""), placeholder=placeholder, id=f"tune-{key}"
                        )
            yield TunePlot(id="tune-plot")
        yield Static("", id="tune-error", classes="hidden")
        yield Static("", id="tune-status")
        yield DataTable(id="tune-table", zebra_stripes=True, cursor_type="row")
        yield Footer(compact=True)  # every key and Quit within 80 columns

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_point":
            # Hidden (and so passed on) in a field: the field's enter moves to the table.
            return bool(self.trials) and not isinstance(self.focused, Input)
        if action == "edit_winner":
            return self._winner() is not None
        return super().check_action(action, parameters)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_mount(self) -> None:
        self.query_one(TitleBar).set_text(
            "ovbench-tui",
            "tune {path} on " + escape(f"{self.base.device} — ctrl+r runs"),
            self.base.model,
        )
        self.set_interval(STATUS_PERIOD_S, self._tick)
        kept = self.kept_outcome()
        if kept is not None:
            self.outcome, self.spec, self.trials = kept, kept.spec, list(kept.trials)
            if self.trials:  # back to the answer, as when the tune ended
                self.call_after_refresh(self.query_one("#tune-table", DataTable).focus)
        self.redraw()
        self._tick()

    def field_values(self) -> dict[str, str]:
        return {w.id.removeprefix("tune-"): w.value for w in self.query(Input) if w.id}

    def _text(self, key: str) -> str:
        return self.query_one(f"#tune-{key}", Input).value

    def read_spec(self) -> TuneSpec:
        percent = positive_number(self._text("percentile"), "Percentile", 90) or 90
        if percent > 100:
            raise UsageError("Percentile must be a number above 0 and up to 100, e.g. 90")
        axes_text = self._text("axes").replace(",", " ").split()
        spec = TuneSpec(
            base=self.base,
            budget_ms=positive_number(self._text("budget"), "Budget", None),
            percentile=percent,
            max_points=int(
                positive_number(self._text("max-points"), "Max points", DEFAULT_MAX_POINTS, True)
                or 0
            ),
            axes=check_axes(axes_text or list(DEFAULT_AXES)),
            point_time_s=int(positive_number(self._text("point-time"), "Point time", 3, True) or 0),
        )
        spec.check()
        return spec

    def show_error(self, message: str | None) -> None:
        panel = self.query_one("#tune-error", Static)
        panel.set_class(not message, "hidden")
        panel.update("" if not message else f"[b]Error:[/b] {escape(message)}")

    def on_resize(self) -> None:
        self.redraw()  # the why column takes the width there is

    # -- running ---------------------------------------------------------------------------

    def action_start(self) -> None:
        if self.running:
            return
        from ..work_messages import tune_message

        def forward(event: object) -> None:
            message = tune_message(event)
            if message is not None:
                self.post_message(message)

        try:
            spec = self.read_spec()
            runner = TuneRunner(spec, forward)
        except OvbenchError as error:
            self.show_error(error_line(error, ERROR_LABELS))
            return
        self.show_error(None)
        if runner.note:
            self.notify(runner.note)
        self.spec, self.runner, self.outcome = spec, runner, None
        self.trials = []
        self.running = True
        self.redraw()
        self._run_tune(runner)

    @work(thread=True, exclusive=True, group="tune", exit_on_error=False)
    def _run_tune(self, runner: TuneRunner) -> None:
        try:
            runner.run()
        except Exception as error:  # never lose a failure: one line in the screen
            self.post_message(WorkFailed(error_line(error, ERROR_LABELS)))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.running = False
        self.show_error(message.message)
        self._tick()

    def on_trial_started_posted(self, message: TrialStartedPosted) -> None:
        event = message.event
        self.current = f"point {event.order}: {event.reason}"
        self.current_since = time.monotonic()
        self._tick()

    def on_trial_measured_posted(self, message: TrialMeasuredPosted) -> None:
        trial = message.event.trial
        self.trials.append(trial)
        if trial.failed:
            self.notify(f"point {trial.order}: {trial.error}", severity="error")
        self.redraw()
        self._tick()

    def on_confirm_round_posted(self, message: ConfirmRoundPosted) -> None:
        event = message.event
        names = ", ".join(str(order) for order in event.candidates)
        self.current = f"confirmation round {event.round}: points {names}"
        self._tick()

    def on_tune_finished_posted(self, message: TuneFinishedPosted) -> None:
        outcome = message.event.outcome
        self.running = False
        self.outcome = outcome
        self.trials = list(outcome.trials)
        self.current = ""
        self.redraw()
        self._tick()
        if self.trials:  # the answer is in the table: its keys (enter, e) now work
            self.query_one("#tune-table", DataTable).focus()

    def _tick(self) -> None:
        if self.running:
            elapsed = time.monotonic() - self.current_since
            text = f"{len(self.trials)} points — {self.current or 'starting'} ({elapsed:.0f} s)"
        elif self.outcome is not None:
            stopped = " (stopped)" if self.outcome.stopped else ""
            text = f"Verdict{stopped}: {self.outcome.verdict_text()}"
        else:
            text = "Set a latency budget (or none), then ctrl+r"
        self.query_one("#tune-status", Static).update(escape(text))

    def action_stop(self) -> None:
        if self.running and self.runner is not None:
            self.runner.stop()
            self.query_one("#tune-status", Static).update("Stopping: finished points are kept…")

    def on_unmount(self) -> None:
        self.keep_outcome()
        if self.running and self.runner is not None:
            self.runner.stop()

    # -- showing ---------------------------------------------------------------------------

    def _winner(self) -> Trial | None:
        return self.outcome.winner if self.outcome is not None else None

    def redraw(self) -> None:
        spec = self.spec
        percent = spec.percentile if spec else 90.0
        budget = spec.budget_ms if spec else None
        winner = self._winner()
        self.query_one(TunePlot).draw(
            self.trials, percent, budget, winner.order if winner else None
        )
        table = self.query_one("#tune-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        from ...tune.output import setting_text

        candidates = self.outcome.candidates if self.outcome else []
        header = ["", "#", "setting", "FPS", f"p{percent:g} ms", "confirmed"]  # FPS too
        rows = []
        for trial in self.trials:
            mark = "@" if winner is not None and trial.order == winner.order else ""
            mark = mark or ("*" if trial in candidates else "")
            confirmed = self.outcome.confirmed_fps(trial) if self.outcome else None
            rows.append(
                [
                    mark,
                    str(trial.order),
                    setting_text(trial),
                    "failed" if trial.fps is None else f"{trial.fps:.1f}",
                    "-" if trial.latency_ms is None else f"{trial.latency_ms:.3f}",
                    "" if confirmed is None else f"{confirmed:.1f}",
                ]
            )
        widths = [
            max([len(label), *(len(cells[n]) for cells in rows)]) for n, label in enumerate(header)
        ]
        for label, width in zip(header, widths, strict=True):
            table.add_column(label, width=width)
        # "why" gets the rest of the row and wraps there: at 80 columns "the device's
        # choice (throughput hint)" was cut (cells have a space either side).
        rest = self.app.size.width - sum(widths) - 2 * (len(widths) + 1) - SCROLLBAR_WIDTH
        why_width = max(WHY_MIN_WIDTH, rest)
        table.add_column("why", width=why_width)
        for trial, cells in zip(self.trials, rows, strict=True):
            # Wrapped here, the row as tall as it needs: DataTable's own auto height
            # fails on a row with an empty cell (the mark of most points).
            why = textwrap.wrap(trial.reason, why_width) or [""]
            table.add_row(*cells, "\n".join(why), height=len(why), key=str(trial.order))
        if self.trials:
            table.move_cursor(row=min(row, len(self.trials) - 1))
        self.refresh_bindings()  # enter and e come with the points and the winner

    # -- leaving -----------------------------------------------------------------------------

    def _selected(self) -> Trial | None:
        table = self.query_one("#tune-table", DataTable)
        if not self.trials or table.cursor_row < 0:
            return None
        return self.trials[min(table.cursor_row, len(self.trials) - 1)]

    def action_open_point(self) -> None:
        """The point's results, from the run history where the tuner stored it."""
        focused = self.focused
        if isinstance(focused, Input):
            self.query_one("#tune-table", DataTable).focus()
            return
        trial = self._selected()
        run_id = trial.ref.run_id if trial is not None and trial.ref is not None else None
        if trial is None or run_id is None:
            self.notify("This point is not in the run history (failed, or not stored)")
            return
        from ...reports.history import HistoryStore
        from ...reports.loaded_run import config_from_document, result_from_document
        from .results import ResultsScreen

        try:
            with HistoryStore(self.base.history or None) as store:
                document = store.document(run_id)
            result = result_from_document(document)
            config = config_from_document(document)
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return
        histogram = document.get("histogram")
        self.app.push_screen(
            ResultsScreen(
                result,
                config,
                histogram=histogram if isinstance(histogram, dict) else None,
                run_id=run_id,
            )
        )

    def action_edit_winner(self) -> None:
        """The winner's settings into the form (with the tuner's other flags)."""
        if isinstance(self.focused, Input):
            return
        winner = self._winner()
        if winner is None or self.outcome is None:
            self.notify("No winner yet: ctrl+r tunes", severity="warning")
            return
        from ...tune.output import winner_config

        ovbench_app(self).edit_config(winner_config(self.outcome, winner))

    def action_save(self) -> None:
        """The points, the verdict and the winner's device config, as `tune` writes them."""
        outcome = self.outcome
        if outcome is None or not outcome.trials:
            self.notify("Nothing to save yet: ctrl+r tunes", severity="warning")
            return
        from pathlib import Path

        from ...tune.output import write_tune_files
        from ..field_values import machine

        prefix = Path(self.base.report_folder or ".") / time.strftime("ovbench-tune-%Y%m%d-%H%M%S")
        try:
            written = write_tune_files(outcome, str(prefix), machine(self.base.device))
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Saved {', '.join(str(Path(path).resolve()) for path in written)}")

    def action_back(self) -> None:
        if self.running:
            self.notify("The tuner is running: ctrl+x stops it first", severity="warning")
            return
        ovbench_app(self).remember_tune_fields(self.field_values())
        self.app.pop_screen()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.query_one("#tune-table", DataTable).focus()
