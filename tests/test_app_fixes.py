"""Pilot tests of the defects users met at 80x24 over SSH (issue 12)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from replay import fixed_result
from textual.widgets import Input, Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.form_state import config_to_values
from ovbench_tui.text_fit import cut_path
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.setup import SetupScreen
from ovbench_tui.tui.widgets.title_bar import TitleBar

LONG_MODEL = "/home/someone/.cache/ovbench-public-models/some/deep/folder/ppocr_v4_det.onnx"


pytestmark = pytest.mark.usefixtures("data_dir")


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_results_without_latency_do_not_crash(
    make_app: Callable[..., OvbenchApp],
) -> None:
    # MULTI runs and stored runs with latency_ms null hide the latency block.
    result = dataclasses.replace(fixed_result(), hide_latency=True, pcseq=False)
    config = BenchmarkConfig(model="demo:cnn", device="MULTI:CPU")
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ResultsScreen(result, config))
        await pilot.pause()
        summary = text_of(app.screen.query_one("#summary", Static))
        assert "Throughput:" in summary and "Latency:" not in summary


def test_cut_path_keeps_the_file_name() -> None:
    assert cut_path(LONG_MODEL, 200) == LONG_MODEL
    cut = cut_path(LONG_MODEL, 40)
    assert len(cut) == 40 and cut.endswith("/ppocr_v4_det.onnx") and cut.startswith("/home")
    assert cut_path(LONG_MODEL, 10) == "…det.onnx"[-10:] or len(cut_path(LONG_MODEL, 10)) == 10


@pytest.mark.parametrize("width", [80, 120])
async def test_title_shows_the_model_file_at_any_width(
    make_app: Callable[..., OvbenchApp], width: int
) -> None:
    config = BenchmarkConfig(model=LONG_MODEL + "x" * 0, niter=10)
    app = make_app(config)
    async with app.run_test(size=(width, 24)) as pilot:
        await app.push_screen(ResultsScreen(fixed_result(), config, run_id=22))
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert bar.size.height == 1
        line = bar.render_line(0).text.rstrip()
        assert "ppocr_v4_det.onnx on CPU" in line, line
        assert "run 22 from the history" in line
        assert len(line) <= width


@pytest.mark.parametrize(
    ("key", "text", "words"),
    [
        ("infer_precision", "5", "is not an element type"),
        ("infer_precision", "b", "is not an element type"),
        ("number_streams", "abc", "is not a number of streams"),
        ("batch_size", "abc", "is not a batch size"),
    ],
)
async def test_every_field_is_checked_on_leaving_it(
    make_app: Callable[..., OvbenchApp], key: str, text: str, words: str
) -> None:
    config = BenchmarkConfig(model="demo:tiny", hint="none", niter=4)
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        field = app.screen.query_one(f"#field-{key}", Input)
        field.focus()
        await pilot.pause()
        await pilot.press(*text)
        await pilot.press("tab")
        await pilot.pause()
        error = app.screen.query_one(f"#error-{key}", Static)
        assert not error.has_class("hidden") and words in text_of(error)
        await pilot.press("ctrl+r")  # refused before any compile, with the same words
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert words in text_of(app.screen.query_one("#error-panel", Static))


def test_sweep_refuses_what_the_run_refuses_with_the_same_words() -> None:
    from ovbench_tui.errors import UsageError
    from ovbench_tui.sweep.grid import AXIS_BY_NAME, check_axis_values

    for axis, value, words in (
        ("streams", "abc", "is not a number of streams"),
        ("precision", "5", "is not an element type"),
    ):
        with pytest.raises(UsageError, match=words):
            check_axis_values(AXIS_BY_NAME[axis], (value,))
        field = {"streams": "nstreams", "precision": "infer_precision"}[axis]
        with pytest.raises(UsageError, match=words):
            BenchmarkConfig(model="x", hint="none", **{field: value}).validate()


def test_the_hint_list_names_each_hint_once() -> None:
    from ovbench_tui.form_state import FIELD_BY_KEY

    hints = FIELD_BY_KEY["perf_hint"].choices
    assert "throughput" in hints and "tput" not in hints and "ctput" not in hints
    assert config_to_values(BenchmarkConfig(model="x", hint="tput"))["perf_hint"] == "throughput"


# -- the file picker ----------------------------------------------------------------------


@pytest.fixture()
def model_folder(tmp_path: Path) -> Path:
    (tmp_path / ".cache" / "models").mkdir(parents=True)
    (tmp_path / ".cache" / "models" / "hidden.onnx").write_bytes(b"")
    (tmp_path / "proj").mkdir()
    for name in ("ppocr_mobile_v2_cls.onnx", "ppocr_v4_det.onnx", "notes.txt"):
        (tmp_path / "proj" / name).write_bytes(b"")
    return tmp_path


async def test_path_completion_stops_where_files_differ(model_folder: Path) -> None:
    from ovbench_tui.tui.widgets.path_suggester import ModelPathSuggester

    suggester = ModelPathSuggester([])
    typed = str(model_folder / "proj" / "pp")
    assert await suggester.get_suggestion(typed) == str(model_folder / "proj" / "ppocr_")
    only = str(model_folder / "proj" / "ppocr_v")
    assert await suggester.get_suggestion(only) == str(model_folder / "proj" / "ppocr_v4_det.onnx")
    assert (
        await suggester.get_suggestion(str(model_folder) + "/.c")
        == str(model_folder / ".cache") + "/"
    )


async def test_file_picker_starts_in_the_models_folder_shows_hidden_and_takes_a_path(
    make_app: Callable[..., OvbenchApp],
    model_folder: Path,
) -> None:
    from ovbench_tui.tui.screens.file_picker import FilePicker, ModelTree

    model = str(model_folder / "proj" / "ppocr_v4_det.onnx")
    app = make_app(BenchmarkConfig(model=model))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FilePicker)
        tree = picker.query_one(ModelTree)
        assert Path(tree.path) == model_folder / "proj"
        await pilot.press("backspace")
        await pilot.pause(0.3)
        names = [str(node.label) for node in tree.root.children]
        assert ".cache" not in names
        await pilot.press("full_stop")
        await pilot.pause(0.3)
        names = [str(node.label) for node in tree.root.children]
        assert ".cache" in names
        # Typed from the tree: its first / starts the path (trial 4: ~ typed nothing).
        await pilot.press(*str(model_folder / ".cache" / "models" / "hidden.onnx"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.read_values()["path_to_model"] == str(
            model_folder / ".cache" / "models" / "hidden.onnx"
        )


async def test_sweep_screen_overrides_the_forms_streams_and_requests(
    make_app: Callable[..., OvbenchApp],
) -> None:
    from ovbench_tui.tui.screens.sweep import SweepScreen

    config = BenchmarkConfig(model="demo:tiny", hint="none", nstreams="2", nireq=4)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = SweepScreen(config, {"axis-streams": "1 2", "axis-requests": "1 2"})
        await app.push_screen(screen)
        await pilot.pause()
        spec = screen.read_spec()  # the CLI refuses -nstreams with --streams; the form is a start
        assert spec.base.nstreams is None and spec.base.nireq == 0
        assert "-nstreams 2" in screen.overridden and "-nireq 4" in screen.overridden


async def test_a_new_model_clears_what_it_cannot_use_and_says_so(
    make_app: Callable[..., OvbenchApp], tmp_path: Path
) -> None:
    from model_builders import save, static_conv

    static = save(static_conv(), tmp_path, "static")
    config = BenchmarkConfig(
        model="demo:dynamic",
        data_shape="[1,3,64,64][2,3,96,96]",
        pcseq=True,
        perf_counts=True,
        layout="data[NCHW]",
    )
    app = make_app(config, demo_keys=frozenset({"perf_counts"}))
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        for _ in range(100):  # the first model read sets what "changed" means
            if screen._last_model is not None:
                break
            await pilot.pause(0.1)
        app.notify = lambda message, **_: notes.append(message)  # type: ignore[method-assign]
        screen.query_one("#field-path_to_model", Input).value = static
        screen._inspect(static)
        for _ in range(100):
            if notes:
                break
            await pilot.pause(0.1)
        values = screen.read_values()
        assert values["data_shape"] == "" and values["pcseq"] == "" and values["perf_counts"] == ""
        assert "Data shape (the model is static)" in notes[0]
        assert "Layer counters (set by --demo)" in notes[0]
        assert screen.demo_keys == frozenset()


def test_demo_reports_what_it_filled_in() -> None:
    from ovbench_tui.tui.app_main import apply_demo_defaults, build_app_parser

    args = build_app_parser().parse_args(["--demo", "-m", "demo:dynamic"])
    assert apply_demo_defaults(args) == {"perf_counts", "data_shape", "pcseq"}
    args = build_app_parser().parse_args(["--demo", "-pc"])
    assert apply_demo_defaults(args) == frozenset()


@pytest.mark.parametrize("width", [80, 120])
async def test_compare_header_keeps_label_date_and_file_name(
    make_app: Callable[..., OvbenchApp], width: int
) -> None:
    from test_compare import make_document

    documents = [make_document(), make_document(seed=1)]
    for document in documents:
        document["config"]["model"] = LONG_MODEL
    app = make_app(BenchmarkConfig(model="demo:tiny"))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        app.open_compare(documents, ["run 12", "run 15"])
        await pilot.pause(0.5)
        lines = text_of(app.screen.query_one("#cmp-runs", Static)).splitlines()
        assert lines[0].startswith("A (baseline) run 12: 2026-11-28 12:00, ")
        assert lines[1].startswith("B run 15: 2026-11-28 12:00, ")
        assert all(line.endswith("ppocr_v4_det.onnx") for line in lines)
        assert all(len(line) <= width - 2 for line in lines)


def test_images_fill_a_dynamic_nchw_input_without_layout(tmp_path: Path) -> None:
    import cv2
    import numpy as np
    from model_builders import dynamic_conv, save

    from ovbench_tui.engine.engine import Engine
    from ovbench_tui.engine.events import LogLine

    model = save(dynamic_conv(), tmp_path, "dynamic")  # [?,3,?,?], no layout
    picture = str(tmp_path / "cat.png")
    assert cv2.imwrite(picture, np.full((20, 20, 3), 128, dtype=np.uint8))
    lines: list[str] = []

    def observe(event: object) -> None:
        if isinstance(event, LogLine):
            lines.append(event.text)

    config = BenchmarkConfig(model=model, niter=2, inputs=(picture,), data_shape="[1,3,16,16]")
    result = Engine(config, observe).run()
    assert result is not None and result.count == 2
    said = [line for line in lines if "taken as NCHW" in line]
    assert len(said) == 1 and "[?,3,?,?]" in said[0]


async def test_switches_say_on_and_off_in_words(make_app: Callable[..., OvbenchApp]) -> None:
    from textual.widgets import Label, Switch

    app = make_app(BenchmarkConfig(model="demo:tiny", perf_counts=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        state = screen.query_one("#state-perf_counts", Label)
        assert str(state.render()) == "on"
        screen.query_one("#field-perf_counts", Switch).value = False
        await pilot.pause()
        assert str(state.render()) == "off"
        assert str(screen.query_one("#state-pcseq", Label).render()) == "off"


def test_histogram_leaves_out_a_far_outlier_and_says_so() -> None:
    import numpy as np

    from ovbench_tui.text_fit import readable_ms
    from ovbench_tui.tui.widgets.histogram import histogram_label
    from ovbench_tui.tui.widgets.histogram import latency_edges as histogram_edges

    latencies = np.concatenate([np.linspace(1.0, 2.0, 999), [1261.44638]])
    edges = histogram_edges(latencies)
    assert edges[-1] <= 2.0
    assert "10 slowest, up to 1.26 s, not shown" in histogram_label(latencies, edges)
    even = np.linspace(1.0, 2.0, 500)
    assert histogram_label(even, histogram_edges(even)) == "latency (ms)"
    assert readable_ms(0.85) == "850.00 us" and readable_ms(1261.44638) == "1.26 s"


def test_every_missing_data_shape_is_named_at_once_before_compiling(tmp_path: Path) -> None:
    import openvino as ov
    import openvino.opset13 as ops

    from ovbench_tui.engine.engine import Engine
    from ovbench_tui.engine.events import StepStarted
    from ovbench_tui.errors import UsageError

    a = ops.parameter([-1, 4], ov.Type.f32, name="a")
    a.output(0).get_tensor().set_names({"a"})
    b = ops.parameter([-1, 4], ov.Type.f32, name="b")
    b.output(0).get_tensor().set_names({"b"})
    total = ops.add(a, b)
    path = tmp_path / "two_dynamic.xml"
    ov.save_model(ov.Model([total.output(0)], [a, b], "two"), path)
    steps: list[int] = []

    def observe(event: object) -> None:
        if isinstance(event, StepStarted):
            steps.append(event.number)

    with pytest.raises(UsageError) as caught:
        Engine(BenchmarkConfig(model=str(path), niter=2), observe).run()
    message = str(caught.value)
    assert "'a' [?,4]" in message and "'b' [?,4]" in message and "-data_shape a[" in message
    assert 7 not in steps  # refused before compiling


def test_each_data_shape_has_its_histogram_on_shared_bins() -> None:
    import numpy as np

    from ovbench_tui.engine.result import HISTOGRAM_BINS, group_results, histogram_edges

    # Two groups in ticket order: even tickets ~1 ms, odd ones ~3 ms.
    latencies = np.where(np.arange(1000) % 2 == 0, 1.0, 3.0) + np.linspace(0, 0.1, 1000)
    groups = group_results(latencies, [" [1,3]", " [4,3]"], [1, 4], 50)
    edges = histogram_edges(groups)
    assert [len(g.histogram) for g in groups] == [HISTOGRAM_BINS, HISTOGRAM_BINS]
    assert [sum(g.histogram) for g in groups] == [500, 500]
    # Each group's counts are where its own latencies are, independently computed:
    for group, start in zip(groups, (0, 1), strict=True):
        expected, _ = np.histogram(latencies[start::2], bins=edges)
        assert group.histogram == expected.tolist()
    assert groups[0].histogram[-1] == 0 and groups[1].histogram[0] == 0


@pytest.mark.parametrize("first", ["~", "p"])
async def test_file_picker_takes_a_path_typed_from_the_tree(
    make_app: Callable[..., OvbenchApp],
    model_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: str,
) -> None:
    """Trial 4: "~/.cache/..." typed into the picker typed nothing (. toggled hidden)."""
    from ovbench_tui.tui.screens.file_picker import FilePicker

    monkeypatch.setenv("HOME", str(model_folder))
    monkeypatch.chdir(model_folder)
    app = make_app(BenchmarkConfig(model="demo:tiny"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FilePicker)
        # A relative path is from the folder shown (the working folder here).
        typed = "~/.cache/models/hidden.onnx" if first == "~" else "proj/ppocr_v4_det.onnx"
        await pilot.press(*typed)
        assert picker.query_one("#picker-path", Input).value == typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        chosen = app.screen.read_values()["path_to_model"]
        assert Path(chosen).resolve() == (model_folder / typed.removeprefix("~/")).resolve()
