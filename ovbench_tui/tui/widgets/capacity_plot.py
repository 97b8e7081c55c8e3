"""Latency against offered load for a capacity search: p50 and the chosen percentile
per point, the target as a line, the knee and the answer marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual_plot import HiResMode

from ...capacity.output import knee_index
from .charts import KeyDrivenPlot

if TYPE_CHECKING:
    from ...capacity.runner import CapacityOutcome


class CapacityPlot(KeyDrivenPlot):
    def draw(self, outcome: CapacityOutcome | None, slo_ms: float, percent: float) -> None:
        self.clear()
        self.border_title = (
            f"ms / req/s: [cyan]p50[/] [yellow]p{percent:g}[/] [red]target[/] "
            "[b magenta]K[/]nee [b green]|[/]capacity"
        )
        upper = outcome.upper_rps if outcome is not None else 0.0
        points = [] if outcome is None else [p for p in outcome.points if p.role != "repeat"]
        x_high = max([upper, *(p.rate_rps for p in points)]) or 1.0
        y_values = [p.latency_ms for p in points if p.latency_ms is not None]
        # Overloaded points reach seconds: cap the axis so the boundary stays readable.
        y_high = min(max([*y_values, slo_ms]), 3 * slo_ms) * 1.1
        self.plot([0.0, x_high], [slo_ms, slo_ms], line_style="red", hires_mode=HiResMode.BRAILLE)
        ordered = sorted(points, key=lambda p: p.rate_rps)
        for attribute, style in (("p50_ms", "cyan"), ("latency_ms", "yellow")):
            xy = [
                (p.rate_rps, min(value, y_high))
                for p in ordered
                if (value := getattr(p, attribute)) is not None
            ]
            if len(xy) > 1:
                self.plot(
                    [x for x, _ in xy],
                    [y for _, y in xy],
                    line_style=style,
                    hires_mode=HiResMode.BRAILLE,
                )
            if xy:
                self.scatter([x for x, _ in xy], [y for _, y in xy], marker="o", marker_style=style)
        knee = knee_index(points)
        if knee is not None and points[knee].p50_ms is not None:
            p50 = points[knee].p50_ms
            assert p50 is not None
            self.scatter(
                [points[knee].rate_rps], [min(p50, y_high)], marker="K", marker_style="bold magenta"
            )
        answer = None if outcome is None else outcome.answer
        if answer is not None and answer.capacity_rps > 0:
            self.add_v_line(answer.capacity_rps, line_style="bold green")
        self.set_xlimits(0.0, x_high * 1.05)
        self.set_ylimits(0.0, y_high or 1.0)
