"""History failures never cost the run; the history is private by default."""

from __future__ import annotations

import json
import os
import pathlib
import sqlite3
import stat
from collections.abc import Iterator

import pytest

from ovbench_tui.cli import main
from ovbench_tui.reports import history
from ovbench_tui.reports.history import HistoryStore, pending_path


@pytest.fixture
def held(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pathlib.Path]:
    """A history another writer holds (`BEGIN EXCLUSIVE` on another connection)."""
    monkeypatch.setattr(history, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "held.sqlite"
    HistoryStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield path
    finally:
        other.execute("ROLLBACK")
        other.close()


def mode(path: pathlib.Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_locked_history_keeps_the_run_for_later(
    held: pathlib.Path, static_model_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", "-m", str(static_model_path), "-niter", "4", "--history", str(held)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err
    last = captured.out.splitlines()[-1]
    # The statistics (Throughput, and the latency footnote on a fast model) come first.
    assert "Throughput" in " ".join(captured.out.splitlines()[-3:-1])
    assert last.startswith("[ WARNING ] Not stored in the run history"), captured.out
    assert str(pending_path(held)) in last
    kept = pending_path(held).read_text().splitlines()
    assert len(kept) == 1 and json.loads(kept[0])["statistics"]["count"] >= 4


def test_the_pending_runs_are_added_at_the_next_open(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "h.sqlite"
    document = {"config": {"model": "m.xml", "device": "CPU"}, "statistics": {"count": 7}}
    history.keep_pending(path, document)
    assert mode(pending_path(path)) == 0o600
    with HistoryStore(path) as store:
        rows = store.runs()
        assert [row.count for row in rows] == [7]
        assert any("Added 1 run" in notice for notice in store.notices)
    assert not pending_path(path).exists()
    with HistoryStore(path) as store:  # imported once, not twice
        assert len(store.runs()) == 1


def test_a_still_locked_history_keeps_its_pending_runs(held: pathlib.Path) -> None:
    history.keep_pending(held, {"config": {"model": "m.xml"}, "statistics": {"count": 1}})
    HistoryStore(held).close()  # reading works; the import waits for the writer
    assert len(pending_path(held).read_text().splitlines()) == 1


def test_history_delete_while_locked_is_one_line(
    held: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["history", "--history", str(held), "--delete", "1"])
    captured = capsys.readouterr()
    assert code in (1, 2) and "Traceback" not in captured.err
    assert len(captured.err.splitlines()) == 1


async def test_the_app_shows_a_locked_history_as_a_warning(
    held: pathlib.Path, static_model_path: pathlib.Path
) -> None:
    from ovbench_tui.config import BenchmarkConfig
    from ovbench_tui.engine.engine import Engine
    from ovbench_tui.tui.app import create_app
    from ovbench_tui.tui.screens.results import ResultsScreen

    config = BenchmarkConfig(model=str(static_model_path), niter=4, history=str(held))
    result = Engine(config).run()
    app = create_app(watch_terminal=False)
    messages: list[str] = []
    async with app.run_test() as pilot:
        app.notify = lambda message, **kwargs: messages.append(message)  # type: ignore[method-assign]
        app.show_results(result, config, None)
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert any(m.startswith("Not stored in the run history") for m in messages), messages
    assert pending_path(held).exists()


def test_an_empty_history_path_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["run", "-m", "demo:tiny", "-niter", "1"], ["history"], ["compare", "1", "2"]):
        code = main([*command, "--history", ""])
        captured = capsys.readouterr()
        assert code == 2 and "--history" in captured.err, captured.err


def test_huge_run_ids_are_one_line(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "h.sqlite"
    HistoryStore(path).close()
    huge = "99999999999999999999999"
    for command in (
        ["compare", "1", huge, "--history", str(path)],
        ["history", "--history", str(path), "--show", huge],
        ["history", "--history", str(path), "--delete", huge],
    ):
        code = main(command)
        captured = capsys.readouterr()
        assert code == 2 and "Traceback" not in captured.err, captured.err
        assert len(captured.err.splitlines()) == 1


# -- private by default ----------------------------------------------------------------------


def test_the_data_folder_and_its_files_are_created_private(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("OVBENCH_TUI_DATA_DIR", str(data))
    with HistoryStore() as store:
        store.add({"config": {"model": "m.xml"}, "statistics": {"count": 1}})
        assert not store.notices
        assert mode(data) == 0o700
        for name in ("history.sqlite", "history.sqlite-wal", "history.sqlite-shm"):
            assert mode(data / name) == 0o600, name
    from ovbench_tui.tui.recent import recent_file, remember

    remember("m.xml")
    assert recent_file() == data / "recent.json" and mode(data / "recent.json") == 0o600


def test_a_readable_history_is_tightened_once(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    monkeypatch.setenv("OVBENCH_TUI_DATA_DIR", str(data))
    HistoryStore().close()
    for path in (data / "history.sqlite", data / "recent.json"):
        path.touch()
        path.chmod(0o644)
    with HistoryStore() as store:
        assert len(store.notices) == 1 and "private" in store.notices[0]
    assert mode(data) == 0o700
    assert mode(data / "history.sqlite") == mode(data / "recent.json") == 0o600
    with HistoryStore() as store:
        assert store.notices == []
