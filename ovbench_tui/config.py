"""BenchmarkConfig: every knob of a run, validated once.

The CLI parser, the app's form and -load_config all produce one of these.
Field names follow benchmark_app's option destinations so a reader of its
documentation finds them; defaults mean "not given" (None or "") so we can
tell an explicit choice from a default without re-reading argv (benchmark_app
scans argv for short names and loses long aliases: its bug B12).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import OptionError, UsageError

HINT_CHOICES = ("throughput", "tput", "cumulative_throughput", "ctput", "latency", "none")
HINT_TO_MODE = {
    "throughput": "THROUGHPUT",
    "tput": "THROUGHPUT",
    "cumulative_throughput": "CUMULATIVE_THROUGHPUT",
    "ctput": "CUMULATIVE_THROUGHPUT",
    "latency": "LATENCY",
}
API_CHOICES = ("sync", "async")
PIN_CHOICES = ("YES", "NO")
# Older documentation's -pin values; the runtime now only takes a boolean.
PIN_RETIRED = ("NUMA", "HYBRID_AWARE")
PCSORT_CHOICES = ("no_sort", "sort", "simple_sort")
REPORT_TYPES = ("no_counters", "average_counters", "detailed_counters")
PROGRESS_CHOICES = ("auto", "bar", "lines", "none")
ARRIVAL_CHOICES = ("poisson", "constant")  # an open loop's arrival process (-arrival)
# -ip/-op element types; kept here (not in shapes.py) so parsing flags does not
# import OpenVINO, which would slow the app's first paint.
PRECISION_CHOICES = (
    "bool",
    "f16",
    "f32",
    "f64",
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
)

# -infer_precision: the element types a device may compute in (the device decides
# which it supports; a name outside these is a typo, refused before any compile).
INFER_PRECISIONS = ("bf16", "f16", "f32", "f64", "i8", "u8", "i16", "i32", "i64")
STREAM_WORDS = ("AUTO", "NUMA")

# Default measuring time per device type when neither -t nor -niter is given
# (benchmark_app matches these names as substrings of -d and takes the max).
DEFAULT_DURATION_S = {"CPU": 60, "GPU": 60, "NPU": 60}
UNKNOWN_DEVICE_DURATION_S = 120

# -t auto: measure until the throughput's 95 % interval is within ±stable_pct of it,
# for at least AUTO_MIN_S and at most -t_max seconds.
AUTO_MIN_S = 3
AUTO_DEFAULT_MAX_S = 60
AUTO_DEFAULT_STABLE_PCT = 2.0
AUTO_MAX_STABLE_PCT = 50.0

HINT_WITH_TUNING = (
    "-nstreams, -nthreads and -pin are fine-tuning options that only apply without a "
    "performance hint: add -hint none (benchmark_app's rule, not an OpenVINO limit)"
)


@dataclass(frozen=True)
class BenchmarkConfig:
    model: str
    device: str = "CPU"
    hint: str = ""  # "" = not given
    api: str = ""  # "" = derived from the hint
    niter: int | None = None
    time_s: int | None = None
    nireq: int = 0  # 0 = the device's optimal number
    nstreams: str | None = None
    nthreads: int | None = None
    pin: str | None = None
    batch: str = ""
    shape: str = ""
    data_shape: str = ""
    layout: str = ""
    inputs: tuple[str, ...] = ()  # -i, one entry per occurrence/token
    mean_values: str = ""
    scale_values: str = ""
    input_precision: str | None = None
    output_precision: str | None = None
    input_output_precision: str | None = None
    infer_precision: str | None = None
    inference_only: bool | None = None  # None = automatic (static models: True)
    no_warmup: bool = False
    max_irate: float = 0.0
    latency_percentile: int = 50
    pcseq: bool = False
    perf_counts: bool | None = None  # None = not given
    perf_counts_sort: str = ""
    report_type: str | None = None
    report_folder: str = ""
    json_stats: bool = False
    exec_graph_path: str | None = None
    dump_config: str = ""
    load_config: str = ""
    cache_dir: str = ""
    load_from_file: bool = False
    extensions: str | None = None
    cldnn_config: str | None = None
    # ovbench-tui's own
    seed: int = 0  # random input data; 0 reproduces benchmark_app's values
    random_sets: int = 1  # distinct random input sets per shape
    json_out: str = ""  # our result file
    history: str = ""  # run history file ("" = the user data directory's)
    no_history: bool = False
    progress: str = "auto"
    time_auto: bool = False  # -t auto: until the throughput is stable
    stable_pct: float | None = None  # -stable_pct (None = AUTO_DEFAULT_STABLE_PCT)
    t_max_s: int | None = None  # -t_max (None = AUTO_DEFAULT_MAX_S)
    rate: float | None = None  # requests/s of an open loop; None = closed loop
    arrival: str = ""  # "" = poisson (with -rate)
    extra: dict[str, str] = field(default_factory=dict)

    def replace(self, **changes: object) -> BenchmarkConfig:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    # -- derived values -----------------------------------------------------------

    @property
    def resolved_api(self) -> str:
        if self.api:
            return self.api
        return "sync" if self.hint == "latency" else "async"

    @property
    def arrival_process(self) -> str:
        return self.arrival or ARRIVAL_CHOICES[0]

    @property
    def hint_given(self) -> bool:
        return bool(self.hint)

    @property
    def compile_only(self) -> bool:
        return self.niter == 0

    @property
    def auto_stable_pct(self) -> float:
        return AUTO_DEFAULT_STABLE_PCT if self.stable_pct is None else self.stable_pct

    @property
    def auto_max_s(self) -> int:
        return AUTO_DEFAULT_MAX_S if self.t_max_s is None else self.t_max_s

    def duration_s(self) -> tuple[int, bool]:
        """Measuring time in seconds (0 = none) and whether the device was unknown;
        with -t auto the most it may take (it usually stops earlier)."""
        if self.time_auto:
            return self.auto_max_s, False
        if self.time_s:
            return self.time_s, False
        if self.niter is not None:
            return 0, False
        matched = [s for name, s in DEFAULT_DURATION_S.items() if name in self.device]
        if matched:
            return max(matched), False
        return UNKNOWN_DEVICE_DURATION_S, True

    # -- validation (benchmark_app's step 1, same order) -------------------------

    def validate(self) -> BenchmarkConfig:
        if not self.model:
            raise UsageError(
                "no model: give -m PATH (an .xml/.onnx/... file, or demo:cnn)", fields=("model",)
            )
        if not 1 <= self.latency_percentile <= 100:
            raise UsageError(
                f"-latency_percentile {self.latency_percentile} is out of range: "
                "use an integer from 1 to 100 (50 = median)",
                fields=("latency_percentile",),
            )
        if self.hint and self.hint not in HINT_CHOICES:
            raise UsageError(
                f"-hint {self.hint!r} is unknown: use one of {', '.join(HINT_CHOICES)}",
                fields=("hint",),
            )
        if self.api and self.api not in API_CHOICES:
            raise UsageError(f"-api {self.api!r} is unknown: use sync or async", fields=("api",))
        if self.time_s is not None and self.time_s <= 0:
            raise UsageError(
                f"-t {self.time_s} is not a positive number of seconds: use -t 1 or more",
                fields=("time_s",),
            )
        self._validate_auto()
        if self.niter is not None and self.niter < 0:
            raise UsageError(
                f"-niter {self.niter} is negative: use a positive count, or 0 to compile only",
                fields=("niter",),
            )
        if self.nireq < 0:
            raise UsageError(
                f"-nireq {self.nireq} is negative: use 1 or more, or 0 for automatic",
                fields=("nireq",),
            )
        if self.nthreads is not None and self.nthreads < 0:
            raise UsageError(
                f"-nthreads {self.nthreads} is negative: use 1 or more", fields=("nthreads",)
            )
        if self.max_irate < 0:
            raise UsageError(
                f"-max_irate {self.max_irate} is negative: use 0 (no cap) or more",
                fields=("max_irate",),
            )
        self._validate_open_loop()
        if self.pin is not None:
            if self.pin.upper() in PIN_RETIRED:
                raise UsageError(
                    f"-pin {self.pin} is no longer supported by the OpenVINO runtime: "
                    "use -pin YES or -pin NO (CPU pinning on or off)",
                    fields=("pin",),
                )
            if self.pin not in PIN_CHOICES:
                raise UsageError(f"-pin {self.pin!r} is unknown: use YES or NO", fields=("pin",))
        if self.hint != "none" and (self.nstreams or self.nthreads or self.pin is not None):
            raise UsageError(HINT_WITH_TUNING, fields=("hint", "nstreams", "nthreads", "pin"))
        check_batch(self.batch)
        check_streams(self.nstreams)
        check_infer_precisions(self.infer_precision)
        if self.perf_counts_sort and self.perf_counts_sort not in PCSORT_CHOICES:
            raise UsageError(
                f"-pcsort {self.perf_counts_sort!r} is unknown: use {', '.join(PCSORT_CHOICES)}",
                fields=("perf_counts_sort",),
            )
        if self.report_type is not None and self.report_type not in REPORT_TYPES:
            raise UsageError(
                f"-report_type {self.report_type!r} is unknown: use {', '.join(REPORT_TYPES)}",
                fields=("report_type",),
            )
        if self.report_type == "average_counters" and "MULTI" in self.device:
            raise UsageError(
                "-report_type average_counters is not supported for MULTI devices: "
                "use detailed_counters",
                fields=("report_type", "device"),
            )
        if self.random_sets < 1:
            raise UsageError(
                f"-random_sets {self.random_sets} must be 1 or more", fields=("random_sets",)
            )
        if self.progress not in PROGRESS_CHOICES:
            raise UsageError(
                f"-progress {self.progress!r} is unknown: use {', '.join(PROGRESS_CHOICES)}",
                fields=("progress",),
            )
        if (
            self.resolved_api == "sync"
            and not self.time_s
            and self.niter
            and self.nireq > self.niter
        ):
            raise UsageError(
                f"-nireq {self.nireq} is more than -niter {self.niter} in sync mode: "
                "lower -nireq or raise -niter",
                fields=("nireq", "niter", "api"),
            )
        if self.load_from_file and (self.mean_values or self.scale_values):
            raise UsageError(
                "--mean_values and --scale_values don't work with -lfile (the model is compiled "
                "straight from the file): drop -lfile or bake the values into the model",
                fields=("load_from_file", "mean_values", "scale_values"),
            )
        return self

    def _validate_auto(self) -> None:
        if self.time_auto and self.time_s:
            raise UsageError(
                f"-t auto and -t {self.time_s} both given: keep one of them",
                fields=("time_s", "time_auto"),
            )
        if not self.time_auto:
            for flag, field, value in (
                ("-stable_pct", "stable_pct", self.stable_pct),
                ("-t_max", "t_max_s", self.t_max_s),
            ):
                if value is not None:
                    raise UsageError(
                        f"{flag} only applies to -t auto: add -t auto, or drop {flag}",
                        fields=(field,),
                    )
            return
        pct = self.auto_stable_pct
        if not 0 < pct <= AUTO_MAX_STABLE_PCT:
            raise UsageError(
                f"-stable_pct {pct:g} is out of range: give a percentage above 0 and at most "
                f"{AUTO_MAX_STABLE_PCT:g} (2 = the 95 % interval within ± 2 % of the throughput)",
                fields=("stable_pct",),
            )
        if self.auto_max_s < AUTO_MIN_S:
            raise UsageError(
                f"-t_max {self.auto_max_s} is below -t auto's {AUTO_MIN_S} s minimum: "
                f"use -t_max {AUTO_MIN_S} or more",
                fields=("t_max_s",),
            )
        if self.rate is not None:
            raise UsageError(
                "-t auto stops a closed loop once its throughput is stable; an open loop's "
                "throughput is its -rate: give -t S with -rate",
                fields=("time_s", "time_auto", "rate"),
            )

    def _validate_open_loop(self) -> None:
        if self.rate is not None and not 0 < self.rate < float("inf"):
            raise UsageError(
                f"-rate {self.rate:g} is not a positive rate: give requests per second, e.g. "
                "-rate 100 (leave -rate out for a closed loop)",
                fields=("rate",),
            )
        if self.arrival and self.arrival not in ARRIVAL_CHOICES:
            raise UsageError(
                f"-arrival {self.arrival!r} is unknown: use {' or '.join(ARRIVAL_CHOICES)}",
                fields=("arrival",),
            )
        if self.arrival and self.rate is None:
            raise UsageError(
                f"-arrival {self.arrival} needs -rate R (requests per second)",
                fields=("arrival", "rate"),
            )
        if self.rate is not None and self.max_irate:
            raise UsageError(
                "-max_irate caps a closed loop and -rate sets an open loop's arrivals: keep one",
                fields=("max_irate", "rate"),
            )


# -- the per-device options' grammar (the form, a run and a sweep all check here) ----


BATCH_GRAMMAR = re.compile(r"\?|-1|\d+|\d*\.\.\d*")


def check_batch(text: str) -> None:
    """-b: a number, a range 1..8 or ? (what ov.Dimension takes)."""
    if text and not BATCH_GRAMMAR.fullmatch(text.strip()):
        raise OptionError(
            "-b",
            f" {text!r} is not a batch size: use a number such as 4, a range 1..8, or ?",
            fields=("batch",),
        )


def batch_ignored(batch: str, data_shape: str) -> bool:
    """benchmark_app ignores a fixed -b whenever -data_shape is given (step 5, "Batch
    size will be ignored"): the data shapes' own batch runs.  A range or ? still applies.
    Sweeps and the tuner ask this before measuring a batch that would not run."""
    text = batch.strip()
    return bool(data_shape.strip()) and text.isdigit() and int(text) != 0


def check_stream_count(value: str, device: str = "", option: str = "-nstreams") -> None:
    """One -nstreams value: a whole number of 1 or more, AUTO or NUMA (which the
    runtime still maps to one stream per NUMA node).  0 is refused: the CPU plugin
    takes it silently and reports 0 streams, which no run, sweep or config file means."""
    where = f" for {device}" if device else ""
    if value.strip() == "0":
        raise OptionError(
            option,
            f" '0'{where} runs no streams: give whole numbers of streams of 1 or more (or AUTO)",
            fields=("nstreams",),
        )
    if not (value.isdigit() or value.upper() in STREAM_WORDS):
        raise OptionError(
            option,
            f" {value!r}{where} is not a number of streams: use a whole number such as 2 (or AUTO)",
            fields=("nstreams",),
        )


def check_streams(text: str | None) -> None:
    """-nstreams: `2`, or per device `CPU:2,GPU:4`."""
    check_per_device_values("-nstreams", text, check_stream_count, "nstreams")


def check_infer_precisions(text: str | None) -> None:
    """-infer_precision: `bf16`, or per device `CPU:bf16,GPU:f16`."""
    check_per_device_values("-infer_precision", text, check_infer_precision, "infer_precision")


def check_infer_precision(value: str, device: str = "", option: str = "-infer_precision") -> None:
    if value.lower() not in INFER_PRECISIONS:
        where = f" for {device}" if device else ""
        raise OptionError(
            option,
            f" {value!r}{where} is not an element type: use bf16, f16 or f32 "
            "(per device: CPU:bf16)",
            fields=("infer_precision",),
        )


def check_per_device_values(
    option: str, text: str | None, check: Callable[..., None], field: str
) -> None:
    """`value` or `dev:value,dev2:value`, each value checked alone (which devices
    exist is known only once -d is parsed, by the engine)."""
    for raw in (text or "").split(","):
        item = raw.strip()
        if not item:
            continue
        parts = [part.strip() for part in item.split(":")]
        if len(parts) > 2 or not all(parts):
            raise OptionError(
                option,
                f": can't parse '{item}'; write <value> for all devices or "
                "<device>:<value>,<device2>:<value> per device",
                fields=(field,),
            )
        check(parts[-1], parts[0] if len(parts) == 2 else "")
