"""Recently used models, remembered in the user data directory."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

MAX_RECENT = 10


def recent_file() -> Path:
    from ..reports.history import data_folder

    return data_folder() / "recent.json"


def load_recent() -> list[str]:
    try:
        data = json.loads(recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(item) for item in data if isinstance(item, str)][:MAX_RECENT]


def remember(model: str) -> None:
    items = [model] + [m for m in load_recent() if m != model]
    path = recent_file()
    try:
        # Model paths are nobody else's business: owner-only, like the history.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(json.dumps(items[:MAX_RECENT]))
        os.replace(temp, path)
    except OSError:
        pass  # remembering is a convenience; never fail a run over it
