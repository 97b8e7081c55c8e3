"""The tuner's search: a few measured points instead of a whole grid.

It starts where the device would: the THROUGHPUT and LATENCY hints, measured as
they are, whose effective streams, requests and batch are read back.  From the
best point so far it tries neighbouring explicit settings (streams, requests or
batch halved or doubled, another inference precision), one at a time, and moves
to the first that is better; a move that helped is tried again first (going on
in the same direction).  It stops when no neighbour of the best point is better,
or after `max_points` distinct settings.

"Better" is the objective: a point within the latency budget beats every point
over it; among points within it, the higher throughput wins; among points over
it, the lower latency (so the search walks back into the budget).  At a set
arrival rate (-rate, an open loop) every setting that keeps up serves the same
throughput: there the lower latency from arrival wins, and a setting that does
not keep up loses to every one that does.  A failed
point (a setting the device refuses) is kept in the table and never wins.

Nothing here touches OpenVINO: `measure` is given, so tests drive the search with
synthetic objective functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sweep.points import SweepPoint

from ..knobs import TUNE_KNOBS

# The knobs the tuner may search, by their sweep axis names (Setting's fields), in the
# order its tables and files list them.
AXIS_NAMES = tuple(knob.axis.name for knob in TUNE_KNOBS if knob.axis is not None)
DEFAULT_AXES = ("streams", "requests", "batch", "hint")
DEFAULT_MAX_POINTS = 12
START_HINTS = ("throughput", "latency")


@dataclass(frozen=True)
class Setting:
    """One point's knobs; None leaves a knob to the device (a hint) or the model (batch)."""

    hint: str = "none"
    streams: int | None = None
    requests: int | None = None
    batch: int | None = None
    precision: str | None = None

    def key(self) -> tuple[object, ...]:
        return (self.hint, self.streams, self.requests, self.batch, self.precision)

    @property
    def label(self) -> str:
        parts = [f"hint={self.hint}"]
        for name in AXIS_NAMES:
            value = getattr(self, name)
            if name != "hint" and value is not None:
                parts.append(f"{name}={value}")
        return " ".join(parts)


@dataclass
class Trial:
    """A measured point: what was asked, why, what the device ran, and the figures."""

    order: int  # 1-based, in the order measured
    setting: Setting
    reason: str
    fps: float | None = None  # None: the point failed
    latency_ms: float | None = None  # at the tuner's percentile; None: too few samples
    effective: Setting | None = None  # the explicit equivalent the device reported
    error: str = ""
    ref: SweepPoint | None = None  # the runner's own record of the point
    parent: int | None = None  # the point whose neighbour this is (the search's path)
    kept_up: bool | None = None  # at a set rate (-rate): served what arrived; None: closed loop

    @property
    def failed(self) -> bool:
        return self.fps is None

    def within(self, budget_ms: float | None) -> bool:
        if self.failed or self.latency_ms is None or self.kept_up is False:
            return False
        return budget_ms is None or self.latency_ms <= budget_ms


def score(trial: Trial, budget_ms: float | None) -> tuple[int, float]:
    """Larger is better; see the module docstring.  At a set rate every setting that
    keeps up serves the same throughput, so within the budget the lower latency
    (from arrival) wins, and a setting that does not keep up ranks by what it served."""
    if trial.failed or trial.latency_ms is None or trial.fps is None:
        return (0, 0.0)
    if trial.kept_up is False:
        return (1, trial.fps)
    if trial.within(budget_ms):
        return (3, trial.fps if trial.kept_up is None else -trial.latency_ms)
    return (2, -trial.latency_ms)


def best_trials(trials: Sequence[Trial], budget_ms: float | None, count: int) -> list[Trial]:
    """The `count` best distinct settings within the budget, best first (ties: earlier)."""
    fitting = [t for t in trials if t.within(budget_ms)]
    fitting.sort(key=lambda t: (-score(t, budget_ms)[1], t.order))  # best score first
    chosen: list[Trial] = []
    seen: set[tuple[object, ...]] = set()
    for trial in fitting:
        key = (trial.effective or trial.setting).key()
        if key not in seen:
            seen.add(key)
            chosen.append(trial)
    return chosen[:count]


# (setting, why, the point it neighbours) -> the trial, None when the tuner was stopped
Measure = Callable[[Setting, str, "int | None"], "Trial | None"]


