"""The live run: step checklist, big numbers, latency and throughput charts."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static

from ...config import BenchmarkConfig
from ...engine.events import (
    Event,
    RunFailed,
)
from ...engine.result import progress_fraction
from ...live import LiveSeries
from ..app_api import EngineFactory, RunningEngine, ovbench_app
from ..engine_messages import (
    LogLinePosted,
    PhaseChangedPosted,
    RunFailedPosted,
    RunFinishedPosted,
    StepStartedPosted,
    TimingMeasuredPosted,
    engine_message,
)
from ..field_values import error_line
from ..widgets.charts import LatencyChart, ThroughputChart
from ..widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from ...reports.run_outputs import RunOutputs

# The checklist names benchmark_app's 11 steps in a width that fits 80 columns.
SHORT_STEP_NAMES = (
    "Parse arguments",
    "Load runtime",
    "Device config",
    "Read model",
    "Reshape",
    "Configure I/O",
    "Compile",
    "Query properties",
    "Prepare inputs",
    "Warm-up, measure",  # its time is the first (warm-up) inference
    "Report",
)
REFRESH_S = 0.5  # 2 Hz: the notes measured ~4 % of one core per chart at this rate


class RunScreen(Screen[None]):
    BINDINGS = [
        Binding("s", "stop", "Stop"),
        Binding("escape", "stop", "Stop", show=False),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(
        self, config: BenchmarkConfig, engine_factory: EngineFactory | None = None
    ) -> None:
        """`engine_factory(config, observer)` replaces the real Engine (snapshot tests
        replay a recorded run with it)."""
        super().__init__()
        self.config = config
        self.engine_factory = engine_factory
        self.engine: RunningEngine | None = None
        self.live: LiveSeries | None = None
        self.step = 0
        self.step_started: dict[int, float] = {}
        self.step_done: dict[int, float] = {}
        self.timings: dict[str, float] = {}
        self.phase = "starting"
        self.warnings: list[str] = []
        self.finished = False
        self.outputs: RunOutputs | None = None  # writes this run's files
        self.stop_requested = False

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="run-body"):
            with Vertical(id="run-side"):
                yield Static("", id="steps")
                yield Static("", id="big-numbers")
            with Vertical(id="run-charts"):
                yield LatencyChart("Latency ms", id="latency-chart")
                yield ThroughputChart("Throughput FPS per window", id="throughput-chart")
        yield ProgressBar(total=1.0, show_eta=False, id="run-progress")
        yield Static("", id="run-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TitleBar).set_text(
            "ovbench-tui", "running {path} on " + escape(self.config.device), self.config.model
        )
        self._render_steps()
        self._run_engine()
        self.timer = self.set_interval(REFRESH_S, self._poll)

    # -- engine thread -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="bench", exit_on_error=False)
    def _run_engine(self) -> None:
        from ...engine.engine import Engine
        from ...errors import OvbenchError

        def forward(event: Event) -> None:
            self.post_message(engine_message(event))

        from ...reports.run_outputs import RunOutputs

        factory: EngineFactory = self.engine_factory or Engine
        self.outputs = RunOutputs(self.config, forward)
        engine = factory(self.config, self.outputs)
        self.engine = engine
        if self.stop_requested:  # stopped (a quit) before the engine existed
            engine.stop()
        try:
            engine.run()
        except OvbenchError:
            pass  # already reported through RunFailed
        except Exception as error:  # never lose a failure: report it as one line
            self.post_message(RunFailedPosted(RunFailed(error_line(error))))

    def on_step_started_posted(self, message: StepStartedPosted) -> None:
        now = time.monotonic()
        if self.step:
            self.step_done[self.step] = now
        self.step = message.event.number
        self.step_started[self.step] = now
        self._render_steps()

    def on_timing_measured_posted(self, message: TimingMeasuredPosted) -> None:
        self.timings[message.event.what] = message.event.ms
        self._render_steps()

    def on_phase_changed_posted(self, message: PhaseChangedPosted) -> None:
        self.phase = message.event.phase
        if self.phase == "measuring":
            ovbench_app(self).ui_cpu_at_measure_start = time.thread_time()
            engine = self.engine
            self.live = LiveSeries(
                (list(engine.group_labels) if engine else []) or [""],
                list(engine.group_batches) if engine else [1],
            )
        self._render_status()

    def on_log_line_posted(self, message: LogLinePosted) -> None:
        if message.event.level == "WARNING":
            self.warnings.append(message.event.text)

    def on_run_finished_posted(self, message: RunFinishedPosted) -> None:
        self.finished = True
        self._poll()
        self.timer.pause()
        ovbench_app(self).show_results(message.event.result, self.config, self.live, self.outputs)

    def on_run_failed_posted(self, message: RunFailedPosted) -> None:
        self.finished = True
        self.timer.pause()
        ovbench_app(self).show_failure(message.event.message, self.config)

    # -- live view ---------------------------------------------------------------

    def _poll(self) -> None:
        engine = self.engine
        live = self.live
        if engine is None or live is None:
            return
        window = engine.sample_window()
        if window is None:
            return
        live.add(window)
        self.draw_live()

    def draw_live(self) -> None:
        engine = self.engine
        live = self.live
        if live is None:
            return
        planned = engine.planned_duration_s if engine is not None else 0.0
        x_max = max(planned, live.elapsed_s, 1.0)
        with self.app.batch_update():
            self.query_one(LatencyChart).draw(live, x_max)
            self.query_one(ThroughputChart).draw(live, x_max)
            self._render_numbers(live)
            self.query_one(ProgressBar).update(progress=self._fraction(live))

    def _fraction(self, live: LiveSeries) -> float:
        engine = self.engine
        planned_s = engine.planned_duration_s if engine is not None else 0.0
        planned_n = engine.planned_iterations if engine is not None else None
        return progress_fraction(planned_s, planned_n, live.elapsed_s, live.count)

    def _render_numbers(self, live: LiveSeries) -> None:
        self.query_one("#big-numbers", Static).update(
            f"[b]Elapsed[/b]   {live.elapsed_s:8.1f} s\n"
            f"[b]Count[/b]     {live.count:8d}\n"
            f"[b]FPS now[/b]   {live.current_fps:8.1f}\n"
            f"[b]FPS avg[/b]   {live.average_fps:8.1f}\n"
            f"[b]Median[/b]    {live.median_ms:8.2f} ms" + self._load_text()
        )

    def _load_text(self) -> str:
        """Our CPU and other processes' since measuring began (% of one core);
        other load turns amber where the results would warn about it."""
        load = self.engine.machine_load() if self.engine is not None else None
        if load is None:
            return ""
        other = f"{load.other_pct:6.0f} %"
        if load.disturbed:
            other = f"[b yellow]{other}[/]"
        return f"\n[b]CPU ours[/b]  {load.ours_pct:6.0f} %\n[b]Other load[/b]{other}"

    def _render_steps(self) -> None:
        lines = []
        extra = {4: "read", 5: "reshape", 7: "compile", 10: "first_inference"}
        for number, name in enumerate(SHORT_STEP_NAMES, start=1):
            if number < self.step or self.finished:
                mark = "[green]✓[/]"
            elif number == self.step:
                mark = "[yellow]▶[/]"
            else:
                mark = "[dim]·[/]"
            timing = extra.get(number)
            note = ""
            if timing and timing in self.timings:
                first = "1st" if timing == "first_inference" else "   "
                note = f"[dim]{first}{self.timings[timing]:6.1f} ms[/]"
            lines.append(f"{mark} {name:<16} {note}")
        self.query_one("#steps", Static).update("\n".join(lines))

    def _render_status(self) -> None:
        text = {
            "compiling": "Reading and compiling the model…",
            "warmup": "Warm-up inference (not in the statistics)…",
            "measuring": "Measuring — press s to stop and keep what was measured",
            "done": "Done",
        }.get(self.phase, "")
        self.query_one("#run-status", Static).update(text)

    def action_stop(self) -> None:
        if self.stop_work():
            self.query_one("#run-status", Static).update("Stopping…")

    @property
    def working(self) -> bool:
        """Until the run's end (RunFinished, RunFailed) has been handled."""
        return not self.finished

    def stop_work(self) -> bool:
        """Stops the run (what was measured is kept); True if it was running."""
        if self.finished:
            return False
        self.stop_requested = True
        engine = self.engine
        if engine is not None:
            engine.stop()
        return True

    def on_unmount(self) -> None:
        # Leaving the screen (or quitting) must not leave a benchmark running.
        engine = self.engine
        if engine is not None and not self.finished:
            engine.stop()
