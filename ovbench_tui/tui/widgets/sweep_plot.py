"""Throughput against latency for a sweep: points, Pareto front, budget, best point."""

from __future__ import annotations

from textual_plot import HiResMode

from ...sweep.points import SweepOutcome
from .charts import KeyDrivenPlot, even_ticks


class SweepPlot(KeyDrivenPlot):
    LEFT_MARGIN = 9

    def draw(self, outcome: SweepOutcome | None, percent: float, budget_ms: float | None) -> None:
        self.clear()
        self.border_title = f"FPS / p{percent:g} ms: [green]front[/] [b yellow]@[/]best" + (
            " [red]|[/]budget" if budget_ms else ""
        )
        if outcome is None or not outcome.points:
            self.set_xlimits(0.0, budget_ms * 1.5 if budget_ms else 1.0)
            self.set_ylimits(0.0, 1.0)
            self.set_yticks(None)
            return
        latencies = outcome.latencies(percent)
        fps = [p.throughput_fps for p in outcome.points]
        known = [(x, y) for x, y in zip(latencies, fps, strict=True) if x is not None]
        front = sorted(
            (x, y)
            for x, y, on in zip(latencies, fps, outcome.pareto(percent), strict=True)
            if on and x is not None
        )
        if len(front) > 1:
            self.plot(
                [x for x, _ in front],
                [y for _, y in front],
                line_style="green",
                hires_mode=HiResMode.BRAILLE,
            )
        if known:
            self.scatter(
                [x for x, _ in known], [y for _, y in known], marker="o", marker_style="cyan"
            )
        best = outcome.best(percent, budget_ms)
        if best is not None:
            x = latencies[best]
            assert x is not None
            self.scatter([x], [fps[best]], marker="@", marker_style="bold yellow")
        if budget_ms:
            self.add_v_line(budget_ms, line_style="red")
        x_high = max([x for x, _ in known] + [budget_ms or 0.0]) if known else 1.0
        self.set_xlimits(0.0, x_high * 1.1 or 1.0)
        top = max(fps) * 1.1 or 1.0
        ticks = even_ticks(top, max(2, self.size.height - 3))  # no label lost to rounding
        self.set_ylimits(0.0, max(top, ticks[-1]))
        self.set_yticks(ticks)
