"""The setup form as plain data: field definitions and the round trip
form values <-> command-line flags <-> BenchmarkConfig.

The form validates by building the same argv the headless CLI would get and
running the same parser, so its messages are the CLI's messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .config import (
    API_CHOICES,
    ARRIVAL_CHOICES,
    HINT_CHOICES,
    PCSORT_CHOICES,
    PIN_CHOICES,
    BenchmarkConfig,
)
from .run_args import build_run_parser, config_from_args

# The form lists each hint once; the short aliases (tput, ctput) stay for the flags
# and a stored run's settings load as the long name.
HINT_ALIASES = {"tput": "throughput", "ctput": "cumulative_throughput"}
FORM_HINTS = tuple(hint for hint in HINT_CHOICES if hint not in HINT_ALIASES)


@dataclass(frozen=True)
class Field:
    key: str  # argparse destination
    flag: str  # the benchmark_app flag it becomes
    label: str
    kind: str = "text"  # text | choice | switch
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    section: str = ""


FIELDS: tuple[Field, ...] = (
    Field(
        "path_to_model", "-m", "Model", placeholder="model.xml / .onnx / demo:cnn", section="Model"
    ),
    Field("target_device", "-d", "Device", placeholder="CPU", section="Device"),
    Field("perf_hint", "-hint", "Hint", "choice", FORM_HINTS, section="Device"),
    Field("api_type", "-api", "API", "choice", API_CHOICES, section="Device"),
    Field(
        "number_infer_requests", "-nireq", "Infer requests", placeholder="auto", section="Device"
    ),
    Field(
        "number_streams",
        "-nstreams",
        "Streams",
        placeholder="auto (needs hint none)",
        section="Device",
    ),
    Field(
        "number_threads",
        "-nthreads",
        "Threads",
        placeholder="auto (needs hint none)",
        section="Device",
    ),
    Field("infer_threads_pinning", "-pin", "Pinning", "choice", PIN_CHOICES, section="Device"),
    Field(
        "infer_precision",
        "-infer_precision",
        "Infer precision",
        placeholder="bf16 / f16 / f32",
        section="Device",
    ),
    Field(
        "time", "-t", "Duration (s)", placeholder="60, or auto (until stable)", section="Run length"
    ),
    Field("number_iterations", "-niter", "Iterations", placeholder="none", section="Run length"),
    Field(
        "inference_only",
        "-inference_only",
        "Inference only",
        "choice",
        ("true", "false"),
        section="Run length",
    ),
    Field("rate", "-rate", "Arrival rate (req/s)", placeholder="closed loop", section="Run length"),
    Field("arrival", "-arrival", "Arrivals", "choice", ARRIVAL_CHOICES, section="Run length"),
    Field("batch_size", "-b", "Batch", placeholder="model's", section="Shapes"),
    Field("shape", "-shape", "Shape", placeholder="[1,3,224,224] or name[...]", section="Shapes"),
    Field(
        "data_shape",
        "-data_shape",
        "Data shape",
        placeholder="name[1,3,224,224][1,3,320,320]",
        section="Shapes",
    ),
    Field("layout", "-layout", "Layout", placeholder="NCHW or name[NHWC]", section="Shapes"),
    Field("paths_to_input", "-i", "Input files", placeholder="random data", section="Data"),
    Field("input_precision", "-ip", "Input precision", placeholder="u8 for images", section="Data"),
    Field("output_precision", "-op", "Output precision", section="Data"),
    Field(
        "input_output_precision",
        "-iop",
        "Per-port precision",
        placeholder="name:f16,out:f32",
        section="Data",
    ),
    Field(
        "mean_values",
        "--mean_values",
        "Mean values",
        placeholder="[123.7,116.3,103.5]",
        section="Data",
    ),
    Field(
        "scale_values",
        "--scale_values",
        "Scale values",
        placeholder="[58.4,57.1,57.4]",
        section="Data",
    ),
    Field(
        "latency_percentile",
        "-latency_percentile",
        "Latency percentile",
        placeholder="50",
        section="Statistics",
    ),
    Field("perf_counts", "-pc", "Layer counters", "switch", section="Statistics"),
    Field("pcseq", "-pcseq", "Per-shape latency", "switch", section="Statistics"),
    Field(
        "perf_counts_sort",
        "-pcsort",
        "Counter sort",
        "choice",
        PCSORT_CHOICES,
        section="Statistics",
    ),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}

FormValues = dict[str, str]  # key -> text ("" = not set; switches "true"/"")


def values_to_argv(values: FormValues, only: Sequence[str] | None = None) -> list[str]:
    argv: list[str] = []
    for field in FIELDS:
        if only is not None and field.key not in only:
            continue
        text = values.get(field.key, "").strip()
        if not text:
            continue
        if field.kind == "switch":
            if text == "true":
                argv.append(field.flag)
        elif field.key == "paths_to_input":
            argv.append(field.flag)
            argv.extend(text.split())
        else:
            argv.extend([field.flag, text])
    return argv


def config_to_values(config: BenchmarkConfig) -> FormValues:
    """The form's text for a config (so going back to the form keeps every knob)."""

    def text(value: object) -> str:
        if value is None or value == "" or value == ():
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, tuple):
            return " ".join(str(v) for v in value)
        return str(value)

    values = {
        "path_to_model": text(config.model),
        "target_device": text(config.device),
        "perf_hint": HINT_ALIASES.get(config.hint, text(config.hint)),
        "api_type": text(config.api),
        "number_infer_requests": text(config.nireq or None),
        "number_streams": text(config.nstreams),
        "number_threads": text(config.nthreads),
        "infer_threads_pinning": text(config.pin),
        "infer_precision": text(config.infer_precision),
        "time": "auto" if config.time_auto else text(config.time_s),
        "number_iterations": text(config.niter),
        "inference_only": text(config.inference_only),
        "batch_size": text(config.batch),
        "shape": text(config.shape),
        "data_shape": text(config.data_shape),
        "layout": text(config.layout),
        "paths_to_input": text(config.inputs),
        "input_precision": text(config.input_precision),
        "output_precision": text(config.output_precision),
        "input_output_precision": text(config.input_output_precision),
        "mean_values": text(config.mean_values),
        "scale_values": text(config.scale_values),
        "latency_percentile": ""
        if config.latency_percentile == 50
        else str(config.latency_percentile),
        "perf_counts": "true" if config.perf_counts else "",
        "pcseq": "true" if config.pcseq else "",
        "perf_counts_sort": text(config.perf_counts_sort),
        "rate": "" if config.rate is None else f"{config.rate:g}",
        "arrival": text(config.arrival),
    }
    return values


