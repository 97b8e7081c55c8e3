"""Run history: every finished or stopped run, in SQLite.

One row per run with the figures a list needs (model, device, knobs, FPS,
median, date) and the whole result document as JSON, so a run can be
re-opened or re-run.  WAL journal and one transaction per write: a process
killed at any moment loses at most the run it was writing, never a finished
one.  The schema version lives in `PRAGMA user_version`; opening an older file
applies the missing migrations in order.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError

# Each entry upgrades the schema by one version; never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    # 1: the runs
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        model TEXT NOT NULL,
        device TEXT NOT NULL,
        fps REAL,
        median_ms REAL,
        count INTEGER,
        document TEXT NOT NULL
    );
    CREATE INDEX runs_created ON runs (created_at);
    """,
    # 2: the knobs shown in the list, and whether the run was stopped early
    """
    ALTER TABLE runs ADD COLUMN hint TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN nireq INTEGER;
    ALTER TABLE runs ADD COLUMN nstreams TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN batch TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN stopped_early INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: a tag saying where a run came from ("sweep 2026-12-01T08:30 point 3")
    """
    ALTER TABLE runs ADD COLUMN tag TEXT NOT NULL DEFAULT '';
    """,
    # 4: the user's note on a run ("after the BIOS update"); the tag stays where it came from
    """
    ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class RunRow:
    id: int
    created_at: str
    model: str
    device: str
    hint: str
    nireq: int | None
    nstreams: str
    batch: str
    fps: float | None
    median_ms: float | None
    count: int | None
    stopped_early: bool
    tag: str = ""
    note: str = ""


def default_history_path() -> Path:
    override = os.environ.get("OVBENCH_TUI_DATA_DIR")
    if override:
        return Path(override) / "history.sqlite"
    from platformdirs import user_data_dir

    return Path(user_data_dir("ovbench-tui")) / "history.sqlite"


class HistoryStore:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_history_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except (OSError, sqlite3.DatabaseError) as error:
            raise UsageError(
                f"run history {self.path} cannot be opened ({error}): "
                "give another file with --history PATH"
            ) from error

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.version
        if current > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"it was written by a newer ovbench-tui (schema {current} > {SCHEMA_VERSION})"
            )
        for version in range(current, SCHEMA_VERSION):
            # executescript commits on its own; the version bump goes in the same script.
            self._db.executescript(
                f"BEGIN; {MIGRATIONS[version]} PRAGMA user_version = {version + 1}; COMMIT;"
            )

    def add(self, document: dict[str, Any]) -> int:
        """Store one result document (reports.result_file's format); returns its id."""
        config = document.get("config") or {}
        statistics = document.get("statistics") or {}
        latency = statistics.get("latency_ms") or {}
        row = (
            document.get("created_at") or "",
            str(config.get("model", "")),
            str(config.get("device", "")),
            statistics.get("throughput_fps"),
            latency.get("median"),
            statistics.get("count"),
            json.dumps(document),
            str(config.get("hint") or ""),
            statistics.get("nireq"),
            str(config.get("nstreams") or ""),
            str(statistics.get("batch") or config.get("batch") or ""),
            int(bool(statistics.get("stopped_early"))),
            str(document.get("tag") or ""),
        )
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO runs (created_at, model, device, fps, median_ms, count, document,"
                " hint, nireq, nstreams, batch, stopped_early, tag)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        return int(cursor.lastrowid or 0)

    def runs(self, text: str = "", limit: int = 500) -> list[RunRow]:
        """Newest first; `text` filters on model, device, hint, tag and note."""
        pattern = f"%{text}%"
        rows = self._db.execute(
            "SELECT id, created_at, model, device, hint, nireq, nstreams, batch, fps, median_ms,"
            " count, stopped_early, tag, note FROM runs"
            " WHERE model LIKE ? OR device LIKE ? OR hint LIKE ? OR tag LIKE ? OR note LIKE ?"
            " ORDER BY id DESC LIMIT ?",
            (pattern, pattern, pattern, pattern, pattern, limit),
        ).fetchall()
        return [
            RunRow(
                id=row[0],
                created_at=row[1],
                model=row[2],
                device=row[3],
                hint=row[4],
                nireq=row[5],
                nstreams=row[6],
                batch=row[7],
                fps=row[8],
                median_ms=row[9],
                count=row[10],
                stopped_early=bool(row[11]),
                tag=row[12],
                note=row[13],
            )
            for row in rows
        ]

    def document(self, run_id: int) -> dict[str, Any]:
        row = self._db.execute("SELECT document FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"no run {run_id} in the history {self.path}")
        return dict(json.loads(row[0]))

    def note(self, run_id: int) -> str:
        row = self._db.execute("SELECT note FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"no run {run_id} in the history {self.path}")
        return str(row[0])

    def set_note(self, run_id: int, note: str) -> None:
        """The user's words on a run, searchable with the list's filter ("" clears it)."""
        self.note(run_id)  # no such run: an error, not a silent no-op
        with self._transaction():
            self._db.execute("UPDATE runs SET note = ? WHERE id = ?", (note.strip(), run_id))

    def delete(self, run_id: int) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
