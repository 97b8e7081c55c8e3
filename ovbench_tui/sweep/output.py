"""A sweep's table, CSV and JSON: one row per finished point, with the marks."""

from __future__ import annotations

import csv
import datetime
import io
import json
import textwrap
from typing import Any

from .. import __version__
from ..errors import UsageError
from ..reports.files import describe_with
from ..reports.result_file import atomic_write_text
from .grid import AXES
from .points import EFFECTIVE_PROPERTIES, SweepOutcome, SweepPoint

SCHEMA = "ovbench-tui/sweep"
SCHEMA_VERSION = 1


def axis_names(outcome: SweepOutcome) -> list[str]:
    return [axis.name for axis in AXES if axis.name in outcome.spec.axes]


def point_rows(
    outcome: SweepOutcome, percent: float, budget_ms: float | None
) -> list[dict[str, Any]]:
    latencies = outcome.latencies(percent)
    pareto = outcome.pareto(percent)
    best = outcome.best(percent, budget_ms)
    rows = []
    for index, point in enumerate(outcome.points):
        rows.append(
            {
                "point": point.plan.index,
                "order": point.order,
                **{name: point.plan.settings[name] for name in axis_names(outcome)},
                **{f"effective_{k}": v for k, v in point.effective.items()},
                "count": point.count,
                "duration_ms": round(point.duration_s * 1000, 3),
                "throughput_fps": round(point.throughput_fps, 3),
                "median_ms": _round(point.latency.median),
                "average_ms": _round(point.latency.average),
                "min_ms": _round(point.latency.minimum),
                "max_ms": _round(point.latency.maximum),
                f"p{percent:g}_ms": _round(latencies[index]),
                "pareto": pareto[index],
                "best": best == index,
                **_open_loop_columns(point),
                "compiled_reused": point.compiled_reused,
                "run_id": point.run_id,
            }
        )
    return rows


def _open_loop_columns(point: SweepPoint) -> dict[str, Any]:
    """A sweep at a set rate (-rate): the latency columns are from arrival; these say
    whether each setting kept up."""
    stats = point.open_loop
    if stats is None:
        return {}
    return {
        "offered_rps": round(stats.offered_rps, 3),
        "achieved_rps": round(stats.achieved_rps, 3),
        "service_median_ms": _round(stats.service.median),
        "waited_pct": round(stats.waited_share * 100, 3),
        "kept_up": stats.kept_up,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def sweep_document(
    outcome: SweepOutcome, environment: dict[str, Any] | None = None
) -> dict[str, Any]:
    spec = outcome.spec
    best = outcome.best()
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ovbench-tui", "version": __version__},
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "model": spec.base.model,
        "device": spec.base.device,
        "axes": {name: list(values) for name, values in spec.axes.items()},
        "point_time_s": spec.point_time_s,
        "point_count": spec.point_count,
        "shuffle_seed": spec.shuffle_seed,
        "percentile": spec.percentile,
        "budget_ms": spec.budget_ms,
        "planned_points": outcome.total,
        "stopped": outcome.stopped,
        "best_point": None if best is None else outcome.points[best].plan.index,
        "points": point_rows(outcome, spec.percentile, spec.budget_ms),
        "failures": [
            {
                "point": failure.plan.index,
                "settings": failure.plan.settings,
                "error": failure.message,
            }
            for failure in outcome.failures
        ],
        "environment": environment or {},
    }


def sweep_csv(outcome: SweepOutcome) -> str:
    rows = point_rows(outcome, outcome.spec.percentile, outcome.spec.budget_ms)
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def write_sweep_files(
    outcome: SweepOutcome, csv_path: str, json_path: str, environment: dict[str, Any] | None = None
) -> list[str]:
    written = []
    for path, text in (
        (csv_path, sweep_csv(outcome) if csv_path else ""),
        (
            json_path,
            json.dumps(sweep_document(outcome, environment), indent=2) + "\n" if json_path else "",
        ),
    ):
        if not path:
            continue
        try:
            atomic_write_text(path, text)
        except OSError as error:
            advice = " (check that the folder exists and is writable, or give --out)"
            raise UsageError(
                f"cannot write the sweep file {path}: {describe_with(error, advice)}"
            ) from error
        written.append(path)
    return written


def settings_text(point: SweepPoint, names: list[str]) -> str:
    return " ".join(f"{name}={point.plan.settings[name]}" for name in names)


def effective_text(point: SweepPoint) -> str:
    keys = [*EFFECTIVE_PROPERTIES, "requests"]
    return ", ".join(f"{k} {point.effective[k]}" for k in keys if point.effective.get(k))


