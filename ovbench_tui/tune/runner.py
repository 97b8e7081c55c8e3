"""Runs the tuner on the real engine: the search's points, then the confirmation round.

Each point is an ordinary sweep point (the sweep's runner measures it, reuses
compiled models, stores it in the history tagged `tune <start> point N`), so a
tuned point and a swept point with the same settings are measured alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from ..config import BenchmarkConfig, batch_ignored
from ..engine.compiled_cache import CompiledModelCache
from ..engine.stats import percentile
from ..errors import OptionError, UsageError
from ..knobs import KNOB_BY_AXIS
from ..sweep.grid import PointPlan, SweepSpec, plan_points
from ..sweep.points import SweepOutcome, SweepPoint
from ..sweep.runner import SweepRunner
from . import confirm
from .search import (
    AXIS_NAMES,
    DEFAULT_AXES,
    DEFAULT_MAX_POINTS,
    Climber,
    SearchSpace,
    Setting,
    Trial,
)

# The knobs the tuner always sets itself, and the one with its own words when fixed.
_ALWAYS_SET = (KNOB_BY_AXIS["streams"], KNOB_BY_AXIS["hint"])
_PRECISION = KNOB_BY_AXIS["precision"]


@dataclass(frozen=True)
class TuneSpec:
    base: BenchmarkConfig
    budget_ms: float | None = None
    percentile: float = 90
    max_points: int = DEFAULT_MAX_POINTS
    axes: tuple[str, ...] = DEFAULT_AXES
    point_time_s: int = 3
    point_count: int = 100
    model_cache: bool = True
    axes_given: bool = False  # the user chose the axes: one that cannot work is refused

    def check(self) -> None:
        # `field`: the app's tune field, which names the value instead of the flag.
        if self.budget_ms is not None and not self.budget_ms > 0:
            raise OptionError(
                "--budget-ms",
                f" {self.budget_ms:g}: give a positive latency in ms",
                field="budget",
            )
        if not 0 < self.percentile <= 100:
            raise OptionError(
                "--percentile",
                f" {self.percentile:g}: use a number above 0 and up to 100",
                field="percentile",
            )
        if self.max_points < 2:
            raise OptionError(
                "--max-points",
                f" {self.max_points}: give 2 or more (the search starts from the "
                "THROUGHPUT and LATENCY hints' own settings)",
                field="max-points",
            )
        base = self.base
        for knob in _ALWAYS_SET:
            value = getattr(base, knob.field)
            if value:
                raise UsageError(
                    f"{knob.flag} {value}: the tuner sets hint and streams itself; drop {knob.flag}"
                )
        # A run flag that fixes a searched knob: giving both is ambiguous.
        for axis in self.axes:
            knob = KNOB_BY_AXIS[axis]
            value = getattr(base, knob.field)
            if value and knob is not _PRECISION:
                raise UsageError(
                    f"{knob.flag} {value} fixes {axis}, which "
                    f"the tuner searches: drop it, or leave {axis} out of --axes"
                )
        if self._batch_ignored() and (self.axes_given or self.axes == ("batch",)):
            raise OptionError(
                "--axes",
                " batch: -data_shape sets the batch here, so -b would be ignored (as "
                "benchmark_app does) and every batch point would repeat another: leave "
                "batch out of --axes, or tune each batch as its own -data_shape",
                field="axes",
            )
        precision = getattr(base, _PRECISION.field)
        if "precision" in self.axes and precision:
            raise UsageError(
                f"{_PRECISION.flag} {precision} fixes the precision the tuner "
                "searches: drop it, or leave precision out of --axes"
            )

    def _batch_ignored(self) -> bool:
        return "batch" in self.axes and batch_ignored("2", self.base.data_shape)

    def searched(self) -> tuple[TuneSpec, str]:
        """The spec whose axes can all change the run, and a note on any left out."""
        if not self._batch_ignored():
            return self, ""
        axes = tuple(axis for axis in self.axes if axis != "batch")
        note = (
            "Batch is not searched: -data_shape sets the batch, so -b would be ignored "
            "(tune each batch as its own -data_shape)"
        )
        return replace(self, axes=axes), note

    def plan(self, setting: Setting, index: int) -> PointPlan:
        """The point's config exactly as a sweep point with these values would run."""
        axes: dict[str, tuple[str, ...]] = {"hint": (setting.hint,)}  # first, always
        for name in AXIS_NAMES:
            value = getattr(setting, name)
            if name not in axes and value is not None:
                axes[name] = (str(value),)
        sweep = SweepSpec(
            base=self.base,
            axes=axes,
            point_time_s=self.point_time_s,
            point_count=self.point_count,
            percentile=self.percentile,
            budget_ms=self.budget_ms,
            model_cache=self.model_cache,
        )
        plan = plan_points(sweep)[0]
        return PointPlan(index, plan.settings, plan.config)


@dataclass(frozen=True)
class TrialStarted:
    plan: PointPlan
    order: int  # the point's number (a confirmation run repeats its candidate's)
    reason: str


