"""benchmark_app's report files (-report_type, -report_folder, -json_stats, -pcsort):
same file names, sections, columns and separators (spec 10.1-10.6), with its
report bugs fixed:

* B2  the JSON average-counters report lists every layer, not only the first;
* B3  the JSON main report keeps the overall latency rows and puts the
      per-group rows of -pcseq in a list under "latency_groups" (instead of
      letting the last group overwrite the overall values);
* B10 `topology` is the model's name (its friendly name), not `Model1`;
* B15 an empty-string argument does not crash the command-line section, nor
      does a `name=a=b` token; a negative number is a value, and several
      values after one flag are all kept (joined by a space);
* the report folder is created when missing.

Counters (see engine/counters/): the average report and the sorted report
hold the mean per inference over the sampled measured inferences of all
requests (benchmark_app: the mean over requests of each request's last
inference, and the sorted report of the last request only); when the sample
is part of the run, one line after the table (CSV) or two keys (JSON) say how
many inferences it holds.  The detailed report keeps benchmark_app's meaning,
one block per infer request with its last inference, read after the run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..config import BenchmarkConfig
from ..engine.counters import LayerCounter, PerfCounterTable, SortedTable, sorted_rows
from ..engine.result import ReportSetup, RunResult
from ..errors import UsageError
from .command_line import command_line_pairs, config_command_line
from .result_file import atomic_write_text

MAIN_REPORT = "benchmark_report"
AVERAGE_REPORT = "benchmark_average_counters_report"
DETAILED_REPORT = "benchmark_detailed_counters_report"
SORTED_REPORT = "benchmark_sorted_report"
CSV_SEPARATOR = ";"
COUNTER_HEADER = (
    "layerName",
    "execStatus",
    "layerType",
    "execType",
    "realTime (ms)",
    "cpuTime (ms)",
)

Value = str | bool  # bool only for inference_only: CSV True/False, JSON true/false
Row = tuple[str, Value]

# Timings as RunResult.timings_ms names them, in benchmark_app's row order.
_TIMING_ROWS = (
    ("read", "read model time (ms)"),
    ("import", "import model time (ms)"),
    ("reshape", "reshape model time (ms)"),
    ("compile", "compile model time (ms)"),
    ("first_inference", "first inference time (ms)"),
)


# -- main report rows ---------------------------------------------------------------------


def _ms_text(seconds: float) -> str:
    # benchmark_app prints str(int seconds * 1000): "60000", never "60000.0".
    ms = seconds * 1000
    return str(int(ms)) if float(ms).is_integer() else str(ms)


def configuration_rows(config: BenchmarkConfig, result: RunResult, setup: ReportSetup) -> list[Row]:
    topology = setup.topology or result.compiled_properties.get("NETWORK_NAME", "")
    rows: list[Row] = [
        ("topology", topology),
        ("target device", config.device),
        ("API", result.api),
        ("inference_only", result.inference_only),
        ("precision", "UNSPECIFIED"),
        ("batch size", result.batch),
        ("number of iterations", str(setup.niter)),
        ("number of parallel infer requests", str(result.nireq)),
        ("duration (ms)", _ms_text(setup.duration_s)),
    ]
    rows += [(f"number of {device} streams", str(n)) for device, n in setup.streams.items()]
    return rows


@dataclass(frozen=True)
class ExecutionRows:
    """Execution results in three parts, so JSON can keep the -pcseq groups apart (B3)."""

    head: list[Row]
    groups: list[list[Row]]
    tail: list[Row]

    def flat(self) -> list[Row]:
        rows = list(self.head)
        for group in self.groups:
            rows += group
        return rows + self.tail


def execution_rows(
    result: RunResult | None, setup: ReportSetup, error: str | None = None
) -> ExecutionRows:
    timings = result.timings_ms if result is not None else setup.timings_ms
    head: list[Row] = [
        (label, f"{timings[key]:.2f}") for key, label in _TIMING_ROWS if key in timings
    ]
    groups: list[list[Row]] = []
    tail: list[Row] = []
    if result is not None:
        head.append(("total execution time (ms)", f"{result.duration_s * 1000:.2f}"))
        head.append(("total number of iterations", str(result.count)))
        if not result.hide_latency:
            stats = result.latency
            label = (
                "latency (ms)"
                if stats.percent == 50
                else f"latency ({stats.percent} percentile) (ms)"
            )
            head.append((label, f"{stats.percentile_value:.2f}"))
            head.append(("avg latency", f"{stats.average:.2f}"))
            head.append(("min latency", f"{stats.minimum:.2f}"))
            head.append(("max latency", f"{stats.maximum:.2f}"))
            if result.pcseq:
                groups = [
                    [
                        ("group", group.label),
                        ("avg latency", f"{group.stats.average:.2f}"),
                        ("min latency", f"{group.stats.minimum:.2f}"),
                        ("max latency", f"{group.stats.maximum:.2f}"),
                    ]
                    for group in result.groups
                ]
        tail.append(("throughput", f"{result.throughput_fps:.2f}"))
    if error is not None:
        tail.append(("error", error))
    return ExecutionRows(head, groups, tail)


def _csv_value(value: Value) -> str:
    return str(value)  # bool -> "True"/"False", as benchmark_app writes it


def main_report_csv(
    command_line: list[tuple[str, str]], configuration: list[Row], execution: ExecutionRows
) -> str:
    out = io.StringIO()
    for title, rows in (
        ("Command line parameters", command_line),
        ("Configuration setup", configuration),
        ("Execution results", execution.flat()),
    ):
        if not rows:
            continue
        out.write(f"{title}\n")
        for key, value in rows:
            out.write(f"{key}{CSV_SEPARATOR}{_csv_value(value)}\n")
        out.write("\n")
    return out.getvalue()


def main_report_json(
    command_line: list[tuple[str, str]], configuration: list[Row], execution: ExecutionRows
) -> str:
    document: dict[str, Any] = {}
    if command_line:
        # A flag given twice keeps its last value, as argparse does for most flags.
        document["cmd_options"] = dict(command_line)
    if configuration:
        document["configuration_setup"] = dict(configuration)
    rows = execution.flat()
    if rows:
        results: dict[str, Any] = dict(execution.head)
        if execution.groups:
            results["latency_groups"] = [dict(group) for group in execution.groups]
        results.update(execution.tail)
        document["execution_results"] = results
    return json.dumps(document)


# -- per-layer counter reports ---------------------------------------------------------------


def _ms3(us: float) -> str:
    return f"{us / 1000:.3f}"


def _counter_block_csv(layers: Sequence[LayerCounter], mean: bool) -> str:
    lines = [CSV_SEPARATOR.join(COUNTER_HEADER)]
    total_real = total_cpu = 0.0
    for layer in layers:
        real, cpu = _times(layer, mean)
        total_real += real
        total_cpu += cpu
        lines.append(
            CSV_SEPARATOR.join(
                (layer.name, layer.status, layer.layer_type, layer.exec_type, _ms3(real), _ms3(cpu))
            )
        )
    lines.append(CSV_SEPARATOR.join(("Total", "", "", "", _ms3(total_real), _ms3(total_cpu))))
    return "\n".join(lines) + "\n\n"


def _times(layer: LayerCounter, mean: bool) -> tuple[float, float]:
    if mean:
        return layer.mean_real_us, layer.mean_cpu_us
    return float(layer.total_real_us), float(layer.total_cpu_us)


def _counter_block_json(layers: Sequence[LayerCounter], mean: bool) -> dict[str, Any]:
    nodes = []
    total_real = total_cpu = 0.0
    for layer in layers:
        real, cpu = _times(layer, mean)
        total_real += real
        total_cpu += cpu
        nodes.append(
            {
                "name": layer.name,
                "node_type": layer.layer_type,
                "status": layer.status,
                "real_time": _ms3(real),
                "cpu_time": _ms3(cpu),
                "exec_type": layer.exec_type,
            }
        )
    return {"nodes": nodes, "total_real_time": _ms3(total_real), "total_cpu_time": _ms3(total_cpu)}


def _sample_line(counters: PerfCounterTable | None) -> str | None:
    """What the means come from, when not from every measured inference."""
    if counters is None or not counters.sampled:
        return None
    return f"Means over {counters.sample_text}"


def _sample_keys(counters: PerfCounterTable | None) -> dict[str, int]:
    if counters is None or not counters.sampled:
        return {}
    return {"sampled_inferences": counters.inferences, "measured_inferences": counters.measured}


def counters_report_csv(counters: PerfCounterTable, report_type: str) -> str:
    if report_type == "detailed_counters":
        return "".join(
            _counter_block_csv(request.layers, mean=False)
            for request in counters.per_request_last()
        )
    text = _counter_block_csv(counters.layers, mean=True)
    line = _sample_line(counters)
    # After the block's empty line, so a reader of the block sees it unchanged.
    return text + f"{line}\n" if line else text


def counters_report_json(counters: PerfCounterTable, report_type: str) -> str:
    if report_type == "detailed_counters":
        document: dict[str, Any] = {
            "report_type": "detailed",
            "detailed_performance": [
                _counter_block_json(request.layers, mean=False)
                for request in counters.per_request_last()
            ],
        }
    else:
        document = {
            "report_type": "average",
            "avg_performance": _counter_block_json(counters.layers, mean=True),
            **_sample_keys(counters),
        }
    return json.dumps(document, indent=4)


def _sorted_cells(table: SortedTable) -> tuple[list[list[str]], float, float]:
    rows = []
    total_real = total_cpu = 0.0
    for row in table.rows:
        layer = row.layer
        rows.append(
            [
                layer.name,
                layer.status,
                layer.layer_type,
                layer.exec_type,
                _ms3(row.real_us),
                _ms3(row.cpu_us),
                row.percent_text,
            ]
        )
        # benchmark_app totals the rows it writes (simple_sort has dropped NOT_RUN ones).
        total_real += row.real_us
        total_cpu += row.cpu_us
    return rows, total_real, total_cpu


def sorted_report_csv(table: SortedTable, counters: PerfCounterTable | None = None) -> str:
    """benchmark_app writes this one with the csv module: commas, CRLF after each row,
    a quoted header cell that ends in a newline, and bare LF lines between parts;
    a sampled table's size follows its totals, as one more row of text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COUNTER_HEADER, "proportion (%)\n"])
    rows, total_real, total_cpu = _sorted_cells(table)
    writer.writerows(rows)
    out.write("\n")
    writer.writerow([f"Total time: {total_real / 1000:.2f} milliseconds"])
    writer.writerow([f"Total CPU time: {total_cpu / 1000:.2f} milliseconds"])
    line = _sample_line(counters)
    if line:
        writer.writerow([line])
    out.write("\n\n")
    return out.getvalue()