@dataclass(frozen=True)
class SearchSpace:
    axes: tuple[str, ...] = DEFAULT_AXES
    precisions: tuple[str, ...] = ()  # what the precision axis may try
    max_streams: int = 64
    max_requests: int = 1024
    max_batch: int = 256


class Climber:
    def __init__(
        self,
        space: SearchSpace,
        budget_ms: float | None,
        max_points: int = DEFAULT_MAX_POINTS,
    ) -> None:
        self.space = space
        self.budget_ms = budget_ms
        self.max_points = max_points
        self.trials: list[Trial] = []
        self.stopped = False
        self._seen: set[tuple[object, ...]] = set()

    def run(self, measure: Measure) -> list[Trial]:
        for hint in START_HINTS:
            if not self._try(measure, Setting(hint=hint), f"the device's choice ({hint} hint)"):
                return self.trials
        last_move = ""
        while len(self.trials) < self.max_points:
            ranked = sorted(self.trials, key=lambda t: (score(t, self.budget_ms), -t.order))
            ranked.reverse()
            best = ranked[0]
            if best.failed or best.effective is None:
                break  # nothing measured to climb from
            # Climb from the best point; when none of its neighbours is better, look
            # once around the runner-up (the other start, often) before giving up.
            improved = False
            for base in ranked[:2]:
                if base.failed or base.effective is None:
                    continue
                for move, setting in self._neighbours(base.effective, base, last_move):
                    why = f"{move} from point {base.order}"
                    trial = self._try(measure, setting, why, base.order)
                    if trial is None:
                        return self.trials
                    if score(trial, self.budget_ms) > score(best, self.budget_ms):
                        improved, last_move = True, move
                        break
                if improved:
                    break
            if not improved:
                break
        return self.trials

    def _try(
        self, measure: Measure, setting: Setting, reason: str, parent: int | None = None
    ) -> Trial | None:
        """Measure a new setting; None when stopped or out of points."""
        if self.stopped or len(self.trials) >= self.max_points:
            self.stopped = self.stopped or False
            return None
        self._seen.add(setting.key())
        trial = measure(setting, reason, parent)
        if trial is None:
            self.stopped = True
            return None
        trial.order = len(self.trials) + 1
        trial.parent = parent
        self.trials.append(trial)
        if trial.effective is not None:
            self._seen.add(trial.effective.key())
        return trial

    def _neighbours(
        self, base: Setting, current: Trial, last_move: str
    ) -> Iterator[tuple[str, Setting]]:
        moves = list(self._moves(base))
        # Within the budget, more in flight may bring more throughput; over it, less
        # brings the latency down.  The move that helped last time goes first.
        upward = current.within(self.budget_ms)
        moves.sort(key=lambda item: (item[0] != last_move, item[0].endswith("x2") != upward))
        for move, setting in moves:
            if setting.key() not in self._seen:
                yield move, setting

    def _moves(self, base: Setting) -> Iterator[tuple[str, Setting]]:
        space = self.space
        streams = base.streams or 1
        requests = base.requests or streams
        batch = base.batch
        if "streams" in space.axes:
            if streams * 2 <= space.max_streams:
                up = replace(base, streams=streams * 2, requests=max(requests, streams * 2))
                yield "streams x2", up
            if streams > 1:
                yield "streams /2", replace(base, streams=streams // 2)
        if "requests" in space.axes:
            if requests * 2 <= space.max_requests:
                yield "requests x2", replace(base, requests=requests * 2)
            if requests // 2 >= max(1, streams):
                yield "requests /2", replace(base, requests=requests // 2)
        if "batch" in space.axes and batch is not None:
            if batch * 2 <= space.max_batch:
                yield "batch x2", replace(base, batch=batch * 2)
            if batch > 1:
                yield "batch /2", replace(base, batch=batch // 2)
        if "precision" in space.axes:
            for precision in space.precisions:
                if precision != base.precision:
                    yield f"precision {precision}", replace(base, precision=precision)


def check_axes(axes: Sequence[str]) -> tuple[str, ...]:
    """The axes, once each; an OptionError about the field "axes" if not all are known."""
    from ..errors import OptionError

    unknown = [a for a in axes if a not in AXIS_NAMES]
    if unknown:
        raise OptionError(
            "--axes",
            f" {' '.join(unknown)}: unknown; choose from {' '.join(AXIS_NAMES)}",
            field="axes",
        )
    if not axes:
        raise OptionError("--axes", f" needs at least one of {' '.join(AXIS_NAMES)}", field="axes")
    return tuple(dict.fromkeys(axes))
