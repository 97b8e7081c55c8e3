"""The machine and software a run happened on, for the result file and the history."""

from __future__ import annotations

import os
import platform
from typing import Any

import numpy as np


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Hardware", "cpu model"):
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def collect_environment(core: Any = None, devices: list[str] | None = None) -> dict[str, Any]:
    """The machine and software a run happened on.

    `core` is an `openvino.Core` (one is created if None); `devices` defaults to
    every available device.  A device that cannot report its name is listed
    with an empty one rather than failing the run.
    """
    import openvino as ov

    from .device_config import available_devices

    if core is None:
        core = ov.Core()
    if devices is None:
        devices = available_devices(core)
    names: dict[str, str] = {}
    for device in devices:
        try:
            names[device] = str(core.get_property(device, "FULL_DEVICE_NAME"))
        except RuntimeError:
            names[device] = ""
    return {
        "openvino_version": ov.get_version(),
        "devices": names,
        "cpu_model": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "platform": platform.platform(),
    }
