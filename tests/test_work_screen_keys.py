"""Keys on the Sweep, Capacity and Tune screens, whose focus sits in a field (trial 4:
`?` was typed into "Point time", the footer named no help key, and the tune's enter
and e were only in the help box)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input
from textual.widgets._footer import FooterKey
from tune_fixture import finished_tune

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.capacity import CapacityScreen
from ovbench_tui.tui.screens.help import HelpScreen
from ovbench_tui.tui.screens.sweep import SweepScreen
from ovbench_tui.tui.screens.tune import TuneScreen
from ovbench_tui.tui.work_messages import TuneFinishedPosted
from ovbench_tui.tune.runner import TuneFinished

pytestmark = pytest.mark.usefixtures("data_dir")

CONFIG = BenchmarkConfig(model="demo:tiny")


def footer_keys(screen: Screen[None]) -> dict[str, FooterKey]:
    """The footer's keys (the palette's left out), checked to end before the palette
    (or the screen's edge)."""
    footer = screen.query_one(Footer)
    palettes = footer.query(".-command-palette")
    end = palettes.first(FooterKey).region.x if palettes else screen.size.width
    keys = [key for key in footer.query(FooterKey) if key not in palettes]
    assert keys and all(key.region.right <= end for key in keys)
    return {key.key: key for key in keys}


async def test_the_forms_footer_shows_f1(make_app: Callable[..., OvbenchApp]) -> None:
    app = make_app(CONFIG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)  # the model field, where ? is typed
        assert {"f1", "f7", "ctrl+q"} <= set(footer_keys(app.screen))
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize(
    ("kind", "field"),
    [(SweepScreen, "#sweep-point-time"), (CapacityScreen, "#cap-point-time"),
     (TuneScreen, "#tune-point-time")],
)  # fmt: skip
async def test_question_mark_in_a_number_field_opens_the_keys_and_f1_shows(
    make_app: Callable[..., OvbenchApp], kind: type[Screen[None]], field: str
) -> None:
    app = make_app(CONFIG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = kind(CONFIG)  # type: ignore[call-arg]
        await app.push_screen(screen)
        await pilot.pause()
        box = screen.query_one(field, Input)
        box.focus()
        await pilot.press("2", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert box.value == "2"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert "f1" in footer_keys(screen)
        screen.running = True  # Stop joins the footer: every key still fits
        await pilot.pause()
        assert {"f1", "ctrl+x", "ctrl+q"} <= set(footer_keys(screen))
        screen.running = False


async def test_a_data_shape_still_takes_a_question_mark(
    make_app: Callable[..., OvbenchApp],
) -> None:
    app = make_app(CONFIG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = SweepScreen(CONFIG)
        await app.push_screen(screen)
        await pilot.pause()
        box = screen.query_one("#sweep-axis-data_shape", Input)
        box.focus()
        await pilot.press(*"[?,3]")
        await pilot.pause()
        assert app.screen is screen and box.value == "[?,3]"


async def test_a_finished_tune_hands_the_focus_to_its_table_and_its_keys(
    make_app: Callable[..., OvbenchApp],
) -> None:
    app = make_app(CONFIG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = TuneScreen(CONFIG)
        await app.push_screen(screen)
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert not {"enter", "e"} & set(footer_keys(screen))  # nothing to open yet
        screen.running = True
        screen.on_tune_finished_posted(TuneFinishedPosted(TuneFinished(finished_tune(screen.base))))
        await pilot.pause()
        assert isinstance(app.focused, DataTable)
        keys = footer_keys(screen)
        assert {"enter", "e", "ctrl+s", "f1", "ctrl+q"} <= set(keys)
        await pilot.press("question_mark")  # no field has the focus now
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
