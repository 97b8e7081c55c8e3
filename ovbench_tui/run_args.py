"""The run-flag library: benchmark_app's flags, parsed into a BenchmarkConfig.

Used by every front end (headless run, sweep, the app's form); it imports
none of them, and nothing here dispatches (that is cli.py, on top).

The run parser accepts every benchmark_app 2026.4 option with the same short
and long names, values and defaults, plus older names that still make sense
(-l, -imean, -iscale, -enforcebf16, -progress, -stream_output) and
single-dash -mean_values/-scale_values (benchmark_app reads those as
`-m ean_values`, its bug B16).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from .config import (
    ARRIVAL_CHOICES,
    HINT_CHOICES,
    PCSORT_CHOICES,
    PRECISION_CHOICES,
    REPORT_TYPES,
    BenchmarkConfig,
)
from .errors import OvbenchError, UsageError

TRUE_WORDS = ("yes", "true", "t", "y", "1")
FALSE_WORDS = ("no", "false", "f", "n", "0")


def str2bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise argparse.ArgumentTypeError(f"{text!r} is not a yes/no value: use true or false")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not positive: use 1 or more")
    return value


def nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: use 0 or more")
    return value


def int_value(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def time_value(text: str) -> int | str:
    """-t: whole seconds, or `auto` (until the throughput is stable)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a whole number of seconds nor auto (until stable)"
        ) from None
    return positive_int(text)


