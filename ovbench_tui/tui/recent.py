"""Recently used models, remembered in the user data directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

MAX_RECENT = 10


def recent_file() -> Path:
    override = os.environ.get("OVBENCH_TUI_DATA_DIR")
    if override:
        return Path(override) / "recent.json"
    from platformdirs import user_data_dir

    return Path(user_data_dir("ovbench-tui")) / "recent.json"


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
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        temp.write_text(json.dumps(items[:MAX_RECENT]), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        pass  # remembering is a convenience; never fail a run over it
