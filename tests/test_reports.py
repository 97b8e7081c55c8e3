"""benchmark_app's report files and our JSON result file, on real measurements.

Where benchmark_app's own writers (openvino.tools.benchmark.utils.statistics_report)
can produce the same file, its output is the oracle, byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import openvino as ov
import pytest
from model_builders import static_conv

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.counters import PerfCounterAccumulator, PerfCounterTable
from ovbench_tui.engine.result import RunResult, group_results
from ovbench_tui.engine.stats import latency_stats, throughput_fps
from ovbench_tui.errors import UsageError
from ovbench_tui.reports import (
    ReportSetup,
    build_result_document,
    collect_environment,
    command_line_pairs,
    read_result_file,
    write_reports,
    write_result_file,
)
from ovbench_tui.reports.benchmark_reports import config_command_line
from ovbench_tui.reports.result_file import counters_from_document, latency_histogram

A3_ARGV = [
    "-m",
    "static.xml",
    "-t",
    "1",
    "-hint",
    "none",
    "-nstreams",
    "2",
    "-report_type",
    "no_counters",
    "-report_folder",
    "r9",
]
REQUESTS = 2
COUNT = 16


def _copy(record: Any) -> Any:
    copy = ov.ProfilingInfo()
    for name in ("node_name", "node_type", "exec_type", "status", "real_time", "cpu_time"):
        setattr(copy, name, getattr(record, name))
    return copy


class Measured:
    """A short real run: latencies, each inference's counters and the requests' last ones."""

    def __init__(self) -> None:
        compiled = ov.Core().compile_model(static_conv(), "CPU", {"PERF_COUNT": True})
        requests = [compiled.create_infer_request() for _ in range(REQUESTS)]
        self.accumulator = PerfCounterAccumulator(REQUESTS)
        latencies = []
        self.last: list[list[Any]] = [[] for _ in requests]
        for step in range(COUNT):
            index = step % REQUESTS
            requests[index].infer()
            latencies.append(requests[index].latency)
            self.last[index] = requests[index].profiling_info
            self.accumulator.add(index, self.last[index])
        self.latencies = np.array(latencies)
        self.counters = self.accumulator.table()
        self.name = str(compiled.get_property("NETWORK_NAME"))

    def last_profiling(self) -> list[list[Any]]:
        """Each request's last inference, as recorded right after it.

        Not `request.profiling_info` read now: the CPU plugin keeps the counters per
        compiled graph (stream), so a request later reports whichever inference ran
        last on its stream.  Copies, because benchmark_app's average writer
        mutates the records it is given.
        """
        return [[_copy(record) for record in records] for records in self.last]

    def result(self, percent: int = 50, pcseq: bool = False) -> RunResult:
        labels = [" data: [1,3,32,32]", " data: [1,3,32,32]"] if pcseq else []
        groups = group_results(self.latencies, labels, [1, 1], percent) if pcseq else []
        return RunResult(
            count=COUNT,
            duration_s=float(self.latencies.sum()) / 1000 / REQUESTS,
            frames=COUNT,
            throughput_fps=throughput_fps(COUNT, float(self.latencies.sum()) / 1000 / REQUESTS),
            latency=latency_stats(self.latencies, percent),
            groups=groups,
            api="async",
            nireq=REQUESTS,
            inference_only=True,
            batch="1",
            device="CPU",
            compiled_properties={"NETWORK_NAME": self.name},
            timings_ms={"read": 4.98, "compile": 254.581, "first_inference": 14.6},
            latencies_ms=np.sort(self.latencies),
            pcseq=pcseq,
        )


@pytest.fixture(scope="module")
def measured() -> Measured:
    return Measured()


@pytest.fixture(scope="module")
def reference() -> Iterator[ModuleType]:
    root = logging.getLogger()
    handlers = list(root.handlers)
    from openvino.tools.benchmark.utils import statistics_report

    # Its logging module calls basicConfig on import; keep it out of other tests.
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    logging.getLogger("BenchmarkApp").disabled = True
    yield statistics_report


def _config(folder: Path, **changes: Any) -> BenchmarkConfig:
    values: dict[str, Any] = {
        "model": "static.xml",
        "time_s": 1,
        "hint": "none",
        "nstreams": "2",
        "report_type": "no_counters",
        "report_folder": str(folder),
    }
    values.update(changes)
    return BenchmarkConfig(**values)


SETUP = ReportSetup(topology="", niter=None, duration_s=1, streams={"CPU": "2"}, perf_counts=True)


# -- command line section -------------------------------------------------------------------


def test_command_line_pairs_match_benchmark_app(reference: ModuleType) -> None:
    from openvino.tools.benchmark.utils.utils import get_command_line_arguments

    argv = [*A3_ARGV, "-pc", "--json_stats=true", "-api", "async"]
    assert command_line_pairs(argv) == get_command_line_arguments(["benchmark_app", *argv])


def test_command_line_pairs_fix_benchmark_app_crashes() -> None:
    # B15: "" crashed benchmark_app; so did a second "=".
    assert command_line_pairs(["-m", "x.xml", "-shape", ""]) == [("-m", "x.xml"), ("-shape", "")]
    assert command_line_pairs(["-load_config=a=b.json"]) == [("-load_config", "a=b.json")]
    assert command_line_pairs(["-i", "a.npy", "b.npy", "-nstreams", "-1"]) == [
        ("-i", "a.npy b.npy"),
        ("-nstreams", "-1"),
    ]
    assert command_line_pairs(["run", "-pc"]) == [("-pc", "")]


def test_command_line_from_a_form_config(tmp_path: Path) -> None:
    pairs = config_command_line(_config(tmp_path, pcseq=True, inputs=("a", "b")))
    assert pairs[0] == ("-m", "static.xml")
    assert ("-t", "1") in pairs and ("-pcseq", "true") in pairs and ("-i", "a b") in pairs
    assert all(flag != "-d" for flag, _ in pairs)  # defaults are left out


# -- main report ------------------------------------------------------------------------------


def _sections(text: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in text.split("\n"):
        if current is None:
            if line:
                current = sections.setdefault(line, [])
        elif line == "":
            current = None
        else:
            current.append(line.split(";"))
    return sections


def test_main_csv_has_benchmark_app_layout(tmp_path: Path, measured: Measured) -> None:
    folder = tmp_path / "r9"  # created on demand (benchmark_app crashes instead)
    config = _config(folder)
    result = measured.result()
    messages = write_reports(config, A3_ARGV, result, None, SETUP)
    path = folder / "benchmark_report.csv"
    assert messages == [f"Statistics report is stored to {path}"]
    text = path.read_text()
    assert text.endswith(f";{result.throughput_fps:.2f}\n\n")
    sections = _sections(text)
    assert list(sections) == ["Command line parameters", "Configuration setup", "Execution results"]
    assert sections["Command line parameters"] == [
        [A3_ARGV[i], A3_ARGV[i + 1]] for i in range(0, len(A3_ARGV), 2)
    ]
    assert sections["Configuration setup"] == [
        ["topology", measured.name],  # B10: the model's name, not "Model1"
        ["target device", "CPU"],
        ["API", "async"],
        ["inference_only", "True"],
        ["precision", "UNSPECIFIED"],
        ["batch size", "1"],
        ["number of iterations", "None"],
        ["number of parallel infer requests", "2"],
        ["duration (ms)", "1000"],
        ["number of CPU streams", "2"],
    ]
    stats = result.latency
    assert sections["Execution results"] == [
        ["read model time (ms)", "4.98"],
        ["compile model time (ms)", "254.58"],
        ["first inference time (ms)", "14.60"],
        ["total execution time (ms)", f"{result.duration_s * 1000:.2f}"],
        ["total number of iterations", str(COUNT)],
        ["latency (ms)", f"{stats.median:.2f}"],
        ["avg latency", f"{stats.average:.2f}"],
        ["min latency", f"{stats.minimum:.2f}"],
        ["max latency", f"{stats.maximum:.2f}"],
        ["throughput", f"{result.throughput_fps:.2f}"],
    ]


def _reference_main(
    reference: ModuleType, kind: str, folder: Path, argv: list[str], rows: list[list[Any]]
) -> str:
    from openvino.tools.benchmark.utils.utils import get_command_line_arguments

    cls = reference.JsonStatisticsReport if kind == "json" else reference.CsvStatisticsReport
    report = cls(reference.StatisticsReport.Config("no_counters", str(folder)))
    category = reference.StatisticsReport.Category
    report.add_parameters(
        category.COMMAND_LINE_PARAMETERS, get_command_line_arguments(["benchmark_app", *argv])
    )
    report.add_parameters(category.RUNTIME_CONFIG, [tuple(row) for row in rows[0]])
    report.add_parameters(category.EXECUTION_RESULTS, [tuple(row) for row in rows[1]])
    report.dump()
    return (folder / f"benchmark_report.{kind}").read_text()


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_main_report_bytes_equal_benchmark_app_writer(
    tmp_path: Path, measured: Measured, reference: ModuleType, kind: str
) -> None:
    ours = tmp_path / "ours"
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    config = _config(ours, json_stats=kind == "json", latency_percentile=90)
    write_reports(config, A3_ARGV, measured.result(90), None, SETUP)
    text = (ours / f"benchmark_report.{kind}").read_text()
    if kind == "csv":
        sections = _sections(text)
        rows: list[list[Any]] = [sections["Configuration setup"], sections["Execution results"]]
        rows[0][3][1] = True  # inference_only is a Python bool in benchmark_app
    else:
        document = json.loads(text)
        rows = [
            [list(item) for item in document["configuration_setup"].items()],
            [list(item) for item in document["execution_results"].items()],
        ]
        assert document["configuration_setup"]["inference_only"] is True
        assert "latency (90 percentile) (ms)" in document["execution_results"]
    assert text == _reference_main(reference, kind, theirs, A3_ARGV, rows)


def test_json_main_report_keeps_overall_and_group_latencies(
    tmp_path: Path, measured: Measured
) -> None:
    config = _config(tmp_path, json_stats=True, pcseq=True)
    result = measured.result(pcseq=True)
    write_reports(config, A3_ARGV, result, None, SETUP)
    raw = (tmp_path / "benchmark_report.json").read_text()
    assert "\n" not in raw  # one line, like benchmark_app
    results = json.loads(raw)["execution_results"]
    # B3: benchmark_app let the last group overwrite these.
    assert results["avg latency"] == f"{result.latency.average:.2f}"
    assert results["max latency"] == f"{result.latency.maximum:.2f}"
    assert results["latency_groups"] == [
        {
            "group": group.label,
            "avg latency": f"{group.stats.average:.2f}",
            "min latency": f"{group.stats.minimum:.2f}",
            "max latency": f"{group.stats.maximum:.2f}",
        }
        for group in result.groups
    ]
    assert list(results)[-2:] == ["latency_groups", "throughput"]
    # CSV keeps benchmark_app's flat rows.
    write_reports(_config(tmp_path, pcseq=True), A3_ARGV, result, None, SETUP)
    rows = _sections((tmp_path / "benchmark_report.csv").read_text())["Execution results"]
    assert [row[0] for row in rows].count("group") == 2
    assert rows[-5] == ["group", " data: [1,3,32,32]"]


def test_compile_only_and_error_reports(tmp_path: Path) -> None:
    setup = ReportSetup(timings_ms={"read": 1.234, "compile": 20.0})
    write_reports(_config(tmp_path), ["-m", "x.xml", "-niter", "0"], None, None, setup)
    sections = _sections((tmp_path / "benchmark_report.csv").read_text())
    assert list(sections) == ["Command line parameters", "Execution results"]
    assert sections["Execution results"] == [
        ["read model time (ms)", "1.23"],
        ["compile model time (ms)", "20.00"],
    ]
    write_reports(_config(tmp_path), ["-m", "x.xml"], None, None, setup, error="boom")
    rows = _sections((tmp_path / "benchmark_report.csv").read_text())["Execution results"]
    assert rows[-1] == ["error", "boom"]


def test_no_report_type_writes_nothing(tmp_path: Path, measured: Measured) -> None:
    config = _config(tmp_path / "none", report_type=None)
    assert write_reports(config, A3_ARGV, measured.result(), measured.counters, SETUP) == []
    assert not (tmp_path / "none").exists()


def test_unusable_report_folder_is_one_clear_line(tmp_path: Path, measured: Measured) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for folder in (blocker, blocker / "below"):
        with pytest.raises(UsageError) as caught:
            write_reports(_config(folder), A3_ARGV, measured.result(), None, SETUP)
        message = str(caught.value)
        assert "\n" not in message and "-report_folder" in message and str(folder) in message


# -- counter reports ------------------------------------------------------------------------


def _counter_rows(text: str) -> list[list[list[str]]]:
    blocks = []
    for chunk in text.split("\n\n"):
        if chunk:
            blocks.append([line.split(";") for line in chunk.split("\n")])
    return blocks


def test_detailed_csv_matches_benchmark_app_writer(
    tmp_path: Path, measured: Measured, reference: ModuleType
) -> None:
    config = _config(tmp_path / "ours", report_type="detailed_counters")
    messages = write_reports(config, A3_ARGV, measured.result(), measured.counters, SETUP)
    ours = (tmp_path / "ours" / "benchmark_detailed_counters_report.csv").read_text()
    assert messages[0].startswith("Performance counters report is stored to ")
    (tmp_path / "theirs").mkdir()
    writer = reference.CsvStatisticsReport(
        reference.StatisticsReport.Config("detailed_counters", str(tmp_path / "theirs"))
    )
    writer.dump_performance_counters(measured.last_profiling())
    theirs = (tmp_path / "theirs" / "benchmark_detailed_counters_report.csv").read_text()
    assert ours == theirs
    blocks = _counter_rows(ours)
    assert len(blocks) == REQUESTS
    for block, request in zip(blocks, measured.counters.per_request_last(), strict=True):
        assert block[0] == [
            "layerName",
            "execStatus",
            "layerType",
            "execType",
            "realTime (ms)",
            "cpuTime (ms)",
        ]
        for row, layer in zip(block[1:-1], request.layers, strict=True):
            assert row == [
                layer.name,
                layer.status,
                layer.layer_type,
                layer.exec_type,
                f"{layer.total_real_ms:.3f}",
                f"{layer.total_cpu_ms:.3f}",
            ]
        total = ["Total", "", "", "", f"{request.total_real_ms:.3f}", f"{request.total_cpu_ms:.3f}"]
        assert block[-1] == total


def test_average_csv_is_the_mean_over_all_inferences(tmp_path: Path, measured: Measured) -> None:
    config = _config(tmp_path, report_type="average_counters")
    write_reports(config, A3_ARGV, measured.result(), measured.counters, SETUP)
    (block,) = _counter_rows((tmp_path / "benchmark_average_counters_report.csv").read_text())
    layers = measured.counters.layers
    assert [row[0] for row in block[1:-1]] == [layer.name for layer in layers]
    for row, layer in zip(block[1:-1], layers, strict=True):
        assert row[4] == f"{layer.total_real_us / COUNT / 1000:.3f}"
        assert row[5] == f"{layer.total_cpu_us / COUNT / 1000:.3f}"
    assert block[-1][4] == f"{measured.counters.total_real_us / COUNT / 1000:.3f}"


def test_one_request_average_equals_benchmark_app(
    tmp_path: Path, measured: Measured, reference: ModuleType
) -> None:
    """With one inference per request benchmark_app's average is ours; its JSON keeps
    only the first layer (B2), ours all of them."""
    last = measured.last_profiling()[:1]
    counters = PerfCounterTable.from_profiling(last)
    for kind in ("csv", "json"):
        ours_dir, theirs_dir = tmp_path / f"ours_{kind}", tmp_path / f"theirs_{kind}"
        theirs_dir.mkdir()
        config = _config(ours_dir, report_type="average_counters", json_stats=kind == "json")
        write_reports(config, A3_ARGV, measured.result(), counters, SETUP)
        cls = reference.JsonStatisticsReport if kind == "json" else reference.CsvStatisticsReport
        cls(
            reference.StatisticsReport.Config("average_counters", str(theirs_dir))
        ).dump_performance_counters(measured.last_profiling()[:1])
        name = f"benchmark_average_counters_report.{kind}"
        ours, theirs = (ours_dir / name).read_text(), (theirs_dir / name).read_text()
        if kind == "csv":
            assert ours == theirs
        else:
            ours_doc, theirs_doc = json.loads(ours), json.loads(theirs)
            assert ours_doc["report_type"] == theirs_doc["report_type"] == "average"
            nodes = ours_doc["avg_performance"]["nodes"]
            assert len(nodes) == len(counters.layers) > 1
            assert theirs_doc["avg_performance"]["nodes"] == nodes[:1]
            assert [node["name"] for node in nodes] == [layer.name for layer in counters.layers]
            assert ours_doc["avg_performance"]["total_real_time"] == f"{counters.total_real_ms:.3f}"


def test_detailed_json_matches_benchmark_app(
    tmp_path: Path, measured: Measured, reference: ModuleType
) -> None:
    config = _config(tmp_path / "ours", report_type="detailed_counters", json_stats=True)
    write_reports(config, A3_ARGV, measured.result(), measured.counters, SETUP)
    (tmp_path / "theirs").mkdir()
    reference.JsonStatisticsReport(
        reference.StatisticsReport.Config("detailed_counters", str(tmp_path / "theirs"))
    ).dump_performance_counters(measured.last_profiling())
    name = "benchmark_detailed_counters_report.json"
    ours = (tmp_path / "ours" / name).read_text()
    assert ours == (tmp_path / "theirs" / name).read_text()
    document = json.loads(ours)
    assert len(document["detailed_performance"]) == REQUESTS
    assert set(document["detailed_performance"][0]["nodes"][0]) == {
        "name",
        "node_type",
        "status",
        "real_time",
        "cpu_time",
        "exec_type",
    }


@pytest.mark.parametrize("mode", ["sort", "no_sort", "simple_sort"])
@pytest.mark.parametrize("kind", ["csv", "json"])
def test_sorted_report_matches_benchmark_app(
    tmp_path: Path, measured: Measured, reference: ModuleType, mode: str, kind: str
) -> None:
    from openvino.tools.benchmark.utils.utils import print_perf_counters_sort

    last = measured.last_profiling()[-1:]
    counters = PerfCounterTable.from_profiling(last)
    config = _config(tmp_path / "ours", perf_counts_sort=mode, json_stats=kind == "json")
    messages = write_reports(config, A3_ARGV, measured.result(), counters, SETUP)
    name = f"benchmark_sorted_report.{kind}"
    assert (
        messages[0] == f"Sorted performance counters report is stored to {tmp_path / 'ours' / name}"
    )
    assert messages[1].startswith("Statistics collecting for performance counters was not")
    (tmp_path / "theirs").mkdir()
    with io.StringIO() as sink:
        import contextlib

        with contextlib.redirect_stdout(sink):
            rows = print_perf_counters_sort(measured.last_profiling()[-1:], sort_flag=mode)
    cls = reference.JsonStatisticsReport if kind == "json" else reference.CsvStatisticsReport
    cls(
        reference.StatisticsReport.Config("no_counters", str(tmp_path / "theirs"))
    ).dump_performance_counters_sorted(rows)
    ours = (tmp_path / "ours" / name).read_bytes()
    assert ours == (tmp_path / "theirs" / name).read_bytes()


def test_sorted_csv_quirks_parse_back(tmp_path: Path, measured: Measured) -> None:
    config = _config(tmp_path, perf_counts_sort="sort")
    write_reports(config, A3_ARGV, measured.result(), measured.counters, SETUP)
    raw = (tmp_path / "benchmark_sorted_report.csv").read_bytes()
    header = (
        b'layerName,execStatus,layerType,execType,realTime (ms),cpuTime (ms),"proportion (%)\n"\r\n'
    )
    assert raw.startswith(header)
    assert raw.endswith(b" milliseconds\r\n\n\n")
    body, totals = raw[len(header) :].split(b"\r\n\nTotal time: ")
    rows = list(csv.reader(io.StringIO(body.decode() + "\r\n")))
    layers = measured.counters.sorted("sort").layers
    assert [row[0] for row in rows] == [layer.name for layer in layers]
    for row, layer in zip(rows, layers, strict=True):
        assert row[1:4] == [layer.status, layer.layer_type, layer.exec_type]
        assert row[4] == f"{layer.mean_real_ms:.3f}"
        assert row[6].endswith("%")
    total = measured.counters.mean_real_ms
    assert totals.startswith(f"{total:.2f} milliseconds\r\nTotal CPU time: ".encode())
    assert sum(float(row[6][:-1]) for row in rows) == pytest.approx(100, abs=0.05)


# -- our result file --------------------------------------------------------------------------


def test_result_file_round_trips(tmp_path: Path, measured: Measured) -> None:
    environment = collect_environment(ov.Core(), ["CPU"])
    assert environment["devices"]["CPU"]
    assert environment["logical_cores"] and environment["openvino_version"]
    config = _config(tmp_path)
    result = measured.result(pcseq=True)
    document = build_result_document(config, result, measured.counters, environment)
    path = tmp_path / "run.json"
    write_result_file(str(path), document)
    loaded = read_result_file(str(path))
    assert loaded == json.loads(json.dumps(document))
    assert loaded["config"]["nstreams"] == "2"
    statistics = loaded["statistics"]
    assert statistics["count"] == COUNT
    assert statistics["latency_ms"]["median"] == result.latency.median
    assert statistics["latency_ms"]["p99"] is None  # 16 samples are too few
    assert len(loaded["groups"]) == 2
    histogram = loaded["histogram"]
    assert sum(histogram["counts"]) == COUNT
    assert len(histogram["edges"]) == len(histogram["counts"]) + 1
    assert histogram["edges"][0] == result.latency.minimum
    assert histogram["edges"][-1] == result.latency.maximum
    assert counters_from_document(loaded) == measured.counters
    assert {row["key"] for row in loaded["counters"]["by_precision"]}
    assert not list(tmp_path.glob(".*.tmp"))


def test_histogram_edges() -> None:
    assert latency_histogram(np.empty(0))["counts"] == []
    assert latency_histogram(np.array([2.0, 2.0]))["counts"] == [2]
    wide = latency_histogram(np.array([0.1, 0.2, 50.0]))
    assert wide["scale"] == "log" and sum(wide["counts"]) == 3
    narrow = latency_histogram(np.array([1.0, 1.5, 2.0]), bins=4)
    assert narrow["scale"] == "linear" and narrow["counts"] == [1, 0, 1, 1]


def test_unreadable_result_files_are_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    other = tmp_path / "other.json"
    other.write_text('{"a": 1}')
    future = tmp_path / "future.json"
    future.write_text('{"schema": "ovbench-tui/result", "schema_version": 99}')
    for path in (tmp_path / "missing.json", bad, other, future):
        with pytest.raises(UsageError) as caught:
            read_result_file(str(path))
        assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    with pytest.raises(UsageError):
        write_result_file(str(tmp_path / "no" / "such" / "dir.json"), {"a": 1})


def test_counters_document_without_result(tmp_path: Path) -> None:
    document = build_result_document(_config(tmp_path), None, None, {"x": 1})
    assert document["statistics"] is None and document["counters"] is None
    accumulator = PerfCounterAccumulator(1)
    assert accumulator.table().is_empty()
