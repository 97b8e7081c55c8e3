"""The run history: stored runs, newest first; open, re-run, edit, delete, compare."""

from __future__ import annotations

import os
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.widgets.data_table import CellDoesNotExist

from ...config import BenchmarkConfig
from ...errors import OvbenchError
from ...reports.history import HistoryStore, RunRow
from ...text_fit import cut_left, cut_path
from ..app_api import ovbench_app
from ..history_rows import (
    COLUMNS,
    LETTERS,
    MODEL_WIDTH,
    RIGHT_COLUMNS,
    STOPPED_MARK,
    cell,
    local_time,
    row_cells,
    short_path,
)
from ..widgets.title_bar import TitleBar


class HistoryScreen(Screen[None]):
    BINDINGS = [
        # priority: the table's own (hidden) enter would otherwise hide this one.
        Binding("enter", "open", "Open", priority=True),
        Binding("r", "rerun", "Re-run"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("space", "mark", "Mark"),
        Binding("c", "compare", "Compare"),
        # Hidden (the footer is full at 80 columns): the status line names it when runs are marked.
        Binding("x", "clear_marks", "Unmark all", show=False),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("escape", "back", "Back"),
        Binding("b", "back", "Back", show=False),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
        Binding("t", "note", "Note on the run", show=False),
    ]

    def __init__(self, history_path: str = "", base_config: BenchmarkConfig | None = None) -> None:
        """`history_path` "" is the user data folder's file; `base_config` gives re-runs
        the app's own history file and options (as the form does)."""
        super().__init__()
        self.history_path = history_path
        self.base_config = base_config
        self.rows: list[RunRow] = []
        self.marked: list[int] = []  # run ids in the order marked: the first is the baseline
        self.pending_delete: int | None = None
        self.pending_compare = False  # warned about hidden marks or mixed models
        self.filter_text = ""
        self.shown_path = history_path

    def compose(self) -> ComposeResult:
        yield TitleBar("ovbench-tui", "run history", id="title-bar")
        yield Input(placeholder="filter by model, device, hint or tag (/)", id="history-filter")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="history-detail")
        yield Static("", id="history-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        for key, label in COLUMNS:
            # The marks' columns are sized for their one letter before any is set.
            width = 2 if key in ("mark", "stopped") else None
            table.add_column(cell(label, key in RIGHT_COLUMNS), key=key, width=width)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        # Back from a run or a re-opened result: the list may have a new run.
        if self.is_mounted:
            self.reload()

    # -- data ------------------------------------------------------------------

    def _store(self) -> HistoryStore:
        return HistoryStore(self.history_path or None)

    def reload(self) -> None:
        try:
            with self._store() as store:
                self.shown_path = str(store.path)
                rows = store.runs(self.filter_text)
        except OvbenchError as error:
            self.rows = []
            self._fill()
            self._status(f"[b red]Error[/]  {escape(str(error))}")
            return
        self.rows = rows
        present = {row.id for row in rows}
        # A mark hidden by the filter stays; one of a deleted run goes.
        self.marked = [run_id for run_id in self.marked if run_id in present or self.filter_text]
        self._fill()
        self._status()

    def _fill(self) -> None:
        table = self.query_one("#history-table", DataTable)
        keep = self._current_id()
        position = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row), key=str(row.id))
        if keep is not None and any(row.id == keep for row in self.rows):
            table.move_cursor(row=table.get_row_index(str(keep)), animate=False)
        elif self.rows:
            # The run under the cursor went (deleted): stay at its place, on the next one,
            # so a second "d d" never lands on the newest run.
            table.move_cursor(row=min(position, len(self.rows) - 1), animate=False)
        self._show_detail()

    def _mark(self, run_id: int) -> Text:
        letter = LETTERS[self.marked.index(run_id) % 26] if run_id in self.marked else ""
        return cell(letter, style="b")

    def _cells(self, row: RunRow) -> list[Any]:
        return [self._mark(row.id), *row_cells(row, self._model_width())]

    def _current_id(self) -> int | None:
        table = self.query_one("#history-table", DataTable)
        if not table.row_count:
            return None
        try:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        except CellDoesNotExist:  # the cursor is past the rows while they are refilled
            return None
        return int(str(row_key.value))

    def _row(self, run_id: int) -> RunRow | None:
        return next((row for row in self.rows if row.id == run_id), None)

    def _status(self, text: str | None = None) -> None:
        if text is None:
            count = len(self.rows)
            runs = "1 run" if count == 1 else f"{count} runs"
            shown = f" matching {self.filter_text!r}" if self.filter_text else ""
            marks = f", {len(self.marked)} marked (x unmarks)" if self.marked else ""
            legend = f"{STOPPED_MARK} stopped early"
            head = f"{runs}{shown}{marks} in "
            room = max(10, self._width() - len(head) - len(legend) - 2)
            path = cut_left(short_path(self.shown_path), room)
            text = f"{escape(head + path)}  [yellow]{STOPPED_MARK}[/][dim] stopped early[/]"
        self.query_one("#history-status", Static).update(text)

    def _show_detail(self) -> None:
        run_id = self._current_id()
        row = None if run_id is None else self._row(run_id)
        detail = self.query_one("#history-detail", Static)
        if row is None:
            detail.update("No stored runs yet: finished and stopped runs land here.")
            return
        count = "-" if row.count is None else str(row.count)
        tag = f"{row.tag}  " if row.tag else ""  # where it came from, e.g. a sweep's point
        tag += f"note: {row.note}  " if row.note else ""
        head = f"run {row.id}  {local_time(row.created_at, '%Y-%m-%d %H:%M')}  {count} it.  {tag}"
        detail.update(escape(head + cut_path(row.model, max(10, self._width() - len(head)))))

    def _model_width(self) -> int:
        return max(MODEL_WIDTH, MODEL_WIDTH + self._width() - 78)

    def on_resize(self) -> None:
        if self.is_mounted and self.rows:
            self._fill()

    def _width(self) -> int:
        # Before the first layout the screen has no size yet: assume the smallest terminal.
        return (self.size.width or 80) - 2

    def _document(self, run_id: int) -> dict[str, Any] | None:
        try:
            with self._store() as store:
                return store.document(run_id)
        except OvbenchError as error:  # the file went away, or the run was deleted elsewhere
            self.notify(str(error), severity="error")
            if run_id in self.marked:
                self.marked.remove(run_id)
            self.reload()
            return None

    def _config(self, document: dict[str, Any]) -> BenchmarkConfig | None:
        from ...reports.loaded_run import config_from_document

        try:
            config = config_from_document(document)
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return None
        # Runs from here go to the history this screen shows, with the app's options.
        base = self.base_config
        return config.replace(
            history=self.history_path,
            no_history=False if base is None else base.no_history,
            progress="none",
        )

    def _selected(self) -> tuple[int, dict[str, Any]] | None:
        run_id = self._current_id()
        if run_id is None:
            self.notify("No run selected", severity="warning")
            return None
        document = self._document(run_id)
        return None if document is None else (run_id, document)

    # -- events ----------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        # A delete waits for a second d; anything else in between cancels it.
        if event.key != "d" and self.pending_delete is not None:
            self.pending_delete = None
            self._status()
        if event.key != "c" and self.pending_compare:
            self.pending_compare = False
            self._status()

    @on(DataTable.RowHighlighted, "#history-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.reload()
        if self.rows:  # a new filter shows its newest match first, not the last row
            self.query_one("#history-table", DataTable).move_cursor(row=0, animate=False)
            self._show_detail()

    # -- actions ---------------------------------------------------------------

    def action_open(self) -> None:
        from ...reports.loaded_run import result_from_document
        from .results import ResultsScreen

        if self.query_one("#history-filter", Input).has_focus:
            self.query_one("#history-table", DataTable).focus()  # done filtering
            return
        selected = self._selected()
        if selected is None:
            return
        run_id, document = selected
        config = self._config(document)
        if config is None:
            return
        try:
            result = result_from_document(document)
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return
        histogram = document.get("histogram")
        self.app.push_screen(
            ResultsScreen(
                result,
                config,
                histogram=histogram if isinstance(histogram, dict) else None,
                run_id=run_id,
            )
        )

    def action_rerun(self) -> None:
        from .run import RunScreen

        selected = self._selected()
        config = None if selected is None else self._config(selected[1])
        if config is None:
            return
        from ..recent import remember

        remember(config.model)
        self.app.push_screen(RunScreen(config))

    def action_edit(self) -> None:
        selected = self._selected()
        config = None if selected is None else self._config(selected[1])
        if config is not None:
            ovbench_app(self).edit_config(config)

    def action_delete(self) -> None:
        run_id = self._current_id()
        if run_id is None:
            self.notify("No run selected", severity="warning")
            return
        if self.pending_delete != run_id:
            self.pending_delete = run_id
            self._status(f"[b yellow]Delete run {run_id}?[/]  Press d again to delete it.")
            return
        self.pending_delete = None
        try:
            with self._store() as store:
                store.delete(run_id)
        except OvbenchError as error:
            self.notify(str(error), severity="error")
            return
        if run_id in self.marked:
            self.marked.remove(run_id)
        self.reload()
        self.notify(f"Deleted run {run_id}")

    def action_mark(self) -> None:
        run_id = self._current_id()
        if run_id is None:
            return
        if run_id in self.marked:
            self.marked.remove(run_id)
        else:
            self.marked.append(run_id)
        table = self.query_one("#history-table", DataTable)
        for row in self.rows:  # letters after an unmarked run move up
            table.update_cell(str(row.id), "mark", self._mark(row.id))
        self._status()

    def action_compare(self) -> None:
        if len(self.marked) < 2:
            self.notify(
                "Mark 2 or more runs with space to compare them (the first marked is the baseline)",
                severity="warning",
            )
            return
        warning = self._compare_warning()
        if warning and not self.pending_compare:
            self.pending_compare = True
            self._status(f"[b yellow]{escape(warning)}[/]  c compares anyway, x unmarks all.")
            return
        self.pending_compare = False
        documents = []
        for run_id in self.marked:
            document = self._document(run_id)
            if document is None:
                return
            documents.append(document)
        ovbench_app(self).open_compare(documents, [f"run {run_id}" for run_id in self.marked])

    def action_note(self) -> None:
        from .note import edit_note

        run_id = self._current_id()
        if run_id is None:
            self.notify("No run selected", severity="warning")
            return
        edit_note(self, self.history_path, run_id, then=self.reload)

    def _compare_warning(self) -> str:
        """What the user may not see: marks the filter hides, runs of other models."""
        shown = {row.id for row in self.rows}
        hidden = [run_id for run_id in self.marked if run_id not in shown]
        if hidden:
            runs = ", ".join(str(run_id) for run_id in hidden)
            return f"Marked run{'s' if len(hidden) > 1 else ''} {runs} hidden by the filter."
        models = set()
        for run_id in self.marked:
            row = self._row(run_id)
            if row is not None:
                models.add(row.model)
        if len(models) > 1:
            names = ", ".join(sorted(os.path.basename(m) or m for m in models))
            return f"The marked runs are of different models ({names})."
        return ""

    def action_clear_marks(self) -> None:
        if not self.marked:
            return
        self.marked = []
        self.pending_compare = False
        table = self.query_one("#history-table", DataTable)
        for row in self.rows:
            table.update_cell(str(row.id), "mark", self._mark(row.id))
        self._status()

    def action_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_back(self) -> None:
        history_filter = self.query_one("#history-filter", Input)
        if history_filter.has_focus:
            self.query_one("#history-table", DataTable).focus()
            return
        self.app.pop_screen()
