"""Run history: every finished or stopped run, in SQLite.

One row per run with the figures a list needs (model, device, knobs, FPS,
median, date) and the whole result document as JSON, so a run can be
re-opened or re-run.  WAL journal and one transaction per write: a process
killed at any moment loses at most the run it was writing, never a finished
one.  The schema version lives in `PRAGMA user_version`; opening an older file
applies the missing migrations in order.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OvbenchError, UsageError

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
# Writers hold the file for milliseconds; longer means another program holds it
# (an open `sqlite3` shell): keep the run in the pending file instead of waiting.
BUSY_TIMEOUT_S = 5.0
PENDING_SUFFIX = ".pending.jsonl"


class HistoryError(OvbenchError):
    """The history could not be read or written (locked, read-only, disk full)."""


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


def data_folder() -> Path:
    """Where the history and the recent models live (OVBENCH_TUI_DATA_DIR overrides)."""
    override = os.environ.get("OVBENCH_TUI_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("ovbench-tui"))


def default_history_path() -> Path:
    return data_folder() / "history.sqlite"


def pending_path(history: Path) -> Path:
    """Runs that could not be stored wait here, beside the history, for its next open."""
    return history.with_name(history.name + PENDING_SUFFIX)


def _private_files(history: Path) -> list[Path]:
    names = [history.name + suffix for suffix in ("", "-wal", "-shm", PENDING_SUFFIX)]
    return [history.with_name(name) for name in names] + [history.with_name("recent.json")]


def make_private(history: Path) -> list[str]:
    """The data folder 0700 and its files 0600, as shells keep their history: model
    paths and machines are nobody else's business on a shared box.  Creates the
    folder; tightens what an older version left readable (returns a notice then).
    A --history file elsewhere is created 0600 but its folder is left as it is."""
    folder = history.parent
    ours = folder.absolute() == data_folder().absolute()
    if ours:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    if not history.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(history, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if not ours:
        return []
    tightened = []
    for path, private in [(folder, 0o700)] + [(p, 0o600) for p in _private_files(history)]:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                path.chmod(mode & private)
                tightened.append(path.name or str(path))
        except OSError:
            continue
    if not tightened:
        return []
    return [
        f"Made the run history private (other users could read it): {folder} is now "
        f"owner-only ({', '.join(tightened)})"
    ]


def keep_pending(path: str | Path | None, document: dict[str, Any]) -> Path:
    """Append a result document to the pending file; raises OSError."""
    history = Path(path) if path else default_history_path()
    make_private(history)
    pending = pending_path(history)
    fd = os.open(pending, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(document) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return pending


class HistoryStore:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_history_path()
        self.notices: list[str] = []  # one line each, for the front end to show
        try:
            self.notices += make_private(self.path)
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except (OSError, sqlite3.DatabaseError) as error:
            raise UsageError(
                f"run history {self.path} cannot be opened ({error}): "
                "give another file with --history PATH"
            ) from error
        self._import_pending()

    def _import_pending(self) -> None:
        pending = pending_path(self.path)
        if not pending.exists():
            return
        claimed = pending.with_name(f"{pending.name}.{os.getpid()}")
        try:
            os.rename(pending, claimed)  # only one process imports them
            lines = claimed.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        documents = []
        for line in lines:
            with contextlib.suppress(ValueError):
                document = json.loads(line)
                if isinstance(document, dict):
                    documents.append(document)
        try:
            with self._transaction():
                for document in documents:
                    self._insert(document)
        except (sqlite3.Error, HistoryError):
            # Still not writable: back to the pending file for the next open.
            with contextlib.suppress(OSError), open(pending, "a", encoding="utf-8") as file:
                file.write("".join(line + "\n" for line in lines))
            with contextlib.suppress(OSError):
                claimed.unlink()
            return
        with contextlib.suppress(OSError):
            claimed.unlink()
        if documents:
            self.notices.append(
                f"Added {len(documents)} run(s) kept in {pending} while the history could "
                "not be written"
            )

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
        with self._transaction():
            return self._insert(document)

    def _insert(self, document: dict[str, Any]) -> int:
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
        cursor = self._db.execute(
            "INSERT INTO runs (created_at, model, device, fps, median_ms, count, document,"
            " hint, nireq, nstreams, batch, stopped_early, tag)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        return int(cursor.lastrowid or 0)

    def count(self, text: str = "") -> int:
        """How many runs `runs(text)` would list without a limit."""
        pattern = f"%{text}%"
        rows = self._read(
            "SELECT COUNT(*) FROM runs WHERE model LIKE ? OR device LIKE ? OR hint LIKE ?"
            " OR tag LIKE ? OR note LIKE ?",
            (pattern, pattern, pattern, pattern, pattern),
        )
        return int(rows[0][0])

    def runs(self, text: str = "", limit: int = 500) -> list[RunRow]:
        """Newest first; `text` filters on model, device, hint, tag and note; a
        negative `limit` lists them all."""
        pattern = f"%{text}%"
        rows = self._read(
            "SELECT id, created_at, model, device, hint, nireq, nstreams, batch, fps, median_ms,"
            " count, stopped_early, tag, note FROM runs"
            " WHERE model LIKE ? OR device LIKE ? OR hint LIKE ? OR tag LIKE ? OR note LIKE ?"
            " ORDER BY id DESC LIMIT ?",
            (pattern, pattern, pattern, pattern, pattern, limit),
        )
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
        if not 0 < run_id < 2**63:  # sqlite's integers; a bigger one is no id of ours
            raise UsageError(f"no run {run_id} in the history {self.path}")
        found = self._read("SELECT document FROM runs WHERE id = ?", (run_id,))
        row = found[0] if found else None
        if row is None:
            raise UsageError(f"no run {run_id} in the history {self.path}")
        return dict(json.loads(row[0]))

    def _read(self, query: str, parameters: tuple[Any, ...]) -> list[Any]:
        try:
            return self._db.execute(query, parameters).fetchall()
        except sqlite3.Error as error:
            raise HistoryError(f"run history {self.path} cannot be read ({error})") from error

    def note(self, run_id: int) -> str:
        rows = self._read("SELECT note FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise UsageError(f"no run {run_id} in the history {self.path}")
        return str(rows[0][0])

    def set_note(self, run_id: int, note: str) -> None:
        """The user's words on a run, searchable with the list's filter ("" clears it)."""
        self.note(run_id)  # no such run: an error, not a silent no-op
        with self._transaction():
            self._db.execute("UPDATE runs SET note = ? WHERE id = ?", (note.strip(), run_id))

    def delete(self, run_id: int) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self.path)


class _Transaction:
    """One write; sqlite's failures (locked, read-only, disk full) as one HistoryError."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._error(error) from error

    def __exit__(self, kind: object, error: object, *rest: object) -> None:
        try:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        except sqlite3.Error as failure:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise self._error(failure) from failure
        if isinstance(error, sqlite3.Error):
            raise self._error(error) from error

    def _error(self, error: sqlite3.Error) -> HistoryError:
        return HistoryError(f"run history {self.path} cannot be written ({error})")
