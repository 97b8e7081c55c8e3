"""A model file in a format OpenVINO reads that it could not read: the reader's reason
and advice that fits it, not a list of formats; in the app, said once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openvino as ov
import pytest
from textual.widgets import Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.model_file import read_model
from ovbench_tui.errors import BenchmarkError
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.setup import SetupScreen

pytestmark = pytest.mark.usefixtures("data_dir")

SELFIE = Path.home() / ".cache/ovbench-public-models/selfie_segmentation.tflite"


@pytest.fixture
def damaged_tflite(tmp_path: Path) -> Path:
    path = tmp_path / "damaged.tflite"
    path.write_bytes(b"\x1c\x00\x00\x00TFL3" + bytes(range(200)))  # a TFLite header, no model
    return path


def test_a_damaged_tflite_file_is_said_to_be_damaged_not_of_the_wrong_format(
    damaged_tflite: Path,
) -> None:
    with pytest.raises(BenchmarkError) as caught:
        read_model(ov.Core(), str(damaged_tflite), quiet=True)
    message = str(caught.value)
    assert message.startswith(f"OpenVINO could not read this TFLite model {damaged_tflite}: ")
    assert message.endswith(
        "check that the file is a whole TFLite model (not cut short or damaged)"
    )
    assert "OpenVINO reads IR" not in message and "\n" not in message


@pytest.mark.slow
@pytest.mark.skipif(not SELFIE.exists(), reason="public model not downloaded")
def test_a_model_with_an_operation_openvino_cannot_convert_says_which() -> None:
    with pytest.raises(BenchmarkError) as caught:
        read_model(ov.Core(), str(SELFIE), quiet=True)
    message = str(caught.value)
    assert message.startswith("OpenVINO could not read this TFLite model ")
    assert ": No translator found for Convolution2DTransposeBias node; it uses an operation" in (
        message
    )
    assert "FrontEnd API failed" not in message and "OpenVINO reads IR" not in message


async def test_the_app_says_an_unreadable_model_once(
    damaged_tflite: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    config = BenchmarkConfig(model=str(damaged_tflite), no_history=True)
    app = make_app(config, start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        field = panel = None
        for _ in range(300):  # the run fails and the form's model reader fails, in threads
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, SetupScreen):
                field = screen.query_one("#error-path_to_model", Static)
                panel = screen.query_one("#error-panel", Static)
                if not field.has_class("hidden") and screen._shown.get(""):
                    break
        assert field is not None and panel is not None
        assert "could not read this TFLite model" in str(field.render())
        assert panel.has_class("hidden")
        # The other order, and a different message, which the panel still shows.
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        message = screen._shown["path_to_model"]
        screen._field_error("path_to_model", None)
        screen.show_error(message)
        assert not panel.has_class("hidden")
        screen._field_error("path_to_model", message)
        assert panel.has_class("hidden")
        screen.show_error("something else")
        assert not panel.has_class("hidden")
