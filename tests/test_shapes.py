"""Option grammars: -shape, -data_shape, -layout, mean/scale, precisions, devices."""

from __future__ import annotations

import openvino as ov
import pytest

from ovbench_tui.errors import UsageError
from ovbench_tui.shapes import (
    PRECISIONS,
    format_partial_shape,
    is_virtual_device,
    parse_data_shapes,
    parse_devices,
    parse_float_values,
    parse_iop,
    parse_layout,
    parse_layout_option,
    parse_mean_scale_option,
    parse_named_values,
    parse_partial_shape,
    parse_precision,
    parse_shape_option,
    parse_value_per_device,
)


def shapes(mapping: dict[str, ov.PartialShape]) -> dict[str, str]:
    return {name: format_partial_shape(ps) for name, ps in mapping.items()}


def data_shapes(mapping: dict[str, list[ov.PartialShape]]) -> dict[str, list[str]]:
    return {name: [format_partial_shape(ps) for ps in lst] for name, lst in mapping.items()}


def layouts(mapping: dict[str, ov.Layout]) -> dict[str, str]:
    return {name: layout.to_string() for name, layout in mapping.items()}


# ---------------------------------------------------------------------------
# name[value] lists
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("   ", {}),
        ("[1,3,224,224]", {"": "1,3,224,224"}),
        ("input1[1,3,224,224],input2[1,4]", {"input1": "1,3,224,224", "input2": "1,4"}),
        ("data[?,3,224,224]", {"data": "?,3,224,224"}),
        # benchmark_app oddities, fixed
        ("a[1,4]b[1,5]", {"a": "1,4", "b": "1,5"}),
        ("a[1,4],,b[3]", {"a": "1,4", "b": "3"}),
        (" a [1], b [2] ,", {"a": "1", "b": "2"}),
        # names with dots, colons, single characters
        ("input.1[1,2]", {"input.1": "1,2"}),
        ("x[3]", {"x": "3"}),
        ("serving_default_x:0[1,4],y[2]", {"serving_default_x:0": "1,4", "y": "2"}),
        # unnamed entry = all inputs: earlier named entries dropped, later ignored
        ("a[1],[2],b[3]", {"": "2"}),
        ("a[1], [2]", {"": "2"}),
        # nested brackets stay in the value
        ("data[[N,C,H,W]]", {"data": "[N,C,H,W]"}),
        ("a[]", {"a": ""}),
    ],
)
def test_parse_named_values(text: str, expected: dict[str, str]) -> None:
    assert parse_named_values(text, "-shape") == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,3,224,224", "can't parse '1,3,224,224'"),
        ("a[1,4", "no closing ']'"),
        ("a[1,4]]", "unexpected ']'"),
        ("a]1[", "unexpected ']'"),
        ("a[1,4],b", "'b' at the end"),
        ("a[1],b,c[2]", "'b,c' is not an input name"),
        ("a[1][2]", "two [values] in a row"),
        ("[1] [2]", "two [values] in a row"),
        ("a[1],a[2]", "given twice"),
    ],
)
def test_parse_named_values_errors(text: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_named_values(text, "-shape")
    message = str(info.value)
    assert message.startswith("-shape: ")
    assert fragment in message
    assert "\n" not in message


def test_missing_brackets_message_suggests_the_fix() -> None:
    with pytest.raises(UsageError) as info:
        parse_shape_option("1,3,224,224", "-shape")
    assert str(info.value) == (
        "-shape: can't parse '1,3,224,224'; write [1,3,224,224] for all inputs "
        "or name[1,3,224,224],name2[1,4] per input"
    )


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,3,224,224", "[1,3,224,224]"),
        (" 1 , 3 , 224 , 224 ", "[1,3,224,224]"),
        ("[1,3,224,224]", "[1,3,224,224]"),
        ("1..10,3,?,-1", "[1..10,3,?,?]"),
        ("1..,..8,2..5", "[1..,..8,2..5]"),
        ("1 .. 4", "[1..4]"),
        ("..", "[?]"),
        ("4..4", "[4]"),
        ("0", "[0]"),
        ("", "[]"),
        ("...", "[...]"),
    ],
)
def test_parse_partial_shape(text: str, expected: str) -> None:
    ps = parse_partial_shape(text, "-shape")
    assert format_partial_shape(ps) == expected
    # Must describe the same shape OpenVINO itself would build.
    assert ps == ov.PartialShape(expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,x", "dimension 'x'"),
        ("1,,2", "empty dimension"),
        ("1,", "empty dimension"),
        ("-2", "dimension '-2'"),
        ("1.5", "dimension '1.5'"),
        ("1 2", "dimension '1 2'"),
        ("1..2..3", "dimension '1..2..3'"),
        ("+3", "dimension '+3'"),
        ("99999999999999999999", "dimension '99999999999999999999'"),
        ("5..2", "write 2..5"),
    ],
)
def test_parse_partial_shape_errors(text: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_partial_shape(text, "-shape", "data")
    message = str(info.value)
    assert message.startswith("-shape: ")
    assert "for input 'data'" in message
    assert fragment in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1,3,224,224]", {"": "[1,3,224,224]"}),
        ("input1[1,3,224,224],input2[1,4]", {"input1": "[1,3,224,224]", "input2": "[1,4]"}),
        ("[1..10,3,?,-1]", {"": "[1..10,3,?,?]"}),
        ("data[?,3,224,224]", {"data": "[?,3,224,224]"}),
        ("a[1,4]b[1,5]", {"a": "[1,4]", "b": "[1,5]"}),
        ("a[1,4],,b[3]", {"a": "[1,4]", "b": "[3]"}),
        ("input.1[1,3,32,32],x[2]", {"input.1": "[1,3,32,32]", "x": "[2]"}),
        ("scalar[]", {"scalar": "[]"}),
    ],
)
def test_parse_shape_option(text: str, expected: dict[str, str]) -> None:
    assert shapes(parse_shape_option(text, "-shape")) == expected