TABLE_WIDTH = 80  # a terminal's, as benchmark_app's tables fit one


def table_lines(outcome: SweepOutcome, width: int | None = TABLE_WIDTH) -> list[str]:
    """The final table: `*` marks the Pareto front, `>` the best point (under the budget).

    It fits `width` columns (None: no limit): the p50 column is the median one, so it
    is not repeated; the effective settings every point shares are listed once below
    the table, the others where they are not what the point asked for, cut with "..."
    if they do not fit (the CSV, JSON and --md files hold them whole)."""
    spec = outcome.spec
    names = axis_names(outcome)
    percent = spec.percentile
    latencies = outcome.latencies()
    pareto = outcome.pareto()
    best = outcome.best()
    shared, differing = _effective_split(outcome.points)
    header = ["#", *names, "FPS", "median ms"]
    if percent != 50:
        header.append(f"p{percent:g} ms")
    header.append("")
    rows = []
    for index, point in enumerate(outcome.points):
        x = latencies[index]
        row = [
            str(point.plan.index),
            *(point.plan.settings[n] for n in names),
            f"{point.throughput_fps:.2f}",
            f"{point.latency.median:.3f}",
        ]
        if percent != 50:
            row.append("too few" if x is None else f"{x:.3f}")
        row.append(_not_as_asked(point, differing))
        marks = (">" if best == index else " ") + ("*" if pareto[index] else " ")
        rows.append((marks, row))
    widths = [
        max(len(cells[i]) for cells in [header, *(r for _, r in rows)])
        for i in range(len(header) - 1)
    ]
    numeric = range(1 + len(names), len(header) - 1)  # FPS and the latencies

    def line(marks: str, cells: list[str]) -> str:
        parts = []
        for i, cell in enumerate(cells[:-1]):
            right = i == 0 or i in numeric
            parts.append(f"{cell:>{widths[i]}}" if right else f"{cell:<{widths[i]}}")
        return f"{marks} " + " ".join(parts) + f"  {cells[-1]}"

    if any(cells[-1] for _, cells in rows):
        header[-1] = "effective, where not as asked"
        if width is not None and len(line("  ", header)) > width:
            header[-1] = "effective"
    lines = [line("  ", header).rstrip()]
    cut = False
    for marks, cells in rows:
        text = line(marks, cells).rstrip()
        if width is not None and len(text) > width:
            text, cut = text[: width - 3] + "...", True
        lines.append(text)
    if shared:
        lines.append("")
        lines.extend(_wrapped("Effective settings of every point: " + ", ".join(shared), width))
    if cut:
        lines.extend(
            _wrapped(
                f"(cut at {width} columns: the CSV, JSON and --md files hold every setting)",
                width,
            )
        )
    lines.append("")
    lines.append(f"* Pareto front (no other point is faster at a lower p{percent:g} latency)")
    if best is None and spec.budget_ms is None:
        lines.append(
            f"No point has enough samples for a p{percent:g} latency: raise --point-count."
        )
    elif best is None:
        lines.append(f"No point has a p{percent:g} latency within {spec.budget_ms:g} ms.")
    else:
        point = outcome.points[best]
        within = (
            f" with p{percent:g} latency within {spec.budget_ms:g} ms" if spec.budget_ms else ""
        )
        lines.extend(
            _wrapped(
                f"> Best{within}: point {point.plan.index} ({settings_text(point, names)}), "
                f"{point.throughput_fps:.2f} FPS at p{percent:g} {latencies[best]:.3f} ms",
                width,
            )
        )
    return lines


def _effective_split(points: list[SweepPoint]) -> tuple[list[str], list[str]]:
    """The effective settings every point shares ("hint THROUGHPUT"), and the names of
    those that differ between points (their own column)."""
    shared, differing = [], []
    for key in [*EFFECTIVE_PROPERTIES, "requests"]:
        values = {point.effective.get(key, "") for point in points}
        if len(values) > 1:
            differing.append(key)
        elif values and (value := values.pop()):
            shared.append(f"{key} {value}")
    return shared, differing


def _not_as_asked(point: SweepPoint, keys: list[str]) -> str:
    """The point's effective settings among `keys` that its own settings do not show
    already (2 streams asked, 1 compiled: "streams 1")."""
    asked = {name: value.lower() for name, value in point.plan.settings.items()}
    return ", ".join(
        f"{key} {value}"
        for key in keys
        if (value := point.effective.get(key, "")) and asked.get(key) != value.lower()
    )


def _wrapped(text: str, width: int | None) -> list[str]:
    if width is None or len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, subsequent_indent="  ", break_on_hyphens=False)
