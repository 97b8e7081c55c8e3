"""Runs a capacity search on the real engine, reporting plain events.

First a closed-loop run with the shared settings gives the upper bound (its
throughput in requests/s; `--max-rate` skips it), then each point is an
ordinary open-loop run (-rate) of the point time, stored in the run history
like any other, tagged `capacity <start> point N`.  `stop()` ends the point
being measured; that point is dropped and the finished ones are kept.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config import BenchmarkConfig
from ..engine.compiled_cache import CompiledModelCache
from ..engine.engine import Engine
from ..engine.result import RunResult
from ..errors import BenchmarkError, OvbenchError
from .search import DEFAULT_TOLERANCE, CapacityAnswer, CapacityPoint, CapacitySearch, Measured


def min_samples(percent: float) -> int:
    """Arrivals a point needs: twice what puts one sample beyond the percentile
    (200 for p99, 2000 for p99.9), and at least 100."""
    if percent >= 100:
        return 100
    return max(100, 2 * math.ceil(round(100 / (100 - percent), 6)))


@dataclass(frozen=True)
class CapacitySpec:
    base: BenchmarkConfig  # what every point shares (no -rate, -t or -niter)
    slo_ms: float
    percent: float = 99.0
    point_time_s: int = 5
    max_rate: float | None = None  # None: measure the closed-loop throughput
    tolerance: float = DEFAULT_TOLERANCE


@dataclass(frozen=True)
class UpperBoundFound:
    rate_rps: float
    measured: bool  # False: given with --max-rate


@dataclass(frozen=True)
class CapacityPointStarted:
    rate_rps: float
    order: int
    role: str


@dataclass(frozen=True)
class CapacityPointFinished:
    point: CapacityPoint
    order: int


@dataclass(frozen=True)
class CapacityPointStopped:
    rate_rps: float


@dataclass(frozen=True)
class CapacityFinished:
    outcome: CapacityOutcome


CapacityEvent = (
    UpperBoundFound
    | CapacityPointStarted
    | CapacityPointFinished
    | CapacityPointStopped
    | CapacityFinished
)


@dataclass
class CapacityOutcome:
    spec: CapacitySpec
    upper_rps: float = 0.0
    points: list[CapacityPoint] = field(default_factory=list)
    answer: CapacityAnswer | None = None
    stopped: bool = False
    failure: str = ""
    exit_code: int = 0


class CapacityRunner:
    """`run()` blocks; `stop()` and `current_engine` may be used from other threads."""

    def __init__(
        self,
        spec: CapacitySpec,
        observer: Callable[[CapacityEvent], None] | None = None,
        *,
        store_history: bool = True,
    ) -> None:
        self.spec = spec
        self._emit = observer or (lambda event: None)
        self.store_history = store_history and not spec.base.no_history
        self._stop = threading.Event()
        self.current_engine: Engine | None = None
        self.history_path = ""
        self.history_error = ""
        self.started_at = ""
        self.search: CapacitySearch | None = None
        self._checked = False

    def check(self) -> None:
        """Refuse, before the closed-loop run, what would fail every point: an unknown
        device, a model that cannot be read, a dynamic input without a data shape."""
        from ..engine.precheck import check_inputs, read_for_check

        self._checked = True
        model = read_for_check(self.spec.base)
        if model is not None:
            check_inputs(model, self.spec.base)

    def stop(self) -> None:
        self._stop.set()
        engine = self.current_engine
        if engine is not None:
            engine.stop()

    def run(self) -> CapacityOutcome:
        spec = self.spec
        self.started_at = time.strftime("%Y-%m-%dT%H:%M:%S")
        outcome = CapacityOutcome(spec)
        cache = CompiledModelCache()
        store, environment = self._open_history()
        try:
            if not self._checked:
                self.check()
            upper = spec.max_rate
            if upper is None:
                closed = spec.base.replace(rate=None, arrival="")
                result = self._measure(closed, cache, store, environment, "closed loop")
                if result is None:
                    outcome.stopped = True
                    return self._finish(outcome)
                upper = result.count / result.duration_s
            outcome.upper_rps = upper
            self._emit(UpperBoundFound(upper, spec.max_rate is None))
            search = CapacitySearch(upper, spec.slo_ms, spec.percent, spec.tolerance)
            self.search = search
            order = 0
            while (rate := search.next_rate()) is not None:
                order += 1
                self._emit(CapacityPointStarted(rate, order, search.pending_role))
                config = spec.base.replace(rate=rate)
                result = self._measure(config, cache, store, environment, f"point {order}")
                if result is None or result.open_loop is None:
                    self._emit(CapacityPointStopped(rate))
                    break
                stats = result.open_loop
                point = search.record(
                    rate,
                    Measured(
                        offered_rps=stats.offered_rps,
                        achieved_rps=stats.achieved_rps,
                        latencies_ms=result.latencies_ms,
                        waited_share=stats.waited_share,
                        kept_up=not stats.queue_grew,
                        run_id=self._last_run_id,
                    ),
                )
                outcome.points.append(point)
                self._emit(CapacityPointFinished(point, order))
            search.stopped = self._stop.is_set()
            outcome.answer = search.answer()
        except OvbenchError as error:
            outcome.failure = str(error)
            outcome.exit_code = error.exit_code
            if self.search is not None:
                outcome.answer = self.search.answer()
        finally:
            cache.clear()
            if store is not None:
                store.close()
        return self._finish(outcome)

    def _finish(self, outcome: CapacityOutcome) -> CapacityOutcome:
        outcome.stopped = outcome.stopped or self._stop.is_set()
        self._emit(CapacityFinished(outcome))
        return outcome

    _last_run_id: int | None = None

    def _measure(
        self,
        config: BenchmarkConfig,
        cache: CompiledModelCache,
        store: Any,
        environment: dict[str, Any] | None,
        label: str,
    ) -> RunResult | None:
        """One run of the point time; None when stopped (its result is not kept)."""
        if self._stop.is_set():
            return None
        # At least the point time and, at a point (not the closed loop), enough arrivals
        # for its percentile to be a sample's, not the maximum: both limits must be met.
        niter = min_samples(self.spec.percent) if config.rate else None
        config = config.replace(time_s=self.spec.point_time_s, niter=niter, json_out="")
        engine = Engine(config, quiet_native_stderr=True, compiled_cache=cache, run_label=label)
        self.current_engine = engine
        if self._stop.is_set():
            engine.stop()
        try:
            result = engine.run()
        except OvbenchError:
            if self._stop.is_set():
                return None
            raise
        finally:
            self.current_engine = None
        if result is None:
            raise BenchmarkError("the run measured nothing (-niter 0?)")
        if result.stopped_early:
            return None
        self._last_run_id = None
        if store is not None:
            from ..reports.result_file import build_result_document

            document = build_result_document(config, result, result.counters, environment)
            document["tag"] = f"capacity {self.started_at} {label}"
            try:
                self._last_run_id = store.add(document)
            except OvbenchError as error:
                self.history_error = str(error)
        return result

    def _open_history(self) -> tuple[Any, dict[str, Any] | None]:
        if not self.store_history:
            return None, None
        from ..reports.history import HistoryStore
        from ..reports.result_file import collect_environment

        try:
            store = HistoryStore(self.spec.base.history or None)
        except OvbenchError as error:
            self.history_error = str(error)
            return None, None
        self.history_path = str(store.path)
        return store, collect_environment(None, [self.spec.base.device])
