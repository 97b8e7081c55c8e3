"""Each screen's keys as people read them, from the screens' own BINDINGS.

One source for the help screen (`?`, F1), the command palette and the README's key
table (scripts/keys_table.py): a key added to a screen shows up in all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from textual.screen import Screen

# How a key is written in the help and the README; others are shown as Textual names them.
KEY_NAMES = {
    "escape": "esc",
    "slash": "/",
    "question_mark": "?",
    "enter": "enter",
    "space": "space",
    "backspace": "backspace",
    "full_stop": ".",
}
MAIN, MORE, EVERYWHERE = "Keys of this screen", "Also", "Everywhere"

# The app's own keys, on every screen (tui/app.py binds them).
APP_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action, fuzzy search"),
    ("?, f1", "These keys (in a field that takes ?, such as the form's, F1 only)"),
    ("ctrl+q", "Quit"),
)


@dataclass(frozen=True)
class KeyRow:
    keys: str  # "ctrl+r, f5"
    description: str
    group: str  # MAIN (in the footer) or MORE (hidden from it)
    action: str


def key_name(binding: Binding, key: str) -> str:
    return binding.key_display or KEY_NAMES.get(key, key)


def key_rows(bindings: list[BindingType]) -> list[KeyRow]:
    """One row per action, its keys together; app-wide keys (quit) left to APP_KEYS."""
    rows: dict[str, tuple[list[str], str, bool]] = {}
    for entry in bindings:
        if not isinstance(entry, Binding):  # the (key, action[, description]) tuple form
            entry = Binding(*entry)
        if entry.action in ("app.quit", "quit", "app.help"):
            continue
        names = [key_name(entry, key.strip()) for key in entry.key.split(",")]
        keys, description, shown = rows.get(entry.action, ([], "", False))
        # The footer's label (a shown binding's) names the action best.
        if not description or (entry.show and not shown):
            description = entry.description or entry.action
        rows[entry.action] = (keys + names, description, shown or entry.show)
    return [
        KeyRow(", ".join(dict.fromkeys(keys)), description, MAIN if shown else MORE, action)
        for action, (keys, description, shown) in rows.items()
    ]


def screen_key_rows(screen: type[Screen[Any]] | Screen[Any]) -> list[KeyRow]:
    kind = screen if isinstance(screen, type) else type(screen)
    return key_rows(list(kind.BINDINGS))


SCREEN_TITLES = {
    "SetupScreen": "Form",
    "RunScreen": "Live run",
    "ResultsScreen": "Results",
    "HistoryScreen": "History",
    "CompareScreen": "Compare",
    "SweepScreen": "Sweep",
    "FilePicker": "File picker",
}


def screen_title(screen: type[Screen[Any]] | Screen[Any]) -> str:
    kind = screen if isinstance(screen, type) else type(screen)
    return SCREEN_TITLES.get(kind.__name__, kind.__name__.removesuffix("Screen"))


def app_screens() -> list[type[Screen[Any]]]:
    """The screens a user meets, in the order they meet them (for the README)."""
    from .screens.capacity import CapacityScreen
    from .screens.compare import CompareScreen
    from .screens.file_picker import FilePicker
    from .screens.history import HistoryScreen
    from .screens.results import ResultsScreen
    from .screens.run import RunScreen
    from .screens.setup import SetupScreen
    from .screens.sweep import SweepScreen
    from .screens.tune import TuneScreen

    screens: list[type[Screen[Any]]] = [
        SetupScreen,
        FilePicker,
        RunScreen,
        ResultsScreen,
        HistoryScreen,
        CompareScreen,
        SweepScreen,
        CapacityScreen,
        TuneScreen,
    ]
    return screens


def keys_markdown() -> str:
    """The README's key table: one small table per screen, then the app-wide keys."""
    lines: list[str] = []
    for screen in app_screens():
        lines += [f"**{screen_title(screen)}**", "", "| key | does |", "| --- | --- |"]
        for row in sorted(screen_key_rows(screen), key=lambda row: row.group != MAIN):
            lines.append(f"| `{row.keys}` | {row.description} |")
        lines.append("")
    lines += ["**Everywhere**", "", "| key | does |", "| --- | --- |"]
    lines += [f"| `{keys}` | {description} |" for keys, description in APP_KEYS]
    return "\n".join(lines) + "\n"
