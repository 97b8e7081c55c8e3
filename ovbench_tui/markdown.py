"""Markdown tables of a run, a comparison or a sweep, for pasting into an issue or a chat.

One renderer for both front ends: the app copies (`y`) or saves (`w`) what it shows,
`run`, `compare` and `sweep` write it with `--md FILE` (as hyperfine's
`--export-markdown`). Cells are never cut: a Markdown table is read rendered, not at
80 columns. Plain data in, text out: no Textual, no OpenVINO call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .compare import Comparison, PairComparison
    from .config import BenchmarkConfig
    from .engine.counters import PerfCounterTable
    from .engine.result import RunResult
    from .sweep.points import SweepOutcome

# What each part is called in the app's status line and in `--md`'s content.
SUMMARY, GROUPS, LAYERS, COMPARISON, SWEEP = (
    "summary",
    "shape groups",
    "layers",
    "comparison",
    "sweep",
)


def cell(text: object) -> str:
    """A table cell: pipes escaped, line breaks folded (both would end the cell)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> list[str]:
    """A GitHub-flavoured table; `align` is "l" or "r" per column (default left)."""
    sides = align or "l" * len(header)
    rule = ["---:" if side == "r" else "---" for side in sides]
    lines = ["| " + " | ".join(cell(head) for head in header) + " |"]
    lines.append("| " + " | ".join(rule) + " |")
    for row in rows:
        padded = [*row, *([""] * (len(header) - len(row)))]
        lines.append("| " + " | ".join(cell(value) for value in padded) + " |")
    return lines


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


# -- one run ------------------------------------------------------------------------------


def summary_markdown(result: RunResult, config: BenchmarkConfig) -> str:
    """The figures benchmark_app prints, and the settings that produced them."""
    stopped = " (stopped early)" if result.stopped_early else ""
    lines = [f"### {config.model} on {config.device}{stopped}", ""]
    rows: list[list[object]] = [
        ["Throughput", f"{result.throughput_fps:.2f} FPS"],
        ["Count", f"{result.count} iterations"],
        ["Duration", f"{result.duration_s * 1000:.2f} ms"],
    ]
    stats = result.latency
    if not result.hide_latency:
        rows += [
            ["Latency median", f"{_ms(stats.median)} ms"],
            ["Latency average", f"{_ms(stats.average)} ms"],
            ["Latency min", f"{_ms(stats.minimum)} ms"],
            ["Latency max", f"{_ms(stats.maximum)} ms"],
        ]
        for name, value in (("p90", stats.p90), ("p95", stats.p95), ("p99", stats.p99)):
            if value is not None:
                rows.append([f"Latency {name}", f"{_ms(value)} ms"])
    rows += [
        ["API", result.api],
        ["Infer requests", result.nireq],
        ["Batch", result.batch],
        ["Mode", "inference only" if result.inference_only else "full"],
    ]
    from .engine.result import readable_property
    from .knobs import KNOB_BY_FIELD

    for field in ("hint", "nstreams", "nthreads"):
        key = KNOB_BY_FIELD[field].device_property
        if key in result.compiled_properties:
            rows.append([key, readable_property(result.compiled_properties[key])])
    if result.stability is not None and result.stability.cv is not None:
        rows.append(["Throughput CV", f"{result.stability.cv * 100:.1f} %"])
    lines += table(["figure", "value"], rows, "lr")
    warnings = result.stability.warnings if result.stability is not None else []
    if warnings:
        lines += ["", *(f"> Warning: {text}" for text in warnings)]
    return "\n".join(lines) + "\n"


def groups_markdown(result: RunResult) -> str:
    if not result.groups:
        return "One data shape: no shape groups.\n"
    rows = [
        [
            number,
            group.label.strip(),
            group.count,
            group.frames,
            _ms(group.stats.median),
            _ms(group.stats.average),
            _ms(group.stats.minimum),
            _ms(group.stats.maximum),
            f"{group.time_share * 100:.1f} %",
        ]
        for number, group in enumerate(result.groups, start=1)
    ]
    header = ["#", "group", "count", "frames", "median ms", "average ms", "min ms", "max ms"]
    return "\n".join(table([*header, "share"], rows, "rlrrrrrrr")) + "\n"


def layers_markdown(counters: PerfCounterTable | None, text_filter: str = "") -> str:
    """Layers by real time, then the time per layer type."""
    if counters is None:
        return "No layer counters: run with -pc.\n"
    layers = [
        layer
        for layer in counters.layers
        if not text_filter
        or text_filter.lower() in layer.name.lower()
        or text_filter.lower() in layer.layer_type.lower()
        or text_filter.lower() in layer.exec_type.lower()  # as the app's filter
    ]
    layers.sort(key=lambda layer: -layer.mean_real_ms)
    total = sum(layer.mean_real_ms for layer in counters.layers) or 1.0
    rows = [
        [
            layer.name,
            layer.layer_type,
            layer.exec_type,
            f"{layer.mean_real_ms:.3f}",
            f"{layer.mean_cpu_ms:.3f}",
            f"{layer.mean_real_ms / total * 100:.1f}",
        ]
        for layer in layers
    ]
    shown = f", name, type or exec type has {text_filter!r}" if text_filter else ""
    lines = [f"Mean per inference over {counters.inferences} inferences{shown}", ""]
    lines += table(["layer", "type", "exec type", "real ms", "cpu ms", "% real"], rows, "lllrrr")
    lines += ["", *_types_table(counters)]
    return "\n".join(lines) + "\n"