def sorted_report_json(table: SortedTable, counters: PerfCounterTable | None = None) -> str:
    rows, total_real, total_cpu = _sorted_cells(table)
    nodes = [
        {
            "name": name,
            "node_type": layer_type,
            "status": status,
            "real_time": real,
            "cpu_time": cpu,
            "exec_type": exec_type,
            "%": percent,
        }
        for name, status, layer_type, exec_type, real, cpu, percent in rows
    ]
    document = {
        "report_type": "sorted",
        "avg_performance": {
            "nodes": nodes,
            "total_real_time": _ms3(total_real),
            "total_cpu_time": _ms3(total_cpu),
        },
        **_sample_keys(counters),
    }
    return json.dumps(document, indent=4)


# -- writing ------------------------------------------------------------------------------


def ensure_report_folder(folder: str) -> None:
    if not folder:
        return
    if os.path.exists(folder) and not os.path.isdir(folder):
        kind = "a FIFO" if stat.S_ISFIFO(os.stat(folder).st_mode) else "a file"
        raise UsageError(f"-report_folder {folder} is {kind}, not a folder: give a folder path")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"-report_folder: cannot create {folder}: {error.strerror or error} "
            "(give a folder path you can write to)"
        ) from error


def _write(folder: str, name: str, text: str, newline: str | None = None) -> str:
    # benchmark_app logs os.path.join(folder, name): a bare name for the current folder.
    path = os.path.join(folder, name)
    try:
        atomic_write_text(path, text, newline=newline)
    except OSError as error:
        raise UsageError(
            f"-report_folder: cannot write {path}: {error.strerror or error}"
        ) from error
    return path


