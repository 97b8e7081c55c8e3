"""Live latency and throughput charts (textual-plot), redrawn from LiveSeries."""

from __future__ import annotations

from textual_plot import HiResMode, PlotWidget

from ...live import LiveSeries

GROUP_COLOURS = ("cyan", "magenta", "yellow", "green", "red", "blue", "white")


class _Chart(PlotWidget):
    # Keyboard focus belongs to the app's own keys; the plot's zoom bindings
    # would otherwise fill the footer.
    can_focus = False
    BINDINGS = []

    def __init__(self, title: str, **kwargs: object) -> None:
        super().__init__(allow_pan_and_zoom=False, **kwargs)  # type: ignore[arg-type]
        self.border_title = title

    def on_mount(self) -> None:
        super().on_mount()
        # Every row counts at 80x24: the unit is in the title, so no label rows.
        self.margin_top = 0
        self.margin_bottom = 2
        self.margin_left = 8


class LatencyChart(_Chart):
    """Per window: median and a high percentile per data-shape group; the all-time median."""

    def draw(self, live: LiveSeries, x_max: float) -> None:
        self.clear()
        high = int(live.high_percentile)
        key = " ".join(
            f"[{GROUP_COLOURS[i % len(GROUP_COLOURS)]}]{i + 1}[/]" for i in range(len(live.groups))
        )
        groups = f", groups {key}" if len(live.groups) > 1 else ""
        self.border_title = f"Latency ms: median, p{high} dim, [green]all-time median[/]{groups}"
        for index, series in enumerate(live.groups):
            if not series.times:
                continue
            colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
            name = series.label.strip() or "all"
            self.plot(
                series.times,
                series.highs,
                line_style=f"dim {colour}",
                hires_mode=HiResMode.BRAILLE,
                label=f"p{high} {name}" if len(live.groups) > 1 else f"p{high}",
            )
            self.plot(
                series.times,
                series.medians,
                line_style=colour,
                hires_mode=HiResMode.BRAILLE,
                label=f"median {name}" if len(live.groups) > 1 else "median",
            )
        median = live.median_ms
        if median and live.times:
            self.plot(
                [0.0, x_max],
                [median, median],
                line_style="green",
                hires_mode=HiResMode.BRAILLE,
                label="all-time median",
            )
        self.set_xlimits(0.0, x_max)
        self.set_ylimits(0.0, None)


class ThroughputChart(_Chart):
    def draw(self, live: LiveSeries, x_max: float) -> None:
        self.clear()
        if live.times:
            self.plot(live.times, live.fps, line_style="yellow", hires_mode=HiResMode.BRAILLE)
        self.set_xlimits(0.0, x_max)
        self.set_ylimits(0.0, None)
