"""Runs a sweep's points one after another on the real engine, reporting plain events.

Each point is an ordinary run (warm-up, then at least the point time and the
point count), stored in the run history like any other.  `stop()` ends the
point being measured; that point is dropped (its statistics cover a part of
its time) and the finished ones are kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..engine.compiled_cache import CompiledModelCache
from ..engine.engine import Engine
from ..engine.events import Event, LogLine, PhaseChanged
from ..errors import OptionError, OvbenchError, UsageError
from ..reports.run_outputs import RunOutputs, check_output_paths
from .grid import PointPlan, SweepSpec, plan_points
from .points import PointFailure, SweepOutcome, SweepPoint, effective_settings


@dataclass(frozen=True)
class PointStarted:
    plan: PointPlan
    order: int
    total: int


@dataclass(frozen=True)
class PointFinished:
    point: SweepPoint
    total: int


@dataclass(frozen=True)
class PointFailed:
    failure: PointFailure
    order: int
    total: int


@dataclass(frozen=True)
class PointStopped:
    plan: PointPlan


@dataclass(frozen=True)
class SweepFinished:
    outcome: SweepOutcome


SweepEvent = PointStarted | PointFinished | PointFailed | PointStopped | SweepFinished
SweepObserver = Callable[[SweepEvent], None]


class SweepRunner:
    """`run()` blocks; `stop()` and `current_engine` may be used from other threads."""

    tag_kind = "sweep"  # the history tags its points `<kind> <start> point N`

    def __init__(
        self,
        spec: SweepSpec,
        observer: SweepObserver | None = None,
        *,
        store_history: bool = True,
    ) -> None:
        self.spec = spec
        self.plans = plan_points(spec)  # refuses a bad grid before anything runs
        self._emit = observer or (lambda event: None)
        self.store_history = store_history and not spec.base.no_history
        self._stop = threading.Event()
        self.current_engine: Engine | None = None
        self.history_path = ""
        self._checked = False
        self.started_at = ""  # names the sweep in the history's tags
        self.history_error = ""  # why the points could not be stored, if they could not

    def check(self) -> None:
        """Refuse, once and before any point runs, what would fail every point or
        measure nothing: a model that cannot be read, an unknown device, a dynamic
        input without a data shape (step 5's own check), and data shapes for a model
        whose inputs are all static (they would be ignored)."""
        self._checked = True
        from ..engine.precheck import check_inputs, read_for_check

        base = self.spec.base
        check_output_paths(base)  # -cdir, and any file every point would write
        model = read_for_check(base)
        if model is None:
            return  # the device reads the file itself, or the model needs extensions
        if "data_shape" not in self.spec.axes:
            # Each batch the points set (-b makes a dynamic batch static), once.
            for config in {plan.config.batch: plan.config for plan in self.plans}.values():
                check_inputs(model, config)
            return
        if not base.shape:
            shapes = [port.get_partial_shape() for port in model.inputs]
            if all(shape.is_static for shape in shapes):
                listed = ", ".join(str(shape) for shape in shapes)
                raise OptionError(
                    "--data-shapes",
                    f": every input of {base.model} is static ({listed}), so data shapes "
                    "would be ignored: sweep --batches, or make an input dynamic with -shape",
                    field="data_shape",
                )
        for value in self.spec.axes["data_shape"]:
            # The engine's own step 5 on each value: names, grammar, fit to the inputs.
            try:
                check_inputs(model, base.replace(data_shape=value, mean_values="", scale_values=""))
            except UsageError as error:
                raise OptionError(
                    "--data-shapes", f" {value}: {error}", field="data_shape"
                ) from error

    def stop(self) -> None:
        self._stop.set()
        engine = self.current_engine
        if engine is not None:
            engine.stop()

    def run(self) -> SweepOutcome:
        if not self._checked:
            self.check()
        self.started_at = time.strftime("%Y-%m-%dT%H:%M:%S")
        outcome = SweepOutcome(self.spec, len(self.plans))
        cache = CompiledModelCache()
        try:
            for order, plan in enumerate(self.plans, start=1):
                if self._stop.is_set():
                    outcome.stopped = True
                    break
                self._emit(PointStarted(plan, order, len(self.plans)))
                self._run_point(plan, order, cache, outcome)
        finally:
            cache.clear()
        outcome.stopped = outcome.stopped or self._stop.is_set()
        self._emit(SweepFinished(outcome))
        return outcome

    def _run_point(
        self,
        plan: PointPlan,
        order: int,
        cache: CompiledModelCache,
        outcome: SweepOutcome,
    ) -> None:
        warnings: list[str] = []
        measured = threading.Event()

        def observe(event: Event) -> None:
            # Set-up warnings (random inputs, aligned counts) are the same for every
            # point; what the measurement says about itself (stability) is not.
            if isinstance(event, PhaseChanged) and event.phase == "measuring":
                measured.set()
            elif isinstance(event, LogLine) and event.level == "WARNING" and measured.is_set():
                warnings.append(event.text)

        outputs = RunOutputs(plan.config, observe)
        engine = Engine(
            plan.config,
            outputs,
            quiet_native_stderr=True,
            compiled_cache=cache,
            run_label=f"point {plan.index}",
        )
        self.current_engine = engine
        if self._stop.is_set():
            engine.stop()
        try:
            result = engine.run()
        except OvbenchError as error:
            if self._stop.is_set():
                self._emit(PointStopped(plan))
                return
            failure = PointFailure(plan, str(error), error.exit_code)
            outcome.failures.append(failure)
            self._emit(PointFailed(failure, order, len(self.plans)))
            return
        finally:
            self.current_engine = None
        if result is None:
            return
        if result.stopped_early:
            self._emit(PointStopped(plan))
            return
        point = SweepPoint(
            plan=plan,
            order=order,
            count=result.count,
            duration_s=result.duration_s,
            throughput_fps=result.throughput_fps,
            latency=result.latency,
            latencies_ms=result.latencies_ms,
            window_fps=list(result.stability.window_fps) if result.stability else [],
            window_median_ms=list(result.stability.window_median_ms) if result.stability else [],
            effective=effective_settings(result.compiled_properties, result.nireq, result.batch),
            compiled_reused=engine.compiled_reused,
            warnings=warnings,
            open_loop=result.open_loop,
        )
        point.warnings += outputs.failures
        if self.store_history:
            stored = outputs.store(result, f"{self.tag_kind} {self.started_at} point {plan.index}")
            point.run_id = stored.run_id
            if stored.run_id is not None:
                self.history_path = stored.path
            else:
                self.history_error = stored.detail
        outcome.points.append(point)
        self._emit(PointFinished(point, len(self.plans)))
