"""-load_config: benchmark_app's device config JSON, read back into device properties."""

from __future__ import annotations

import codecs
import json
from typing import Any

from ..errors import UsageError
from ..knobs import KNOB_BY_FIELD, PROPERTY_CHECKS

HINT_PROPERTY = KNOB_BY_FIELD["hint"].device_property
# A device config is a few hundred bytes; reading /dev/zero must end quickly.
MAX_CONFIG_BYTES = 1024 * 1024


def load_device_config(path: str) -> dict[str, dict[str, Any]]:
    data = _read_json(path)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise UsageError(
            f'-load_config: {path} must hold {{"DEVICE": {{"PROPERTY": "value"}}}} objects'
        )
    result: dict[str, dict[str, Any]] = {}
    for device, section in data.items():
        converted: dict[str, Any] = {}
        for key, value in section.items():
            if value in ("YES", "NO"):
                converted[key] = value == "YES"
            elif key == "DEVICE_PROPERTIES" and isinstance(value, str):
                converted[key] = _parse_device_properties(value, path)
            else:
                converted[key] = value
        if HINT_PROPERTY in converted:
            _check_hint(path, device, converted[HINT_PROPERTY])
        _check_knob_values(path, device, converted)
        result[device] = converted
    return result


def _read_json(path: str) -> Any:
    """The file's JSON: at most MAX_CONFIG_BYTES (a device or a huge file is no
    config), UTF-8 only, each problem one line naming the file."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise UsageError(f"-load_config: cannot read {path}: {error.strerror}") from error
    if len(raw) > MAX_CONFIG_BYTES:
        raise UsageError(
            f"-load_config: {path} is larger than {MAX_CONFIG_BYTES // 1024} KB: "
            "give a device config file as -dump_config writes it"
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise UsageError(
            f"-load_config: {path} is UTF-16/32 text (it starts with a byte order mark): "
            "save it as UTF-8"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"-load_config: {path} is not UTF-8 text (byte {error.start}): save it as UTF-8"
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"-load_config: {path} is not valid JSON (line {error.lineno}: {error.msg})"
        ) from error


def _check_hint(path: str, device: str, value: Any) -> None:
    import openvino.properties.hint as hints

    allowed = [name for name in dir(hints.PerformanceMode) if name.isupper()]
    if isinstance(value, str) and value in allowed:
        return
    raise UsageError(
        f"-load_config: {path}: {HINT_PROPERTY} {value!r} for {device} is not a performance "
        f"hint: use one of {', '.join(allowed)}"
    )


def _check_knob_values(path: str, device: str, properties: dict[str, Any]) -> None:
    """A property a knob sets (NUM_STREAMS, ...) takes what the knob takes, refused
    in the words a run uses for the flag."""
    for key, check in PROPERTY_CHECKS.items():
        value = properties.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            try:
                check(str(value))
            except UsageError as error:
                raise UsageError(f"-load_config: {path}: {key} for {device}: {error}") from None


def _parse_device_properties(text: str, path: str) -> dict[str, Any]:
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise UsageError(
            f"-load_config: DEVICE_PROPERTIES in {path} must look like {{CPU:{{K:V}}}}"
        )
    result: dict[str, Any] = {}
    body = text[1:-1]
    index = 0
    while index < len(body):
        colon = body.index(":", index)
        device = body[index:colon].strip(" ,")
        if body[colon + 1] == "{":
            end = body.index("}", colon)
            pairs = body[colon + 2 : end]
            props: dict[str, Any] = {}
            for pair in filter(None, pairs.split(",")):
                key, _, value = pair.partition(":")
                props[key.strip()] = (
                    value.strip() == "YES" if value.strip() in ("YES", "NO") else value.strip()
                )
            result[device] = props
            index = end + 1
        else:
            end = body.find(",", colon)
            end = len(body) if end < 0 else end
            result[device] = body[colon + 1 : end]
            index = end + 1
    return result
