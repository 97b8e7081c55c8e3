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
        assert store.document(first)["config"]["model"] == "a.xml"
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
    assert "tiny" in listing and "\n 1  " in listing
    assert main(["run", "-m", "demo:tiny", "-niter", "8", "-progress", "false",
                 "--history", str(path), "--no-history"]) == 0  # fmt: skip
    with HistoryStore(path) as store:
        assert len(store.runs()) == 1


# -- ovbench-tui history ------------------------------------------------------------------


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    assert lines[0].startswith("ovbench-tui history: error: ")
    return lines[0].removeprefix("ovbench-tui history: error: ")


def test_cli_show_and_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        first = store.add(document("a.xml"))
    assert main(["history", "--history", str(path), "--show", str(first)]) == 0
    assert json.loads(capsys.readouterr().out)["config"]["model"] == "a.xml"
    assert main(["history", "--history", str(path), "--delete", str(first)]) == 0
    assert capsys.readouterr().out == f"deleted run {first}\n"
    with HistoryStore(path) as store:
        assert store.runs() == []


@pytest.mark.parametrize("flag", ["--delete", "--show"])
def test_cli_missing_run_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        kept = store.add(document("a.xml"))
    assert main(["history", "--history", str(path), flag, "9999"]) == 2
    assert _error_line(capsys) == f"no run 9999 in the history {path}"
    with HistoryStore(path) as store:
        assert [row.id for row in store.runs()] == [kept]


@pytest.mark.parametrize("extra", [[], ["--show", "1"], ["--delete", "1"], ["cnn"]])
def test_cli_missing_history_file_is_an_error_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    path = tmp_path / "typo" / "h.sqlite"
    assert main(["history", "--history", str(path), *extra]) == 2
    assert _error_line(capsys) == (
        f"no run history at {path}: check --history "
        "(runs are stored there by ovbench-tui run/the app)"
    )
    assert not (tmp_path / "typo").exists()


def test_cli_default_history_is_created_when_missing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history"]) == 0
    assert capsys.readouterr().out.startswith("no runs in ")
    assert (data_dir / "history.sqlite").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--show", "abc"], "argument --show: invalid int value: 'abc'"),
        (["--delete", "1.5"], "argument --delete: invalid int value: '1.5'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["a", "b"], "unrecognized arguments: b"),
    ],
)
def test_cli_usage_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    path = tmp_path / "h.sqlite"
    HistoryStore(path).close()
    assert main(["history", "--history", str(path), *args]) == 2
    line = _error_line(capsys)
    assert line.startswith(message) and line.endswith("(see ovbench-tui history -h)"), line


def test_cli_listing_tells_sweep_points_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        for point, (streams, batch) in enumerate([("1", "1"), ("2", "1"), ("2", "4")], 1):
            run = document("demo:cnn")
            run["config"]["nstreams"] = streams  # type: ignore[index]
            run["statistics"]["batch"] = batch  # type: ignore[index]
            run["statistics"]["stopped_early"] = False  # type: ignore[index]
            run["tag"] = f"sweep 2026-12-01T08:30:00 point {point}"
            store.add(run)
    assert main(["history", "--history", str(path)]) == 0
    sweep = capsys.readouterr().out.splitlines()
    assert max(map(len, sweep)) <= 125, max(sweep, key=len)
    with HistoryStore(path) as store:
        store.add(document("/models/" + "very-long-folder-name/" * 4 + "resnet50.xml"))
    assert main(["history", "--history", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header[:8] == ["id", "date", "model", "device", "hint", "nireq", "streams", "batch"]
    assert header[-1] == "tag"
    rows = [line.split() for line in lines[1:]]
    assert [row[0] for row in rows] == ["4", "3", "2", "1"]
    # The date is two words: streams and batch are the 8th and 9th.
    assert [(row[7], row[8]) for row in rows[1:]] == [("2", "4"), ("2", "1"), ("1", "1")]
    assert rows[0][3] == "resnet50.xml" and lines[1].endswith("stopped")  # the file name
    for point, line in zip((3, 2, 1), lines[2:], strict=True):
        assert line.endswith(f"1.500  sweep 2026-12-01T08:30:00 point {point}")


def test_cli_says_when_no_run_matches_and_refuses_show_with_delete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "h.sqlite")
    with HistoryStore(path) as store:
        store.add(document("a.xml"))
    assert main(["history", "--history", path, "nomatch"]) == 0
    assert "no runs matching 'nomatch' in" in capsys.readouterr().out
    assert main(["history", "--history", path, "--show", "1", "--delete", "1"]) == 2
    err = capsys.readouterr().err
    assert "not allowed with argument" in err and err.count("\n") == 1
    with HistoryStore(path) as store:
        assert len(store.runs()) == 1


def test_cli_lists_the_newest_n_runs_and_says_how_many_are_older(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "h.sqlite")
    with HistoryStore(path) as store:
        for index in range(25):
            store.add(document(f"/some/folder/model{index}.xml"))
        store.add(document("/other/x.xml"))

    def listed(*flags: str) -> list[str]:
        assert main(["history", "--history", path, *flags]) == 0
        return capsys.readouterr().out.splitlines()

    default = listed()
    assert len(default) == 1 + 20 + 1 and default[1].split()[0] == "26"
    assert default[-1] == "(6 older runs: --all)"
    assert listed("-n", "3")[-1] == "(23 older runs: --all)"
    assert listed("--last", "25")[-1] == "(1 older run: --all)"
    assert len(listed("--all")) == 1 + 26 and len(listed("-n", "26")) == 1 + 26
    assert listed("model2", "-n", "3")[-1] == "(3 older runs: --all)"  # model2, model20-24
    assert main(["history", "--history", path, "-n", "0"]) == 2
    assert main(["history", "--history", path, "-n", "2", "--all"]) == 2
    assert capsys.readouterr().err.count("\n") == 2
