"""Reading a model's inputs for the form (runs in a worker thread)."""

from __future__ import annotations

import os


def inspect_model(path: str) -> tuple[list[tuple[str, str, str, str]], str | None]:
    """(name, shape, element type, layout) per input, or an error line."""
    from .. import shapes
    from ..demo_models import is_demo_path, resolve_demo_model
    from ..engine.model_file import read_model
    from ..engine.model_io import input_names
    from ..errors import OvbenchError

    try:
        import openvino as ov

        real = str(resolve_demo_model(path)) if is_demo_path(path) else path
        if not is_demo_path(path) and not os.path.exists(path):
            return [], f"model file not found: {path}"
        model = read_model(ov.Core(), real)
    except OvbenchError as error:
        return [], str(error)
    rows = []
    for (name, _node), port in zip(input_names(model), model.inputs, strict=True):
        partial = port.get_partial_shape()
        layout = str(port.get_node().layout)
        kind = "dynamic" if partial.is_dynamic else "static"
        rows.append(
            (
                name,
                f"{shapes.format_partial_shape(partial)} ({kind})",
                port.get_element_type().get_type_name(),
                "" if layout == "[...]" else layout,
            )
        )
    return rows, None


def available_devices() -> list[str]:
    from ..engine.device_config import available_devices as seen

    return seen() or ["CPU"]