@dataclass(frozen=True)
class TrialMeasured:
    trial: Trial  # finished or failed, with its figures


@dataclass(frozen=True)
class ConfirmRound:
    round: int
    candidates: list[int]  # trial orders, in the order measured


@dataclass
class TuneOutcome:
    spec: TuneSpec
    trials: list[Trial] = field(default_factory=list)
    candidates: list[Trial] = field(default_factory=list)  # confirmed, best first
    samples: dict[int, list[float]] = field(default_factory=dict)  # order -> window FPS
    latencies: dict[int, float | None] = field(default_factory=dict)  # order -> confirmed
    rounds: int = 0
    verdict: confirm.Verdict | None = None
    stopped: bool = False
    runs: SweepOutcome | None = None  # every measured run (search and confirmation)

    @property
    def winner(self) -> Trial | None:
        return self.candidates[0] if self.candidates else None

    @property
    def runner_up(self) -> Trial | None:
        return self.candidates[1] if len(self.candidates) > 1 else None

    @property
    def at_rate(self) -> bool:
        """An open loop (-rate): the confirmation compares latencies, not throughputs."""
        return bool(self.spec.base.rate)

    def confirmed_value(self, trial: Trial) -> float | None:
        """Mean of the confirmation samples: FPS, or at a set rate the windows' median
        latency from arrival in ms."""
        samples = self.samples.get(trial.order)
        return float(np.mean(samples)) if samples else None

    def confirmed_fps(self, trial: Trial) -> float | None:
        return None if self.at_rate else self.confirmed_value(trial)

    def verdict_text(self) -> str:
        winner, runner_up = self.winner, self.runner_up
        budget = self.spec.budget_ms
        within = f" with p{self.spec.percentile:g} within {budget:g} ms" if budget else ""
        if winner is None:
            if self.stopped:
                return "stopped before any point finished"
            if self.trials and all(trial.failed for trial in self.trials):
                return "every point failed: nothing to compare (see the errors above)"
            if self.at_rate and not any(t.kept_up for t in self.trials):
                return (
                    f"no setting kept up with {self.spec.base.rate:g} requests/s: lower "
                    "--rate, or try other --axes"
                )
            return f"no point ran{within}: raise --budget-ms or try other --axes"
        if runner_up is None or self.verdict is None:
            return f"point {winner.order} is the only point{within}"
        return self.verdict.text(f"point {winner.order}", f"point {runner_up.order}")


class TuneRunner(SweepRunner):
    """`run()` blocks; `stop()` may be called from any thread (it ends the point
    being measured; what finished is kept)."""

    tag_kind = "tune"

    def __init__(
        self,
        tune: TuneSpec,
        observer: Callable[[object], None] | None = None,
        *,
        store_history: bool = True,
    ) -> None:
        tune.check()
        tune, self.note = tune.searched()  # the note: an axis left out, and why
        super().__init__(_start_spec(tune), observer, store_history=store_history)
        self._say: Callable[[object], None] = observer or (lambda event: None)
        self.tune = tune
        self.precisions: tuple[str, ...] = ()

    def check(self) -> None:
        super().check()
        if "precision" in self.tune.axes:
            self.precisions = device_precisions(self.tune.base.device)

    def run(self) -> TuneOutcome:  # type: ignore[override]
        if not self._checked:
            self.check()
        import time

        self.started_at = time.strftime("%Y-%m-%dT%H:%M:%S")
        runs = SweepOutcome(self.spec, self.tune.max_points)
        outcome = TuneOutcome(self.tune, runs=runs)
        cache = CompiledModelCache()

        def measure_plan(plan: PointPlan, order: int, why: str) -> SweepPoint | str | None:
            """The point, the reason it failed, or None when stopped."""
            if self._stop.is_set():
                return None
            points, failures = len(runs.points), len(runs.failures)
            self._say(TrialStarted(plan, order, why))
            self._run_point(plan, order, cache, runs)
            if len(runs.points) > points:
                return runs.points[-1]
            if len(runs.failures) > failures:
                return runs.failures[-1].message
            return None  # stopped mid-point: not kept

        def measure(setting: Setting, reason: str, parent: int | None) -> Trial | None:
            order = len(outcome.trials) + 1
            result = measure_plan(self.tune.plan(setting, order), order, reason)
            if result is None:
                return None
            trial = Trial(order, setting, reason, parent=parent)
            if isinstance(result, str):
                trial.error = result
            else:
                trial.fps = result.throughput_fps
                trial.latency_ms = result.latency_at(self.tune.percentile)
                trial.effective = _effective(result, setting, self.tune.axes)
                trial.ref = result
                if result.open_loop is not None:
                    trial.kept_up = result.open_loop.kept_up
            outcome.trials.append(trial)
            self._say(TrialMeasured(trial))
            return trial

        try:
            space = SearchSpace(axes=self.tune.axes, precisions=self.precisions)
            climber = Climber(space, self.tune.budget_ms, self.tune.max_points)
            climber.run(measure)
            if not self._stop.is_set():
                self._confirm(outcome, measure_plan)
        finally:
            cache.clear()
        outcome.stopped = self._stop.is_set()
        if not outcome.candidates:
            outcome.candidates = confirm_fallback(outcome)
        self._say(TuneFinished(outcome))
        return outcome

    def _confirm(
        self,
        outcome: TuneOutcome,
        measure_plan: Callable[[PointPlan, int, str], SweepPoint | str | None],
    ) -> None:
        from .search import best_trials

        candidates = best_trials(outcome.trials, self.tune.budget_ms, confirm.CANDIDATES)
        if len(candidates) < 2:
            outcome.candidates = candidates
            return
        samples: dict[int, list[float]] = {t.order: [] for t in candidates}
        latencies: dict[int, list[np.ndarray]] = {t.order: [] for t in candidates}
        run = measure_plan  # (plan, order, why) -> point | reason | None
        while not confirm.settled(list(samples.values()), outcome.rounds, confirm.TARGET_PCT):
            outcome.rounds += 1
            self._say(ConfirmRound(outcome.rounds, [t.order for t in candidates]))
            for trial in candidates:
                plan = self.tune.plan(trial.setting, trial.order)
                point = run(plan, trial.order, f"confirmation round {outcome.rounds}")
                if point is None:
                    break
                if isinstance(point, SweepPoint):
                    samples[trial.order].extend(
                        latency_windows(point) if self.tune.base.rate else frame_windows(point)
                    )
                    latencies[trial.order].append(point.latencies_ms)
            if self._stop.is_set():
                break
        measured = [t for t in candidates if samples[t.order]]
        lower_is_better = bool(self.tune.base.rate)  # latencies at a set rate
        sign = 1.0 if lower_is_better else -1.0
        measured.sort(key=lambda t: sign * float(np.mean(samples[t.order])))
        outcome.samples = samples
        for order, arrays in latencies.items():
            outcome.latencies[order] = pooled_percentile(arrays, self.tune.percentile)
        outcome.candidates = measured
        if len(measured) >= 2:
            outcome.verdict = confirm.verdict(
                samples[measured[0].order], samples[measured[1].order], lower_is_better
            )