def write_reports(
    config: BenchmarkConfig,
    argv: Sequence[str] | None,
    result: RunResult | None,
    counters: PerfCounterTable | None,
    setup: ReportSetup,
    error: str | None = None,
) -> list[str]:
    """Write the files benchmark_app writes at step 11; returns the INFO lines to log,
    in benchmark_app's order.  Nothing is written without -report_type.

    `argv`: the option tokens as typed (None: a run from the app's form; the
    section then lists the equivalent flags).  `result` None: a compile-only run
    or a failure (then `error` is its message and becomes an `error` row).
    `counters` None: no counters were collected.
    """
    if not config.report_type:
        return []
    folder = config.report_folder
    ensure_report_folder(folder)
    extension = "json" if config.json_stats else "csv"
    messages: list[str] = []

    if setup.perf_counts and counters is not None and result is not None:
        if config.perf_counts_sort:
            table = sorted_rows(counters.layers, config.perf_counts_sort, mean=True)
            text = (
                sorted_report_json(table, counters)
                if config.json_stats
                else sorted_report_csv(table, counters)
            )
            path = _write(folder, f"{SORTED_REPORT}.{extension}", text, newline="")
            messages.append(f"Sorted performance counters report is stored to {path}")
        if config.report_type == "no_counters":
            messages.append(
                "Statistics collecting for performance counters was not requested. "
                "No reports are dumped."
            )
        elif counters.is_empty():
            messages.append("Performance counters are empty. No reports are dumped.")
        else:
            name = AVERAGE_REPORT if config.report_type == "average_counters" else DETAILED_REPORT
            text = (
                counters_report_json(counters, config.report_type)
                if config.json_stats
                else counters_report_csv(counters, config.report_type)
            )
            path = _write(folder, f"{name}.{extension}", text)
            messages.append(f"Performance counters report is stored to {path}")

    command_line = command_line_pairs(argv) if argv is not None else config_command_line(config)
    configuration = configuration_rows(config, result, setup) if result is not None else []
    execution = execution_rows(result, setup, error)
    if config.json_stats:
        text = main_report_json(command_line, configuration, execution)
    else:
        text = main_report_csv(command_line, configuration, execution)
    path = _write(folder, f"{MAIN_REPORT}.{extension}", text)
    messages.append(f"Statistics report is stored to {path}")
    return messages
