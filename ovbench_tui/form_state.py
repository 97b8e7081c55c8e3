"""The setup form as plain data: field definitions and the round trip
form values <-> command-line flags <-> BenchmarkConfig.

The fields come from the knob table (knobs/). A field is checked alone by its
knob's type and config validation, then the whole form by building the argv the
headless CLI would get and running the same parser: the CLI's messages.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass

from .config import BenchmarkConfig
from .errors import UsageError
from .knobs import FORM_HINTS, FORM_KNOBS, HINT_ALIASES, KNOB_BY_KEY, str2bool
from .run_args import build_run_parser, config_from_args

__all__ = ["FIELDS", "FIELD_BY_KEY", "FORM_HINTS", "HINT_ALIASES", "Field", "FormValues"]


@dataclass(frozen=True)
class Field:
    key: str  # argparse destination
    flag: str  # the benchmark_app flag it becomes
    label: str
    kind: str = "text"  # text | choice | switch
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    section: str = ""
    config_field: str = ""  # the BenchmarkConfig field (the knob's name)


FIELDS: tuple[Field, ...] = tuple(
    Field(
        knob.key,
        knob.flag,
        knob.form.label,
        knob.form.kind,
        knob.form.choices,
        knob.form.placeholder,
        knob.form.section,
        knob.field,
    )
    for knob in FORM_KNOBS
    if knob.form is not None
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

    values = {field.key: text(getattr(config, field.config_field)) for field in FIELDS}
    values.update(
        perf_hint=HINT_ALIASES.get(config.hint, text(config.hint)),
        number_infer_requests=text(config.nireq or None),
        time="auto" if config.time_auto else text(config.time_s),
        latency_percentile=""
        if config.latency_percentile == 50
        else str(config.latency_percentile),
        perf_counts="true" if config.perf_counts else "",
        pcseq="true" if config.pcseq else "",
        rate="" if config.rate is None else f"{config.rate:g}",
    )
    return values


# The fields that hold file paths: a leading ~ is the home folder, as in the shell
# and the file picker (the form's text reaches no shell to expand it).
_PATH_FIELDS = ("path_to_model", "paths_to_input")


def expand_user(path: str) -> str:
    """`~/m.onnx` -> `/home/me/m.onnx`; an -i item `name:~/a.png` keeps its name."""
    name, colon, rest = path.partition(":")
    if colon and rest.startswith("~") and not name.startswith("~") and os.sep not in name:
        return f"{name}:{os.path.expanduser(rest)}"
    return os.path.expanduser(path)


def expand_user_paths(values: FormValues) -> FormValues:
    expanded = dict(values)
    for key in _PATH_FIELDS:
        text = values.get(key, "")
        if "~" in text:
            items = text.split() if key == "paths_to_input" else [text.strip()]
            expanded[key] = " ".join(
                ",".join(expand_user(part) for part in item.split(",")) for item in items
            )
    return expanded


def values_to_config(values: FormValues, base: BenchmarkConfig | None = None) -> BenchmarkConfig:
    """Parse and validate the form as the CLI would; raises UsageError with the CLI's message.

    Options the form has no field for (reports, cache dir, ...) come from `base`,
    the config the app was started with.
    """

    values = expand_user_paths(values)
    argv = values_to_argv(values)
    if not values.get("path_to_model", "").strip():
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


# Fields whose text has a grammar of its own, checked beyond what argparse sees
# (field key -> the shapes function, given the field's flag to name).
_GRAMMARS = {
    "shape": "parse_shape_option",
    "layout": "parse_layout_option",
    "mean_values": "parse_mean_scale_option",
    "scale_values": "parse_mean_scale_option",
}


def validate_field(key: str, values: FormValues) -> str | None:
    """The CLI's message for this field, or None when it is fine.

    The field is checked alone first (its own syntax), then with the whole
    form, reporting cross-field rules (e.g. -nstreams needs -hint none) that
    name this field's flag."""
    from . import shapes

    if key == "path_to_model":
        return None
    text = values.get(key, "").strip()
    try:
        alone = _field_alone(FIELD_BY_KEY[key], text, values)
        if key == "arrival":  # it needs the rate field: that is checked with the whole form
            alone = alone.replace(rate=1.0)
        alone.validate()
        if text and key in _GRAMMARS:
            getattr(shapes, _GRAMMARS[key])(text, FIELD_BY_KEY[key].flag)
        elif text and key == "data_shape":
            shapes.parse_data_shapes(text, ["input"])
        elif text and key == "input_output_precision":
            for precision in shapes.parse_iop(text).values():
                shapes.parse_precision(precision, FIELD_BY_KEY[key].flag)
    except UsageError as error:
        return error.message  # without the CLI's "(see ... -h)"
    except Exception as error:  # the form must never crash on what someone typed
        return f"{FIELD_BY_KEY[key].flag}: {error}"
    knob = KNOB_BY_KEY[key]
    try:
        values_to_config({**values, "path_to_model": values.get("path_to_model") or "x"})
    except UsageError as error:
        if {knob.field, *knob.also_fields} & set(error.fields):
            return error.message
    return None


def _field_alone(field: Field, text: str, values: FormValues) -> BenchmarkConfig:
    """A config holding only this field's value, converted by its knob's type in the
    parser's words, without running the parser (the whole form runs it once)."""
    knob = KNOB_BY_KEY[field.key]
    if knob.choices is not None:  # a wrong choice: argparse's own words
        argv = ["-m", "x", *values_to_argv(values, only=[field.key])]
        return config_from_args(build_run_parser().parse_args(argv)).replace(hint="none")
    config = BenchmarkConfig("x", hint="none")
    if not text or (field.kind == "switch" and text != "true"):
        return config
    value: object = text
    try:
        if field.kind == "switch":
            value = True
        elif knob.optional_bool:
            value = str2bool(text)
        elif knob.type is not None:
            value = knob.type(text)
    except argparse.ArgumentTypeError as error:
        raise UsageError(
            f"argument {'/'.join(knob.flags)}: {error}",
            hint="see ovbench-tui run -h",
            fields=(knob.field,),
        ) from None
    if field.config_field == "time_s" and value == "auto":
        return config.replace(time_auto=True)
    if field.config_field == "inputs":
        value = tuple(text.split())
    return config.replace(**{field.config_field: value})
