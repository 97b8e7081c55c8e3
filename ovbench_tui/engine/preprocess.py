"""Step 6: the precisions of -ip/-op/-iop and the pre-processing of mean/scale
values, and the I/O listing benchmark_app prints around it."""

from __future__ import annotations

import openvino as ov

from .. import shapes
from ..errors import BenchmarkError, UsageError
from .model_file import one_line
from .model_io import InputInfo, Warn, input_names


def configure_io(
    model: ov.Model,
    infos: list[InputInfo],
    *,
    input_precision: str | None,
    output_precision: str | None,
    input_output_precision: str | None,
    warn: Warn,
) -> ov.Model:
    """Step 6: tensor precisions (u8 for image inputs by default), mean/scale, layouts."""
    from openvino.preprocess import PrePostProcessor

    ppp = PrePostProcessor(model)
    names = input_names(model)
    if input_precision:
        element = shapes.parse_precision(input_precision, "-ip")
        for index, info in enumerate(infos):
            ppp.input(index).tensor().set_element_type(element)
            info.element_type = element
    if output_precision:
        element = shapes.parse_precision(output_precision, "-op")
        for index in range(len(model.outputs)):
            ppp.output(index).tensor().set_element_type(element)
    iop = shapes.parse_iop(input_output_precision) if input_output_precision else {}
    iop_inputs: set[int] = set()
    for key, precision in iop.items():
        element = shapes.parse_precision(precision, "-iop")
        port_index = _find_port(key, names)
        if port_index is not None:
            ppp.input(port_index).tensor().set_element_type(element)
            infos[port_index].element_type = element
            iop_inputs.add(port_index)
            continue
        output_index = _find_output(model, key)
        if output_index is None:
            inputs = ", ".join(n for n, _ in names)
            outputs = ", ".join(o.get_any_name() for o in model.outputs if o.get_names())
            raise UsageError(
                f"-iop: the model has no input or output named {key!r} "
                f"(inputs: {inputs}; outputs: {outputs})"
            )
        ppp.output(output_index).tensor().set_element_type(element)
    if not input_precision:
        for index, info in enumerate(infos):
            if index not in iop_inputs and info.is_image:
                ppp.input(index).tensor().set_element_type(ov.Type.u8)
                info.element_type = ov.Type.u8
    warned = False
    for index, info in enumerate(infos):
        if info.mean or info.scale:
            if not warned:
                warn(
                    "Mean/scale values are fused into the model. This slows down performance "
                    "compared to --imean and --iscale which existed before"
                )
                warned = True
            steps = ppp.input(index).preprocess()
            steps.convert_element_type(ov.Type.f32)
            if info.mean:
                steps.mean(info.mean)
            if info.scale:
                steps.scale(info.scale)
        ppp.input(index).model().set_layout(info.layout)
    try:
        return ppp.build()
    except RuntimeError as error:
        raise BenchmarkError(f"pre-processing could not be applied: {one_line(error)}") from error


def _find_port(key: str, names: list[tuple[str, str]]) -> int | None:
    for index, (tensor_name, node_name) in enumerate(names):
        if key in (tensor_name, node_name):
            return index
    return None


def _find_output(model: ov.Model, key: str) -> int | None:
    for index, output in enumerate(model.outputs):
        if key in output.get_names() or key == output.get_node().get_friendly_name():
            return index
    return None


def io_listing(ports_in: list[ov.Output], ports_out: list[ov.Output]) -> list[str]:
    """benchmark_app's 'Model inputs:/Model outputs:' lines."""
    lines = ["Model inputs:"]
    lines += ["    " + _port_line(port, port.get_node()) for port in ports_in]
    lines.append("Model outputs:")
    for port in ports_out:
        node = port.get_node()
        if node.get_type_name() == "Result":
            node = node.input(0).get_source_output().get_node()
        lines.append("    " + _port_line(port, node))
    return lines


def _port_line(port: ov.Output, node: ov.Node) -> str:
    names = " , ".join(port.get_names()) or "***NO_NAME***"
    friendly = node.get_friendly_name() or "***NO_NAME***"
    layout = getattr(port.get_node(), "layout", None)
    layout_text = str(layout) if layout is not None else "[...]"
    element = port.get_element_type().get_type_name()
    return (
        f"{names} (node: {friendly}) : {element} / {layout_text} / "
        f"{shapes.format_partial_shape(port.get_partial_shape())}"
    )
