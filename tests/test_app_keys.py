"""Keys a user reaches for first: help (?/F1), the palette, Markdown out (y/w), notes (t)."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from replay import fixed_result
from test_compare import make_document
from test_snapshots_history import fixed_documents
from textual.widgets import DataTable, Input, Static

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.reports.history import HistoryStore
from ovbench_tui.tui.app import OvbenchApp, create_app
from ovbench_tui.tui.keys import app_screens, key_rows, screen_key_rows
from ovbench_tui.tui.screens.compare import CompareScreen
from ovbench_tui.tui.screens.help import HelpScreen, keys_table
from ovbench_tui.tui.screens.history import HistoryScreen
from ovbench_tui.tui.screens.note import NoteScreen
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.setup import SetupScreen

MakeApp = Callable[..., OvbenchApp]


pytestmark = pytest.mark.usefixtures("data_dir")


def help_text(app: OvbenchApp) -> str:
    from rich.console import Console

    screen = app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(width=100, record=True, color_system=None)
    console.print(keys_table(screen.below))  # what #help-keys shows
    return console.export_text()


@contextlib.asynccontextmanager
async def running(app: OvbenchApp) -> AsyncIterator[Any]:
    """The app under Pilot, its OpenVINO workers (devices, model inputs) finished before
    the test goes on and before it ends: one left running into the next test can
    crash OpenVINO there."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)  # the form starts them 0.3 s after its first paint
        await app.workers.wait_for_complete()
        yield pilot
        await app.workers.wait_for_complete()


def note_box_ready(app: OvbenchApp) -> bool:
    return isinstance(app.screen, NoteScreen) and isinstance(app.focused, Input)


async def until(pilot: Any, predicate: Callable[[], bool]) -> None:
    for _ in range(300):  # a hang guard for a busy machine, not a speed target
        if predicate():
            return
        await pilot.pause(0.1)
    raise AssertionError("never happened")


async def test_f1_opens_the_form_keys_from_a_text_field_and_escape_closes(
    make_app: MakeApp,
) -> None:
    app = make_app(BenchmarkConfig(model="missing.xml"))
    async with running(app) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)  # the model field: ? would be typed there
        await pilot.press("f1")
        await pilot.pause()
        text = help_text(app)
        assert "ctrl+r, f5" in text and "Run" in text
        assert "ctrl+o" in text and "Everywhere" in text
        assert "ctrl+a" not in text  # no text-field editing keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#field-path_to_model", Input).value == "missing.xml"


async def test_question_mark_toggles_the_results_keys(make_app: MakeApp) -> None:
    config = BenchmarkConfig(model="demo:dynamic", niter=600, no_history=True)
    app = make_app(config)
    async with running(app) as pilot:
        await app.push_screen(ResultsScreen(fixed_result(), config))
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        for words in ("r ", "Run again", "y ", "Copy this tab as Markdown", "t ", "Note"):
            assert words in text
        assert "Keys of this screen" in text and "Also" in text
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


async def test_the_palette_offers_the_screen_and_app_actions(make_app: MakeApp) -> None:
    config = BenchmarkConfig(model="demo:dynamic", niter=600, no_history=True)
    app = make_app(config)
    async with running(app) as pilot:
        await app.push_screen(ResultsScreen(fixed_result(), config))
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Run again", "Save", "Reports", "History", "Sweep", "Switch model"):
            assert title in titles
        assert "Theme" in titles and "Keys" in titles
        assert len(titles) == len(set(titles))
        # Fuzzy search, end to end: "hstry" finds History, enter opens it.
        from textual.command import CommandList, CommandPalette

        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"hstry")
        found = app.screen.query_one(CommandList)

        def history_first() -> bool:
            return found.option_count > 0 and "History" in str(found.get_option_at_index(0).prompt)

        await until(pilot, history_first)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))


async def test_the_palette_keys_entry_opens_the_help_screen(make_app: MakeApp) -> None:
    app = make_app(BenchmarkConfig(model="missing.xml"))
    async with running(app) as pilot:
        await pilot.pause()
        [keys] = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        keys.callback()  # type: ignore[call-arg]
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_y_copies_the_shown_tab_as_markdown(make_app: MakeApp) -> None:
    config = BenchmarkConfig(model="demo:dynamic", niter=600, no_history=True)
    app = make_app(config)
    async with running(app) as pilot:
        await app.push_screen(ResultsScreen(fixed_result(), config))
        await pilot.pause()
        await pilot.press("y")
        assert "| Throughput | 600.00 FPS |" in app.clipboard
        await pilot.press("2", "y")
        assert app.clipboard.startswith("| # | group |")
        await pilot.press("3", "slash")  # / opens the layer filter...
        await pilot.pause()
        await pilot.press(*"conv", "escape", "y")  # ...which takes letters until escape
        assert "| conv1 |" in app.clipboard and "| fc |" not in app.clipboard