def test_parse_shape_option_garbage_value() -> None:
    with pytest.raises(UsageError, match=r"^-shape: can't parse dimension 'x' in '\[1,x\]'"):
        parse_shape_option("[1,x]", "-shape")


@pytest.mark.parametrize(
    ("dims", "expected"),
    [
        ([1, 3, 32, 32], "[1,3,32,32]"),
        ([-1, 3, -1, -1], "[?,3,?,?]"),
        ([ov.Dimension(1, 4), 3, ov.Dimension(1, -1), ov.Dimension(1, -1)], "[1..4,3,1..,1..]"),
        ([ov.Dimension(0, 8)], "[..8]"),
        ([], "[]"),
    ],
)
def test_format_partial_shape(dims: list[int | ov.Dimension], expected: str) -> None:
    ps = ov.PartialShape([d if isinstance(d, ov.Dimension) else ov.Dimension(d) for d in dims])
    assert format_partial_shape(ps) == expected
    assert format_partial_shape(ps) == str(ps).replace(" ", "")


def test_format_partial_shape_dynamic_rank() -> None:
    assert format_partial_shape(ov.PartialShape.dynamic()) == "[...]"


# ---------------------------------------------------------------------------
# -data_shape
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("", ["a"], {}),
        ("[1,4][1,8]", ["a", "b"], {"a": ["[1,4]"], "b": ["[1,8]"]}),
        ("[1,4]", ["a", "b"], {"a": ["[1,4]"], "b": ["[1,4]"]}),
        (
            "[1,4][1,8][2,4][2,8]",
            ["a", "b"],
            {"a": ["[1,4]", "[2,4]"], "b": ["[1,8]", "[2,8]"]},
        ),
        ("[1,3,16,16][2,3,32,32]", ["data"], {"data": ["[1,3,16,16]", "[2,3,32,32]"]}),
        ("a[1,4][2,4],b[1,8]", ["a", "b"], {"a": ["[1,4]", "[2,4]"], "b": ["[1,8]"]}),
        ("a[1,4]b[1,8]", ["a", "b"], {"a": ["[1,4]"], "b": ["[1,8]"]}),
        ("a[1,4] [2,4]", ["a"], {"a": ["[1,4]", "[2,4]"]}),
        ("input.1[1,2],x[3]", ["input.1", "x"], {"input.1": ["[1,2]"], "x": ["[3]"]}),
        # first unnamed chunk wins, named entries around it are dropped
        ("a[9],[1,4],b[7]", ["a", "b"], {"a": ["[1,4]"], "b": ["[1,4]"]}),
        # names are not checked against the model here
        ("zzz[1]", ["a"], {"zzz": ["[1]"]}),
    ],
)
def test_parse_data_shapes(text: str, names: list[str], expected: dict[str, list[str]]) -> None:
    assert data_shapes(parse_data_shapes(text, names)) == expected


def test_parse_data_shapes_not_a_multiple() -> None:
    with pytest.raises(UsageError) as info:
        parse_data_shapes("[1,4][1,8][2,4]", ["a", "b"])
    message = str(info.value)
    assert message.startswith("-data_shape: Number of provided data_shapes is not a multiple")
    assert "3 shapes for 2 inputs" in message


