"""benchmark_app's console tables for -pc and -pcsort, and the sorted report's rows.

Lines come back as `LogLine` (benchmark_app prints them through its logger,
with the `[ INFO ] ` prefix) or `RawLine` (plain `print`), the engine's own
event types, so the engine can emit them as they are.  The per-request
blocks are benchmark_app's, character for character; the averaged block
after them is ours, and its header says how many inferences it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..events import LogLine, RawLine
from .model import SORT_MODES, STATUS_NOT_RUN, LayerCounter, PerfCounterTable

ConsoleLine = LogLine | RawLine

_NAME_WIDTH = 20  # benchmark_app's max_print_length


def _clip(text: str) -> str:
    return text[: _NAME_WIDTH - 4] + "..." if len(text) >= _NAME_WIDTH else text


def _columns(name: str, status: str, layer_type: str, exec_type: str) -> str:
    return (
        f"{_clip(name):<20} {status:<20} layerType: {_clip(layer_type):<20} "
        f"execType: {exec_type:<20} "
    )


def _pc_block(
    header: str, layers: Sequence[LayerCounter], mean: bool, exact_totals: bool
) -> list[ConsoleLine]:
    lines: list[ConsoleLine] = [LogLine("INFO", header)]
    for layer in layers:
        real = layer.mean_real_ms if mean else layer.total_real_ms
        cpu = layer.mean_cpu_ms if mean else layer.total_cpu_ms
        lines.append(
            RawLine(
                _columns(layer.name, layer.status, layer.layer_type, layer.exec_type)
                + f"realTime (ms): {real:<10.3f} cpuTime (ms): {cpu:<10.3f}"
            )
        )
    if exact_totals:
        # benchmark_app prints the float unformatted (repr of whole-us sum / 1000).
        total = f"{sum(layer.total_real_us for layer in layers) / 1000}"
        total_cpu = f"{sum(layer.total_cpu_us for layer in layers) / 1000}"
    else:
        total = f"{sum(layer.mean_real_ms for layer in layers):.3f}"
        total_cpu = f"{sum(layer.mean_cpu_ms for layer in layers):.3f}"
    lines.append(RawLine(f"Total time:     {total} milliseconds"))
    lines.append(RawLine(f"Total CPU time: {total_cpu} milliseconds"))
    lines.append(RawLine(""))
    return lines


def format_pc(table: PerfCounterTable, averaged: bool = True) -> list[ConsoleLine]:
    """`-pc` output: benchmark_app's block per infer request (its last inference),
    then, if `averaged`, one block with the mean per inference over the sampled ones."""
    lines: list[ConsoleLine] = []
    for index, request in enumerate(table.per_request_last()):
        lines += _pc_block(
            f"Performance counts for {index}-th infer request", request.layers, False, True
        )
    if averaged and table.inferences:
        lines += _pc_block(_averaged_header(table, ""), table.layers, True, False)
    return lines


def _averaged_header(table: PerfCounterTable, sorted_word: str) -> str:
    return (
        f"Performance counts{sorted_word} averaged over {table.sample_text} of "
        f"{len(table.requests)} infer requests (ms per inference)"
    )


@dataclass(frozen=True)
class SortedRow:
    """One line of benchmark_app's sorted table: times in microseconds (may be
    fractional for averages) and the proportion rounded to 4 places as it does."""

    layer: LayerCounter
    real_us: float
    cpu_us: float
    proportion: float

    @property
    def percent_text(self) -> str:
        return f"{self.proportion * 100:.2f}%"


@dataclass(frozen=True)
class SortedTable:
    rows: tuple[SortedRow, ...]
    total_real_us: float  # over every layer, also those simple_sort leaves out
    total_cpu_us: float
    total_proportion: float  # sum of the rounded proportions


def sorted_rows(layers: Sequence[LayerCounter], mode: str, mean: bool) -> SortedTable:
    """benchmark_app's print_perf_counters_sort data, with whole seconds counted
    (its B9) and 0 proportions instead of a ZeroDivisionError when nothing ran."""

    def times(layer: LayerCounter) -> tuple[float, float]:
        if mean:
            return layer.mean_real_us, layer.mean_cpu_us
        return float(layer.total_real_us), float(layer.total_cpu_us)

    total_real = sum(times(layer)[0] for layer in layers)
    total_cpu = sum(times(layer)[1] for layer in layers)
    proportion_sum = 0.0
    rows = []
    for layer in layers:
        real, cpu = times(layer)
        proportion = round(real / total_real, 4) if total_real else 0.0
        proportion_sum += proportion
        rows.append(SortedRow(layer, real, cpu, proportion))
    if mode != "no_sort":
        rows.sort(key=lambda row: row.real_us, reverse=True)
    if mode == "simple_sort":
        rows = [row for row in rows if row.layer.status != STATUS_NOT_RUN]
    return SortedTable(tuple(rows), total_real, total_cpu, proportion_sum)


def _pcsort_block(header: str, table: SortedTable) -> list[ConsoleLine]:
    lines: list[ConsoleLine] = [LogLine("INFO", header)]
    for row in table.rows:
        layer = row.layer
        percent = f"{row.proportion * 100:.2f}"
        if percent == "0.00":
            percent = "N/A"
        lines.append(
            RawLine(
                _columns(layer.name, layer.status, layer.layer_type, layer.exec_type)
                + f"realTime (ms): {row.real_us / 1000:<10.3f} "
                f"cpuTime (ms): {row.cpu_us / 1000:<10.3f}"
                f"proportion: {percent + '%':<8}"
            )
        )
    lines.append(RawLine(f"Total time:       {table.total_real_us / 1000:.3f} milliseconds"))
    lines.append(RawLine(f"Total CPU time:   {table.total_cpu_us / 1000:.3f} milliseconds"))
    lines.append(RawLine(f"Total proportion: {round(table.total_proportion) * 100:.2f} % "))
    lines.append(RawLine(""))
    return lines


def format_pcsort(table: PerfCounterTable, mode: str, averaged: bool = True) -> list[ConsoleLine]:
    """`-pcsort MODE` output: benchmark_app's sorted block per infer request (its last
    inference), then, if `averaged`, one sorted block of the mean per inference."""
    if mode not in SORT_MODES:
        raise ValueError(f"unknown sort mode {mode!r}: use one of {', '.join(SORT_MODES)}")
    lines: list[ConsoleLine] = []
    for index, request in enumerate(table.per_request_last()):
        lines += _pcsort_block(
            f"Performance counts sorted for {index}-th infer request",
            sorted_rows(request.layers, mode, mean=False),
        )
    if averaged and table.inferences:
        lines += _pcsort_block(
            _averaged_header(table, " sorted,"), sorted_rows(table.layers, mode, mean=True)
        )
    return lines
