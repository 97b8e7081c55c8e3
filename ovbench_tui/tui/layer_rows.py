"""The results' layer table at the terminal's width: benchmark_app's -pc fields (name,
real and cpu time, layer type, execType, status) in as few columns as say them.

At 80 columns the layer names are cut first (from the left: names differ at their
end), then the exec types (from the left too: the precision, which tells a bf16
kernel from an f32 one, is at their end); a layer type is cut last."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..engine.counters import LayerCounter
from ..text_fit import cut_left, cut_right

# The sort a header shows: times largest first, names and types A to Z.
SORT_MARKS = {"real": "▼", "cpu": "▼", "name": "▲", "type": "▲"}
CELL_PADDING = 2  # DataTable's space either side of a cell
SCROLLBAR = 2  # the table's vertical scrollbar, there once the rows outgrow it
NARROWEST = {"name": 14, "exec": 14, "type": 14}  # cut down to, in this order
CUTS = {"name": cut_left, "exec": cut_left, "type": cut_right}


@dataclass(frozen=True)
class LayerTable:
    headers: list[str]
    widths: list[int]
    rows: list[list[str]]


def cpu_time_differs(layers: Sequence[LayerCounter]) -> bool:
    """Whether the cpu time column says anything (the CPU plugin reports cpu = real)."""
    return any(abs(layer.mean_cpu_ms - layer.mean_real_ms) >= 0.0005 for layer in layers)


def status_word(status: str) -> str:
    """ "Status.NOT_RUN" -> "not run": what stands in a layer's time when it did not run."""
    words = status.removeprefix("Status.").lower().replace("_", " ")
    return {"optimized out": "opt out"}.get(words, words)


def layer_table(
    layers: Sequence[LayerCounter], total_ms: float, sort: str, show_cpu: bool, width: int
) -> LayerTable:
    """`layers` in the order shown; `total_ms` what "% real" is a share of; `width`
    the terminal's. A layer that did not run shows its status in place of its time
    (fused or constant-folded layers: 0 ms), so the status needs no column."""
    keys = ["name", "real", *(["cpu"] if show_cpu else []), "share", "type", "exec"]
    labels = {
        "name": "layer",
        "real": "real ms",
        "cpu": "cpu ms",
        "share": "% real",
        "type": "type",
        "exec": "exec type",
    }
    headers = [labels[key] + (SORT_MARKS[sort] if key == sort else "") for key in keys]
    rows = []
    for layer in layers:
        ran = layer.executed
        cells = {
            "name": layer.name,
            "real": f"{layer.mean_real_ms:.3f}" if ran else status_word(layer.status),
            "cpu": f"{layer.mean_cpu_ms:.3f}" if ran else "",
            "share": f"{layer.mean_real_ms / (total_ms or 1.0) * 100:.1f}",
            "type": layer.layer_type,
            "exec": layer.exec_type,
        }
        rows.append([cells[key] for key in keys])
    widths = [
        max([len(header), *(len(row[index]) for row in rows)])
        for index, header in enumerate(headers)
    ]
    over = sum(widths) + CELL_PADDING * len(keys) + SCROLLBAR - width
    for key, narrowest in NARROWEST.items():
        if over <= 0:
            break
        index = keys.index(key)
        cut = min(over, max(0, widths[index] - max(narrowest, len(headers[index]))))
        if cut:
            widths[index] -= cut
            over -= cut
            for row in rows:
                row[index] = CUTS[key](row[index], widths[index])
    return LayerTable(headers, widths, rows)
