"""The Sweep screen: values per knob, a live table of points, FPS against latency."""

from __future__ import annotations

import dataclasses
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
from ...sweep.grid import (
    AXES,
    AXIS_BY_NAME,
    DEFAULT_POINT_COUNT,
    DEFAULT_POINT_TIME_S,
    NothingToSweep,
    SweepSpec,
    plan_points,
)
from ...sweep.points import SweepOutcome
from ..app_api import StoringWork, ovbench_app
from ..field_values import error_line, positive_number
from ..messages import WorkFailed
from ..widgets.knob_input import KnobInput
from ..widgets.sweep_plot import SweepPlot
from ..widgets.title_bar import TitleBar
from .kept_outcome import OutcomeScreen

FIELD_LABELS = {
    "hint": ("Hints", "throughput latency"),
    "streams": ("Streams", "1 2 4"),
    "threads": ("Threads", "e.g. 1 2"),
    "precision": ("Precisions", "f32 bf16"),
    "batch": ("Batches", "1 4 8"),
    "requests": ("Requests", "1 2 4"),
    "data_shape": ("Data shapes", "[1,3,64,64] [4,3,64,64]"),
}
# The labels a refused value is named by (OptionError.field -> label), not the CLI's flags.
ERROR_LABELS = {
    **{name: label for name, (label, _) in FIELD_LABELS.items()},
    "percentile": "Percentile",
    "budget": "Budget",
}
NOTHING_TO_SWEEP = "nothing to sweep: give values for one or more knobs, e.g. Streams 1 2 4"
STATUS_PERIOD_S = 0.5

if TYPE_CHECKING:
    from ...sweep.runner import SweepEvent
    from ..work_messages import (
        PointFailedPosted,
        PointFinishedPosted,
        PointStartedPosted,
        PointStoppedPosted,
        SweepFinishedPosted,
    )


def _split(text: str, axis_name: str) -> tuple[str, ...]:
    separators = text.split() if axis_name == "data_shape" else text.replace(",", " ").split()
    return tuple(dict.fromkeys(separators))