def float_value(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def history_file(text: str) -> str:
    """--history: a file path; an empty one is a mistake, not the default file."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "an empty path is not a history file: give a file, or drop --history for the default"
        )
    return text


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, hint=f"see {self.prog} -h")


def print_command_output(prog: str, produce: Callable[[], list[str]]) -> int:
    """Run a command that answers with lines: its error as one line on stderr with its
    exit code, or the lines on stdout (a closed pipe, `... | head`, ends quietly)."""
    try:
        lines = produce()
    except OvbenchError as error:
        sys.stderr.write(f"{prog}: error: {error}\n")
        return error.exit_code
    try:
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError as error:  # /dev/full: one line, and no second failure at exit
        sys.stderr.write(f"{prog}: cannot write the output: {error.strerror or error}\n")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


def build_run_parser(prog: str = "ovbench-tui run") -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=prog,
        add_help=False,
        formatter_class=argparse.RawTextHelpFormatter,
        description="Measure a model's speed like OpenVINO's benchmark_app, with the same flags "
        "and output.",
    )
    opt = parser.add_argument_group("Options")
    opt.add_argument("-h", "--help", nargs="?", const=True, help="Show this help message and exit.")
    opt.add_argument(
        "-i",
        "--paths_to_input",
        action="append",
        nargs="+",
        metavar="PATHS_TO_INPUT",
        help="Input data: files or folders (images, .bin, .npy), dealt to the inputs in\n"
        "order, or mapped by name: -i ids:ids.npy mask:m1.bin,masks/. Folders give\n"
        "their files (sorted); files are cycled over iterations. Without -i, random data.",
    )
    opt.add_argument(
        "-m",
        "--path_to_model",
        required=True,
        metavar="PATH_TO_MODEL",
        help="Required. Model file (.xml, .onnx, .tflite, ...) or a built-in demo model:\n"
        "demo:cnn, demo:dynamic, demo:tiny.",
    )
    opt.add_argument(
        "-d",
        "--target_device",
        default="CPU",
        metavar="TARGET_DEVICE",
        help="Device: CPU (default), GPU, NPU, AUTO, MULTI:a,b or HETERO:a,b.",
    )
    opt.add_argument(
        "-hint",
        "--perf_hint",
        choices=HINT_CHOICES,
        default="",
        help="Performance hint; 'none' leaves the device's defaults and allows\n"
        "-nstreams/-nthreads/-pin. Default: throughput (latency with -api sync).",
    )
    opt.add_argument(
        "-niter",
        "--number_iterations",
        type=nonneg_int,
        default=None,
        metavar="NUMBER_ITERATIONS",
        help="Number of iterations (rounded up to a multiple of the requests or\n"
        "data shapes in async mode); 0 compiles the model and stops.",
    )
    opt.add_argument(
        "-max_irate",
        "--maximum_inference_rate",
        type=float_value,
        default=0.0,
        metavar="MAXIMUM_INFERENCE_RATE",
        help="Cap on frames per second (0 = no cap).",
    )
    opt.add_argument(
        "-t",
        "--time",
        type=time_value,
        default=None,
        metavar="TIME",
        help="Seconds to measure, or auto: until the throughput's 95 %% interval is\n"
        "within ±2 %% (-stable_pct), 3 s to 60 s (-t_max). Default: 60 for\n"
        "CPU/GPU/NPU, 120 otherwise, unless -niter is given.",
    )
    opt.add_argument(
        "-api",
        "--api_type",
        choices=("sync", "async"),
        default="",
        help="sync (one request at a time) or async. Default: sync with\n"
        "-hint latency, else async.",
    )
    opt.add_argument(
        "-json_stats",
        "--json_stats",
        type=str2bool,
        nargs="?",
        const=True,
        default=False,
        help="Write the reports as JSON instead of CSV.",
    )

    shapes_group = parser.add_argument_group("Input shapes")
    shapes_group.add_argument(
        "-b",
        "--batch_size",
        default="",
        metavar="BATCH_SIZE",
        help="Batch size (the N dimension of the inputs' layout).",
    )
    shapes_group.add_argument(
        "-shape", default="", help="Model input shapes: [1,3,224,224] or name[1,3,?,?],name2[1,4]."
    )
    shapes_group.add_argument(
        "-data_shape",
        default="",
        help="Shapes of the data for dynamic inputs; several per input make\n"
        "groups: name[1,3,224,224][1,3,320,320].",
    )
    shapes_group.add_argument(
        "-layout", default="", help="Input layouts: NCHW or name[NCHW],name2[NC]."
    )

    adv = parser.add_argument_group("Advanced options")
    adv.add_argument(
        "-extensions",
        "--extensions",
        "-l",
        "--path_to_extension",
        dest="extensions",
        default=None,
        help="Comma-separated extension libraries (-l is the older name).",
    )
    adv.add_argument(
        "-c",
        "--path_to_cldnn_config",
        default=None,
        metavar="PATH_TO_CLDNN_CONFIG",
        help="GPU custom kernels configuration (used when -d names a GPU).",
    )
    adv.add_argument(
        "-cdir",
        "--cache_dir",
        default="",
        metavar="CACHE_DIR",
        help="Model cache folder (compiled blobs are reused between runs).",
    )
    adv.add_argument(
        "-lfile",
        "--load_from_file",
        nargs="?",
        const=True,
        default=False,
        type=str2bool,
        help="Compile straight from the model file.",
    )
    adv.add_argument(
        "-nireq",
        "--number_infer_requests",
        type=positive_int,
        default=0,
        metavar="NUMBER_INFER_REQUESTS",
        help="Number of infer requests (default: the device's optimal number).",
    )
    adv.add_argument(
        "-nstreams",
        "--number_streams",
        default=None,
        metavar="NUMBER_STREAMS",
        help="Streams: 2 or CPU:2,GPU:4 (needs -hint none).",
    )
    adv.add_argument(
        "-inference_only",
        "--inference_only",
        type=str2bool,
        nargs="?",
        const=True,
        default=None,
        help="Measure inference only (default for static models), or also set\n"
        "inputs in the loop (false; always so with several data shapes).",
    )
    adv.add_argument("-no_warmup", action="store_true", help="Skip the warm-up inference.")
    adv.add_argument(
        "-infer_precision",
        default=None,
        help="Inference precision: bf16, f16, f32 or CPU:bf16,GPU:f16.",
    )
    adv.add_argument(
        "-enforcebf16",
        "--enforce_bfloat16",
        type=str2bool,
        nargs="?",
        const=True,
        default=None,
        help="Older name for -infer_precision bf16.",
    )

    pre = parser.add_argument_group("Preprocessing options")
    pre.add_argument(
        "-ip",
        "--input_precision",
        choices=PRECISION_CHOICES,
        default=None,
        help="Precision of all inputs.",
    )
    pre.add_argument(
        "-op",
        "--output_precision",
        choices=PRECISION_CHOICES,
        default=None,
        help="Precision of all outputs.",
    )
    pre.add_argument(
        "-iop",
        "--input_output_precision",
        default=None,
        help='Per input/output precision: "name:f16, out:f32".',
    )
    pre.add_argument(
        "--mean_values",
        "-mean_values",
        "-imean",
        "--input_mean",
        dest="mean_values",
        default="",
        metavar="[R,G,B]",
        help="Mean values subtracted per channel: [123.7,116.3,103.5] or\n"
        "name[...]. Applied inside the model.",
    )
    pre.add_argument(
        "--scale_values",
        "-scale_values",
        "-iscale",
        "--input_scale",
        dest="scale_values",
        default="",
        metavar="[R,G,B]",
        help="Scale values divided per channel (after the mean).",
    )

    dev = parser.add_argument_group("Device-specific performance options")
    dev.add_argument(
        "-nthreads",
        "--number_threads",
        type=int_value,
        default=None,
        metavar="NUMBER_THREADS",
        help="CPU inference threads (needs -hint none).",
    )
    dev.add_argument(
        "-pin",
        "--infer_threads_pinning",
        default=None,
        metavar="{YES,NO}",
        help="Pin CPU inference threads: YES or NO (needs -hint none).",
    )

    stats = parser.add_argument_group("Statistics dumping options")
    stats.add_argument(
        "-latency_percentile",
        "--latency_percentile",
        type=int_value,
        default=50,
        metavar="LATENCY_PERCENTILE",
        help="Percentile reported as latency, 1..100 (default 50, the median).",
    )
    stats.add_argument(
        "-report_type",
        "--report_type",
        choices=REPORT_TYPES,
        default=None,
        help="Write statistics reports.",
    )
    stats.add_argument(
        "-report_folder",
        "--report_folder",
        default="",
        help="Folder for the reports (created if missing).",
    )
    stats.add_argument(
        "-pc",
        "--perf_counts",
        type=str2bool,
        nargs="?",
        const=True,
        default=None,
        help="Print per-layer performance counters.",
    )
    stats.add_argument(
        "-pcsort",
        "--perf_counts_sort",
        choices=PCSORT_CHOICES,
        default="",
        help="Print sorted per-layer counters.",
    )
    stats.add_argument(
        "-pcseq",
        "--pcseq",
        type=str2bool,
        nargs="?",
        const=True,
        default=False,
        help="Print latency for each data shape group.",
    )
    stats.add_argument(
        "-exec_graph_path",
        "--exec_graph_path",
        default=None,
        help="Write the executed (runtime) graph to this .xml file.",
    )
    stats.add_argument("-dump_config", default="", help="Write the device properties as JSON.")
    stats.add_argument(
        "-load_config",
        default="",
        help='Read device properties from JSON: {"CPU": {"NUM_STREAMS": "2"}}.',
    )

    ours = parser.add_argument_group("ovbench-tui options")
    ours.add_argument(
        "-seed",
        "--seed",
        default="0",
        help="Seed of the random input data: a number (default 0, benchmark_app's\n"
        "values) or 'random' (printed, so the run can be repeated).",
    )
    ours.add_argument(
        "-rate",
        "--rate",
        type=float_value,
        default=None,
        metavar="R",
        help="Open loop: R requests per second arrive whatever the device does; latency\n"
        "counts from each scheduled arrival (queueing included). Default: closed loop.",
    )
    ours.add_argument(
        "-arrival",
        "--arrival",
        choices=ARRIVAL_CHOICES,
        default="",
        help="Arrival process with -rate: poisson (exponential gaps from -seed, the\n"
        "default) or constant (fixed gaps).",
    )
    ours.add_argument(
        "-random_sets",
        "--random_sets",
        type=positive_int,
        default=1,
        help="Distinct random input sets per data shape (default 1); more keep\n"
        "caches from flattering the result (used in full mode).",
    )
    ours.add_argument(
        "--history",
        "-history",
        dest="history",
        type=history_file,
        default=None,
        help="Run history file (SQLite; default in the user data folder).",
    )
    ours.add_argument(
        "--no-history",
        "-no_history",
        dest="no_history",
        action="store_true",
        help="Do not store this run in the history.",
    )
    ours.add_argument(
        "-json_out",
        "--json-out",
        dest="json_out",
        default="",
        help="Write our result file (config, environment, statistics,\n"
        "counters, histogram) as JSON to this path.",
    )
    ours.add_argument(
        "-stable_pct",
        "--stable_pct",
        type=float_value,
        default=None,
        metavar="PCT",
        help="With -t auto: stop once the throughput's 95 %% confidence interval is\n"
        "within ± this %% of it (default 2).",
    )
    ours.add_argument(
        "-t_max",
        "--t_max",
        type=positive_int,
        default=None,
        metavar="SECONDS",
        help="With -t auto: the most seconds to measure (default 60; at least 3).",
    )
    ours.add_argument(
        "--md",
        dest="md_out",
        default="",
        metavar="FILE",
        help="Also write the results as Markdown tables to FILE (for an issue\n"
        "or a chat; as hyperfine's --export-markdown).",
    )
    ours.add_argument(
        "-progress",
        "--progress",
        type=str2bool,
        nargs="?",
        const=True,
        default=None,
        help="Show progress while measuring (default: a bar on a terminal, a\n"
        "line every few seconds otherwise; false: nothing).",
    )
    ours.add_argument(
        "-stream_output",
        "--stream_output",
        type=str2bool,
        nargs="?",
        const=True,
        default=False,
        help="Print progress as plain lines, even on a terminal.",
    )
    return parser


def resolve_seed(text: str) -> int:
    """`-seed`: a whole number >= 0, or `random` for a fresh one each run."""
    value = text.strip()
    if value.lower() == "random":
        return int.from_bytes(os.urandom(4), "little")
    try:
        seed = int(value, 10)
    except ValueError:
        seed = -1
    if seed < 0:
        raise UsageError(
            f"-seed {text!r} is not a seed: give a whole number >= 0 (0 reproduces "
            "benchmark_app's data) or 'random'"
        )
    return seed


def config_from_args(args: argparse.Namespace) -> BenchmarkConfig:
    inputs: list[str] = []
    for group in args.paths_to_input or []:
        inputs.extend(group)
    infer_precision = args.infer_precision
    if args.enforce_bfloat16:
        if infer_precision and infer_precision != "bf16":
            raise UsageError("-enforcebf16 and -infer_precision disagree: keep one of them")
        infer_precision = "bf16"
    if args.progress is False:
        progress = "none"
    elif args.stream_output:
        progress = "lines"
    elif args.progress:
        progress = "bar"
    else:
        progress = "auto"
    return BenchmarkConfig(
        model=args.path_to_model,
        device=args.target_device,
        hint=args.perf_hint,
        api=args.api_type,
        niter=args.number_iterations,
        time_s=None if args.time == "auto" else args.time,
        time_auto=args.time == "auto",
        stable_pct=args.stable_pct,
        t_max_s=args.t_max,
        nireq=args.number_infer_requests,
        nstreams=args.number_streams,
        nthreads=args.number_threads,
        pin=args.infer_threads_pinning,
        batch=args.batch_size,
        shape=args.shape,
        data_shape=args.data_shape,
        layout=args.layout,
        inputs=tuple(inputs),
        mean_values=args.mean_values,
        scale_values=args.scale_values,
        input_precision=args.input_precision,
        output_precision=args.output_precision,
        input_output_precision=args.input_output_precision,
        infer_precision=infer_precision,
        inference_only=args.inference_only,
        no_warmup=args.no_warmup,
        max_irate=args.maximum_inference_rate,
        latency_percentile=args.latency_percentile,
        pcseq=args.pcseq,
        perf_counts=args.perf_counts,
        perf_counts_sort=args.perf_counts_sort,
        report_type=args.report_type,
        report_folder=args.report_folder,
        json_stats=args.json_stats,
        exec_graph_path=args.exec_graph_path,
        dump_config=args.dump_config,
        load_config=args.load_config,
        cache_dir=args.cache_dir,
        load_from_file=bool(args.load_from_file),
        extensions=args.extensions,
        cldnn_config=args.path_to_cldnn_config,
        progress=progress,
        seed=resolve_seed(args.seed),
        random_sets=args.random_sets,
        json_out=args.json_out,
        history=args.history or "",
        no_history=args.no_history,
        rate=args.rate,
        arrival=args.arrival,
    )


def parse_run_args(argv: Sequence[str]) -> BenchmarkConfig | None:
    """None when help was asked for (and printed)."""
    parser = build_run_parser()
    if any(arg in ("-h", "--help") for arg in argv):
        print(parser.format_help())
        from .engine.device_config import available_devices

        print(f"\nAvailable target devices:   {'  '.join(available_devices())}")
        return None
    args = parser.parse_args(list(argv))
    return config_from_args(args).validate()