def _types_table(counters: PerfCounterTable) -> list[str]:
    rows = [
        [row.key, row.layers, f"{row.mean_ms:.3f}", f"{row.percent:.1f}"]
        for row in counters.by_type()
    ]
    return table(["layer type", "layers", "ms", "% of total"], rows, "lrrr")


def run_markdown(result: RunResult, config: BenchmarkConfig) -> str:
    """What `run --md` writes: the summary, then groups and layers when there are some."""
    parts = [summary_markdown(result, config)]
    if result.groups and len(result.groups) > 1:
        parts.append("#### Shape groups\n\n" + groups_markdown(result))
    if result.counters is not None:
        parts.append("#### Layers\n\n" + layers_markdown(result.counters))
    return "\n".join(parts)


# -- comparison ---------------------------------------------------------------------------


def comparison_markdown(comparison: Comparison) -> str:
    from .compare import figure_cells

    lines = ["### Comparison", ""]
    lines += table(
        ["run", "name", "model", "device", "date"],
        [
            [
                run.letter,
                run.name,
                run.model,
                run.device,
                run.created_at[:16].replace("T", " ")
                + (" (stopped early)" if run.stopped_early else ""),
            ]
            for run in comparison.runs
        ],
    )
    for pair in comparison.pairs:
        a, b = pair.baseline, pair.other
        lines += ["", f"#### {b} vs {a}", ""]
        rows = [[*figure_cells(row), row.verdict or ""] for row in pair.figures]
        lines += table(["figure", a, b, "Δ", "Δ%", "95 % CI of Δ", "verdict"], rows, "lrrrrrl")
        lines += _pair_groups(pair)
    if comparison.config_differences:
        lines += ["", "#### Settings that differ", ""]
        lines += table(
            ["setting", *(run.letter for run in comparison.runs)],
            [[d.key, *d.values] for d in comparison.config_differences],
        )
    lines += [
        "",
        f"Δ = run − {comparison.runs[0].letter}; verdicts need the whole 95 % interval beyond "
        f"±{comparison.min_effect_pct:g} % of {comparison.runs[0].letter}.",
    ]
    return "\n".join(lines) + "\n"


def _pair_groups(pair: PairComparison) -> list[str]:
    from .compare import group_cells

    if not pair.groups:
        return []
    a, b = pair.baseline, pair.other
    header = ["group", f"n {a}", f"n {b}", f"med {a}", f"med {b}", "Δ%"]
    header += [f"avg {a}", f"avg {b}", "Δ%"]
    rows = [group_cells(group, 10_000) for group in pair.groups]
    return ["", "Shape groups (ms)", "", *table(header, rows, "l" + "r" * 8)]


# -- sweep --------------------------------------------------------------------------------


def sweep_markdown(outcome: SweepOutcome) -> str:
    """One row per finished point; `*` the Pareto front, `@` the best (under the budget)."""
    from .sweep.output import axis_names, effective_text

    spec = outcome.spec
    percent = spec.percentile
    names = axis_names(outcome)
    latencies = outcome.latencies()
    pareto = outcome.pareto()
    best = outcome.best()
    rows = [
        [
            ("@" if best == index else "") + ("*" if pareto[index] else ""),
            point.plan.index,
            *(point.plan.settings[name] for name in names),
            f"{point.throughput_fps:.2f}",
            _ms(point.latency.median),
            "too few" if latencies[index] is None else _ms(latencies[index]),
            effective_text(point),
        ]
        for index, point in enumerate(outcome.points)
    ]
    header = ["", "#", *names, "FPS", "median ms", f"p{percent:g} ms", "effective settings"]
    stopped = ", stopped" if outcome.stopped else ""
    lines = [
        f"### Sweep of {spec.base.model} on {spec.base.device}",
        "",
        f"{len(outcome.points)}/{outcome.total} points{stopped}.",
        "",
        *table(header, rows, "lr" + "l" * len(names) + "rrrl"),
        "",
        f"`*` Pareto front (no other point is faster at a lower p{percent:g} latency)",
    ]
    if best is not None:
        within = f" with p{percent:g} within {spec.budget_ms:g} ms" if spec.budget_ms else ""
        lines.append(f"`@` best{within}: point {outcome.points[best].plan.index}")
    return "\n".join(lines) + "\n"


# -- writing ------------------------------------------------------------------------------


def check_markdown_path(path: str, flag: str = "--md") -> None:
    """Refused before a run of minutes, not after it."""
    import os
    import stat

    from .reports.files import check_writable, describe_with

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise UsageError(f"{flag} {path}: the folder {folder} does not exist or is not writable")
    try:
        if stat.S_ISFIFO(os.stat(path).st_mode):
            check_writable(path)  # refused when nobody reads it (a write would block)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise UsageError(f"{flag} {path}: {describe_with(error, ': give another path')}") from error


def write_markdown(path: str, text: str, flag: str = "--md") -> None:
    """Written whole or not at all; a path that cannot be written is one line."""
    from .reports.files import describe_with
    from .reports.result_file import atomic_write_text

    try:
        atomic_write_text(path, text)
    except OSError as error:
        advice = describe_with(error, " (check that the folder exists and is writable)")
        raise UsageError(f"cannot write {flag} {path}: {advice}") from error
