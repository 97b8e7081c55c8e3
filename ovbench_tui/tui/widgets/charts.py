"""Live latency and throughput charts (textual-plot), redrawn from LiveSeries."""

from __future__ import annotations

import math

from textual_plot import HiResMode, PlotWidget

from ...live import LiveSeries

GROUP_COLOURS = ("cyan", "magenta", "yellow", "green", "red", "blue", "white")


class KeyDrivenPlot(PlotWidget):
    """A plot the screen's own keys drive: it takes no focus, and its zoom bindings
    would otherwise fill the footer.  Every row counts at 80x24: the unit is in the
    border title, so no label rows."""

    can_focus = False
    BINDINGS = []
    LEFT_MARGIN = 8  # columns for the y tick labels

    def __init__(self, **kwargs: object) -> None:
        super().__init__(allow_pan_and_zoom=False, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        super().on_mount()
        self.margin_top = 0
        self.margin_bottom = 2
        self.margin_left = self.LEFT_MARGIN


class _Chart(KeyDrivenPlot):
    def __init__(self, title: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.border_title = title


def even_ticks(top: float, rows: int) -> list[float]:
    """Ticks at one nice step (1, 2, 5 x 10^k) from 0 to `top`, at most one per two
    rows: the plot's own ticks lose labels to rounding on a short chart (800, 600,
    400, 300, 100)."""
    if top <= 0:
        return [0.0]
    most = max(2, rows // 2)
    magnitude = 10 ** math.floor(math.log10(top / most))
    step = next(m * magnitude for m in (1, 2, 5, 10, 20, 50) if top / (m * magnitude) <= most)
    return [round(step * i, 12) for i in range(int(top / step) + 1)]


def _plot_rows(chart: PlotWidget) -> int:
    return max(2, chart.size.height - chart.margin_top - chart.margin_bottom)


class LatencyChart(_Chart):
    """Per window: median and a high percentile per data-shape group; the all-time median.

    Told apart by shape, not colour alone (NO_COLOR, 256 colours): medians are lines
    (several groups: their digits), the high percentile dots, the all-time median dashes."""

    def draw(self, live: LiveSeries, x_max: float) -> None:
        self.clear()
        high = int(live.high_percentile)
        several = len(live.groups) > 1
        groups = " ".join(str(i + 1)[-1] for i in range(len(live.groups)))
        medians = f"median {groups}" if several else "median ⠒"
        # Short: the whole legend fits the chart's half of 80 columns.
        self.border_title = f"Latency ms: {medians}, p{high} ·, [green]all-time -[/]"
        top = 0.0
        for index, series in enumerate(live.groups):
            if not series.times:
                continue
            colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
            name = series.label.strip() or "all"
            top = max(top, *series.highs, *series.medians)
            self.scatter(
                series.times,
                series.highs,
                marker="·",
                marker_style=colour,
                label=f"p{high} {name}" if several else f"p{high}",
            )
            if several:
                self.scatter(
                    series.times,
                    series.medians,
                    marker=str(index + 1)[-1],
                    marker_style=f"bold {colour}",
                    label=f"median {name}",
                )
            else:
                self.plot(
                    series.times,
                    series.medians,
                    line_style=colour,
                    hires_mode=HiResMode.BRAILLE,
                    label="median",
                )
        median = live.median_ms
        if median and live.times:
            xs = [x_max * i / 40 for i in range(41)]
            self.scatter(
                xs, [median] * len(xs), marker="-", marker_style="green", label="all-time median"
            )
            top = max(top, median)
        self.set_xlimits(0.0, x_max)
        self._set_top(top)

    def _set_top(self, top: float) -> None:
        ticks = even_ticks(top * 1.05, _plot_rows(self))
        self.set_ylimits(0.0, max(ticks[-1], top * 1.05) if top else None)
        self.set_yticks(ticks if top else None)


class ThroughputChart(_Chart):
    def draw(self, live: LiveSeries, x_max: float) -> None:
        self.clear()
        top = 0.0
        if live.times:
            self.plot(live.times, live.fps, line_style="yellow", hires_mode=HiResMode.BRAILLE)
            top = max(live.fps) * 1.05
        self.set_xlimits(0.0, x_max)
        ticks = even_ticks(top, _plot_rows(self))
        self.set_ylimits(0.0, max(ticks[-1], top) if top else None)
        self.set_yticks(ticks if top else None)
