"""The knob table drives the run parser, the form, the sweep axes, the report's
command-line section and -load_config's checks; a bad value gets the same words
from each of them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.config_file import load_device_config
from ovbench_tui.errors import UsageError
from ovbench_tui.form_state import FIELDS, validate_field
from ovbench_tui.knobs import (
    KNOB_BY_AXIS,
    KNOB_BY_FIELD,
    KNOBS,
    PROPERTY_CHECKS,
    REPORT_FLAGS,
    Knob,
)
from ovbench_tui.reports.command_line import config_command_line
from ovbench_tui.run_args import build_run_parser, config_from_args, parse_run_args
from ovbench_tui.sweep.grid import AXES, SweepSpec, plan_points
from ovbench_tui.sweep.points import effective_settings
from ovbench_tui.sweep_cli import build_sweep_parser
from ovbench_tui.tune.search import AXIS_NAMES, Setting

CONFIG_FIELDS = {item.name for item in dataclasses.fields(BenchmarkConfig)}


def test_every_knob_names_a_config_field_once() -> None:
    named = [knob.field for knob in KNOBS if knob.field]
    assert len(named) == len(set(named))
    assert set(named) <= CONFIG_FIELDS
    flags = [flag for knob in KNOBS for flag in knob.flags]
    assert len(flags) == len(set(flags))  # a flag belongs to one knob


def test_the_run_parser_is_the_table() -> None:
    parser = build_run_parser()
    options = {
        tuple(action.option_strings): action.dest
        for action in parser._actions
        if action.option_strings != ["-h", "--help"]
    }
    assert options == {knob.flags: knob.key for knob in KNOBS}


@pytest.mark.parametrize("knob", [k for k in KNOBS if k.field], ids=lambda k: k.field)
def test_every_flag_of_a_knob_sets_its_config_field(knob: Knob) -> None:
    samples = {"report_type": "no_counters", "time_s": "7", "hint": "none", "pin": "YES"}
    sample = samples.get(knob.field) or (knob.choices[0] if knob.choices else "3")
    base = ["-m", "m.xml"] if knob.field != "model" else []
    for flag in knob.flags:
        if knob.store_true:
            argv = [*base, flag]
        elif knob.optional_bool:
            argv = [*base, flag, "true"]
        else:
            argv = [*base, flag, sample]
        config = config_from_args(build_run_parser().parse_args(argv))
        assert getattr(config, knob.field) != getattr(BenchmarkConfig("m.xml"), knob.field), flag


def test_every_form_field_is_a_knob() -> None:
    assert FIELDS
    for field in FIELDS:
        knob = KNOB_BY_FIELD[field.config_field]
        assert knob.form is not None
        assert (field.key, field.flag, field.label) == (knob.key, knob.flag, knob.form.label)


def test_every_sweep_axis_is_a_knob() -> None:
    sweep_flags = {
        flag for action in build_sweep_parser()._actions for flag in action.option_strings
    }
    for axis in AXES:
        knob = KNOB_BY_FIELD[axis.field]
        assert knob.axis is not None and knob.axis.name == axis.name
        assert axis.run_flag == knob.flag and axis.flag in sweep_flags


def test_effective_settings_are_the_compiled_values_by_axis_name() -> None:
    properties = {
        "PERFORMANCE_HINT": "PerformanceMode.THROUGHPUT",
        "NUM_STREAMS": "2",
        "INFERENCE_NUM_THREADS": "4",
        "INFERENCE_PRECISION_HINT": "<Type: 'float32'>",
    }
    assert effective_settings(properties, 3, "1") == {
        "hint": "THROUGHPUT",
        "streams": "2",
        "threads": "4",
        "precision": "f32",
        "requests": "3",
        "batch": "1",
    }
    # A virtual device reports each device's value, each made readable.
    per_device = {"CPU.PERFORMANCE_HINT": "PerformanceMode.LATENCY", "GPU.NUM_STREAMS": "4"}
    effective = effective_settings(per_device, 1, "")
    assert (effective["hint"], effective["streams"]) == ("LATENCY", "4")


def test_the_tuner_searches_knobs_of_the_table() -> None:
    setting_fields = {item.name for item in dataclasses.fields(Setting)}
    assert AXIS_NAMES == ("streams", "requests", "batch", "hint", "precision")
    assert set(AXIS_NAMES) <= setting_fields
    assert all(KNOB_BY_AXIS[name].field in CONFIG_FIELDS for name in AXIS_NAMES)


def test_every_report_flag_comes_from_the_table() -> None:
    knob_flags = {flag for knob in KNOBS for flag in knob.flags}
    assert set(REPORT_FLAGS.values()) <= knob_flags
    assert set(REPORT_FLAGS) <= CONFIG_FIELDS
    config = BenchmarkConfig("m.xml", hint="none", nstreams="2", time_auto=True, batch="4")
    pairs = config_command_line(config)
    flags = [("-m", "m.xml"), ("-hint", "none"), ("-nstreams", "2"), ("-b", "4"), ("-t", "auto")]
    assert pairs == flags


def _run_words(value: str) -> str:
    with pytest.raises(UsageError) as caught:
        parse_run_args(["-m", "demo:tiny", "-hint", "none", "-nstreams", value])
    return str(caught.value)


def _form_words(value: str) -> str:
    values = {"path_to_model": "demo:tiny", "perf_hint": "none", "number_streams": value}
    message = validate_field("number_streams", values)
    assert message is not None
    return message


def _sweep_words(value: str) -> str:
    spec = SweepSpec(base=BenchmarkConfig("demo:tiny"), axes={"streams": (value,)})
    with pytest.raises(UsageError) as caught:
        plan_points(spec)
    return str(caught.value)


def _load_config_words(value: str, tmp_path: Path) -> str:
    path = tmp_path / "device.json"
    path.write_text(f'{{"CPU": {{"NUM_STREAMS": "{value}"}}}}')
    with pytest.raises(UsageError) as caught:
        load_device_config(str(path))
    return str(caught.value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("two", "-nstreams 'two' is not a number of streams: use a whole number such as 2"),
        ("0", "-nstreams '0' runs no streams: give whole numbers of streams of 1 or more"),
    ],
)
def test_a_bad_stream_count_gets_the_same_words_everywhere(
    value: str, words: str, tmp_path: Path
) -> None:
    assert words in _run_words(value)
    assert words in _form_words(value)
    assert words in _sweep_words(value)
    assert words in _load_config_words(value, tmp_path)


def test_numa_streams_are_taken_by_run_sweep_and_load_config(tmp_path: Path) -> None:
    config = parse_run_args(["-m", "demo:tiny", "-hint", "none", "-nstreams", "NUMA"])
    assert config is not None and config.nstreams == "NUMA"
    spec = SweepSpec(base=BenchmarkConfig("demo:tiny"), axes={"streams": ("NUMA", "2")})
    assert [plan.config.nstreams for plan in plan_points(spec)] == ["NUMA", "2"]
    path = tmp_path / "device.json"
    path.write_text('{"CPU": {"NUM_STREAMS": "NUMA", "INFERENCE_PRECISION_HINT": "f32"}}')
    assert load_device_config(str(path))["CPU"]["NUM_STREAMS"] == "NUMA"
    assert set(PROPERTY_CHECKS) == {"NUM_STREAMS", "INFERENCE_PRECISION_HINT"}


# -- errors name their fields: the form marks them without reading the words ----------


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"nireq": -1}, ("nireq",)),
        ({"hint": "throughput", "nstreams": "2"}, ("hint", "nstreams", "nthreads", "pin")),
        ({"api": "sync", "nireq": 8, "niter": 4}, ("api", "nireq", "niter")),
        ({"arrival": "poisson"}, ("arrival", "rate")),
        ({"hint": "none", "nstreams": "0"}, ("nstreams",)),
        ({"infer_precision": "CPU:f65"}, ("infer_precision",)),
        ({"stable_pct": 2.0}, ("stable_pct",)),
    ],
    ids=str,
)
def test_a_config_error_names_the_fields_it_is_about(
    changes: dict, fields: tuple[str, ...]
) -> None:
    config = BenchmarkConfig("demo:tiny").replace(**changes)
    with pytest.raises(UsageError) as caught:
        config.validate()
    assert set(caught.value.fields) == set(fields)
    assert set(fields) <= {field.name for field in dataclasses.fields(BenchmarkConfig)}


def test_the_form_marks_each_field_a_cross_field_error_names_and_no_other() -> None:
    values = {
        "path_to_model": "demo:tiny",
        "api_type": "sync",
        "number_infer_requests": "8",
        "number_iterations": "4",
    }
    for key in ("number_infer_requests", "number_iterations"):
        assert "more than -niter 4 in sync mode" in (validate_field(key, values) or "")
    assert validate_field("latency_percentile", values) is None
