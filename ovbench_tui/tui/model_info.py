"""Reading a model's inputs for the form (runs in a worker thread)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import openvino as ov


def inspect_model(path: str) -> tuple[list[tuple[str, str, str, str]], str, str | None]:
    """(name, shape, element type, layout) per input, a -data_shape example for its
    dynamic inputs ("" when all are static), or an error line."""
    from .. import shapes
    from ..demo_models import is_demo_path, resolve_demo_model
    from ..engine.model_file import read_model
    from ..engine.model_io import input_names
    from ..errors import OvbenchError
    from ..form_state import expand_user

    path = expand_user(path)  # as the form's config will hold it
    try:
        import openvino as ov

        real = str(resolve_demo_model(path)) if is_demo_path(path) else path
        if not is_demo_path(path) and not os.path.exists(path):
            return [], "", f"model file not found: {path}"
        model = read_model(ov.Core(), real)
    except OvbenchError as error:
        return [], "", str(error)
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
    return rows, data_shape_example(model), None


def data_shape_example(model: ov.Model) -> str:
    """-data_shape for the model's dynamic inputs, each from its own shape: static
    dimensions kept, `?` given batch 1 and a plausible size (the engine's example)."""
    from ..engine.inputdata import example_shape
    from ..engine.model_io import InputInfo, input_names

    examples = []
    for (name, node_name), port in zip(input_names(model), model.inputs, strict=True):
        partial = port.get_partial_shape()
        if partial.is_dynamic:
            info = InputInfo(
                name, node_name, port.get_element_type(), partial, port.get_node().layout
            )
            examples.append(f"{name}{example_shape(info)}")
    return ",".join(examples)


def available_devices() -> list[str]:
    from ..engine.device_config import available_devices as seen

    return seen() or ["CPU"]