def values_to_config(values: FormValues, base: BenchmarkConfig | None = None) -> BenchmarkConfig:
    """Parse and validate the form as the CLI would; raises UsageError with the CLI's message.

    Options the form has no field for (reports, cache dir, ...) come from `base`,
    the config the app was started with.
    """

    argv = values_to_argv(values)
    if not values.get("path_to_model", "").strip():
        from .errors import UsageError

        raise UsageError("Model: give a model file path, or pick a demo model such as demo:cnn")
    args = build_run_parser().parse_args(argv)
    config = config_from_args(args)
    if base is not None:
        config = config.replace(
            report_type=base.report_type,
            report_folder=base.report_folder,
            json_stats=base.json_stats,
            exec_graph_path=base.exec_graph_path,
            dump_config=base.dump_config,
            load_config=base.load_config,
            cache_dir=base.cache_dir,
            load_from_file=base.load_from_file,
            extensions=base.extensions,
            cldnn_config=base.cldnn_config,
            no_warmup=base.no_warmup,
            max_irate=base.max_irate,
            seed=base.seed,
            random_sets=base.random_sets,
            json_out=base.json_out,
            history=base.history,
            no_history=base.no_history,
        )
        if config.time_auto:  # the form has no fields for -t auto's bounds
            config = config.replace(stable_pct=base.stable_pct, t_max_s=base.t_max_s)
    return config.validate()


# Fields whose text has a grammar of its own, checked beyond what argparse sees.
_GRAMMARS = {
    "shape": ("parse_shape_option", "-shape"),
    "layout": ("parse_layout_option", "-layout"),
    "mean_values": ("parse_mean_scale_option", "--mean_values"),
    "scale_values": ("parse_mean_scale_option", "--scale_values"),
}


def validate_field(key: str, values: FormValues) -> str | None:
    """The CLI's message for this field, or None when it is fine.

    The field is checked alone first (its own syntax), then with the whole
    form, reporting cross-field rules (e.g. -nstreams needs -hint none) that
    name this field's flag."""
    from . import shapes
    from .errors import UsageError

    if key == "path_to_model":
        return None
    text = values.get(key, "").strip()
    argv = ["-m", "x", *values_to_argv(values, only=[key])]
    try:
        alone = config_from_args(build_run_parser().parse_args(argv)).replace(hint="none")
        if key == "arrival":  # it needs the rate field: that is checked with the whole form
            alone = alone.replace(rate=1.0)
        alone.validate()
        if text and key in _GRAMMARS:
            function, option = _GRAMMARS[key]
            getattr(shapes, function)(text, option)
        elif text and key == "data_shape":
            shapes.parse_data_shapes(text, ["input"])
        elif text and key == "input_output_precision":
            for precision in shapes.parse_iop(text).values():
                shapes.parse_precision(precision, "-iop")
    except UsageError as error:
        return error.message  # without the CLI's "(see ... -h)"
    except Exception as error:  # the form must never crash on what someone typed
        return f"{FIELD_BY_KEY[key].flag}: {error}"
    flag = FIELD_BY_KEY[key].flag
    try:
        values_to_config({**values, "path_to_model": values.get("path_to_model") or "x"})
    except UsageError as error:
        if flag in error.message:
            return error.message
    return None
