"""Results: the benchmark_app summary plus percentiles, shape groups, layers, histogram."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from ...config import BenchmarkConfig
from ...engine.counters import PerfCounterTable
from ...engine.result import (
    RunResult,
    format_latency,
    readable_property,
    summary_lines,
)
from ...knobs import KNOB_BY_FIELD
from ...text_fit import readable_ms
from ..app_api import ovbench_app
from ..widgets.histogram import Histogram
from ..widgets.title_bar import TitleBar

WARNING_MARK = "\x00warning\x00"
HINT_PROPERTY = KNOB_BY_FIELD["hint"].device_property
# The compiled model's properties the summary shows: the knobs' and the requests it chose.
KEY_PROPERTIES = (
    HINT_PROPERTY,
    KNOB_BY_FIELD["nstreams"].device_property,
    "OPTIMAL_NUMBER_OF_INFER_REQUESTS",
    KNOB_BY_FIELD["nthreads"].device_property,
    KNOB_BY_FIELD["infer_precision"].device_property,
    KNOB_BY_FIELD["pin"].device_property,
)
LAYER_SORTS = ("real", "cpu", "name", "type")
GROUPS_HEADING = "Latency for each data shape group:"  # summary_lines' per-group block


LATENCY_LINE = re.compile(r"^(.*:\s+)(\d+(?:\.\d+)?) (us|ms)$")


def readable_units(line: str) -> str:
    """benchmark_app's latency line with its figure in a readable unit (it keeps one
    unit for a whole block, so a 1.26 s maximum reads 1261446.38 us)."""
    match = LATENCY_LINE.match(line)
    if match is None:
        return line
    value = float(match.group(2)) / (1000 if match.group(3) == "us" else 1)
    return match.group(1) + readable_ms(value)


class ResultsScreen(Screen[None]):
    BINDINGS = [
        # Short labels: every key and ctrl+q fit the footer at 80 columns.
        Binding("b", "back", "Form"),
        Binding("r", "rerun", "Run again"),
        Binding("w", "save", "Save"),
        Binding("h", "history", "History"),
        Binding("p", "save_reports", "Reports"),
        Binding("o", "sort_layers", "Sort"),
        Binding("slash", "filter_layers", "Filter", key_display="/"),
        Binding("1", "tab('tab-summary')", "Summary", show=False),
        Binding("2", "tab('tab-groups')", "Groups", show=False),
        Binding("3", "tab('tab-layers')", "Layers", show=False),
        Binding("4", "tab('tab-histogram')", "Histogram", show=False),
        Binding("escape", "escape", "Back (out of the layer filter first)", show=False),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
        # Out of the footer (it is full at 80 columns): ? and the palette list them.
        Binding("y", "copy_markdown", "Copy this tab as Markdown", show=False),
        Binding("t", "note", "Note on the run (in the history)", show=False),
    ]

    def __init__(
        self,
        result: RunResult,
        config: BenchmarkConfig,
        histogram: dict[str, Any] | None = None,
        run_id: int | None = None,
    ) -> None:
        """`histogram` (result_file's bins) stands in for a stored run's latencies;
        `run_id` is the run's id in the history when it was re-opened from there."""
        super().__init__()
        self.result = result
        self.config = config
        self.histogram = histogram
        self.run_id = run_id
        self.layer_sort = "real"
        self.layer_filter = ""
        self.history_id = run_id  # where a note goes; the app sets it for a fresh run

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with TabbedContent(id="result-tabs"):
            with TabPane("Summary", id="tab-summary"), VerticalScroll(id="summary-scroll"):
                yield Static(self._summary_text(), id="summary")
            with TabPane("Shape groups", id="tab-groups"):
                yield DataTable(id="groups-table", zebra_stripes=True)
                yield Static("", id="groups-note", classes="hint")
            with TabPane("Layers", id="tab-layers"), Vertical():
                yield Input(
                    placeholder="/ filters layers by name, type or exec type", id="layer-filter"
                )
                yield DataTable(id="layers-table", zebra_stripes=True)
                yield DataTable(id="types-table", zebra_stripes=True)
                yield Static("", id="layers-note", classes="hint")
            with TabPane("Histogram", id="tab-histogram"):
                yield Histogram(allow_pan_and_zoom=False, id="histogram")
        yield Footer()

    def on_mount(self) -> None:
        stopped = " (stopped early)" if self.result.stopped_early else ""
        what = "results" if self.run_id is None else f"run {self.run_id} from the history"
        self.query_one(TitleBar).set_text(
            "ovbench-tui",
            escape(f"{what}{stopped}: ") + "{path}" + escape(f" on {self.config.device}"),
            self.config.model,
        )
        self._fill_tabs()

    def _fill_tabs(self, attempt: int = 0) -> None:
        # TabbedContent mounts its panes' children after this screen's Mount on a
        # busy machine; fill the tables once they exist.
        try:
            self.query_one("#groups-table", DataTable)
            self.query_one("#layers-table", DataTable)
            histogram = self.query_one(Histogram)
        except NoMatches:
            if attempt < 100:
                self.set_timer(0.02, lambda: self._fill_tabs(attempt + 1))
            return
        self._fill_groups()
        self._fill_layers()
        if len(self.result.latencies_ms) or self.histogram is None:
            histogram.draw(self.result.latencies_ms, self.result.groups)
        else:
            histogram.draw_stored(self.histogram)

    # -- summary -----------------------------------------------------------------

    def _summary_text(self) -> str:
        result = self.result
        stats = result.latency
        extra = []
        for name, value in (
            ("p90", stats.p90),
            ("p95", stats.p95),
            ("p99", stats.p99),
            ("p99.9", stats.p999),
        ):
            extra.append(
                f"   {name + ':':<15}"
                + (format_latency(value, False) if value is not None else "too few samples")
            )
        body = [readable_units(line) for line in summary_lines(result)]
        if "Latency:" in body:  # hidden for MULTI runs and stored runs without latencies
            at = body.index("Latency:") + 5
            body[at:at] = extra
        # At 80x24 the headline (count, duration, latency, throughput) must show without
        # scrolling, above a toast: the warnings come right after it, where the first
        # one still shows; per-group latencies (the Shape groups tab has them) last.
        groups: list[str] = []
        if GROUPS_HEADING in body:
            start = body.index(GROUPS_HEADING)
            end = next(i for i, line in enumerate(body) if line.startswith("Throughput:"))
            groups, body[start:end] = body[start:end], []
        stability = result.stability
        lines = body + [f"{WARNING_MARK}{warning}" for warning in result.trust_warnings()]
        lines += groups
        if stability is not None:
            cv = "too short to judge" if stability.cv is None else f"{stability.cv * 100:.1f} %"
            lines.append(
                f"Throughput variation (CV over {len(stability.window_fps)} windows): {cv}"
            )
        load = result.machine_load
        if load is not None:
            lines.append(
                f"CPU while measuring (% of a core): this run {load.ours_pct:.0f} %, "
                f"other processes {load.other_pct:.0f} %"
            )
        if result.auto is not None and result.auto.stable:
            lines.append(result.auto.message())
        if result.timings_ms:
            lines.append(
                "Times: "
                + ", ".join(
                    f"{what.replace('_', ' ')} {readable_ms(ms)}"
                    for what, ms in result.timings_ms.items()
                )
            )
        lines.append(
            f"API {result.api}, {result.nireq} infer requests, batch {result.batch}, "
            f"{'inference only' if result.inference_only else 'full'} mode"
        )
        for key in KEY_PROPERTIES:
            if key in result.compiled_properties:
                shown = readable_property(result.compiled_properties[key])
                if key == HINT_PROPERTY and self.config.hint == "none":
                    shown = f"none (device default {shown})"  # -hint none sets no hint
                lines.append(f"{key}: {shown}")
        # Model names and shapes may hold brackets: escape all, then mark the warnings.
        text = escape("\n".join(lines))
        return text.replace(escape(WARNING_MARK), "[b yellow]Warning: [/]")

    # -- shape groups -------------------------------------------------------------

    def _fill_groups(self) -> None:
        table = self.query_one("#groups-table", DataTable)
        table.add_columns(
            "#", "group", "count", "frames", "median", "average", "min", "max", "share"
        )
        groups = self.result.groups
        if not groups:
            self.query_one("#groups-note", Static).update(
                "One data shape: see the summary. Give several -data_shape values to a dynamic "
                "model to compare shapes."
            )
            return
        for number, group in enumerate(groups, start=1):
            g = group.stats
            table.add_row(
                str(number),
                group.label.strip(),
                str(group.count),
                str(group.frames),
                f"{g.median:.3f}",
                f"{g.average:.3f}",
                f"{g.minimum:.3f}",
                f"{g.maximum:.3f}",
                f"{group.time_share * 100:.1f} %",
            )
        self.query_one("#groups-note", Static).update(
            "latencies in ms; share = part of the summed latency"
        )

    # -- layers -------------------------------------------------------------------

    def _counters(self) -> PerfCounterTable | None:
        return self.result.counters

    def _fill_layers(self) -> None:
        table = self.query_one("#layers-table", DataTable)
        types = self.query_one("#types-table", DataTable)
        note = self.query_one("#layers-note", Static)
        table.clear(columns=True)
        types.clear(columns=True)
        counters = self._counters()
        if counters is None:
            table.display = types.display = False
            note.update(
                "No layer counters: turn on 'Layer counters' (-pc) in the form and run again."
            )
            return
        from ..layer_rows import layer_table

        layers = list(counters.layers)
        text = self.layer_filter.lower()
        if text:
            layers = [
                layer
                for layer in layers
                if text in layer.name.lower()
                or text in layer.layer_type.lower()
                or text in layer.exec_type.lower()  # "bf16" finds the bf16 kernels
            ]
        keys = {
            "real": lambda layer: -layer.mean_real_ms,
            "cpu": lambda layer: -layer.mean_cpu_ms,
            "name": lambda layer: layer.name,
            "type": lambda layer: (layer.layer_type, -layer.mean_real_ms),
        }
        layers.sort(key=keys[self.layer_sort])
        total = sum(layer.mean_real_ms for layer in counters.layers)
        shown = layer_table(layers, total, self.layer_sort, self._cpu_shown(), self.app.size.width)
        for header, width in zip(shown.headers, shown.widths, strict=True):
            table.add_column(header, width=width)
        for cells in shown.rows:
            table.add_row(*cells)
        types.add_columns("layer type", "layers", "ms", "% of total", "cumulative %")
        for row in counters.by_type():
            types.add_row(
                row.key,
                str(row.layers),
                f"{row.mean_ms:.3f}",
                f"{row.percent:.1f}",
                f"{row.cumulative_percent:.1f}",
            )
        note.update(
            f"mean per inference over {counters.sample_text}, by {self.layer_sort}; "
            "/ filters, enter/esc leaves the filter, o sorts"
        )

    @on(Input.Submitted, "#layer-filter")
    def _filter_submitted(self) -> None:
        self.query_one("#layers-table", DataTable).focus()

    @on(Input.Changed, "#layer-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.layer_filter = event.value
        self._fill_layers()

    def action_tab(self, tab: str) -> None:
        # Textual's TabbedContent keeps the pane that holds the focus active, so a
        # switch from a focused table would not happen: let go of the focus first.
        self.set_focus(None)
        self.query_one("#result-tabs", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#result-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # Keys stay keys on the layer tab (digits switch tabs); / opens the filter,
        # as on the history. Sort and filter show in the footer on this tab only.
        self.refresh_bindings()

    def _on_layer_tab(self) -> bool:
        try:
            tabs = self.query_one("#result-tabs", TabbedContent)
        except NoMatches:
            return False
        return tabs.active == "tab-layers" and self._counters() is not None

    def action_filter_layers(self) -> None:
        self.query_one("#layer-filter", Input).focus()

    def action_escape(self) -> None:
        """Out of the layer filter, else back where the results were opened from: the
        history or the tuner's table, or the form after a run (as b)."""
        if isinstance(self.focused, Input):
            self.query_one("#layers-table", DataTable).focus()
            return
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        if below is None or below is ovbench_app(self).setup_screen:
            self.action_back()
        else:
            self.app.pop_screen()

    def on_resize(self) -> None:
        # The layer columns are cut to the width: cut them anew (once the tab exists).
        with contextlib.suppress(NoMatches):
            self._fill_layers()

    def _cpu_shown(self) -> bool:
        from ..layer_rows import cpu_time_differs

        counters = self._counters()
        return counters is not None and cpu_time_differs(counters.layers)

    def action_sort_layers(self) -> None:
        # By cpu time only where that column shows (it equals the real time on CPU).
        sorts = [sort for sort in LAYER_SORTS if sort != "cpu" or self._cpu_shown()]
        self.layer_sort = sorts[(sorts.index(self.layer_sort) + 1) % len(sorts)]
        self._fill_layers()

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        stored = self.run_id is not None
        if action in ("sort_layers", "filter_layers"):
            return self._on_layer_tab()
        if action == "save":
            # A new result file of a stored run would lack its histogram and machine:
            # `ovbench-tui history --show ID` prints the stored document instead.
            return not stored
        return True

    def action_history(self) -> None:
        ovbench_app(self).open_history()

    def action_back(self) -> None:
        ovbench_app(self).back_to_form(self.config)

    def action_rerun(self) -> None:
        ovbench_app(self).rerun(self.config)

    def action_save(self) -> None:
        ovbench_app(self).save_result(self.result, self.config)
        ovbench_app(self).save_markdown(*self.markdown_view(), self.config.report_folder)

    def markdown_view(self) -> tuple[str, str]:
        """What the shown tab holds, as Markdown: (what it is, the text)."""
        from ...markdown import groups_markdown, layers_markdown, summary_markdown

        tab = self.query_one("#result-tabs", TabbedContent).active
        if tab == "tab-groups":
            return "shape groups", groups_markdown(self.result)
        if tab == "tab-layers":
            return "layers", layers_markdown(self._counters(), self.layer_filter)
        return "summary", summary_markdown(self.result, self.config)

    def action_copy_markdown(self) -> None:
        ovbench_app(self).copy_markdown(*self.markdown_view())

    def action_note(self) -> None:
        from .note import edit_note

        if self.history_id is None:
            self.notify(
                "This run is not in the history (--no-history): no note", severity="warning"
            )
            return
        edit_note(self, self.config.history, self.history_id)

    def action_save_reports(self) -> None:
        ovbench_app(self).save_reports(self.result, self.config)
