"""The Capacity screen: a latency target, then the latency-versus-load curve live."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import DataTable, Footer, Input, Label, Static

from ...capacity.output import answer_text
from ...config import BenchmarkConfig
from ...errors import OvbenchError, UsageError
from ..app_api import StoringWork, ovbench_app
from ..field_values import error_line, positive_number
from ..messages import WorkFailed
from ..widgets.capacity_plot import CapacityPlot
from ..widgets.knob_input import KnobInput
from ..widgets.title_bar import TitleBar
from .kept_outcome import OutcomeScreen

STATUS_PERIOD_S = 0.5
DEFAULT_POINT_TIME_S = 5
FIELDS = (
    ("slo", "Target ms", "10"),
    ("percentile", "Percentile", "99"),
    ("point-time", "Point time s", str(DEFAULT_POINT_TIME_S)),
    ("max-rate", "Max rate /s", "closed-loop FPS"),
)


if TYPE_CHECKING:
    from ...capacity.runner import CapacityEvent, CapacityOutcome, CapacitySpec
    from ..work_messages import (
        CapacityFinishedPosted,
        CapacityPointFinishedPosted,
        CapacityPointStartedPosted,
        CapacityPointStoppedPosted,
        UpperBoundFoundPosted,
    )


class CapacityScreen(OutcomeScreen["CapacityOutcome"]):
    KEPT_AS = "capacity search"
    DEFAULT_CSS = """
    #capacity-top { height: 12; }
    #capacity-fields { width: 32; height: 12; }
    .capacity-row { height: 1; }
    .capacity-label { width: 14; padding: 0 1 0 1; }
    .capacity-row Input { width: 1fr; border: none; height: 1; padding: 0 1; background: $boost; }
    .capacity-row Input:focus { background: $accent 30%; }
    #capacity-note { padding: 1 1 0 1; color: $text-muted; }
    #capacity-plot { width: 1fr; height: 12; border: none; border-top: solid $panel; }
    #capacity-error { height: auto; color: $error; padding: 0 1; }
    #capacity-error.hidden { display: none; }
    #capacity-status { height: 1; padding: 0 1; color: $text-muted; }
    #capacity-answer { height: auto; padding: 0 1; color: $success; }
    #capacity-table { height: 1fr; }
    """
    BINDINGS = [
        # "Find": with "Find capacity" the footer cut "^q Quit" at 80 columns.
        Binding("ctrl+r", "start", "Find", priority=True),
        Binding("ctrl+x", "stop", "Stop", priority=True),
        Binding("s", "stop", "Stop", show=False),
        Binding("ctrl+s", "save", "Save CSV+JSON", priority=True),
        Binding("escape", "back", "Back"),
        # Shown: the focus sits in a field here, where ? is typed (except in KnobInputs).
        Binding("f1", "app.help", "Keys", priority=True),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, base: BenchmarkConfig, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.base = base.replace(time_s=None, niter=None, rate=None)
        self.initial = values or {}
        self.outcome: CapacityOutcome | None = None  # filled in as points finish
        self.runner: StoringWork | None = None
        self.running = False
        self.current = ""
        self.current_since = 0.0
        self.view: tuple[float, float] = (10.0, 99.0)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="capacity-top"):
            with Vertical(id="capacity-fields"):
                for key, label, placeholder in FIELDS:
                    with Horizontal(classes="capacity-row"):
                        yield Label(label, classes="capacity-label")
                        yield KnobInput(
                            self.initial.get(key, ""), placeholder=placeholder, id=f"cap-{key}"
                        )
                yield Static(
                    f"{self.base.arrival_process} arrivals; latency counts from each arrival",
                    id="capacity-note",
                )
            yield CapacityPlot(id="capacity-plot")
        yield Static("", id="capacity-error", classes="hidden")
        yield Static("", id="capacity-status")
        yield Static("", id="capacity-answer")
        yield DataTable(id="capacity-table", zebra_stripes=True, cursor_type="row")
        yield Footer(compact=True)  # every key and Quit within 80 columns

    def on_mount(self) -> None:
        self.query_one(TitleBar).set_text(
            "ovbench-tui",
            "capacity {path} on " + escape(f"{self.base.device} — ctrl+r runs"),
            self.base.model,
        )
        self.set_interval(STATUS_PERIOD_S, self._tick)
        self.outcome = self.kept_outcome()
        if self.outcome is not None and self.outcome.failure:
            self.show_error(self.outcome.failure)
        self.redraw()

    def _text(self, key: str) -> str:
        return self.query_one(f"#cap-{key}", Input).value

    def field_values(self) -> dict[str, str]:
        return {key: self._text(key) for key, _, _ in FIELDS}

    def read_spec(self) -> CapacitySpec:
        from ...capacity.runner import CapacitySpec

        slo = positive_number(self._text("slo"), "Target", 10.0) or 10.0
        percent = positive_number(self._text("percentile"), "Percentile", 99.0) or 99.0
        if percent > 100:
            raise UsageError("Percentile must be above 0 and up to 100, e.g. 99")
        point_time = positive_number(self._text("point-time"), "Point time", DEFAULT_POINT_TIME_S)
        if point_time is None or point_time != int(point_time):
            raise UsageError("Point time must be a whole number of seconds")
        self.base.replace(rate=1.0).validate()
        return CapacitySpec(
            base=self.base,
            slo_ms=slo,
            percent=percent,
            point_time_s=int(point_time),
            max_rate=positive_number(self._text("max-rate"), "Max rate", None),
        )

    def show_error(self, message: str | None) -> None:
        panel = self.query_one("#capacity-error", Static)
        panel.set_class(not message, "hidden")
        panel.update("" if not message else f"[b]Error:[/b] {escape(message)}")

    # -- running ---------------------------------------------------------------------------

    def action_start(self) -> None:
        if self.running:
            return
        try:
            spec = self.read_spec()
        except OvbenchError as error:
            self.show_error(error_line(error))
            return
        from ...capacity.runner import CapacityOutcome, CapacityRunner
        from ..work_messages import capacity_message

        self.show_error(None)
        self.view = (spec.slo_ms, spec.percent)

        def forward(event: CapacityEvent) -> None:
            self.post_message(capacity_message(event))

        self.runner = CapacityRunner(spec, forward)
        self.outcome = CapacityOutcome(spec)
        self.running = True
        self.redraw()
        # Out of the fields while it runs: `s` then stops it instead of typing an s.
        self.query_one("#capacity-table", DataTable).focus()
        self._run_search(self.runner)

    @work(thread=True, exclusive=True, group="capacity", exit_on_error=False)
    def _run_search(self, runner: StoringWork) -> None:
        try:
            runner.run()
        except Exception as error:  # never lose a failure: one line in the screen
            self.post_message(WorkFailed(error_line(error)))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.running = False
        self.show_error(message.message)
        self.redraw()
        self._tick()

    def on_upper_bound_found_posted(self, message: UpperBoundFoundPosted) -> None:
        if self.outcome is not None:
            self.outcome.upper_rps = message.event.rate_rps
            self.redraw()
        self._tick()

    def on_capacity_point_started_posted(self, message: CapacityPointStartedPosted) -> None:
        event = message.event
        role = f" ({event.role})" if event.role else ""
        self.current = f"point {event.order} at {event.rate_rps:.1f} requests/s{role}"
        self.current_since = time.monotonic()
        self._tick()

    def on_capacity_point_finished_posted(self, message: CapacityPointFinishedPosted) -> None:
        if self.outcome is not None:
            self.outcome.points.append(message.event.point)
            self.redraw()
        self._tick()

    def on_capacity_point_stopped_posted(self, message: CapacityPointStoppedPosted) -> None:
        self.notify("The point being measured was stopped: not kept", severity="warning")
        self._tick()

    def on_capacity_finished_posted(self, message: CapacityFinishedPosted) -> None:
        outcome = message.event.outcome
        self.running = False
        self.outcome = outcome
        self.current = ""
        if outcome.failure:
            self.show_error(outcome.failure)
        self.redraw()
        self._tick()

    def _tick(self) -> None:
        outcome = self.outcome
        if outcome is None:
            text = "Set the target, then ctrl+r: a closed-loop run, then open-loop points"
        elif self.running:
            done = f"{len(outcome.points)} points"
            if self.current:
                elapsed = time.monotonic() - self.current_since
                text = f"{done} — {self.current} ({elapsed:.0f}/{outcome.spec.point_time_s} s)"
            else:
                text = f"{done} — measuring the closed-loop throughput (the upper bound)"
        else:
            stopped = " (stopped: finished points kept)" if outcome.stopped else ""
            text = f"{len(outcome.points)} points{stopped}"
        self.query_one("#capacity-status", Static).update(text)

    def action_stop(self) -> None:
        if self.running and self.runner is not None:
            self.runner.stop()
            self.query_one("#capacity-status", Static).update("Stopping: finished points are kept…")

    def on_unmount(self) -> None:
        self.keep_outcome()
        if self.running and self.runner is not None:
            self.runner.stop()

    # -- showing ---------------------------------------------------------------------------

    def redraw(self) -> None:
        slo, percent = self.view
        outcome = self.outcome
        self.query_one(CapacityPlot).draw(outcome, slo, percent)
        answer = "" if outcome is None or outcome.answer is None else answer_text(outcome)
        self.query_one("#capacity-answer", Static).update(escape(answer))
        table = self.query_one("#capacity-table", DataTable)
        table.clear(columns=True)
        chosen = percent not in (50, 90, 99)  # else its column is there already
        table.add_columns(
            "offered",
            "achieved",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            *([f"p{percent:g} ms"] if chosen else []),
            "waited",
            "",
        )
        if outcome is None:
            return

        def ms(value: float | None) -> str:
            return "-" if value is None else f"{value:.2f}"

        for point in outcome.points:
            role = f" ({point.role})" if point.role else ""
            table.add_row(
                f"{point.offered_rps:.1f}",
                f"{point.achieved_rps:.1f}",
                ms(point.p50_ms),
                ms(point.p90_ms),
                ms(point.p99_ms),
                *([ms(point.latency_ms)] if chosen else []),
                f"{point.waited_share * 100:.0f}%",
                f"{point.verdict_text}{role}",
            )
        self._tick()

    # -- leaving and saving ---------------------------------------------------------------

    def action_save(self) -> None:
        outcome = self.outcome
        if outcome is None or not outcome.points:
            self.notify("Nothing to save yet: find the capacity first", severity="warning")
            return
        from pathlib import Path

        from ...capacity.output import write_capacity_files
        from ..field_values import machine

        folder = Path(self.base.report_folder or ".")
        prefix = folder / time.strftime("ovbench-capacity-%Y%m%d-%H%M%S")
        try:
            written = write_capacity_files(outcome, str(prefix), machine(self.base.device))
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Saved {' and '.join(str(Path(path).resolve()) for path in written)}")

    def action_back(self) -> None:
        if self.running:
            self.notify("The search is running: ctrl+x stops it first", severity="warning")
            return
        ovbench_app(self).remember_capacity_fields(self.field_values())
        self.app.pop_screen()
