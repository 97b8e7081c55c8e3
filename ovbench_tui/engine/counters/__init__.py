"""Per-layer performance counters: the data (model), summing the records
(accumulator), choosing which inferences to read (sampler) and benchmark_app's
console text (console).  The public names are importable from here."""

from .accumulator import PerfCounterAccumulator
from .console import ConsoleLine, SortedRow, SortedTable, format_pc, format_pcsort, sorted_rows
from .model import (
    SORT_MODES,
    STATUS_EXECUTED,
    STATUS_NOT_RUN,
    LayerCounter,
    PerfCounterTable,
    SummaryRow,
    precision_of,
)
from .sampler import BUDGET, CounterSampler, counters_wanted

__all__ = [
    "BUDGET",
    "SORT_MODES",
    "STATUS_EXECUTED",
    "STATUS_NOT_RUN",
    "ConsoleLine",
    "CounterSampler",
    "LayerCounter",
    "PerfCounterAccumulator",
    "PerfCounterTable",
    "SortedRow",
    "SortedTable",
    "SummaryRow",
    "counters_wanted",
    "format_pc",
    "format_pcsort",
    "precision_of",
    "sorted_rows",
]
