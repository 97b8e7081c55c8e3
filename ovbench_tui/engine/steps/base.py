"""What every step uses: the run's settings, its observer and the log helpers."""

from __future__ import annotations

import time
from collections.abc import Callable

import openvino as ov

from ...config import BenchmarkConfig
from ..compiled_cache import CompiledModelCache
from ..events import Event, LogLine, PhaseChanged, StepStarted, TimingMeasured

Observer = Callable[[Event], None]


class StepsBase:
    """The state the step mixins share; `Engine` sets it up in its constructor."""

    config: BenchmarkConfig
    compiled_cache: CompiledModelCache | None
    run_label: str
    compiled_reused: bool
    quiet_native_stderr: bool
    core: ov.Core | None
    phase: str
    _emit: Observer
    _timings: dict[str, float]

    def _info(self, text: str) -> None:
        self._emit(LogLine("INFO", text))

    def _warn(self, text: str) -> None:
        self._emit(LogLine("WARNING", text))

    def _step(self, number: int, info: str = "", skipped: bool = False) -> None:
        self._emit(StepStarted(number, info, skipped))

    def _phase(self, phase: str) -> None:
        self.phase = phase
        self._emit(PhaseChanged(phase, time.perf_counter()))  # type: ignore[arg-type]

    def _timed(self, what: str, ms: float) -> None:
        self._timings[what] = ms
        self._emit(TimingMeasured(what, ms))  # type: ignore[arg-type]


def static_batch(batch: ov.Dimension) -> int:
    return batch.get_length() if batch.is_static else 0
