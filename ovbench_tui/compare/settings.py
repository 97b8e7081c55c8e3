"""Which settings and environment differ between runs, with what the compiled
models reported they ran with ("... (effective)")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..engine.result import readable_device_values
from .documents import as_dict, as_number
from .model import EFFECTIVE_PROPERTIES, REQUESTS_EFFECTIVE, Difference


def _shown(value: Any, key: str = "") -> str:
    if value is None or value == "":
        return "-"
    if key == "nireq" and value == 0:
        return "0 (auto)"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return ", ".join(f"{key}: {text}" if text else key for key, text in value.items()) or "-"
    return json.dumps(value, sort_keys=True)


def _same_key(value: Any) -> str:
    # "" and None both mean "not given" in a config.
    return "null" if value == "" else json.dumps(value, sort_keys=True, default=str)


def differences(sections: Sequence[dict[str, Any]], keys: Sequence[str]) -> tuple[Difference, ...]:
    differences = []
    for key in keys:
        values = [section.get(key) for section in sections]
        if len({_same_key(value) for value in values}) > 1:
            differences.append(Difference(key, tuple(_shown(value, key) for value in values)))
    return tuple(differences)


def _effective(document: dict[str, Any]) -> dict[str, str]:
    """The settings the compiled model ran with; "" where the document does not say.
    A virtual device (AUTO, MULTI) reports them per device, as `CPU.NUM_STREAMS`."""
    properties = {
        str(key): str(value) for key, value in as_dict(document.get("compiled_properties")).items()
    }
    nireq = as_number(as_dict(document.get("statistics")).get("nireq"))
    values = {REQUESTS_EFFECTIVE: "" if nireq is None else f"{nireq:g}"}
    for label, key in EFFECTIVE_PROPERTIES:
        nested = readable_device_values(properties, key)
        if len(nested) == 1:
            values[label] = next(iter(nested.values()))
        else:
            values[label] = ", ".join(f"{device}: {value}" for device, value in nested.items())
    return values


def effective_differences(documents: Sequence[dict[str, Any]]) -> tuple[Difference, ...]:
    # Only known values are compared: an old document without them differs in nothing.
    effective = [_effective(document) for document in documents]
    differences = []
    for label in [REQUESTS_EFFECTIVE] + [label for label, _ in EFFECTIVE_PROPERTIES]:
        values = [settings[label] for settings in effective]
        if len({value for value in values if value}) > 1:
            differences.append(Difference(label, tuple(value or "-" for value in values)))
    return tuple(differences)