class SweepScreen(OutcomeScreen[SweepOutcome]):
    KEPT_AS = "sweep"
    BINDINGS = [
        Binding("ctrl+r", "start", "Run sweep", priority=True),
        Binding("ctrl+x", "stop", "Stop", priority=True),
        Binding("ctrl+s", "save", "Save CSV+JSON", priority=True),
        Binding("escape", "back", "Back"),
        # Shown: the focus sits in a field here, where ? is typed (except in KnobInputs).
        Binding("f1", "app.help", "Keys", priority=True),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, base: BenchmarkConfig, values: dict[str, str] | None = None) -> None:
        """`values`: field id -> text to start with (the app keeps them between visits)."""
        super().__init__()
        self.base = base.replace(time_s=None, niter=None)
        self.initial = values or {}
        self.outcome: SweepOutcome | None = None
        self.runner: StoringWork | None = None
        self.running = False
        self.current = ""
        self.current_since = 0.0
        self.current_seconds = 0
        self.view: tuple[float, float | None] = (50.0, None)  # percentile, budget shown
        self.overridden = ""  # which form settings the swept values replace

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="sweep-top"):
            with Vertical(id="sweep-fields"):
                for axis in AXES:
                    label, placeholder = FIELD_LABELS[axis.name]
                    yield from self._row(f"axis-{axis.name}", label, placeholder)
                yield from self._row("point-time", "Point time s", str(DEFAULT_POINT_TIME_S))
                yield from self._row("point-count", "Point count", str(DEFAULT_POINT_COUNT))
                yield from self._row("shuffle", "Shuffle seed", "none: grid order")
                yield from self._row("percentile", "Percentile", "50")
                yield from self._row("budget", "Budget ms", "none")
            yield SweepPlot(id="sweep-plot")
        yield Static("", id="sweep-error", classes="hidden")
        yield Static("", id="sweep-status")
        yield DataTable(id="sweep-table", zebra_stripes=True, cursor_type="row")
        yield Footer(compact=True)  # every key and Quit within 80 columns

    def _row(self, key: str, label: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="sweep-row"):
            yield Label(label, classes="sweep-label")
            # A data shape may hold "?" (a dynamic dimension); no other field does.
            field = Input if key == "axis-data_shape" else KnobInput
            yield field(self.initial.get(key, ""), placeholder=placeholder, id=f"sweep-{key}")

    def on_mount(self) -> None:
        self.query_one(TitleBar).set_text(
            "ovbench-tui",
            "sweep {path} on " + escape(f"{self.base.device} — ctrl+r runs"),
            self.base.model,
        )
        self.set_interval(STATUS_PERIOD_S, self._tick)
        self.outcome = self.kept_outcome()
        self.redraw()
        self._tick()

    # -- reading the fields ------------------------------------------------------------

    def field_values(self) -> dict[str, str]:
        return {
            widget.id.removeprefix("sweep-"): widget.value
            for widget in self.query(Input)
            if widget.id
        }

    def _text(self, key: str) -> str:
        return self.query_one(f"#sweep-{key}", Input).value

    def _view(self) -> tuple[float, float | None]:
        """The percentile and budget the table and plot use (editable after a sweep)."""
        percent = positive_number(self._text("percentile"), "Percentile", 50)
        if percent is None or percent > 100:
            raise UsageError("Percentile must be a number above 0 and up to 100, e.g. 90 or 99.9")
        return percent, positive_number(self._text("budget"), "Budget", None)

    def read_spec(self) -> SweepSpec:
        axes = {}
        for axis in AXES:
            values = _split(self._text(f"axis-{axis.name}"), axis.name)
            if values:
                axes[axis.name] = values
        percent, budget = self._view()
        seed_text = self._text("shuffle").strip()
        if seed_text and not seed_text.isdigit():
            raise UsageError(f"Shuffle seed {seed_text!r}: give a whole number, or leave it empty")
        spec = SweepSpec(
            base=self._base_for(axes),
            axes=axes,
            point_time_s=int(
                positive_number(self._text("point-time"), "Point time", DEFAULT_POINT_TIME_S, True)
                or 0
            ),
            point_count=int(
                positive_number(self._text("point-count"), "Point count", DEFAULT_POINT_COUNT, True)
                or 0
            ),
            shuffle_seed=int(seed_text) if seed_text else None,
            percentile=percent,
            budget_ms=budget,
        )
        plan_points(spec)  # refuse a grid that cannot run, with the CLI's message
        return spec

    def _base_for(self, axes: dict[str, tuple[str, ...]]) -> BenchmarkConfig:
        """The form's settings with the swept knobs' own values taken out: the sweep's
        values replace them (the CLI refuses both; here the form is only a start)."""
        defaults = {f.name: f.default for f in dataclasses.fields(BenchmarkConfig)}
        changes = {}
        for name in axes:
            axis = AXIS_BY_NAME[name]
            if getattr(self.base, axis.field) not in (None, "", 0):
                changes[axis.field] = defaults[axis.field]
        if changes:
            replaced = ", ".join(
                f"{AXIS_BY_NAME[n].run_flag} {getattr(self.base, AXIS_BY_NAME[n].field)}"
                for n in axes
                if AXIS_BY_NAME[n].field in changes
            )
            self.overridden = f"the sweep's values replace the form's {replaced}"
        else:
            self.overridden = ""
        return self.base.replace(**changes)

    def show_error(self, message: str | None) -> None:
        panel = self.query_one("#sweep-error", Static)
        panel.set_class(not message, "hidden")
        panel.update("" if not message else f"[b]Error:[/b] {escape(message)}")

    # -- running ---------------------------------------------------------------------------

    def action_start(self) -> None:
        if self.running:
            return
        try:
            spec = self.read_spec()
        except NothingToSweep:
            self.show_error(NOTHING_TO_SWEEP)
            return
        except OvbenchError as error:
            self.show_error(error_line(error, ERROR_LABELS))
            return
        from ...sweep.runner import SweepRunner
        from ..work_messages import sweep_message

        self.show_error(None)
        if self.overridden:
            self.notify(self.overridden)

        def forward(event: SweepEvent) -> None:
            self.post_message(sweep_message(event))

        self.runner = SweepRunner(spec, forward)
        self.outcome = SweepOutcome(spec, len(self.runner.plans))
        self.running = True
        self.redraw()
        self._run_sweep(self.runner)

    @work(thread=True, exclusive=True, group="sweep", exit_on_error=False)
    def _run_sweep(self, runner: StoringWork) -> None:
        try:
            runner.run()
        except Exception as error:  # never lose a failure: one line in the screen
            self.post_message(WorkFailed(error_line(error, ERROR_LABELS)))

    def on_work_failed(self, message: WorkFailed) -> None:
        """Refused before any point ran."""
        self.running = False
        self.outcome = None
        self.redraw()
        self.show_error(message.message)
        self._tick()

    def on_point_started_posted(self, message: PointStartedPosted) -> None:
        event = message.event
        self.current = f"point {event.order}/{event.total}: {event.plan.label}"
        self.current_since = time.monotonic()
        self.current_seconds = event.plan.config.time_s or 0
        self._tick()

    def on_point_finished_posted(self, message: PointFinishedPosted) -> None:
        if self.outcome is not None:
            self.outcome.points.append(message.event.point)
            self.redraw()
        self._tick()

    def on_point_failed_posted(self, message: PointFailedPosted) -> None:
        failure = message.event.failure
        if self.outcome is not None:
            self.outcome.failures.append(failure)
            self.notify(f"{failure.plan.label}: {failure.message}", severity="error")
        self._tick()

    def on_point_stopped_posted(self, message: PointStoppedPosted) -> None:
        self.notify(f"{message.event.plan.label} was stopped: not kept", severity="warning")
        self._tick()

    def on_sweep_finished_posted(self, message: SweepFinishedPosted) -> None:
        self.running = False
        self.outcome = message.event.outcome
        self.current = ""
        self.redraw()
        self._tick()

    def _tick(self) -> None:
        outcome = self.outcome
        if outcome is None:
            text = "Give values for one or more knobs, then ctrl+r"
        else:
            done = f"{len(outcome.points)}/{outcome.total} points"
            failed = f", {len(outcome.failures)} failed" if outcome.failures else ""
            if self.running and self.current:
                elapsed = time.monotonic() - self.current_since
                text = f"{done}{failed} — {self.current} ({elapsed:.0f}/{self.current_seconds} s)"
            elif self.running:
                text = f"{done}{failed} — starting"
            else:
                stopped = " (stopped)" if outcome.stopped else ""
                percent, budget = self.view
                within = f" within {budget:g} ms" if budget else ""
                if outcome.points and outcome.best(percent, budget) is None:
                    marks = f"no point has its p{percent:g} latency{within}"
                else:
                    marks = f"* Pareto front, @ best{within}"
                text = f"{done}{failed}{stopped} — {marks}"
        self.query_one("#sweep-status", Static).update(text)

    def action_stop(self) -> None:
        if self.stop_work():
            self.query_one("#sweep-status", Static).update("Stopping: finished points are kept…")

    def on_unmount(self) -> None:
        self.keep_outcome()
        if self.running and self.runner is not None:
            self.runner.stop()

    # -- showing ---------------------------------------------------------------------------

    # Applied on enter or on leaving the field, not per keystroke: typing 101 would
    # show p1 and p10 on the way, and leave p10 on screen under the error.
    @on(Input.Submitted, "#sweep-percentile, #sweep-budget")
    @on(Input.Blurred, "#sweep-percentile, #sweep-budget")
    def _view_changed(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Table and plot at the percentile and budget typed; on a bad value, the error
        and the last good view stay."""
        try:
            self.view = self._view()
        except OvbenchError as error:
            self.show_error(error_line(error, ERROR_LABELS))
        else:
            self.show_error(None)
        percent, budget = self.view
        self.query_one(SweepPlot).draw(self.outcome, percent, budget)
        self._fill_table(percent, budget)
        self._tick()

    def _fill_table(self, percent: float, budget: float | None) -> None:
        table = self.query_one("#sweep-table", DataTable)
        table.clear(columns=True)
        outcome = self.outcome
        names = [a.name for a in AXES if outcome is not None and a.name in outcome.spec.axes]
        median_only = percent == 50  # p50 is the median: one column, not two alike
        latency = ["median ms"] if median_only else [f"p{percent:g} ms", "median"]
        header = ["", "#", *names, "FPS", *latency, "got streams/req/threads"]
        rows: list[list[str]] = []
        if outcome is not None:
            latencies = outcome.latencies(percent)
            pareto = outcome.pareto(percent)
            best = outcome.best(percent, budget)
            for index, point in enumerate(outcome.points):
                x = latencies[index]
                effective = point.effective
                rows.append(
                    [
                        "@" if best == index else ("*" if pareto[index] else ""),
                        str(point.plan.index),
                        *(point.plan.settings[n] for n in names),
                        f"{point.throughput_fps:.1f}",
                        *([] if median_only else ["too few" if x is None else f"{x:.3f}"]),
                        f"{point.latency.median:.3f}",
                        f"{effective.get('streams') or '-'}/{effective.get('requests')}/"
                        f"{effective.get('threads') or '-'}",
                    ]
                )
        # Widths from the content: a table filled before it is shown measured its
        # columns by their headers alone (1024 FPS read 102, the mark column vanished).
        for number, label in enumerate(header):
            width = max([len(label), 1, *(len(row[number]) for row in rows)])
            table.add_column(label, width=width)
        for row in rows:
            table.add_row(*row)

    # -- leaving and saving ---------------------------------------------------------------

    def action_save(self) -> None:
        outcome = self.outcome
        if outcome is None or not outcome.points:
            self.notify("Nothing to save yet: run the sweep first", severity="warning")
            return
        from pathlib import Path

        from ...sweep.output import write_sweep_files
        from ..field_values import machine

        try:
            percent, budget = self._view()
        except OvbenchError as error:
            line = error_line(error, ERROR_LABELS)
            self.show_error(line)
            self.notify(f"Not saved: {line}", severity="error")
            return
        spec = outcome.spec
        view = dataclasses.replace(
            outcome, spec=dataclasses.replace(spec, percentile=percent, budget_ms=budget)
        )
        prefix = Path(self.base.report_folder or ".") / time.strftime("ovbench-sweep-%Y%m%d-%H%M%S")
        try:
            written = write_sweep_files(
                view, f"{prefix}.csv", f"{prefix}.json", machine(self.base.device)
            )
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Saved {' and '.join(str(Path(path).resolve()) for path in written)}")

    def action_back(self) -> None:
        if self.running:
            self.notify("The sweep is running: ctrl+x stops it first", severity="warning")
            return
        ovbench_app(self).remember_sweep_fields(self.field_values())
        self.app.pop_screen()
