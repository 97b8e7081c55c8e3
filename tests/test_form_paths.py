"""The form's path fields take ~ as the home folder, as the shell and the file picker do:
the model inspector reads the file, and the config holds the expanded path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from ovbench_tui.form_state import expand_user, values_to_config
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.setup import SetupScreen

pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from model_builders import save, static_conv

    folder = tmp_path / "home"
    (folder / "models").mkdir(parents=True)
    save(static_conv(), folder / "models", "static")
    monkeypatch.setenv("HOME", str(folder))
    return folder


def test_the_config_holds_the_expanded_model_and_input_paths(home: Path) -> None:
    (home / "a.npy").write_bytes(b"")
    values = {
        "path_to_model": "~/models/static.xml",
        "target_device": "CPU",
        "paths_to_input": "data:~/a.npy",
    }
    config = values_to_config(values)
    assert config.model == str(home / "models" / "static.xml")
    assert config.inputs == (f"data:{home / 'a.npy'}",)
    assert expand_user("demo:cnn") == "demo:cnn"
    several = values_to_config({**values, "paths_to_input": "~/a.npy,~/b.npy ~/c.npy"})
    assert several.inputs == (f"{home}/a.npy,{home}/b.npy", f"{home}/c.npy")


async def test_a_model_typed_with_tilde_is_read_on_tab(
    home: Path, make_app: Callable[..., OvbenchApp]
) -> None:
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        field = screen.query_one("#field-path_to_model", Input)
        field.focus()
        field.value = "~/models/static.xml"
        await pilot.press("tab")
        table = screen.query_one("#model-inputs", DataTable)
        for _ in range(200):  # the model is read in a worker thread
            await pilot.pause(0.05)
            if table.row_count:
                break
        assert table.row_count == 1
        error = screen.query_one("#error-path_to_model", Static)
        assert error.has_class("hidden")