@pytest.mark.parametrize(
    ("text", "names", "fragment"),
    [
        ("1,4", ["a"], "can't parse '1,4'"),
        ("[1,x]", ["a"], "dimension 'x'"),
        ("a[1,4", ["a"], "no closing ']'"),
        ("a[1],a[2]", ["a"], "given twice"),
        ("[1,4]", [], "no inputs"),
    ],
)
def test_parse_data_shapes_errors(text: str, names: list[str], fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_data_shapes(text, names)
    assert str(info.value).startswith("-data_shape: ")
    assert fragment in str(info.value)


# ---------------------------------------------------------------------------
# -layout
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NCHW", "[N,C,H,W]"),
        ("nchw", "[N,C,H,W]"),
        ("N...", "[N,...]"),
        ("NC", "[N,C]"),
        ("[N,C,H,W]", "[N,C,H,W]"),
        ("N,C,H,W", "[N,C,H,W]"),
        (" N, C, H, W ", "[N,C,H,W]"),
        ("...", "[...]"),
        ("?C??", "[?,C,?,?]"),
        ("", "[...]"),
    ],
)
def test_parse_layout(text: str, expected: str) -> None:
    assert parse_layout(text, "-layout").to_string() == expected


@pytest.mark.parametrize("text", ["NCHWN", "N-C", "N..", "[N,,C]", "NÇHW", "[]"])
def test_parse_layout_errors(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_layout(text, "-layout", "data")
    message = str(info.value)
    assert message.startswith("-layout: can't parse layout")
    assert "for input 'data'" in message
    assert "\n" not in message


def test_parse_layout_error_gives_openvino_reason() -> None:
    with pytest.raises(UsageError, match=r"defined multiple times"):
        parse_layout("NCHWN", "-layout")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("NCHW", {"": "[N,C,H,W]"}),
        ("N,C,H,W", {"": "[N,C,H,W]"}),
        ("[NCHW]", {"": "[N,C,H,W]"}),
        ("[N,C,H,W]", {"": "[N,C,H,W]"}),
        ("data[NCHW]", {"data": "[N,C,H,W]"}),
        ("data[N,C,H,W]", {"data": "[N,C,H,W]"}),
        ("data[[N,C,H,W]]", {"data": "[N,C,H,W]"}),
        ("data[NCHW],info[NC]", {"data": "[N,C,H,W]", "info": "[N,C]"}),
        ("input.1[NHWC],x[N...]", {"input.1": "[N,H,W,C]", "x": "[N,...]"}),
    ],
)
def test_parse_layout_option(text: str, expected: dict[str, str]) -> None:
    assert layouts(parse_layout_option(text, "-layout")) == expected


def test_parse_layout_option_errors() -> None:
    with pytest.raises(UsageError, match=r"^-layout: .*no closing"):
        parse_layout_option("data[NCHW", "-layout")
    with pytest.raises(UsageError, match=r"^-layout: can't parse layout 'NCXX'"):
        parse_layout_option("NCXX", "-layout")


# ---------------------------------------------------------------------------
# --mean_values / --scale_values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123.675,116.28,103.53", [123.675, 116.28, 103.53]),
        (" 1 , 2.5 , -3 ", [1.0, 2.5, -3.0]),
        ("[0.5]", [0.5]),
        ("1e2,.5,5.", [100.0, 0.5, 5.0]),
    ],
)
def test_parse_float_values(text: str, expected: list[float]) -> None:
    assert parse_float_values(text, "--mean_values") == expected


@pytest.mark.parametrize(
    ("text", "option", "fragment"),
    [
        ("1,x", "--mean_values", "'x'"),
        ("1,,2", "--mean_values", "an empty value"),
        ("nan", "--mean_values", "'nan'"),
        ("inf", "--mean_values", "'inf'"),
        ("1e999", "--mean_values", "'1e999'"),
        ("1_0", "--mean_values", "'1_0'"),
        ("", "--mean_values", "no values"),
        ("1,0,1", "--scale_values", "divide by zero"),
    ],
)
def test_parse_float_values_errors(text: str, option: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_float_values(text, option, "data")
    assert str(info.value).startswith(f"{option}: ")
    assert fragment in str(info.value)


def test_zero_mean_is_fine() -> None:
    assert parse_float_values("0,0,0", "--mean_values") == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("[123.675,116.28,103.53]", {"": [123.675, 116.28, 103.53]}),
        ("data[1,2,3],x[4]", {"data": [1.0, 2.0, 3.0], "x": [4.0]}),
        ("input.1[255]", {"input.1": [255.0]}),
    ],
)
def test_parse_mean_scale_option(text: str, expected: dict[str, list[float]]) -> None:
    assert parse_mean_scale_option(text, "--scale_values") == expected


def test_parse_mean_scale_option_errors() -> None:
    with pytest.raises(UsageError, match=r"^--mean_values: can't parse '1,2,3'; write \[1,2,3\]"):
        parse_mean_scale_option("1,2,3", "--mean_values")
    with pytest.raises(UsageError, match=r"^--mean_values: 'x' in '\[1,x\]' for input 'a'"):
        parse_mean_scale_option("a[1,x]", "--mean_values")


