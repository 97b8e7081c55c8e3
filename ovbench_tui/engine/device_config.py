"""Step 3: the properties each device is compiled with, from hint, streams,
threads, pinning, precision and counters (spec section 5).

Fixed against benchmark_app: options count as given whatever spelling was
used (B12), and an unqualified -nstreams/-infer_precision for AUTO or HETERO
goes to the devices behind it instead of vanishing (B13).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import openvino as ov

from .. import shapes
from ..config import HINT_TO_MODE, BenchmarkConfig, check_stream_count
from ..errors import BenchmarkError, UsageError
from ..knobs import KNOB_BY_FIELD
from .model_file import one_line
from .model_io import Warn

DeviceProperties = dict[str, dict[str, Any]]

# The device properties the knobs set, and their flags, as the knob table spells them.
STREAMS = KNOB_BY_FIELD["nstreams"]
PRECISION = KNOB_BY_FIELD["infer_precision"]
HINT_PROPERTY = KNOB_BY_FIELD["hint"].device_property
THREADS_PROPERTY = KNOB_BY_FIELD["nthreads"].device_property
PIN_PROPERTY = KNOB_BY_FIELD["pin"].device_property


@dataclass
class DeviceSetup:
    devices: list[str]  # the virtual device alone, or the physical devices
    hw_devices: list[str]  # devices behind a virtual one (empty otherwise)
    properties: DeviceProperties = field(default_factory=dict)
    streams: dict[str, str] = field(default_factory=dict)  # for the step-10 banner
    perf_counts: bool = False

    def compile_properties(self, target: str) -> dict[str, Any]:
        """The section used to compile: the exact -d key, else the last prefix of it."""
        if target in self.properties:
            return self.properties[target]
        chosen: dict[str, Any] = {}
        for key, value in self.properties.items():
            if target.startswith(key):
                chosen = value
        return chosen


def supported_properties(core: ov.Core, device: str) -> dict[str, str]:
    try:
        return dict(core.get_property(device, "SUPPORTED_PROPERTIES"))
    except RuntimeError as error:
        raise device_error(core, device, error) from error


def device_error(core: ov.Core, device: str, error: BaseException) -> BenchmarkError:
    detail = one_line(error)
    available = ", ".join(available_devices(core)) or "none"
    if "is not registered" in detail:
        return BenchmarkError(
            f"device '{device}' is unknown to OpenVINO: use one of {available} "
            "(or AUTO, MULTI:..., HETERO:...)"
        )
    return BenchmarkError(
        f"device '{device}' cannot be used on this machine ({detail}); "
        f"available devices: {available}"
    )


def available_devices(core: ov.Core | None = None) -> list[str]:
    """The devices OpenVINO sees ([] when it cannot tell); a new Core without one."""
    try:
        return list((core or ov.Core()).available_devices)
    except RuntimeError:
        return []


def check_device(core: ov.Core, device: str) -> dict[str, Any]:
    """The device's plugin versions; one line saying what is wrong when it has none."""
    try:
        versions = core.get_versions(device)
    except RuntimeError as error:
        raise device_error(core, device, error) from error
    if not versions:
        raise device_error(core, device, RuntimeError("is not registered"))
    return dict(versions)


def _add_device_property(
    properties: DeviceProperties, virtual: str, hw: str, key: str, value: Any
) -> None:
    section = properties.setdefault(virtual, {})
    nested = section.setdefault("DEVICE_PROPERTIES", {})
    nested.setdefault(hw, {})[key] = value


def per_device_values(
    option: str, text: str | None, devices: list[str], hw_devices: list[str]
) -> dict[str, str]:
    """-nstreams / -infer_precision per device; unqualified values reach every real device."""
    if not text:
        return {}
    values = shapes.parse_value_per_device(devices + hw_devices, text, option)
    virtual = devices[0]
    if not shapes.is_virtual_device(virtual):
        return values
    # An unqualified value was given to every listed device, the virtual one
    # included; the virtual device itself has no such setting.
    if virtual in values and (not hw_devices or f"{virtual}:" in text):
        raise UsageError(
            f"{option} {text}: {virtual} passes it to a real device, so name one, "
            f"e.g. -d {virtual}:CPU {option} CPU:{values[virtual]}"
        )
    return {dev: value for dev, value in values.items() if dev != virtual}