@dataclass(frozen=True)
class TuneFinished:
    outcome: TuneOutcome


def _start_spec(tune: TuneSpec) -> SweepSpec:
    return SweepSpec(
        base=tune.base,
        axes={"hint": ("throughput", "latency")},
        point_time_s=tune.point_time_s,
        point_count=tune.point_count,
        percentile=tune.percentile,
        budget_ms=tune.budget_ms,
        model_cache=tune.model_cache,
    )


def _effective(point: SweepPoint, asked: Setting, axes: tuple[str, ...]) -> Setting:
    """The explicit setting the device ran: a hint point becomes its streams/requests."""

    def number(text: str | None) -> int | None:
        return int(text) if text and text.isdigit() else None

    effective = point.effective
    batch = number(effective.get("batch")) if "batch" in axes else None
    precision = asked.precision
    if "precision" in axes and precision is None:
        precision = (effective.get("precision") or "").lower() or None
    return Setting(
        hint="none",
        streams=number(effective.get("streams")) or asked.streams,
        requests=number(effective.get("requests")) or asked.requests,
        batch=batch if batch is not None else asked.batch,
        precision=precision,
    )


# OPTIMIZATION_CAPABILITIES names -> -infer_precision values.
_CAPABILITY_PRECISIONS = {"FP32": "f32", "BF16": "bf16", "FP16": "f16"}


def device_precisions(device: str) -> tuple[str, ...]:
    """The inference precisions the device says it can run (f32 at least)."""
    import openvino as ov

    try:
        capabilities = ov.Core().get_property(device, "OPTIMIZATION_CAPABILITIES")
    except RuntimeError:
        return ("f32",)
    found = [_CAPABILITY_PRECISIONS[c] for c in capabilities if c in _CAPABILITY_PRECISIONS]
    return tuple(found) or ("f32",)


def frame_windows(point: SweepPoint) -> list[float]:
    """The run's window throughputs in frames per second (windows count inferences)."""
    windows = point.window_fps
    if not windows or point.count <= 0:
        return [point.throughput_fps]
    frames_per_inference = point.throughput_fps * point.duration_s / point.count
    return [w * frames_per_inference for w in windows]


def latency_windows(point: SweepPoint) -> list[float]:
    """At a set rate: the windows' median latencies from arrival (the objective)."""
    windows = [m for m in point.window_median_ms if m is not None]
    return windows or [float(point.latency.median)]


def pooled_percentile(arrays: list[np.ndarray], percent: float) -> float | None:
    if not arrays:
        return None
    pooled = np.sort(np.concatenate(arrays))
    return float(percentile(pooled, percent)) if len(pooled) else None


def confirm_fallback(outcome: TuneOutcome) -> list[Trial]:
    """Without a confirmation round (stopped, or one candidate): the search's ranking."""
    from .search import best_trials

    return best_trials(outcome.trials, outcome.spec.budget_ms, confirm.CANDIDATES)
