"""The results screen's latency histogram: bars of every latency, or one line per
data-shape group on the same bins."""

from __future__ import annotations

from typing import Any

import numpy as np
from textual_plot import HiResMode, PlotWidget

from ...engine.result import HISTOGRAM_BINS, GroupResult, histogram_edges
from ...text_fit import readable_ms


def latency_edges(latencies_ms: np.ndarray) -> np.ndarray:
    """Bins for all of a run's latencies, by the groups' rule (histogram_edges)."""
    low, high = float(np.min(latencies_ms)), float(np.max(latencies_ms))
    if len(latencies_ms) >= 100:
        p99 = float(np.percentile(latencies_ms, 99))
        if high > 2 * p99:
            high = p99
    return np.linspace(low, max(high, low + 1e-6), HISTOGRAM_BINS + 1)


def histogram_label(latencies_ms: np.ndarray, edges: np.ndarray) -> str:
    """The x axis label: says when the slowest latencies lie beyond the last bin."""
    left = int(np.count_nonzero(latencies_ms > edges[-1]))
    if not left:
        return "latency (ms)"
    slowest = readable_ms(float(np.max(latencies_ms)))
    return f"latency (ms); {left} slowest, up to {slowest}, not shown"


class Histogram(PlotWidget):
    can_focus = False
    BINDINGS = []

    def draw(self, latencies_ms: np.ndarray, groups: list[GroupResult] | None = None) -> None:
        """Bars of every latency; with several data shapes, one line per group (its
        digit marks each bin), on the same bins, so the shapes are told apart."""
        self.clear()
        if not len(latencies_ms):
            return
        per_group = [g for g in groups or [] if len(g.histogram) == HISTOGRAM_BINS]
        edges = histogram_edges(per_group) if len(per_group) > 1 else latency_edges(latencies_ms)
        centres = (edges[:-1] + edges[1:]) / 2
        label = histogram_label(latencies_ms, edges)
        if len(per_group) > 1:
            styles = ("cyan", "yellow", "magenta", "green", "red", "blue")
            for number, group in enumerate(per_group, start=1):
                style = styles[(number - 1) % len(styles)]
                counts = np.asarray(group.histogram, dtype=np.float64)
                self.plot(centres, counts, line_style=style, hires_mode=HiResMode.BRAILLE)
                seen = counts > 0  # digits where the group has latencies, not along 0
                self.scatter(
                    centres[seen], counts[seen], marker=str(number)[-1], marker_style=style
                )
            digits = " ".join(str(n)[-1] for n in range(1, len(per_group) + 1))
            self.set_xlabel(f"{label}; groups {digits}")
            self.set_ylabel("count")
            return
        counts, _ = np.histogram(latencies_ms, bins=edges)
        self.bar(
            centres,
            counts,
            width=float(edges[1] - edges[0]),
            bar_style="cyan",
            hires_mode=HiResMode.HALFBLOCK,
        )
        self.set_xlabel(label)
        self.set_ylabel("count")

    def draw_stored(self, histogram: dict[str, Any]) -> None:
        """A stored run's histogram (reports.result_file's bins; the latencies are gone)."""
        self.clear()
        try:
            edges = np.asarray(histogram.get("edges") or [], dtype=np.float64)
            counts = np.asarray(histogram.get("counts") or [], dtype=np.float64)
        except (TypeError, ValueError):  # a damaged document: no chart rather than a crash
            return
        if counts.ndim != 1 or len(counts) == 0 or edges.shape != (len(counts) + 1,):
            return
        widths = np.diff(edges)
        if not widths.any():  # every latency equal: one bar of some visible width
            widths = np.full_like(counts, max(abs(float(edges[0])) * 0.01, 1e-3))
        self.bar(
            (edges[:-1] + edges[1:]) / 2,
            counts,
            width=widths,
            bar_style="cyan",
            hires_mode=HiResMode.HALFBLOCK,
        )
        log = " (log-spaced bins)" if histogram.get("scale") == "log" else ""
        self.set_xlabel(f"latency (ms){log}")
        self.set_ylabel("count")
