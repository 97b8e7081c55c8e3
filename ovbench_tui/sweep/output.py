"""A sweep's table, CSV and JSON: one row per finished point, with the marks."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

from .. import __version__
from ..errors import UsageError
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
            raise UsageError(
                f"cannot write the sweep file {path}: {error.strerror or error} "
                "(check that the folder exists and is writable, or give --out)"
            ) from error
        written.append(path)
    return written


def settings_text(point: SweepPoint, names: list[str]) -> str:
    return " ".join(f"{name}={point.plan.settings[name]}" for name in names)


def effective_text(point: SweepPoint) -> str:
    keys = [*EFFECTIVE_PROPERTIES, "requests"]
    return ", ".join(f"{k} {point.effective[k]}" for k in keys if point.effective.get(k))


def table_lines(outcome: SweepOutcome) -> list[str]:
    """The final table: `*` marks the Pareto front, `>` the best point (under the budget)."""
    spec = outcome.spec
    names = axis_names(outcome)
    percent = spec.percentile
    latencies = outcome.latencies()
    pareto = outcome.pareto()
    best = outcome.best()
    widths = (
        [max(len(n), *(len(p.plan.settings[n]) for p in outcome.points)) for n in names]
        if outcome.points
        else [len(n) for n in names]
    )
    header = "    #  " + " ".join(f"{n:<{w}}" for n, w in zip(names, widths, strict=True))
    header += f" {'FPS':>10} {'median ms':>10} {f'p{percent:g} ms':>10}  effective settings"
    lines = [header]
    for index, point in enumerate(outcome.points):
        mark = (">" if best == index else " ") + ("*" if pareto[index] else " ")
        cells = " ".join(
            f"{point.plan.settings[n]:<{w}}" for n, w in zip(names, widths, strict=True)
        )
        x = latencies[index]
        x_text = "too few" if x is None else f"{x:.3f}"
        lines.append(
            f"{mark}{point.plan.index:>3}  {cells} {point.throughput_fps:>10.2f} "
            f"{point.latency.median:>10.3f} {x_text:>10}  {effective_text(point)}"
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
        lines.append(
            f"> Best{within}: point {point.plan.index} ({settings_text(point, names)}), "
            f"{point.throughput_fps:.2f} FPS at p{percent:g} {latencies[best]:.3f} ms"
        )
    return lines
