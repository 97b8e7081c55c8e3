"""The grid of a sweep: which knobs take which values, and the order the points run in.

Axes that change the compiled model come first and the runtime one (data
shapes) last, so points sharing a compiled model are adjacent and the
engine reuses it.  Shuffling keeps that: it shuffles the blocks of points that
share a compiled model, and the points inside each block.
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from ..config import HINT_CHOICES, BenchmarkConfig, batch_ignored
from ..errors import OptionError, UsageError
from ..knobs import AXIS_KNOBS


@dataclass(frozen=True)
class Axis:
    name: str  # as shown in tables and files
    field: str  # the BenchmarkConfig field it sets
    flag: str  # the sweep option that lists its values
    run_flag: str  # the single-value run option it replaces
    integer: bool = False
    runtime: bool = False  # changes no compiled model (see compiled_cache)
    help: str = ""
    check: Callable[[str], None] | None = None  # the run's grammar and words for one value


AXES: tuple[Axis, ...] = tuple(
    Axis(
        knob.axis.name,
        knob.field,
        knob.axis.flag,
        knob.flag,
        knob.axis.integer,
        knob.axis.runtime,
        knob.axis.help,
        knob.check,
    )
    for knob in AXIS_KNOBS
    if knob.axis is not None
)
AXIS_BY_NAME = {axis.name: axis for axis in AXES}
DEFAULT_POINT_TIME_S = 3
DEFAULT_POINT_COUNT = 100


@dataclass(frozen=True)
class SweepSpec:
    base: BenchmarkConfig
    axes: dict[str, tuple[str, ...]]  # axis name -> values as typed, in AXES order
    point_time_s: int = DEFAULT_POINT_TIME_S  # each point runs at least this long ...
    point_count: int = DEFAULT_POINT_COUNT  # ... and at least this many inferences
    shuffle_seed: int | None = None  # None: grid order
    percentile: float = 50  # the latency on the x axis and in the budget (99.9 works)
    budget_ms: float | None = None
    model_cache: bool = True  # -cdir for every point unless one was given


@dataclass(frozen=True)
class PointPlan:
    index: int  # 1-based position in the grid
    settings: dict[str, str]  # axis name -> value
    config: BenchmarkConfig = field(repr=False)

    @property
    def label(self) -> str:
        return " ".join(f"{name}={value}" for name, value in self.settings.items())


def split_values(values: list[str] | None, axis: Axis) -> tuple[str, ...]:
    """Values as given after a sweep option: several arguments, or one with commas
    (data shapes hold commas, so they only come as several arguments)."""
    result: list[str] = []
    for value in values or []:
        parts = [value] if axis.name == "data_shape" else value.split(",")
        result.extend(part.strip() for part in parts if part.strip())
    return tuple(dict.fromkeys(result))  # a repeated value would only repeat a point


class NothingToSweep(UsageError):
    """No axis has values (a screen says so in its own words)."""


def check_axis_values(axis: Axis, values: tuple[str, ...]) -> None:
    """Refuses a value with an OptionError about the axis (`field` is its name)."""
    for value in values:
        if axis.integer and (not value.isdigit() or int(value) <= 0):
            raise OptionError(
                axis.flag,
                f" {value!r}: give whole numbers of 1 or more, e.g. 1 2 4",
                field=axis.name,
            )
        if axis.check is not None:  # the run's grammar and words; may name a device: GPU:2
            try:
                axis.check(value)
            except OptionError as error:
                raise error.about(axis.name) from error
        if axis.name == "batch" and value.strip() == "0":
            raise OptionError(
                axis.flag,
                " 0: give batch sizes of 1 or more",
                field=axis.name,
                hint=f"leave {axis.flag} out to keep the model's own batch",
            )
        if axis.name == "hint" and value not in HINT_CHOICES:
            raise OptionError(
                axis.flag, f" {value!r} is unknown: use {', '.join(HINT_CHOICES)}", field=axis.name
            )


def plan_points(spec: SweepSpec) -> list[PointPlan]:
    """Every point's config, in the order they run; refuses a grid that cannot run."""
    if not spec.axes:
        raise NothingToSweep(
            "nothing to sweep: give values for at least one knob, e.g. --streams 1 2 4 "
            "--requests 1 2 4",
            hint="see ovbench-tui sweep -h",
        )
    if spec.point_time_s <= 0 or spec.point_count <= 0:
        raise UsageError("--point-time and --point-count must be 1 or more")
    if not 0 < spec.percentile <= 100:
        raise OptionError(
            "--percentile",
            f" {spec.percentile:g}: use a number above 0 and up to 100",
            field="percentile",
        )
    if spec.budget_ms is not None and spec.budget_ms <= 0:
        raise OptionError(
            "--budget", f" {spec.budget_ms:g}: give a positive latency in ms", field="budget"
        )
    base = spec.base
    for name, values in spec.axes.items():
        axis = AXIS_BY_NAME[name]
        if not values:
            raise OptionError(axis.flag, " has no values: give one or more", field=axis.name)
        check_axis_values(axis, values)
        given = getattr(base, axis.field)
        if given not in (None, "", 0):
            raise UsageError(
                f"{axis.run_flag} {given} and {axis.flag} both set {axis.name}: "
                f"keep {axis.flag} for the sweep"
            )
    _refuse_ignored_batches(spec)
    changes: dict[str, object] = {
        "time_s": spec.point_time_s,
        "niter": spec.point_count,
        # A sweep's points run for the sweep's own time, never -t auto's.
        "time_auto": False,
        "stable_pct": None,
        "t_max_s": None,
        # Per-point files would overwrite each other; the sweep writes its own.
        "json_out": "",
        "dump_config": "",
        "exec_graph_path": "",
        "report_type": None,
        "progress": "none",
    }
    if spec.model_cache and not base.cache_dir:
        # Compiling a point again (a repeated sweep, the app's "run again") imports
        # the blob the runtime cached instead of compiling from scratch.
        changes["cache_dir"] = str(model_cache_dir())
    tuning = {"streams", "threads"} & set(spec.axes)
    if tuning and "hint" not in spec.axes and not base.hint:
        changes["hint"] = "none"  # -nstreams and -nthreads apply only without a hint
    names = [axis.name for axis in AXES if axis.name in spec.axes]
    points = []
    for index, values in enumerate(itertools.product(*(spec.axes[n] for n in names)), start=1):
        settings = dict(zip(names, values, strict=True))
        point_changes = dict(changes)
        for name, value in settings.items():
            axis = AXIS_BY_NAME[name]
            point_changes[axis.field] = int(value) if axis.integer else value
        plan = PointPlan(index, settings, base.replace(**point_changes))
        try:
            plan.config.validate()
        except UsageError as error:
            raise UsageError(
                f"sweep point {plan.label}: {error.message}", hint=error.hint
            ) from error
        points.append(plan)
    if spec.shuffle_seed is not None:
        points = _shuffled(points, spec.shuffle_seed)
    return points


