"""-d and the per-device values of -nstreams / -infer_precision."""

from __future__ import annotations

from ovbench_tui.errors import UsageError

VIRTUAL_DEVICES: tuple[str, ...] = ("MULTI", "HETERO", "AUTO")


def is_virtual_device(name: str) -> bool:
    return name in VIRTUAL_DEVICES


def parse_devices(device: str) -> list[str]:
    """-d: `CPU` → [CPU]; `AUTO:GPU,-CPU` → [AUTO, GPU, CPU] (exclusion dash dropped)."""
    option = "-d"
    text = device.strip()
    head, colon, rest = text.partition(":")
    head = head.strip()
    if not head:
        raise UsageError(
            f"{option}: no device in '{device}'; write e.g. -d CPU, -d GPU.1 or -d AUTO:GPU,CPU"
        )
    devices = [head]
    if colon:
        for raw in rest.split(","):
            item = raw.strip()
            if item.startswith("-"):
                item = item[1:].strip()
            if not item:
                raise UsageError(
                    f"{option}: empty device name in '{device}'; list devices after "
                    f"'{head}:' separated by single commas, e.g. {head}:GPU,CPU"
                )
            devices.append(item)
    return devices


def parse_value_per_device(devices: list[str], text: str, option: str) -> dict[str, str]:
    """-nstreams / -infer_precision: `value` for every device or `dev:value,dev2:value`.

    Items apply left to right, so `2,GPU:4` gives GPU 4 and every other device 2.
    """
    result: dict[str, str] = {}
    if not text or not text.strip():
        return result
    target = " ".join(devices)
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        parts = [part.strip() for part in item.split(":")]
        if len(parts) > 2 or not all(parts):
            raise UsageError(
                f"{option}: can't parse '{item}'; write <value> for all devices or "
                f"<device>:<value>,<device2>:<value> per device"
            )
        if len(parts) == 1:
            for name in devices:
                result[name] = item
            continue
        name, value = parts
        if name not in devices:
            raise UsageError(
                f"{option}: device '{name}' is not in the target devices list '{target}'; "
                f"name one of them (e.g. {devices[0] if devices else 'CPU'}:{value}) "
                "or give a bare value for all"
            )
        result[name] = value
    return result
