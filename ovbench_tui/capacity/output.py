"""A capacity search's table, answer line, CSV and JSON (no OpenVINO)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import UsageError
from ..reports.files import describe_with
from ..reports.result_file import atomic_write_text
from .search import DEFAULT_MAX_POINTS, CapacityPoint

if TYPE_CHECKING:  # the runner imports OpenVINO; the app imports this before it loads
    from .runner import CapacityOutcome

SCHEMA = "ovbench-tui/capacity"
SCHEMA_VERSION = 1


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def point_rows(outcome: CapacityOutcome) -> list[dict[str, Any]]:
    rows = []
    for order, point in enumerate(outcome.points, start=1):
        interval = point.interval_ms
        rows.append(
            {
                "point": order,
                "offered_rps": round(point.rate_rps, 3),
                "scheduled_rps": round(point.offered_rps, 3),
                "achieved_rps": round(point.achieved_rps, 3),
                "p50_ms": _round(point.p50_ms),
                "p90_ms": _round(point.p90_ms),
                "p99_ms": _round(point.p99_ms),
                "latency_ms": _round(point.latency_ms),
                "latency_low_ms": _round(interval[0] if interval else None),
                "latency_high_ms": _round(interval[1] if interval else None),
                "waited_pct": round(point.waited_share * 100, 3),
                "verdict": point.verdict,
                "fell_behind": point.fell_behind,
                "role": point.role,
                "run_id": point.run_id,
            }
        )
    return rows


def answer_text(outcome: CapacityOutcome) -> str:
    """The answer line; it never contradicts the table: a stopped search says what
    it knows so far, and rates that met the target once but missed on a re-measure
    are named rather than ignored."""
    spec = outcome.spec
    target = f"p{spec.percent:g} latency from arrival within {spec.slo_ms:g} ms"
    answer = outcome.answer
    if answer is None or not outcome.points:
        if outcome.stopped:
            return f"Stopped before any point finished ({target})"
        return f"No answer: no point finished ({target})"
    if outcome.stopped and not answer.converged:
        return _stopped_text(outcome, target)
    if answer.capacity_rps <= 0:
        return _no_rate_text(outcome, target) + _not_converged(outcome)
    asked = ""
    if abs(answer.capacity_rps - answer.low_rps) >= 0.05:  # the schedule's own rate differed
        asked = f"; {answer.low_rps:.1f} asked, the arrivals came at {answer.capacity_rps:.1f}"
    text = (
        f"Capacity: {answer.capacity_rps:.1f} requests/s with {target} "
        f"(the boundary lies between {answer.low_rps:.1f} and {answer.high_rps:.1f} requests/s"
        f" asked{asked}"
    )
    point = answer.at_capacity
    if point is not None and point.latency_ms is not None and point.interval_ms is not None:
        low, high = point.interval_ms
        text += (
            f"; p{spec.percent:g} there {point.latency_ms:.2f} ms, 95 % interval "
            f"{low:.2f}-{high:.2f} ms"
        )
    return text + ")" + _not_converged(outcome)


def _not_converged(outcome: CapacityOutcome) -> str:
    if outcome.answer is None or outcome.answer.converged:
        return ""
    if outcome.failure:
        return " - not converged: the search ended on the error above"
    if len(outcome.points) >= DEFAULT_MAX_POINTS:
        return f" - not converged: the {DEFAULT_MAX_POINTS} points ran out first"
    return " - not converged"


def met_then_missed(points: list[CapacityPoint]) -> list[float]:
    """Rates that met the target, then missed it when measured again (highest first):
    the final re-measure of an answer is the only point that repeats a met rate."""
    rates = {p.rate_rps for p in points if p.role == "final" and p.verdict == "misses"}
    return sorted(rates, reverse=True)


def _rates(rates: list[float]) -> str:
    texts = [f"{rate:.1f}" for rate in rates]
    joined = texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]
    return f"{joined} requests/s"


_NOISE = "noisy latencies: other load on the machine? a longer point time pools more samples"


def _stopped_text(outcome: CapacityOutcome, target: str) -> str:
    answer = outcome.answer
    assert answer is not None
    head = "Stopped before the search decided"
    if answer.low_rps > 0:
        return (
            f"{head}: {answer.low_rps:.1f} requests/s met {target}, not confirmed "
            f"(the boundary lies between {answer.low_rps:.1f} and {answer.high_rps:.1f} "
            "requests/s so far)"
        )
    unconfirmed = met_then_missed(outcome.points)
    if unconfirmed:
        lower = answer.high_rps not in unconfirmed
        also = f"; {answer.high_rps:.1f} requests/s missed it too" if lower else ""
        return (
            f"{head}: {_rates(unconfirmed)} met {target} once, then missed it when measured "
            f"again{also} ({_NOISE})"
        )
    return (
        f"{head}: no rate met {target} so far; the lowest measured, "
        f"{answer.high_rps:.1f} requests/s, missed it"
    )


def _no_rate_text(outcome: CapacityOutcome, target: str) -> str:
    answer = outcome.answer
    assert answer is not None
    unconfirmed = met_then_missed(outcome.points)
    if unconfirmed:
        return (
            f"No rate met {target} when measured again: {_rates(unconfirmed)} met it once, "
            f"then missed it ({_NOISE})"
        )
    lowest = min(outcome.points, key=lambda p: p.rate_rps)
    if lowest.p50_ms is not None and lowest.p50_ms > outcome.spec.slo_ms:
        why = f"its median, {lowest.p50_ms:.2f} ms, is over the target: the service time is"
    elif lowest.p50_ms is not None:
        why = f"its median is {lowest.p50_ms:.2f} ms: the tail misses it, from bursts or other load"
    else:
        why = "too few samples to judge"
    return f"No rate meets {target}: even {answer.high_rps:.1f} requests/s misses it ({why})"


def table_lines(outcome: CapacityOutcome) -> list[str]:
    percent = outcome.spec.percent
    chosen = f"p{percent:g}" if percent not in (50, 90, 99) else ""
    header = (
        f"{'offered':>10} {'achieved':>10} {'p50 ms':>9} {'p90 ms':>9} {'p99 ms':>9}"
        + (f" {chosen + ' ms':>9}" if chosen else "")
        + f" {'waited':>7}  verdict"
    )
    lines = [header]
    for point in outcome.points:
        role = f" ({point.role})" if point.role else ""
        lines.append(
            f"{point.offered_rps:>10.1f} {point.achieved_rps:>10.1f} {_ms(point.p50_ms):>9} "
            f"{_ms(point.p90_ms):>9} {_ms(point.p99_ms):>9}"
            + (f" {_ms(point.latency_ms):>9}" if chosen else "")
            + f" {point.waited_share * 100:>6.1f}%  {point.verdict_text}{role}"
        )
    return lines


def capacity_document(
    outcome: CapacityOutcome, environment: dict[str, Any] | None = None
) -> dict[str, Any]:
    spec = outcome.spec
    answer = outcome.answer
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ovbench-tui", "version": __version__},
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "model": spec.base.model,
        "device": spec.base.device,
        "arrival": spec.base.arrival_process,
        "slo_ms": spec.slo_ms,
        "percentile": spec.percent,
        "point_time_s": spec.point_time_s,
        "upper_rps": round(outcome.upper_rps, 3),
        "capacity_rps": None if answer is None else round(answer.capacity_rps, 3),
        "capacity_asked_rps": None if answer is None else round(answer.low_rps, 3),
        "interval_rps": None
        if answer is None
        else [round(answer.low_rps, 3), round(answer.high_rps, 3)],
        "converged": False if answer is None else answer.converged,
        "stopped": outcome.stopped,
        "points": point_rows(outcome),
        "environment": environment or {},
    }


def capacity_csv(outcome: CapacityOutcome) -> str:
    rows = point_rows(outcome)
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def write_capacity_files(
    outcome: CapacityOutcome, prefix: str, environment: dict[str, Any] | None = None
) -> list[str]:
    written = []
    for path, text in (
        (prefix + ".csv", capacity_csv(outcome)),
        (prefix + ".json", json.dumps(capacity_document(outcome, environment), indent=2) + "\n"),
    ):
        try:
            atomic_write_text(path, text)
        except OSError as error:
            advice = " (check that the folder exists and is writable, or give --out)"
            raise UsageError(
                f"cannot write the capacity file {path}: {describe_with(error, advice)}"
            ) from error
        written.append(path)
    return written


def knee_index(points: list[CapacityPoint]) -> int | None:
    """Where latency leaves the flat part: of the median-latency curve against the
    rate (scaled to a unit square), the point farthest below the chord from the
    lowest to the highest rate (the "kneedle" rule); None without a bend."""
    ordered = sorted(
        (p for p in points if p.p50_ms is not None and p.role != "repeat"),
        key=lambda p: p.rate_rps,
    )
    if len(ordered) < 3:
        return None
    xs = [p.rate_rps for p in ordered]
    ys = [float(p.p50_ms or 0.0) for p in ordered]
    if xs[-1] <= xs[0] or ys[-1] <= ys[0]:
        return None
    below = [
        (x - xs[0]) / (xs[-1] - xs[0]) - (y - ys[0]) / (ys[-1] - ys[0])
        for x, y in zip(xs, ys, strict=True)
    ]
    best = max(range(len(below)), key=below.__getitem__)
    return points.index(ordered[best]) if below[best] > 0.1 else None
