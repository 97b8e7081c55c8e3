"""Compare: two or more runs against the first, with confidence intervals and verdicts."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from ...compare import (
    DEFAULT_MIN_EFFECT_PCT,
    DEFAULT_THRESHOLD_PCT,
    FASTER,
    SLOWER,
    Comparison,
    PairComparison,
    TimeRow,
    compare_documents,
    figure_cells,
    format_number,
    format_percent,
    format_signed,
    group_cells,
)
from ...text_fit import cut_left, cut_path
from ..app_api import ovbench_app
from ..widgets.title_bar import TitleBar

TABLES = (
    "#cmp-figures-table",
    "#cmp-layers-table",
    "#cmp-types-table",
    "#cmp-groups-table",
    "#cmp-config-table",
)
BETTER, WORSE, NEUTRAL = "green", "red", "dim"


def _verdict_text(verdict: str | None) -> Text:
    if verdict is None:
        return Text("")
    style = BETTER if verdict == FASTER else WORSE if verdict == SLOWER else NEUTRAL
    return Text(verdict, style=style)


def _time_style(row: TimeRow) -> str:
    # Less time is better; a layer in one run only is shown as it is.
    if row.only_in or not row.delta_ms:
        return ""
    return WORSE if row.delta_ms > 0 else BETTER


Cell = str | Text


def _fill(table: DataTable[Any], header: list[str], rows: list[list[Cell]], align: str) -> None:
    """Columns sized to their widest cell, numbers right-aligned by padding (a DataTable
    sizes columns by their plain text, so justified Text drifts by a cell or two)."""
    cells = [[cell if isinstance(cell, Text) else Text(cell) for cell in row] for row in rows]
    widths = [
        max([len(head)] + [len(row[index].plain) for row in cells if index < len(row)])
        for index, head in enumerate(header)
    ]

    def pad(text: Text, width: int, side: str) -> Text:
        # One space before each column: the tables have no cell padding, so 7 columns
        # and a scroll bar fit in 80 columns.
        text = text.copy()
        text.pad_left(1 + (width - len(text.plain) if side == "r" else 0))
        return text

    table.add_columns(
        *(
            pad(Text(head), width, side)
            for head, width, side in zip(header, widths, align, strict=True)
        )
    )
    for row in cells:
        row = row + [Text("")] * (len(header) - len(row))
        table.add_row(
            *(pad(cell, width, side) for cell, width, side in zip(row, widths, align, strict=True))
        )


def _section(pair: PairComparison, many: bool) -> list[list[Cell]]:
    """A heading row before each comparison when there are several."""
    return [[Text(f"{pair.other} vs {pair.baseline}", style="bold")]] if many else []


class CompareScreen(Screen[None]):
    BINDINGS = [
        Binding("b", "back", "Back"),
        Binding("t", "threshold", "Layer threshold"),
        # Out of the footer: ? and the palette list them.
        Binding("y", "copy_markdown", "Copy the comparison as Markdown", show=False),
        Binding("w", "save_markdown", "Save the comparison as Markdown", show=False),
        Binding("1", "tab('cmp-figures')", "Figures", show=False),
        Binding("2", "tab('cmp-layers')", "Layers", show=False),
        Binding("3", "tab('cmp-groups')", "Groups", show=False),
        Binding("4", "tab('cmp-config')", "Config", show=False),
        Binding("escape", "escape", "Back (out of the threshold field first)", show=False),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        documents: list[dict[str, Any]],
        names: list[str],
        min_effect_pct: float = DEFAULT_MIN_EFFECT_PCT,
    ) -> None:
        super().__init__()
        self.names = list(names)
        self.threshold_pct = DEFAULT_THRESHOLD_PCT
        self.comparison: Comparison | None = None
        self.error = ""
        try:
            self.comparison = compare_documents(
                documents, self.names, min_effect_pct=min_effect_pct
            )
        except ValueError as error:
            self.error = str(error)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with TabbedContent(id="compare-tabs"):
            with TabPane("Figures", id="cmp-figures"), Vertical():
                yield Static("", id="cmp-runs")
                # No cursor: it would hide the first row's verdict colour.
                yield DataTable(
                    id="cmp-figures-table", zebra_stripes=True, cursor_type="none", cell_padding=0
                )
                yield Static("", id="cmp-figures-note", classes="hint")
            with TabPane("Layers", id="cmp-layers"), Vertical():
                with Horizontal(id="cmp-threshold-row"):
                    yield Static("show layers whose time differs by at least (%):")
                    yield Input(f"{DEFAULT_THRESHOLD_PCT:g}", id="cmp-threshold")
                yield Static("", id="cmp-threshold-message")
                yield DataTable(
                    id="cmp-layers-table", zebra_stripes=True, cursor_type="row", cell_padding=0
                )
                yield DataTable(
                    id="cmp-types-table", zebra_stripes=True, cursor_type="row", cell_padding=0
                )
            with TabPane("Shape groups", id="cmp-groups"), Vertical():
                yield DataTable(
                    id="cmp-groups-table", zebra_stripes=True, cursor_type="row", cell_padding=0
                )
                yield Static("", id="cmp-groups-note", classes="hint")
            with TabPane("Config", id="cmp-config"), Vertical():
                yield DataTable(
                    id="cmp-config-table", zebra_stripes=True, cursor_type="row", cell_padding=0
                )
                yield Static("", id="cmp-config-note", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        names = ", ".join(
            f"{run.letter} = {run.name}"
            for run in (self.comparison.runs if self.comparison else ())
        )
        self.query_one(TitleBar).set_text("ovbench-tui", escape(f"compare: {names}"))
        self._fill_tabs()

    def _fill_tabs(self, attempt: int = 0) -> None:
        # TabbedContent mounts its panes' children after this screen's Mount on a
        # busy machine; fill the tables once they exist.
        try:
            for selector in TABLES:
                self.query_one(selector, DataTable)
        except NoMatches:
            if attempt < 100:
                self.set_timer(0.02, lambda: self._fill_tabs(attempt + 1))
            return
        if self.comparison is None:
            self.query_one("#cmp-runs", Static).update(escape(f"Cannot compare: {self.error}"))
            return
        self._fill_figures(self.comparison)
        self._fill_layers()
        self._fill_groups(self.comparison)
        self._fill_config(self.comparison)
        self.query_one("#cmp-figures-table", DataTable).focus()

    # -- figures ----------------------------------------------------------------------

    def _other_letter(self, comparison: Comparison) -> str:
        return "other" if len(comparison.pairs) > 1 else comparison.pairs[0].other

    def _fill_figures(self, comparison: Comparison) -> None:
        lines = []
        for run in comparison.runs:
            role = " (baseline)" if run is comparison.runs[0] else ""
            when = run.created_at[:16].replace("T", " ")
            stopped = ", stopped early" if run.stopped_early else ""
            # Label and date whole; the model path takes the room left, file name first.
            head = f"{run.letter}{role} {run.name}: {when}, "
            width = (self.size.width or self.app.size.width) - 2
            room = max(12, width - len(head) - len(stopped))
            lines.append(head + cut_path(run.model, room) + stopped)
        self.query_one("#cmp-runs", Static).update(escape("\n".join(lines)))
        many = len(comparison.pairs) > 1
        rows: list[list[Cell]] = []
        notes = []
        for pair in comparison.pairs:
            rows += _section(pair, many)
            for row in pair.figures:
                rows.append([*figure_cells(row), _verdict_text(row.verdict)])
                if row.note:
                    notes.append(f"{pair.other} {row.label}: no interval: {row.note}")
            if pair.figures_note:
                notes.append(pair.figures_note)
        header = ["figure", comparison.runs[0].letter, self._other_letter(comparison)]
        header += ["Δ", "Δ%", "95% CI of Δ", "verdict"]
        _fill(self.query_one("#cmp-figures-table", DataTable), header, rows, "lrrrrll")
        notes.append(
            "Δ = run − A; the CI's width comes from each run's windows (within-run noise);"
        )
        notes.append(
            f"verdicts need the whole CI beyond ±{comparison.min_effect_pct:g}% of A "
            "(reruns differ by a few %)"
        )
        self.query_one("#cmp-figures-note", Static).update(escape("\n".join(notes)))

    # -- layers -----------------------------------------------------------------------

    def _fill_layers(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        layers = self.query_one("#cmp-layers-table", DataTable)
        types = self.query_one("#cmp-types-table", DataTable)
        layers.clear(columns=True)
        types.clear(columns=True)
        many = len(comparison.pairs) > 1
        layer_rows: list[list[Cell]] = []
        type_rows: list[list[Cell]] = []
        messages = []
        for pair in comparison.pairs:
            if pair.layers is None:
                messages.append(pair.layers_note)
                continue
            shown = pair.layers_beyond(self.threshold_pct)
            layer_rows += _section(pair, many)
            layer_rows += [
                [cut_left(row.name, 28), cut_left(row.layer_type, 14), *self._times(row)]
                for row in shown
            ]
            type_rows += _section(pair, many)
            type_rows += [[cut_left(row.name, 28), *self._times(row)] for row in pair.layer_types]
            prefix = f"{pair.other}: " if many else ""
            messages.append(
                f"{prefix}{len(shown)} of {len(pair.layers)} layers differ by "
                f"≥ {self.threshold_pct:g} % or are in one run only ({pair.layer_matching})"
            )
        a, other = comparison.runs[0].letter, self._other_letter(comparison)
        times = [f"{a} ms", f"{other} ms", "Δ ms", "Δ%"]
        _fill(layers, ["layer", "type", *times], layer_rows, "llrrrr")
        _fill(types, ["layer type", *times], type_rows, "lrrrr")
        has_layers = any(pair.layers is not None for pair in comparison.pairs)
        layers.display = types.display = has_layers
        self._message(" · ".join(messages), error=False)

    @staticmethod
    def _times(row: TimeRow) -> list[Cell]:
        like = max(row.baseline_ms or 0.0, row.other_ms or 0.0)
        style = _time_style(row)
        return [
            format_number(row.baseline_ms, like=like),
            format_number(row.other_ms, like=like),
            Text(format_signed(row.delta_ms, like=like), style=style),
            Text(row.presence or format_percent(row.delta_pct), style=style),
        ]

    def _message(self, text: str, error: bool) -> None:
        message = self.query_one("#cmp-threshold-message", Static)
        message.set_class(error, "error")
        message.update(escape(text))

    @on(Input.Submitted, "#cmp-threshold")
    def _threshold_submitted(self) -> None:
        self.action_escape()  # enter as escape: out of the field, so 1-4 and b work again

    @on(Input.Changed, "#cmp-threshold")
    def _threshold_changed(self, event: Input.Changed) -> None:
        text = event.value.strip().removesuffix("%").strip()
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 <= value < float("inf"):
            self._message(
                f"threshold {event.value!r} is not a percentage of 0 or more: type one, e.g. 5",
                error=True,
            )
            return
        self.threshold_pct = value
        self._fill_layers()

    # -- shape groups and settings ----------------------------------------------------

    def _fill_groups(self, comparison: Comparison) -> None:
        many = len(comparison.pairs) > 1
        rows: list[list[Cell]] = []
        notes = []
        for pair in comparison.pairs:
            if not pair.groups:
                notes.append(f"{pair.other} vs {pair.baseline}: {pair.groups_note}")
                continue
            rows += _section(pair, many)
            rows += [list(group_cells(group, 24)) for group in pair.groups]
        a, b = comparison.runs[0].letter, self._other_letter(comparison)
        header = ["group", f"n {a}", f"n {b}", f"med {a}", f"med {b}", "Δ%"]
        header += [f"avg {a}", f"avg {b}", "Δ%"]
        table = self.query_one("#cmp-groups-table", DataTable)
        _fill(table, header, rows, "l" + "r" * 8)
        if rows:
            notes.append("latencies in ms; Δ% = run − A")
        table.display = bool(rows)
        self.query_one("#cmp-groups-note", Static).update(escape("\n".join(notes)))

    def _fill_config(self, comparison: Comparison) -> None:
        runs = comparison.runs
        keys = [d.key for d in comparison.config_differences]
        keys += ["env " + d.key for d in comparison.environment_differences]
        key_width = max([len("setting"), *map(len, keys)])
        width = max(8, (76 - key_width) // len(runs) - 1)
        rows: list[list[Cell]] = [
            [prefix + difference.key, *(cut_left(value, width) for value in difference.values)]
            for prefix, differences in (
                ("", comparison.config_differences),
                ("env ", comparison.environment_differences),
            )
            for difference in differences
        ]
        table = self.query_one("#cmp-config-table", DataTable)
        _fill(table, ["setting", *(run.letter for run in runs)], rows, "l" * (len(runs) + 1))
        notes = []
        if not comparison.config_differences:
            notes.append("The runs have the same settings.")
        elif any(d.key.endswith("(effective)") for d in comparison.config_differences):
            notes.append("(effective): what the compiled model reported it ran with.")
        if not comparison.environment_differences:
            notes.append("They ran on the same machine and OpenVINO version.")
        else:
            notes.append("env: the machine and OpenVINO version of each run.")
        table.display = bool(rows)
        self.query_one("#cmp-config-note", Static).update(escape(" ".join(notes)))

    # -- actions ----------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        # Textual's TabbedContent keeps the pane that holds the focus active, so a
        # switch from a focused table would not happen: let go of the focus first.
        self.set_focus(None)
        self.query_one("#compare-tabs", TabbedContent).active = tab

    def action_threshold(self) -> None:
        self.action_tab("cmp-layers")
        self.query_one("#cmp-threshold", Input).focus()

    def action_escape(self) -> None:
        if isinstance(self.focused, Input):
            table = self.query_one("#cmp-layers-table", DataTable)
            if table.display:
                table.focus()
            else:
                self.set_focus(None)
        else:
            self.action_back()

    def markdown(self) -> str | None:
        from ...markdown import comparison_markdown

        if self.comparison is None:
            self.notify(f"Nothing to copy: {self.error}", severity="warning")
            return None
        return comparison_markdown(self.comparison)

    def action_copy_markdown(self) -> None:
        text = self.markdown()
        if text is not None:
            ovbench_app(self).copy_markdown("comparison", text)

    def action_save_markdown(self) -> None:
        text = self.markdown()
        if text is not None:
            ovbench_app(self).save_markdown("comparison", text)

    def action_back(self) -> None:
        self.app.pop_screen()
