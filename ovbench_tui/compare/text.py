"""A comparison as plain text lines (the headless `ovbench-tui compare`)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from ..text_fit import cut_left, cut_path, cut_right
from .model import (
    NO_INTERVAL,
    Comparison,
    Difference,
    FigureRow,
    GroupRow,
    PairComparison,
    TimeRow,
)

# -- text ----------------------------------------------------------------------------------

WIDTH = 100


def _decimals(value: float) -> int:
    if not value or not math.isfinite(value):
        return 1
    return max(1, min(6, 3 - math.floor(math.log10(abs(value)))))


def format_number(value: float | None, key: str = "", like: float | None = None) -> str:
    """About 4 significant digits of `like` (default: the value itself), at least one
    decimal; counts as whole numbers.  Give a row's figure as `like` to its deltas so
    they line up with it."""
    if value is None:
        return "-"
    if key == "count":
        return f"{value:.0f}"
    return f"{value:.{_decimals(value if like is None else like)}f}"


def format_signed(value: float | None, key: str = "", like: float | None = None) -> str:
    if value is None:
        return "-"
    text = format_number(value, key, like)
    return text if text.startswith("-") else "+" + text


def format_percent(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def format_interval(
    interval: tuple[float, float] | None, key: str = "", like: float | None = None
) -> str:
    if interval is None:
        return ""
    low, high = interval
    return f"[{format_signed(low, key, like)}, {format_signed(high, key, like)}]"


def figure_label(row: FigureRow) -> str:
    return f"{row.label} {row.unit}".strip()


def _prose(text: str, indent: str = "  ", hanging: str = "    ") -> list[str]:
    """A warning or note, wrapped at WIDTH, never cut; a word longer than a line
    (a path) stays whole on a line of its own."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int], align: str
) -> list[str]:
    """`align`: "l" or "r" per column; `widths` are minimums.  A line too wide for
    WIDTH (many runs) loses the end of its last cells."""
    sizes = [
        max([width, len(head)] + [len(row[i]) for row in rows])
        for i, (head, width) in enumerate(zip(header, widths, strict=True))
    ]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.ljust(size) if side == "l" else cell.rjust(size)
            for cell, size, side in zip(cells, sizes, align, strict=True)
        ]
        text = ("  " + "  ".join(parts)).rstrip()
        return cut_right(text, WIDTH)

    return [line(header)] + [line(row) for row in rows]


def _runs_lines(comparison: Comparison) -> list[str]:
    lines = ["Runs (differences are each run minus A, the baseline)"]
    for run in comparison.runs:
        when = run.created_at[:19].replace("T", " ")
        stopped = ", stopped early" if run.stopped_early else ""
        detail = f"{cut_path(run.model, 40)} on {run.device}{', ' + when if when else ''}{stopped}"
        name = "" if run.name == run.letter else f"{cut_left(run.name, 40)}: "
        lines += _prose(f"{run.letter}  {name}{detail}", hanging="     ")
        for text in run.warnings:
            lines += _prose(f"warning: {text}", indent="     ", hanging="              ")
    return lines


def _figure_lines(pair: PairComparison, min_effect_pct: float) -> list[str]:
    a, b = pair.baseline, pair.other
    lines = [f"Figures: {b} vs {a}"]
    if not pair.figures:
        return lines + _prose(pair.figures_note or "no figures in common")
    rows = [[*figure_cells(row), row.verdict or ""] for row in pair.figures]
    lines += _table(
        ["figure", a, b, "Δ", "Δ%", "95 % CI of Δ", "verdict"],
        rows,
        [14, 9, 9, 9, 7, 0, 0],
        "lrrrrrl",
    )
    if any(row.interval is not None for row in pair.figures):
        lines += _prose(f"verdicts need the 95 % interval beyond ±{min_effect_pct:g} % of {a}")
    for row in pair.figures:
        if row.verdict == NO_INTERVAL:
            lines += _prose(f"{figure_label(row)}: no interval: {row.note}")
    if pair.figures_note:
        lines += _prose(pair.figures_note)
    return lines