def _refuse_ignored_batches(spec: SweepSpec) -> None:
    """A --batches value with data shapes would run at the data shapes' batch instead,
    repeating another point: refused before anything runs."""
    data_shapes = spec.axes.get("data_shape", ()) or (spec.base.data_shape,)
    batches = spec.axes.get("batch", ())
    if any(batch_ignored(b, d) for b in batches for d in data_shapes):
        flag = "--data-shapes" if "data_shape" in spec.axes else "-data_shape"
        raise OptionError(
            "--batches",
            f": {flag} sets each point's batch, so -b would be ignored (as benchmark_app "
            "does) and the points would repeat: sweep the batch inside the data shapes "
            "instead, e.g. --data-shapes [1,3,224,224] [4,3,224,224]",
            field="batch",
        )


def model_cache_dir() -> Path:
    root = os.environ.get("OVBENCH_TUI_CACHE_DIR") or platformdirs.user_cache_dir("ovbench-tui")
    return Path(root) / "model-cache"


def _shuffled(points: list[PointPlan], seed: int) -> list[PointPlan]:
    rng = random.Random(seed)
    blocks: dict[tuple[str, ...], list[PointPlan]] = {}
    for point in points:
        key = tuple(v for n, v in point.settings.items() if not AXIS_BY_NAME[n].runtime)
        blocks.setdefault(key, []).append(point)
    order = list(blocks.values())
    rng.shuffle(order)
    result: list[PointPlan] = []
    for block in order:
        rng.shuffle(block)
        result.extend(block)
    return result