def build_device_setup(
    core: ov.Core,
    config: BenchmarkConfig,
    loaded: DeviceProperties,
    warn: Warn,
) -> DeviceSetup:
    parsed = shapes.parse_devices(config.device)
    if shapes.is_virtual_device(parsed[0]):
        setup = DeviceSetup(devices=[parsed[0]], hw_devices=[d for d in parsed[1:] if d])
    else:
        setup = DeviceSetup(devices=list(dict.fromkeys(parsed)), hw_devices=[])
    setup.properties = {dev: dict(values) for dev, values in loaded.items()}
    streams = per_device_values(STREAMS.flag, config.nstreams, setup.devices, setup.hw_devices)
    for device, count in streams.items():
        check_stream_count(count, device)  # validate() did; a config built by hand may not
    precisions = per_device_values(
        PRECISION.flag, config.infer_precision, setup.devices, setup.hw_devices
    )
    api = config.resolved_api
    for device in setup.devices:
        supported = supported_properties(core, device)
        section = setup.properties.setdefault(device, {})
        virtual = device in shapes.VIRTUAL_DEVICES
        if HINT_PROPERTY in supported:
            if config.hint_given:
                if config.hint != "none":
                    section[HINT_PROPERTY] = HINT_TO_MODE[config.hint]
            elif HINT_PROPERTY not in section:
                mode = "LATENCY" if api == "sync" else "THROUGHPUT"
                warn(
                    "Performance hint was not explicitly specified in command line or config "
                    f"file. Device({device}) performance hint will be set to "
                    f"PerformanceMode.{mode}."
                )
                section[HINT_PROPERTY] = mode
        else:
            warn(f"Device {device} does not support performance hint property(-hint).")
        if config.nireq:
            section["PERFORMANCE_HINT_NUM_REQUESTS"] = str(config.nireq)
        _set_perf_count(config, device, section, warn)
        if section.get("PERF_COUNT") in (True, "YES", "True"):
            setup.perf_counts = True
        for key, value in (
            (THREADS_PROPERTY, str(config.nthreads) if config.nthreads else None),
            (PIN_PROPERTY, config.pin),
        ):
            if value is None:
                continue
            if key in supported or config.device == "AUTO":
                section[key] = value
            elif virtual and "CPU" in setup.hw_devices:
                _add_device_property(setup.properties, device, "CPU", key, value)
            else:
                raise UsageError(f"device {device} has no {key} setting: drop that option")
        targets = setup.hw_devices if virtual else [device]
        for target in targets:
            if target in streams:
                if virtual:
                    _add_device_property(
                        setup.properties, device, target, STREAMS.device_property, streams[target]
                    )
                elif STREAMS.device_property in supported:
                    section[STREAMS.device_property] = streams[target]
                    setup.streams[target] = streams[target]
                else:
                    raise UsageError(
                        f"device {device} has no stream setting: drop -nstreams for it, "
                        "or write -nstreams <dev1>:<n1>,<dev2>:<n2>"
                    )
            if target in precisions:
                if virtual:
                    _add_device_property(
                        setup.properties,
                        device,
                        target,
                        PRECISION.device_property,
                        precisions[target],
                    )
                elif PRECISION.device_property in supported:
                    section[PRECISION.device_property] = precisions[target]
                else:
                    raise UsageError(
                        f"device {device} has no INFERENCE_PRECISION_HINT: drop -infer_precision "
                        "for it, or write -infer_precision <dev>:<precision>"
                    )
    if config.batch:
        warn("Batch size is set. Auto batching will be disabled")
        setup.compile_properties(config.device)["ALLOW_AUTO_BATCHING"] = False
    return setup


def _set_perf_count(
    config: BenchmarkConfig, device: str, section: dict[str, Any], warn: Warn
) -> None:
    if config.perf_counts is not None:
        section["PERF_COUNT"] = config.perf_counts
    elif section.get("PERF_COUNT") in (True, "YES"):
        section["PERF_COUNT"] = True
        warn(
            f"Performance counters for {device} device is turned on. "
            "To print results use -pc option."
        )
    elif config.report_type in ("average_counters", "detailed_counters"):
        section["PERF_COUNT"] = True
        warn(
            f"Turn on performance counters for {device} device since report type is "
            f"{config.report_type}."
        )
    elif config.exec_graph_path:
        section["PERF_COUNT"] = True
        warn(f"Turn on performance counters for {device} device due to execution graph dumping.")
    elif config.perf_counts_sort:
        section["PERF_COUNT"] = True
        warn(
            f"Turn on performance counters for {device} device since pcsort value is "
            f"{config.perf_counts_sort}."
        )
    else:
        section["PERF_COUNT"] = False


def to_ov_properties(section: dict[str, Any]) -> dict[str, Any]:
    """Values as OpenVINO takes them: hints as enums, nested device sections as strings."""
    import openvino.properties.hint as hints

    result: dict[str, Any] = {}
    for key, value in section.items():
        if key == HINT_PROPERTY and isinstance(value, str):
            result[key] = getattr(hints.PerformanceMode, value)
        elif key == "DEVICE_PROPERTIES" and isinstance(value, dict):
            result[key] = {dev: dict(props) for dev, props in value.items()}
        else:
            result[key] = value
    return result
