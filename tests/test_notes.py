"""Notes on runs: the schema migration, the store, and `ovbench-tui history TEXT`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_history import document

from ovbench_tui.cli import main
from ovbench_tui.errors import UsageError
from ovbench_tui.reports.history import MIGRATIONS, SCHEMA_VERSION, HistoryStore


def test_version_3_gains_an_empty_note_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite"
    db = sqlite3.connect(path)
    db.executescript("".join(MIGRATIONS[:3]) + "PRAGMA user_version = 3;")
    db.execute(
        "INSERT INTO runs (created_at, model, device, document, tag)"
        " VALUES ('2026-01-01', 'v3.xml', 'CPU', '{}', 'sweep x point 1')"
    )
    db.commit()
    db.close()
    with HistoryStore(path) as store:
        assert store.version == SCHEMA_VERSION == 4
        [old] = store.runs()
        assert (old.model, old.tag, old.note) == ("v3.xml", "sweep x point 1", "")


def test_a_note_is_stored_found_by_the_filter_and_cleared(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite") as store:
        first = store.add(document("a.xml"))
        second = store.add(document("b.xml"))
        store.set_note(first, "  after the BIOS update ")
        assert store.note(first) == "after the BIOS update"
        assert [row.id for row in store.runs("bios")] == [first]  # LIKE: any case
        assert {row.id for row in store.runs("")} == {first, second}
        store.set_note(first, "")
        assert store.runs("bios") == []
        with pytest.raises(UsageError, match="no run 99"):
            store.set_note(99, "x")


def test_cli_history_text_finds_notes_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        noted = store.add(document("a.xml"))
        store.add(document("b.xml"))
        store.set_note(noted, "new BIOS")
    assert main(["history", "--history", str(path), "bios"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2  # the header and the one run
    assert lines[1].split()[0] == str(noted) and lines[1].endswith("note: new BIOS")