# ---------------------------------------------------------------------------
# Precisions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bool", ov.Type.boolean),
        ("f16", ov.Type.f16),
        ("f32", ov.Type.f32),
        ("F32", ov.Type.f32),
        (" u8 ", ov.Type.u8),
        ("i64", ov.Type.i64),
        ("u64", ov.Type.u64),
    ],
)
def test_parse_precision(text: str, expected: ov.Type) -> None:
    assert parse_precision(text, "-ip") == expected


def test_every_precision_names_its_openvino_type() -> None:
    for name in PRECISIONS:
        assert parse_precision(name, "-op").to_string() == ("boolean" if name == "bool" else name)


@pytest.mark.parametrize("text", ["fp32", "bf16", "", "float"])
def test_parse_precision_errors(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_precision(text, "-ip")
    assert str(info.value).startswith("-ip: unknown precision")
    assert "bool, f16, f32" in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("data:u8", {"data": "u8"}),
        ("data:u8, out:F32", {"data": "u8", "out": "f32"}),
        ("out:0:f32", {"out:0": "f32"}),
        ("a:b:c:i32", {"a:b:c": "i32"}),
        ("input.1:f16,x:u8,", {"input.1": "f16", "x": "u8"}),
        ("in put:f32", {"input": "f32"}),
    ],
)
def test_parse_iop(text: str, expected: dict[str, str]) -> None:
    assert parse_iop(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("data", "'data' is not name:precision"),
        ("data:u8,out", "'out' is not name:precision"),
        (":f32", "':f32' is not name:precision"),
        ("data:", "unknown precision ''"),
        ("data:fp32", "unknown precision 'fp32' for 'data'"),
        ("a:u8,a:f32", "given twice"),
    ],
)
def test_parse_iop_errors(text: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_iop(text)
    assert str(info.value).startswith("-iop: ")
    assert fragment in str(info.value)


# ---------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CPU", ["CPU"]),
        ("GPU.1", ["GPU.1"]),
        ("MULTI:CPU,GPU", ["MULTI", "CPU", "GPU"]),
        ("AUTO:GPU,-CPU", ["AUTO", "GPU", "CPU"]),
        ("HETERO:GPU.0, CPU", ["HETERO", "GPU.0", "CPU"]),
        ("BATCH:GPU(4)", ["BATCH", "GPU(4)"]),
    ],
)
def test_parse_devices(text: str, expected: list[str]) -> None:
    assert parse_devices(text) == expected


@pytest.mark.parametrize("text", ["", "  ", ":CPU", "AUTO:", "MULTI:CPU,,GPU", "AUTO:-"])
def test_parse_devices_errors(text: str) -> None:
    with pytest.raises(UsageError, match=r"^-d: "):
        parse_devices(text)


def test_virtual_devices() -> None:
    assert all(is_virtual_device(name) for name in ("MULTI", "HETERO", "AUTO"))
    assert not is_virtual_device("CPU")
    assert not is_virtual_device("BATCH")
    assert not is_virtual_device("auto")


@pytest.mark.parametrize(
    ("devices", "text", "expected"),
    [
        (["CPU"], "", {}),
        (["CPU"], "4", {"CPU": "4"}),
        (["MULTI", "CPU", "GPU"], "2", {"MULTI": "2", "CPU": "2", "GPU": "2"}),
        (["MULTI", "CPU", "GPU"], "CPU:4,GPU:2", {"CPU": "4", "GPU": "2"}),
        (["CPU", "GPU"], "2,GPU:4", {"CPU": "2", "GPU": "4"}),
        (["CPU", "GPU"], "GPU:4,2", {"CPU": "2", "GPU": "2"}),
        (["CPU"], " CPU : 3 ,", {"CPU": "3"}),
        (["GPU.1"], "GPU.1:f16", {"GPU.1": "f16"}),
    ],
)
def test_parse_value_per_device(devices: list[str], text: str, expected: dict[str, str]) -> None:
    assert parse_value_per_device(devices, text, "-nstreams") == expected


def test_parse_value_per_device_unknown_device() -> None:
    with pytest.raises(UsageError) as info:
        parse_value_per_device(["CPU"], "GPU:2", "-nstreams")
    message = str(info.value)
    assert message.startswith("-nstreams: device 'GPU' is not in the target devices list 'CPU'")
    with pytest.raises(UsageError, match=r"target devices list 'MULTI CPU GPU'"):
        parse_value_per_device(["MULTI", "CPU", "GPU"], "NPU:f16", "-infer_precision")


@pytest.mark.parametrize("text", ["CPU:2:3", "CPU:", ":2"])
def test_parse_value_per_device_bad_items(text: str) -> None:
    with pytest.raises(UsageError, match=r"^-nstreams: can't parse"):
        parse_value_per_device(["CPU"], text, "-nstreams")
