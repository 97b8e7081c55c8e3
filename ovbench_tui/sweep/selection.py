"""Which sweep points are worth shipping: the Pareto front and the best under a budget.

A point is on the Pareto front when no other point is at least as fast (FPS)
with at most the same latency and better in one of the two.  The best point
under a latency budget is the highest throughput among the points whose
latency is within the budget (ties: the lower latency, then the earlier
point); without a budget, the highest throughput overall.  Points without a
latency value (too few samples for the percentile) take part in neither.
"""

from __future__ import annotations

from collections.abc import Sequence


def pareto_front(latencies: Sequence[float | None], throughputs: Sequence[float]) -> list[bool]:
    marks = []
    for i, (x, y) in enumerate(zip(latencies, throughputs, strict=True)):
        if x is None:
            marks.append(False)
            continue
        dominated = any(
            ox is not None and ox <= x and oy >= y and (ox < x or oy > y)
            for j, (ox, oy) in enumerate(zip(latencies, throughputs, strict=True))
            if j != i
        )
        marks.append(not dominated)
    return marks


def best_point(
    latencies: Sequence[float | None], throughputs: Sequence[float], budget_ms: float | None
) -> int | None:
    """Index of the best point, or None when none has a latency within the budget."""
    best: int | None = None
    for i, (x, y) in enumerate(zip(latencies, throughputs, strict=True)):
        if x is None or (budget_ms is not None and x > budget_ms):
            continue
        if best is None:
            best = i
            continue
        bx, by = latencies[best], throughputs[best]
        assert bx is not None
        if y > by or (y == by and x < bx):
            best = i
    return best