def _difference_lines(
    title: str, comparison: Comparison, differences: tuple[Difference, ...]
) -> list[str]:
    if not differences:
        return [f"{title}: none"]
    runs = len(comparison.runs)
    key_width = min(24, max(len(difference.key) for difference in differences))
    value_width = max(8, (WIDTH - 4 - key_width - 2 * runs) // runs)
    rows = [
        [cut_left(difference.key, key_width)]
        + [cut_left(value, value_width) for value in difference.values]
        for difference in differences
    ]
    header = ["setting"] + [run.letter for run in comparison.runs]
    return [title, *_table(header, rows, [0] * (runs + 1), "l" * (runs + 1))]


def figure_cells(row: FigureRow) -> list[str]:
    """One figure's row without its verdict: label, A, B, Δ, Δ%, 95 % CI of Δ."""
    return [
        figure_label(row),
        format_number(row.baseline, row.key),
        format_number(row.other, row.key, row.baseline),
        format_signed(row.delta, row.key, row.baseline),
        format_percent(row.delta_pct),
        format_interval(row.interval, row.key, row.baseline),
    ]


def group_cells(group: GroupRow, label_width: int) -> list[str]:
    """One shape group's row: label, count A/B, median A/B, Δ%, average A/B, Δ%."""
    first, second = group.baseline, group.other
    median, average = group.median_delta, group.average_delta
    return [
        cut_left(group.label, label_width)
        + (f" (only in {group.only_in})" if group.only_in else ""),
        str(first.count) if first else "-",
        str(second.count) if second else "-",
        format_number(first.median if first else None),
        format_number(second.median if second else None),
        format_percent(median[1]) if median else "-",
        format_number(first.average if first else None),
        format_number(second.average if second else None),
        format_percent(average[1]) if average else "-",
    ]


def _group_lines(pair: PairComparison) -> list[str]:
    a, b = pair.baseline, pair.other
    lines = [f"Shape groups: {b} vs {a}"]
    if not pair.groups:
        return lines + _prose(pair.groups_note)
    rows = [group_cells(group, 30) for group in pair.groups]
    header = [
        "group",
        f"n {a}",
        f"n {b}",
        f"med {a}",
        f"med {b}",
        "Δ%",
        f"avg {a}",
        f"avg {b}",
        "Δ%",
    ]
    return lines + _table(header, rows, [5] + [0] * 8, "l" + "r" * 8) + _prose(pair.groups_note)


def _time_table(
    rows: Sequence[TimeRow], a: str, b: str, first: str, name_width: int, with_type: bool
) -> list[str]:
    cells = [
        [cut_left(row.name, name_width)]
        + ([cut_left(row.layer_type, 14)] if with_type else [])
        + [
            format_number(row.baseline_ms, like=_reference(row)),
            format_number(row.other_ms, like=_reference(row)),
            format_signed(row.delta_ms, like=_reference(row)),
            row.presence or format_percent(row.delta_pct),
        ]
        for row in rows
    ]
    header = [first] + (["type"] if with_type else []) + [f"{a} ms", f"{b} ms", "Δ ms", "Δ%"]
    align = "llrrrr" if with_type else "lrrrr"
    return _table(header, cells, [5] + [0] * (len(header) - 1), align)


def _reference(row: TimeRow) -> float:
    return max(row.baseline_ms or 0.0, row.other_ms or 0.0)


def _layer_lines(pair: PairComparison, threshold_pct: float) -> list[str]:
    a, b = pair.baseline, pair.other
    lines = [f"Layers: {b} vs {a}, |Δ| ≥ {threshold_pct:g} %, largest difference first"]
    if pair.layers is None:
        return lines + _prose(pair.layers_note)
    shown = pair.layers_beyond(threshold_pct)
    if shown:
        lines += _time_table(shown, a, b, "layer", 40, with_type=True)
    else:
        lines.append(f"  no layer differs by {threshold_pct:g} % or more")
    lines += _prose(f"{len(shown)} of {len(pair.layers)} layers shown; {pair.layers_note}")
    lines.append(f"Layer types: {b} vs {a}")
    return lines + _time_table(pair.layer_types, a, b, "layer type", 30, with_type=False)


def format_comparison(comparison: Comparison, threshold_pct: float | None = None) -> list[str]:
    """Plain text for the headless command: tables at most 100 columns wide (cells
    clipped), warnings and notes wrapped at 100 columns but never cut."""
    threshold = comparison.threshold_pct if threshold_pct is None else threshold_pct
    lines = _runs_lines(comparison)
    for pair in comparison.pairs:
        lines += ["", *_figure_lines(pair, comparison.min_effect_pct)]
    lines += [
        "",
        *_difference_lines("Config differences", comparison, comparison.config_differences),
    ]
    lines += [
        "",
        *_difference_lines(
            "Environment differences", comparison, comparison.environment_differences
        ),
    ]
    for pair in comparison.pairs:
        lines += ["", *_group_lines(pair)]
    for pair in comparison.pairs:
        lines += ["", *_layer_lines(pair, threshold)]
    return lines
