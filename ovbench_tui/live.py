"""Live view of a running benchmark, built from pulled windows (no UI imports).

A front end calls `LiveSeries.add(window)` a few times a second with what
`Engine.sample_window()` returned; this turns it into chart points (FPS and
per-group median / high percentile per window) and running totals.  The
all-time median comes from a log-spaced histogram, so memory stays fixed
however long the run; the final statistics are computed exactly by the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the app imports this before OpenVINO is loaded
    from .engine.runner import LiveWindow

# 1 µs .. 1000 s in 2000 log-spaced bins: a median within 0.7 % of the exact one.
_EDGES = np.logspace(-3, 6, 2001)
MAX_POINTS = 600  # chart history; older points are dropped


@dataclass
class GroupSeries:
    label: str
    times: list[float] = field(default_factory=list)
    medians: list[float] = field(default_factory=list)
    highs: list[float] = field(default_factory=list)


@dataclass
class LiveSeries:
    group_labels: list[str]
    group_batches: list[int]
    high_percentile: float = 90.0
    times: list[float] = field(default_factory=list)
    fps: list[float] = field(default_factory=list)
    groups: list[GroupSeries] = field(default_factory=list)
    count: int = 0
    frames: int = 0
    elapsed_s: float = 0.0
    _histogram: np.ndarray = field(default_factory=lambda: np.zeros(len(_EDGES) - 1, np.int64))
    _last_at: float | None = None
    _last_elapsed: float = 0.0

    def __post_init__(self) -> None:
        if not self.group_labels:
            self.group_labels = [""]
            self.group_batches = self.group_batches[:1] or [1]
        self.groups = [GroupSeries(label) for label in self.group_labels]

    def add(self, window: LiveWindow) -> None:
        latencies = window.latencies_ms
        n_groups = len(self.group_labels)
        batches = np.asarray(self.group_batches)
        if n_groups > 1 and len(latencies):
            group_of = window.groups(n_groups)
            frames = int(batches[group_of].sum())
        else:
            group_of = None
            frames = int(batches[0]) * len(latencies)
        self.count = window.completed
        self.frames += frames
        dt = window.elapsed_s - self._last_elapsed
        self._last_elapsed = window.elapsed_s
        self.elapsed_s = window.elapsed_s
        if not len(latencies) or dt <= 0:
            return
        self._histogram += np.histogram(latencies, _EDGES)[0]
        self.times.append(window.elapsed_s)
        self.fps.append(frames / dt)
        for index, series in enumerate(self.groups):
            mine = latencies if group_of is None else latencies[group_of == index]
            if not len(mine):
                continue
            series.times.append(window.elapsed_s)
            series.medians.append(float(np.median(mine)))
            series.highs.append(float(np.percentile(mine, self.high_percentile)))
        self._trim()

    def _trim(self) -> None:
        if len(self.times) > MAX_POINTS:
            del self.times[:-MAX_POINTS], self.fps[:-MAX_POINTS]
        for series in self.groups:
            if len(series.times) > MAX_POINTS:
                del series.times[:-MAX_POINTS], series.medians[:-MAX_POINTS]
                del series.highs[:-MAX_POINTS]

    @property
    def median_ms(self) -> float:
        """All-time median latency, to the histogram's resolution (0 before any sample)."""
        total = int(self._histogram.sum())
        if not total:
            return 0.0
        index = int(np.searchsorted(np.cumsum(self._histogram), (total + 1) // 2))
        return float(np.sqrt(_EDGES[index] * _EDGES[index + 1]))

    @property
    def average_fps(self) -> float:
        return self.frames / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def current_fps(self) -> float:
        return self.fps[-1] if self.fps else 0.0
