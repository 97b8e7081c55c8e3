"""A note on a stored run, typed in a box over the screen (enter keeps it, escape not)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from ...errors import OvbenchError
from ...reports.history import HistoryStore


class NoteScreen(ModalScreen[str | None]):
    """Dismissed with the new note ("" clears it), or None when left unchanged."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, run_id: int, note: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(f"[b]Note on run {self.run_id}[/b]  (searchable with / in the history)")
            yield Input(self.note, placeholder="e.g. after the BIOS update", id="note-input")
            yield Static("[dim]enter keeps it, empty clears it, escape leaves it as it was[/dim]")

    def on_mount(self) -> None:
        self.query_one("#note-box").border_title = "Note"
        self.query_one(Input).focus()

    @on(Input.Submitted, "#note-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


def edit_note(
    screen: Screen[Any], history_path: str, run_id: int, then: Callable[[], None] | None = None
) -> None:
    """Open the note box for `run_id` over `screen`, store what is typed, say so."""
    try:
        with HistoryStore(history_path or None) as store:
            current = store.note(run_id)
    except OvbenchError as error:
        screen.notify(str(error), severity="error")
        return

    def done(note: str | None) -> None:
        if note is None or note == current:
            return
        try:
            with HistoryStore(history_path or None) as store:
                store.set_note(run_id, note)
        except OvbenchError as error:
            screen.notify(str(error), severity="error")
            return
        screen.notify(f"Note on run {run_id} {'stored' if note else 'cleared'}")
        if then is not None:
            then()

    screen.app.push_screen(NoteScreen(run_id, current), done)
