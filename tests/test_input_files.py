"""-i: the mapping grammar, and the tensors images, .bin and .npy files become."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import openvino as ov
import pytest

from ovbench_tui.engine.inputdata import map_input_files
from ovbench_tui.engine.inputs import InputData, prepare_input_data
from ovbench_tui.engine.model_io import InputInfo
from ovbench_tui.errors import UsageError


def make(
    name: str,
    shape: str | list[int],
    element: ov.Type = ov.Type.f32,
    layout: str = "",
    node: str | None = None,
    data_shapes: tuple[list[int], ...] = (),
) -> InputInfo:
    return InputInfo(
        name,
        node or name,
        element,
        ov.PartialShape(shape),
        ov.Layout(layout),
        [ov.Shape(s) for s in data_shapes],
    )


class Logs:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.infos: list[str] = []

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def info(self, text: str) -> None:
        self.infos.append(text)


def prepare(
    infos: list[InputInfo], paths: list[str], logs: Logs | None = None, **kwargs: int
) -> InputData:
    logs = logs or Logs()
    return prepare_input_data(infos, paths, warn=logs.warn, info=logs.info, **kwargs)


def usage_error(infos: list[InputInfo], paths: list[str]) -> str:
    with pytest.raises(UsageError) as caught:
        prepare(infos, paths)
    message = str(caught.value)
    assert "\n" not in message
    return message


def image(
    folder: Path, name: str, height: int, width: int, seed: int = 0
) -> tuple[str, np.ndarray]:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    path = folder / name
    assert cv2.imwrite(str(path), pixels)
    return str(path), pixels


def raw(folder: Path, name: str, values: np.ndarray) -> str:
    path = folder / name
    values.tofile(path)
    return str(path)


def npy(folder: Path, name: str, values: np.ndarray) -> str:
    path = folder / name
    np.save(path, values)
    return str(path)


def data(tensor: ov.Tensor) -> np.ndarray:
    return np.array(tensor.data)


# -- mapping --------------------------------------------------------------------------


def test_several_files_in_one_option_all_feed_the_single_input(tmp_path: Path) -> None:
    files = [raw(tmp_path, f"{n}.bin", np.zeros(4, np.float32)) for n in ("b", "a")]
    mapped = map_input_files([make("x", [1, 4])], files, warn=Logs().warn)
    assert mapped == [sorted(files)]


def test_one_path_per_input_is_dealt_in_model_order(tmp_path: Path) -> None:
    # benchmark_app gives both files to the first input (B14).
    a = raw(tmp_path, "z_first.bin", np.zeros(4, np.float32))
    b = raw(tmp_path, "a_second.bin", np.zeros(4, np.int32))
    logs = Logs()
    mapped = map_input_files([make("a", [1, 4]), make("b", [1, 4])], [a, b], warn=logs.warn)
    assert mapped == [[a], [b]]
    assert logs.warnings == [
        "Model has 2 inputs. It's recommended to use name mapping to specify parameters for "
        "each input."
    ]


def test_a_single_folder_is_dealt_file_by_file_and_truncated(tmp_path: Path) -> None:
    for n in range(5):
        raw(tmp_path, f"{n}.bin", np.zeros(4, np.float32))
    logs = Logs()
    mapped = map_input_files(
        [make("a", [1, 4]), make("b", [1, 4])], [str(tmp_path)], warn=logs.warn
    )
    assert [[Path(p).name for p in files] for files in mapped] == [
        ["0.bin", "2.bin"],
        ["1.bin", "3.bin"],
    ]
    assert any("Only 4 files fill be used" in w for w in logs.warnings)


def test_named_mapping_accepts_dots_one_letter_node_names_and_continuations(
    tmp_path: Path,
) -> None:
    infos = [
        make("h1.1", [1, 4]),
        make("x", [1, 4]),
        make("input_ids:0", [1, 4], node="ids_node"),
        make("serving-default/y", [1, 4]),
    ]
    f = [raw(tmp_path, f"f{n}.bin", np.zeros(4, np.float32)) for n in range(6)]
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "sub").mkdir()
    inside = [raw(folder, name, np.zeros(4, np.float32)) for name in ("b.bin", "a.bin")]
    tokens = [
        f"h1.1:{f[0]},{folder}",
        f"x:{f[1]}",
        f[2],
        f"ids_node:{f[3]}",
        f"serving-default/y:{f[4]}",
    ]
    mapped = map_input_files(infos, tokens, warn=Logs().warn)
    assert mapped == [sorted([f[0], *inside]), [f[1], f[2]], [f[3]], [f[4]]]


def test_tensor_name_with_colon_zero_and_windows_drive_letters(tmp_path: Path) -> None:
    f = raw(tmp_path, "ids.bin", np.zeros(4, np.int32))
    infos = [make("input:0", [1, 4], ov.Type.i32)]
    assert map_input_files(infos, [f"input:0:{f}"], warn=Logs().warn) == [[f]]
    # A drive letter is a path, not an unknown input name.
    message = usage_error([make("data", [1, 4])], ["C:\\images\\cat.png"])
    assert "does not exist" in message


def test_unknown_input_name_lists_the_inputs() -> None:
    message = usage_error([make("a", [1, 4]), make("b", [1, 4])], ["c:/tmp/x.bin"])
    assert "does not exist" in message  # one letter + '/' is a drive
    message = usage_error([make("a", [1, 4]), make("b", [1, 4])], ["nope:x.bin"])
    assert "no input named 'nope'" in message and "a, b" in message


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["missing.bin"], "missing.bin does not exist"),
        (["a:missing.bin"], "given for input 'a'"),
        (["a:"], "gives no file for input 'a'"),
    ],
)
def test_path_errors(tokens: list[str], expected: str) -> None:
    assert expected in usage_error([make("a", [1, 4])], tokens)


def test_folder_without_usable_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    assert "holds no usable file" in usage_error([make("a", [1, 4])], [str(tmp_path)])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "holds no usable file" in usage_error([make("a", [1, 4])], [str(empty)])


def test_unsupported_files_warn_and_error_only_when_nothing_is_left(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("x")
    good = raw(tmp_path, "good.bin", np.arange(4, dtype=np.float32))
    logs = Logs()
    result = prepare([make("a", [1, 4])], [str(text), good], logs)
    assert data(result.tensors[0][0]).tolist() == [[0, 1, 2, 3]]
    assert logs.warnings[0].startswith(
        f"This files has unsupported extensions and will be ignored: ['{text}'].\n"
        "Supported extentions:\nImages: ['.bmp',"
    )
    message = usage_error([make("a", [1, 4])], [f"a:{text}"])
    assert "none of the files given for input 'a' is usable" in message


def test_an_image_for_an_input_without_h_and_w_is_an_error(tmp_path: Path) -> None:
    path, _ = image(tmp_path, "cat.png", 4, 4)
    message = usage_error([make("ids", [1, 4], ov.Type.i32)], [path])
    assert "is an image, but input 'ids'" in message and "-layout ids[NCHW]" in message


def test_paths_without_a_name_need_an_unnamed_input(tmp_path: Path) -> None:
    f = raw(tmp_path, "a.bin", np.zeros(4, np.float32))
    message = usage_error([make("a", [1, 4])], [f, f"a:{f}"])
    assert "every input already has files by name" in message


# -- images ---------------------------------------------------------------------------


def test_nchw_non_square_image_keeps_its_size_and_is_transposed(tmp_path: Path) -> None:
    path, pixels = image(tmp_path, "wide.png", 20, 40)
    logs = Logs()
    result = prepare([make("data", [1, 3, 20, 40], layout="NCHW")], [path], logs)
    # B6: benchmark_app "resizes" a correctly sized non-square image.
    assert not any("resized" in w for w in logs.warnings)
    assert logs.infos == [f"Prepare image {path}"]
    got = data(result.tensors[0][0])
    assert got.dtype == np.float32 and got.shape == (1, 3, 20, 40)
    np.testing.assert_array_equal(got[0], pixels.transpose(2, 0, 1).astype(np.float32))


def test_transposed_image_is_resized_height_to_height(tmp_path: Path) -> None:
    path, pixels = image(tmp_path, "tall.png", 40, 20)
    logs = Logs()
    result = prepare([make("data", [1, 20, 40, 3], ov.Type.u8, "NHWC")], [path], logs)
    assert logs.warnings == ["Image is resized from ((40, 20)) to ((20, 40))"]
    np.testing.assert_array_equal(data(result.tensors[0][0])[0], cv2.resize(pixels, (40, 20)))


def test_batch_slots_take_successive_images_and_cycle(tmp_path: Path) -> None:
    images = [image(tmp_path, f"{n}.png", 6, 5, seed=n) for n in range(4)]
    result = prepare([make("data", [2, 6, 5, 3], ov.Type.u8, "NHWC")], [str(tmp_path)])
    assert len(result.tensors[0]) == 2
    for ticket, (first, second) in enumerate([(0, 1), (2, 3), (0, 1)]):
        got = data(result.input_set(ticket)[0])
        np.testing.assert_array_equal(got[0], images[first][1])
        np.testing.assert_array_equal(got[1], images[second][1])


def test_too_few_images_are_duplicated_with_benchmark_app_warning(tmp_path: Path) -> None:
    images = [image(tmp_path, f"{n}.png", 3, 3, seed=n)[1] for n in range(2)]
    logs = Logs()
    result = prepare([make("data", [4, 3, 3, 3], ov.Type.u8, "NHWC")], [str(tmp_path)], logs)
    assert logs.warnings == [
        "Some images will be dublicated: 4 is required, but only 2 were provided."
    ]
    got = data(result.tensors[0][0])
    for slot, source in enumerate([0, 1, 0, 1]):
        np.testing.assert_array_equal(got[slot], images[source])


def test_files_cycle_over_tickets_one_per_inference(tmp_path: Path) -> None:
    values = [raw(tmp_path, f"{n}.bin", np.full(4, n, np.float32)) for n in range(3)]
    result = prepare([make("a", [1, 4], layout="NC")], values)
    assert [float(data(result.input_set(t)[0])[0, 0]) for t in range(7)] == [0, 1, 2, 0, 1, 2, 0]
    assert result.set_count == 3


@pytest.mark.parametrize("layout", ["NCHW", "NHWC", "CHW", "HWC"])
def test_layouts_and_grayscale(tmp_path: Path, layout: str) -> None:
    path, pixels = image(tmp_path, "g.png", 4, 6)
    gray = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY)
    dims = {"N": 1, "C": 1, "H": 4, "W": 6}
    result = prepare([make("g", [dims[c] for c in layout], ov.Type.u8, layout)], [path])
    got = data(result.tensors[0][0]).reshape(4, 6)
    np.testing.assert_array_equal(got, gray)


def test_images_for_a_dynamic_input_keep_their_own_shapes(tmp_path: Path) -> None:
    image(tmp_path, "a.png", 5, 7)
    _, big = image(tmp_path, "b.png", 8, 4, seed=1)
    logs = Logs()
    result = prepare([make("data", "[?,3,?,?]", ov.Type.u8, "NCHW")], [str(tmp_path)], logs)
    assert [list(s) for s in result.data_shapes[0]] == [[1, 3, 5, 7], [1, 3, 8, 4]]
    assert [g.label for g in result.groups] == [" data: [1,3,5,7]", " data: [1,3,8,4]"]
    np.testing.assert_array_equal(data(result.tensors[0][1])[0], big.transpose(2, 0, 1))
    assert "Images given for input 'data' will be processed with original shapes." in logs.infos
    assert "Image will be processed with original shape - (5, 7)" in logs.infos


def test_dynamic_input_images_of_one_size_make_one_group(tmp_path: Path) -> None:
    for n in range(3):
        image(tmp_path, f"{n}.png", 5, 7, seed=n)
    result = prepare([make("data", "[?,5,7,3]", ov.Type.u8, "NHWC")], [str(tmp_path)])
    assert len(result.groups) == 1 and len(result.tensors[0]) == 3


def test_image_too_small_for_a_bounded_dynamic_input(tmp_path: Path) -> None:
    path, _ = image(tmp_path, "a.png", 5, 7)
    message = usage_error([make("data", "[1,3,100..200,?]", ov.Type.u8, "NCHW")], [path])
    assert "is 5x7 (HxW)" in message and "-data_shape data[1,3,100,224]" in message


def test_images_are_resized_to_each_data_shape(tmp_path: Path) -> None:
    path, pixels = image(tmp_path, "a.png", 5, 7)
    info = make("data", "[?,3,?,?]", ov.Type.f32, "NCHW", data_shapes=([1, 3, 4, 4], [2, 3, 2, 6]))
    logs = Logs()
    result = prepare([info], [path], logs)
    assert (
        "Some images will be dublicated: 3 is required, but only 1 were provided." in logs.warnings
    )
    assert [list(t.shape) for t in result.tensors[0]] == [[1, 3, 4, 4], [2, 3, 2, 6]]
    expected = cv2.resize(pixels, (6, 2)).transpose(2, 0, 1).astype(np.float32)
    np.testing.assert_array_equal(data(result.tensors[0][1])[1], expected)


def test_unreadable_image_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    message = usage_error([make("data", [1, 3, 4, 4], layout="NCHW")], [str(bad)])
    assert "cannot be read as an image" in message


def test_image_for_a_four_channel_input_is_an_error(tmp_path: Path) -> None:
    path, _ = image(tmp_path, "a.png", 4, 4)
    message = usage_error([make("data", [1, 4, 4, 4], layout="NCHW")], [path])
    assert "has 4 channels" in message


# -- .bin -----------------------------------------------------------------------------


def test_bin_records_fill_successive_batch_slots(tmp_path: Path) -> None:
    # B5: benchmark_app put one scalar of the file in each slot.
    files = [raw(tmp_path, f"{n}.bin", np.arange(3, dtype=np.float32) + 10 * n) for n in range(2)]
    result = prepare([make("x", [2, 3], layout="NC")], files)
    assert data(result.tensors[0][0]).tolist() == [[0, 1, 2], [10, 11, 12]]


def test_bin_holding_the_whole_tensor(tmp_path: Path) -> None:
    values = np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2)
    f = raw(tmp_path, "whole.bin", values)
    result = prepare([make("x", [2, 3, 2, 2], layout="NCHW")], [f])
    np.testing.assert_array_equal(data(result.tensors[0][0]), values)


def test_bin_of_the_wrong_size_says_what_is_expected(tmp_path: Path) -> None:
    f = raw(tmp_path, "short.bin", np.zeros(5, np.float32))
    message = usage_error([make("x", [2, 3], layout="NC")], [f])
    assert "holds 20 bytes" in message
    assert "'x' (f32 [2,3]) needs 24 bytes for the whole tensor or 12 bytes" in message


def test_bin_for_token_ids_scalars_and_packed_types(tmp_path: Path) -> None:
    ids = raw(tmp_path, "ids.bin", np.array([[5, 6, 7]], np.int64))
    scalar = raw(tmp_path, "s.bin", np.array(2.5, np.float32))
    packed = raw(tmp_path, "u4.bin", np.array([0x21, 0x43], np.uint8))
    infos = [make("ids", [1, 3], ov.Type.i64), make("s", []), make("q", [4], ov.Type.u4)]
    result = prepare(infos, [f"ids:{ids}", f"s:{scalar}", f"q:{packed}"])
    assert data(result.tensors[0][0]).tolist() == [[5, 6, 7]]
    assert float(data(result.tensors[1][0])) == 2.5
    assert data(result.tensors[2][0]).tolist() == [0x21, 0x43]


def test_bin_for_a_dynamic_input_needs_a_data_shape(tmp_path: Path) -> None:
    f = raw(tmp_path, "a.bin", np.zeros(4, np.float32))
    message = usage_error([make("x", "[?,4]", layout="NC")], [f])
    assert ".bin files carry no shape" in message and "-data_shape x[1,4]" in message


# -- .npy -----------------------------------------------------------------------------


def test_npy_samples_fill_slots_and_full_arrays_fill_the_tensor(tmp_path: Path) -> None:
    sample_dir = tmp_path / "samples"
    sample_dir.mkdir()
    npy(sample_dir, "0.npy", np.array([1, 2, 3], np.int32))
    npy(sample_dir, "1.npy", np.array([[4, 5, 6]], np.int32))  # with its batch axis
    info = make("ids", [2, 3], ov.Type.i64, "NC")  # i32 -> i64 is a safe cast
    result = prepare([info], [str(sample_dir)])
    assert data(result.tensors[0][0]).tolist() == [[1, 2, 3], [4, 5, 6]]
    whole = npy(tmp_path, "whole.npy", np.arange(6, dtype=np.int64).reshape(2, 3))
    result = prepare([info], [whole])
    assert data(result.tensors[0][0]).tolist() == [[0, 1, 2], [3, 4, 5]]


def test_npy_type_and_shape_errors(tmp_path: Path) -> None:
    f64 = npy(tmp_path, "f64.npy", np.zeros((1, 4)))
    message = usage_error([make("x", [1, 4])], [f64])
    assert "float64 values" in message and "astype(numpy.float32)" in message
    wrong = npy(tmp_path, "wrong.npy", np.zeros((2, 4), np.float32))
    message = usage_error([make("x", [3, 4], layout="NC")], [wrong])
    assert "has shape (2, 4)" in message and "(3, 4) for the whole tensor or (4,)" in message
    fake = tmp_path / "fake.npy"
    fake.write_bytes(b"nope")
    assert "not a readable .npy file" in usage_error([make("x", [1, 4])], [str(fake)])


def test_npy_for_a_dynamic_input_gives_its_shape(tmp_path: Path) -> None:
    a = npy(tmp_path, "a.npy", np.arange(5, dtype=np.int32))  # no batch axis
    logs = Logs()
    result = prepare([make("ids", "[?,?]", ov.Type.i32, "NC")], [a], logs)
    assert [list(s) for s in result.data_shapes[0]] == [[1, 5]]
    assert data(result.tensors[0][0]).tolist() == [[0, 1, 2, 3, 4]]
    assert (
        "Numpy arrays given for input 'ids' will be processed with original shapes." in logs.infos
    )


def test_scalar_npy(tmp_path: Path) -> None:
    s = npy(tmp_path, "s.npy", np.array(7, np.int32))
    result = prepare([make("s", [], ov.Type.i64)], [s])
    assert int(data(result.tensors[0][0])) == 7


def test_whole_batch_and_single_sample_files_do_not_mix(tmp_path: Path) -> None:
    info = make("x", [2, 3], layout="NC")
    whole = npy(tmp_path, "a.npy", np.zeros((2, 3), np.float32))
    sample = npy(tmp_path, "b.npy", np.zeros(3, np.float32))
    assert "give one kind" in usage_error([info], [whole, sample])
    bins = [raw(tmp_path, n, np.zeros(k, np.float32)) for n, k in (("a.bin", 3), ("b.bin", 6))]
    assert "needs 24 bytes for the whole tensor or 12 bytes" in usage_error([info], bins)