async def test_w_saves_results_and_comparisons_as_markdown_and_says_where(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = BenchmarkConfig(model="demo:dynamic", niter=600, no_history=True)
    app = make_app(config)
    async with running(app) as pilot:
        await app.push_screen(ResultsScreen(fixed_result(), config))
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        [summary] = tmp_path.glob("ovbench-summary-*.md")
        assert summary.read_text(encoding="utf-8").startswith("### demo:dynamic")
        assert len(list(tmp_path.glob("ovbench-result-*.json"))) == 1
        assert any(str(summary) in n.message for n in app._notifications)
        documents = [make_document(100.0, 10.0), make_document(120.0, 8.0)]
        await app.push_screen(CompareScreen(documents, ["run 1", "run 2"]))
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard.startswith("### Comparison")
        await pilot.press("w")
        await pilot.pause()
        [comparison] = tmp_path.glob("ovbench-comparison-*.md")
        assert comparison.read_text(encoding="utf-8") == app.clipboard


async def test_t_notes_a_run_in_the_history_and_the_filter_finds_it(
    make_app: MakeApp, tmp_path: Path
) -> None:
    history = str(tmp_path / "runs.sqlite")
    with HistoryStore(history) as store:
        for document in fixed_documents():
            store.add(document)
    app = make_app(BenchmarkConfig(model="demo:cnn", history=history))
    async with running(app) as pilot:
        app.open_history()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await pilot.press("down", "t")
        await until(pilot, lambda: note_box_ready(app))
        await pilot.press(*"new bios", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert "note: new bios" in str(screen.query_one("#history-detail", Static).render())
        await pilot.press("slash", *"BIOS", "enter")
        await pilot.pause()
        assert screen.query_one("#history-table", DataTable).row_count == 1
        # escape in the note box keeps the note as it was
        await pilot.press("t")
        await until(pilot, lambda: note_box_ready(app))
        await pilot.press("x", "escape")
        await until(pilot, lambda: app.screen is screen)
    with HistoryStore(history) as store:
        assert [row.note for row in store.runs("bios")] == ["new bios"]


async def test_t_notes_a_fresh_result_stored_in_the_history(
    make_app: MakeApp, tmp_path: Path
) -> None:
    history = str(tmp_path / "runs.sqlite")
    config = BenchmarkConfig(model="demo:dynamic", niter=600, history=history)
    app = make_app(config)
    async with running(app) as pilot:
        await pilot.pause()
        app.show_results(fixed_result(), config, None)
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("t")
        await until(pilot, lambda: note_box_ready(app))
        await pilot.press(*"baseline", "enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
    with HistoryStore(history) as store:
        [row] = store.runs("baseline")
        assert row.model == "demo:dynamic"


def test_create_app_watches_the_terminal_except_under_textual_serve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert create_app().watch_terminal is True
    assert create_app().initial_values == {"target_device": "CPU"}
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    app = create_app(BenchmarkConfig(model="demo:cnn"), start=True)
    assert app.watch_terminal is False and app.start_at_once
    assert app.initial_values["path_to_model"] == "demo:cnn"


def test_key_rows_join_the_keys_of_one_action_and_leave_quit_to_the_app() -> None:
    [row] = [row for row in screen_key_rows(SetupScreen) if row.action == "start"]
    assert (row.keys, row.description) == ("ctrl+r, f5", "Run")
    assert all(
        row.action != "app.quit" for screen in app_screens() for row in screen_key_rows(screen)
    )
    assert key_rows([("x", "thing", "Do it")])[0].keys == "x"


def test_readme_key_table_matches_the_bindings() -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "keys_table.py"
    spec = importlib.util.spec_from_file_location("keys_table", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = module.README.read_text(encoding="utf-8")
    assert module.with_keys(readme) == readme, "run scripts/keys_table.py"


async def test_one_report_file_is_one_file(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trial 4: the toast said "(1 files)"."""
    monkeypatch.chdir(tmp_path)
    config = BenchmarkConfig(model="demo:dynamic", niter=600, no_history=True)
    app = make_app(config)
    async with running(app) as pilot:
        await app.push_screen(ResultsScreen(fixed_result(with_counters=False), config))
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert list((tmp_path / "ovbench-reports").iterdir()) == [
            tmp_path / "ovbench-reports" / "benchmark_report.csv"
        ]
        assert any(n.message.endswith("(1 file)") for n in app._notifications)
