"""The one table of run knobs: every spelling of a knob comes from its row.

A row names the BenchmarkConfig field, benchmark_app's short and long flags
(and our older aliases), the argparse value type, default and help, and where
it has one: the app form's field, the sweep axis, the flag the report's
command-line section prints, and the device property it becomes.  run_args
builds the run parser from it, form_state the form's fields, sweep/grid the
axes, reports the command-line section, sweep/points the effective-settings
columns, compare the "(effective)" rows, tune its axes, refusals and device
config, and engine/device_config step 3's properties.  The grammar of a value
lives in config validation (config.check_*), so every front end refuses the same
things with the same words.

This module imports no OpenVINO and nothing above config.
"""

from __future__ import annotations

from collections.abc import Callable

from .benchmark_app import BENCHMARK_APP_KNOBS
from .ours import OUR_KNOBS
from .spec import (
    FORM_HINTS,
    HINT_ALIASES,
    OPTIONS,
    AxisSpec,
    FormSpec,
    Knob,
    float_value,
    history_file,
    int_value,
    nonneg_int,
    positive_int,
    str2bool,
    time_value,
)

# In `run -h` order (benchmark_app's sections, then ours).
KNOBS: tuple[Knob, ...] = (*BENCHMARK_APP_KNOBS, *OUR_KNOBS)
KNOB_BY_FIELD = {knob.field: knob for knob in KNOBS if knob.field}
KNOB_BY_KEY = {knob.key: knob for knob in KNOBS}

# The form's order (by section) and the sweep's (axes that change the compiled
# model first, the runtime one last): layouts, not definitions.
FORM_ORDER = (
    "model",
    "device",
    "hint",
    "api",
    "nireq",
    "nstreams",
    "nthreads",
    "pin",
    "infer_precision",
    "time_s",
    "niter",
    "inference_only",
    "rate",
    "arrival",
    "batch",
    "shape",
    "data_shape",
    "layout",
    "inputs",
    "input_precision",
    "output_precision",
    "input_output_precision",
    "mean_values",
    "scale_values",
    "latency_percentile",
    "perf_counts",
    "pcseq",
    "perf_counts_sort",
)
AXIS_ORDER = ("hint", "nstreams", "nthreads", "infer_precision", "batch", "nireq", "data_shape")
# The tuner's knobs, in the order its tables and files list them.
TUNE_ORDER = ("nstreams", "nireq", "batch", "hint", "infer_precision")
FORM_KNOBS: tuple[Knob, ...] = tuple(KNOB_BY_FIELD[name] for name in FORM_ORDER)
AXIS_KNOBS: tuple[Knob, ...] = tuple(KNOB_BY_FIELD[name] for name in AXIS_ORDER)
TUNE_KNOBS: tuple[Knob, ...] = tuple(KNOB_BY_FIELD[name] for name in TUNE_ORDER)
# Sweep axis name ("streams") -> its knob: the tuner and compare name knobs so too.
KNOB_BY_AXIS: dict[str, Knob] = {
    knob.axis.name: knob for knob in AXIS_KNOBS if knob.axis is not None
}


def axis_name(field: str) -> str:
    """The sweep axis name of the knob of a config field: "nstreams" -> "streams"."""
    axis = KNOB_BY_FIELD[field].axis
    if axis is None:
        raise KeyError(f"{field} is not a sweep axis")
    return axis.name


# Config field -> the flag benchmark_app users know, for a run started without argv.
REPORT_FLAGS: dict[str, str] = {
    name: knob.flag
    for knob in KNOBS
    if knob.field and knob.report
    for name in (knob.field, *knob.also_fields)
}

# Sweep axis name -> the compiled model's property that says what a point ran with.
EFFECTIVE_PROPERTIES: dict[str, str] = {
    knob.axis.name: knob.device_property
    for knob in AXIS_KNOBS
    if knob.axis is not None and knob.device_property
}

# Device property -> the grammar of the knob that sets it, for -load_config files.
PROPERTY_CHECKS: dict[str, Callable[[str], None]] = {
    knob.device_property: knob.check
    for knob in KNOBS
    if knob.device_property and knob.check is not None
}


__all__ = [
    "AXIS_KNOBS",
    "EFFECTIVE_PROPERTIES",
    "FORM_HINTS",
    "FORM_KNOBS",
    "HINT_ALIASES",
    "KNOBS",
    "KNOB_BY_AXIS",
    "KNOB_BY_FIELD",
    "KNOB_BY_KEY",
    "OPTIONS",
    "PROPERTY_CHECKS",
    "REPORT_FLAGS",
    "TUNE_KNOBS",
    "AxisSpec",
    "FormSpec",
    "Knob",
    "axis_name",
    "float_value",
    "history_file",
    "int_value",
    "nonneg_int",
    "positive_int",
    "str2bool",
    "time_value",
]
