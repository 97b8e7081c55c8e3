"""The tuner's points on the throughput-against-latency plane, with the search's path."""

from __future__ import annotations

from textual_plot import HiResMode

from ...tune.search import Trial
from .charts import KeyDrivenPlot


class TunePlot(KeyDrivenPlot):
    LEFT_MARGIN = 9

    def draw(
        self,
        trials: list[Trial],
        percent: float,
        budget_ms: float | None,
        winner: int | None,
    ) -> None:
        """`winner`: the winning point's number, once known."""
        self.clear()
        self.border_title = f"FPS / p{percent:g} ms: [dim]path[/] o point [b]@[/]winner" + (
            " [red]|[/]budget" if budget_ms else ""
        )
        measured = {t.order: t for t in trials if t.fps is not None and t.latency_ms is not None}
        if not measured:
            self.set_xlimits(0.0, budget_ms * 1.5 if budget_ms else 1.0)
            self.set_ylimits(0.0, 1.0)
            return
        for trial in measured.values():
            parent = measured.get(trial.parent or 0)
            if parent is not None:
                self.plot(
                    [parent.latency_ms or 0.0, trial.latency_ms or 0.0],
                    [parent.fps or 0.0, trial.fps or 0.0],
                    line_style="grey50",
                    hires_mode=HiResMode.BRAILLE,
                )
        xs = [t.latency_ms or 0.0 for t in measured.values()]
        ys = [t.fps or 0.0 for t in measured.values()]
        self.scatter(xs, ys, marker="o", marker_style="cyan")
        best = measured.get(winner or 0)
        if best is not None:
            self.scatter(
                [best.latency_ms or 0.0], [best.fps or 0.0], marker="@", marker_style="bold"
            )
        if budget_ms:
            self.add_v_line(budget_ms, line_style="red")
        self.set_xlimits(0.0, max([*xs, budget_ms or 0.0]) * 1.1 or 1.0)
        self.set_ylimits(0.0, max(ys) * 1.1 or 1.0)
