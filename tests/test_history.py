"""Run history: storing, listing, migration, and surviving a killed writer."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ovbench_tui.cli import main
from ovbench_tui.errors import UsageError
from ovbench_tui.reports.history import MIGRATIONS, SCHEMA_VERSION, HistoryStore


def document(model: str = "m.xml", fps: float = 100.0) -> dict[str, object]:
    return {
        "created_at": "2026-11-28T12:00:00+00:00",
        "config": {"model": model, "device": "CPU", "hint": "latency", "nstreams": None},
        "statistics": {
            "count": 10,
            "throughput_fps": fps,
            "nireq": 2,
            "batch": "1",
            "stopped_early": True,
            "latency_ms": {"median": 1.5},
        },
    }


def test_add_list_show_delete(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite") as store:
        first = store.add(document("a.xml", 10.0))
        second = store.add(document("b.xml", 20.0))
        rows = store.runs()
        assert [row.id for row in rows] == [second, first]
        assert rows[0].model == "b.xml" and rows[0].fps == 20.0 and rows[0].median_ms == 1.5
        assert rows[0].stopped_early and rows[0].hint == "latency" and rows[0].nireq == 2
        assert [row.model for row in store.runs("a.x")] == ["a.xml"]
        assert store.document(first)["config"]["model"] == "a.xml"  # type: ignore[index]
        store.delete(first)
        assert [row.id for row in store.runs()] == [second]
        with pytest.raises(UsageError, match="no run"):
            store.document(first)


def test_migrates_an_older_schema_keeping_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    db.execute(
        "INSERT INTO runs (created_at, model, device, fps, median_ms, count, document)"
        " VALUES ('2026-01-01', 'old.xml', 'CPU', 5.0, 2.0, 3, ?)",
        (json.dumps({"config": {"model": "old.xml"}}),),
    )
    db.commit()
    db.close()
    with HistoryStore(path) as store:
        assert store.version == SCHEMA_VERSION
        rows = store.runs()
        assert [(row.model, row.fps, row.hint, row.stopped_early) for row in rows] == [
            ("old.xml", 5.0, "", False)
        ]


def test_migrates_version_2_to_the_tag_column_and_filters_on_tags(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version = 2;")
    db.execute(
        "INSERT INTO runs (created_at, model, device, document, hint)"
        " VALUES ('2026-01-01', 'v2.xml', 'CPU', '{}', 'latency')"
    )
    db.commit()
    db.close()
    with HistoryStore(path) as store:
        assert store.version == SCHEMA_VERSION >= 3
        [old] = store.runs()
        assert (old.model, old.tag) == ("v2.xml", "")
        tagged = store.add({**document("s.xml"), "tag": "sweep 2026-12-01T08:00 point 2"})
        assert [row.id for row in store.runs("sweep 2026-12-01")] == [tagged]
        assert store.runs("sweep")[0].tag == "sweep 2026-12-01T08:00 point 2"


def test_newer_schema_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(UsageError, match="newer ovbench-tui"):
        HistoryStore(path)


WRITER = """
import sys
from ovbench_tui.reports.history import HistoryStore
store = HistoryStore(sys.argv[1])
print("ready", flush=True)
i = 0
while True:
    store.add({"config": {"model": f"run{i}.xml", "device": "CPU"}, "statistics": {}})
    i += 1
"""


@pytest.mark.slow
def test_finished_runs_survive_a_writer_killed_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    writer.kill()
    writer.wait()
    with HistoryStore(path) as store:
        rows = store.runs(limit=100000)
        assert len(rows) > 10
        ids = sorted(row.id for row in rows)
        assert ids == list(range(ids[0], ids[0] + len(ids)))  # no hole, no half row
        assert all(store.document(row.id)["config"] for row in rows[:20])


def test_headless_run_is_stored_and_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "runs.sqlite"
    code = main(["run", "-m", "demo:tiny", "-niter", "8", "-progress", "false",
                 "--history", str(path)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "Stored in the run history as run 1" in out
    assert main(["history", "--history", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "tiny" in listing and "\n    1  " in listing
    assert main(["run", "-m", "demo:tiny", "-niter", "8", "-progress", "false",
                 "--history", str(path), "--no-history"]) == 0  # fmt: skip
    with HistoryStore(path) as store:
        assert len(store.runs()) == 1
