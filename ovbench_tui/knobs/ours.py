"""ovbench-tui's own knobs (and benchmark_app's older progress flags), after
benchmark_app's in `run -h`."""

from __future__ import annotations

from ..config import ARRIVAL_CHOICES
from .spec import OURS, FormSpec, Knob, float_value, history_file, positive_int

OUR_KNOBS: tuple[Knob, ...] = (
    Knob(
        "seed",
        ("-seed", "--seed"),
        OURS,
        "Seed of the random input data: a number (default 0, benchmark_app's\n"
        "values) or 'random' (printed, so the run can be repeated).",
        default="0",
        report=False,
    ),
    Knob(
        "rate",
        ("-rate", "--rate"),
        OURS,
        "Open loop: R requests per second arrive whatever the device does; latency\n"
        "counts from each scheduled arrival (queueing included). Default: closed loop.",
        type=float_value,
        metavar="R",
        report=False,
        form=FormSpec("Arrival rate (req/s)", placeholder="closed loop", section="Run length"),
    ),
    Knob(
        "arrival",
        ("-arrival", "--arrival"),
        OURS,
        "Arrival process with -rate: poisson (exponential gaps from -seed, the\n"
        "default) or constant (fixed gaps).",
        default="",
        choices=ARRIVAL_CHOICES,
        report=False,
        form=FormSpec("Arrivals", "choice", ARRIVAL_CHOICES, section="Run length"),
    ),
    Knob(
        "random_sets",
        ("-random_sets", "--random_sets"),
        OURS,
        "Distinct random input sets per data shape (default 1); more keep\n"
        "caches from flattering the result (used in full mode).",
        default=1,
        type=positive_int,
        report=False,
    ),
    Knob(
        "history",
        ("--history", "-history"),
        OURS,
        "Run history file (SQLite; default in the user data folder).",
        dest="history",
        type=history_file,
        report=False,
    ),
    Knob(
        "no_history",
        ("--no-history", "-no_history"),
        OURS,
        "Do not store this run in the history.",
        dest="no_history",
        store_true=True,
        report=False,
    ),
    Knob(
        "json_out",
        ("-json_out", "--json-out"),
        OURS,
        "Write our result file (config, environment, statistics,\n"
        "counters, histogram) as JSON to this path.",
        default="",
        dest="json_out",
        report=False,
    ),
    Knob(
        "stable_pct",
        ("-stable_pct", "--stable_pct"),
        OURS,
        "With -t auto: stop once the throughput's 95 %% confidence interval is\n"
        "within ± this %% of it (default 2).",
        type=float_value,
        metavar="PCT",
    ),
    Knob(
        "t_max_s",
        ("-t_max", "--t_max"),
        OURS,
        "With -t auto: the most seconds to measure (default 60; at least 3).",
        type=positive_int,
        metavar="SECONDS",
    ),
    Knob(
        "",
        ("--md",),
        OURS,
        "Also write the results as Markdown tables to FILE (for an issue\n"
        "or a chat; as hyperfine's --export-markdown).",
        default="",
        dest="md_out",
        metavar="FILE",
    ),
    Knob(
        "",
        ("-progress", "--progress"),
        OURS,
        "Show progress while measuring (default: a bar on a terminal, a\n"
        "line every few seconds otherwise; false: nothing).",
        optional_bool=True,
    ),
    Knob(
        "",
        ("-stream_output", "--stream_output"),
        OURS,
        "Print progress as plain lines, even on a terminal.",
        default=False,
        optional_bool=True,
    ),
)
