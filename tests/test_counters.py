"""Per-layer counters on real OpenVINO models: accumulation, tables, console format."""

from __future__ import annotations

import io
import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import timedelta
from types import ModuleType
from typing import Any

import openvino as ov
import pytest
from model_builders import static_conv, two_inputs

from ovbench_tui.engine.counters import (
    STATUS_NOT_RUN,
    LayerCounter,
    PerfCounterAccumulator,
    PerfCounterTable,
    format_pc,
    format_pcsort,
    precision_of,
)
from ovbench_tui.engine.events import LogLine, RawLine

REQUESTS = 2
INFERENCES_PER_REQUEST = 5
US = timedelta(microseconds=1)


@pytest.fixture(scope="module")
def compiled() -> ov.CompiledModel:
    return ov.Core().compile_model(static_conv(), "CPU", {"PERF_COUNT": True})


@pytest.fixture(scope="module")
def recorded(compiled: ov.CompiledModel) -> list[list[list[Any]]]:
    """profiling_info of every inference, per request, interleaved like a real loop."""
    requests = [compiled.create_infer_request() for _ in range(REQUESTS)]
    history: list[list[list[Any]]] = [[] for _ in requests]
    for _ in range(INFERENCES_PER_REQUEST):
        for index, request in enumerate(requests):
            request.infer()
            history[index].append(request.profiling_info)
    return history


def _accumulate(history: list[list[list[Any]]]) -> PerfCounterTable:
    accumulator = PerfCounterAccumulator(len(history))
    for step in range(max(len(h) for h in history)):
        for index, per_request in enumerate(history):
            if step < len(per_request):
                accumulator.add(index, per_request[step])
    return accumulator.table()


@pytest.fixture(scope="module")
def table(recorded: list[list[list[Any]]]) -> PerfCounterTable:
    return _accumulate(recorded)


def _info(name: str, real_us: int, status: Any = None, exec_type: str = "jit_f32") -> Any:
    record = ov.ProfilingInfo()
    record.node_name = name
    record.node_type = "Convolution"
    record.exec_type = exec_type
    record.status = status if status is not None else ov.ProfilingInfo.Status.EXECUTED
    record.real_time = timedelta(microseconds=real_us)
    record.cpu_time = timedelta(microseconds=real_us // 2)
    return record


# -- the layer list ------------------------------------------------------------------------


def test_layers_are_the_profiled_nodes_in_first_seen_order(
    table: PerfCounterTable, recorded: list[list[list[Any]]]
) -> None:
    assert [layer.name for layer in table.layers] == [r.node_name for r in recorded[0][0]]
    assert all(layer.status.startswith("Status.") for layer in table.layers)


def test_layers_map_onto_the_runtime_model(
    table: PerfCounterTable, compiled: ov.CompiledModel
) -> None:
    """The CPU plugin reports every executable node of the runtime (execution) graph
    under its friendly name, in execution order, and no Const node; a node fused into
    another (Relu into Convolution) appears as NOT_RUN with exec type `undef`, its name
    listed in the host's `originalLayersNames`."""
    ops = {
        op.get_friendly_name(): op.get_rt_info() for op in compiled.get_runtime_model().get_ops()
    }

    def rt(name: str, key: str) -> str:
        return str(ops[name][key].astype(str))

    fused = {
        original
        for name in ops
        for original in rt(name, "originalLayersNames").split(",")
        if original and original != name
    }
    names = [layer.name for layer in table.layers]
    for layer in table.layers:
        if layer.name in ops:
            assert layer.exec_type == rt(layer.name, "primitiveType")
        else:
            assert layer.name in fused
            assert (layer.status, layer.exec_type) == (STATUS_NOT_RUN, "undef")
    assert {name for name in ops if name not in names} == {
        name for name in ops if rt(name, "layerType") == "Const"
    }
    in_graph = [name for name in names if name in ops]
    assert in_graph == sorted(in_graph, key=lambda name: int(rt(name, "execOrder")))
    assert any(layer.executed for layer in table.layers)


# -- sums and means ------------------------------------------------------------------------


def test_totals_and_means_equal_an_independent_sum(
    table: PerfCounterTable, recorded: list[list[list[Any]]]
) -> None:
    real: dict[str, timedelta] = defaultdict(timedelta)
    cpu: dict[str, timedelta] = defaultdict(timedelta)
    count: dict[str, int] = defaultdict(int)
    for per_request in recorded:
        for records in per_request:
            for record in records:
                real[record.node_name] += record.real_time
                cpu[record.node_name] += record.cpu_time
                count[record.node_name] += 1
    assert table.inferences == REQUESTS * INFERENCES_PER_REQUEST
    for layer in table.layers:
        assert layer.count == count[layer.name] == table.inferences
        assert layer.total_real_us == real[layer.name] // US
        assert layer.total_cpu_us == cpu[layer.name] // US
        assert layer.mean_real_ms == pytest.approx(real[layer.name] / US / layer.count / 1000)
        assert layer.total_real_ms == layer.total_real_us / 1000
    assert table.total_real_us == sum(layer.total_real_us for layer in table.layers)
    assert table.total_real_us == sum(real.values(), timedelta()) // US
    assert table.total_cpu_us == sum(cpu.values(), timedelta()) // US
    assert table.mean_real_ms == pytest.approx(table.total_real_ms / table.inferences)


def test_per_request_tables_hold_the_last_inference(
    table: PerfCounterTable, recorded: list[list[list[Any]]]
) -> None:
    per_request = table.per_request_last()
    assert len(per_request) == REQUESTS
    for request_table, history in zip(per_request, recorded, strict=True):
        last = history[-1]
        assert [layer.name for layer in request_table.layers] == [r.node_name for r in last]
        for layer, record in zip(request_table.layers, last, strict=True):
            assert layer.total_real_us == layer.last_real_us == record.real_time // US
            assert layer.total_cpu_us == record.cpu_time // US
            assert layer.status == str(record.status)
            assert layer.count == 1
    # The overall "last" of a layer is from the most recent inference that reported it.
    for layer, record in zip(table.layers, recorded[-1][-1], strict=True):
        assert layer.last_real_us == record.real_time // US


def test_whole_seconds_count_and_layouts_may_change() -> None:
    """B9 (timedelta.microseconds drops the seconds) and a device that changes its
    graph mid-run (AUTO handing over from CPU to GPU) both stay exact."""
    accumulator = PerfCounterAccumulator(1)
    first = [_info("a", 1_500_000), _info("b", 250)]
    second = [_info("a", 2_000_001), _info("c", 10), _info("b", 5)]
    for records in (first, first, second):
        accumulator.add(0, records)
    accumulator.add(0, [])  # profiling off: ignored
    result = accumulator.table()
    assert [layer.name for layer in result.layers] == ["a", "b", "c"]
    by_name = {layer.name: layer for layer in result.layers}
    assert by_name["a"].total_real_us == 5_000_001
    assert by_name["a"].count == 3
    assert by_name["b"].total_real_us == 505
    assert by_name["c"].count == 1
    assert by_name["a"].last_real_us == 2_000_001
    assert by_name["b"].last_real_us == 5
    assert result.inferences == 3
    lines = [line.text for line in format_pcsort(result, "sort")]
    assert "Total time:       2000.016 milliseconds" in lines
    assert any(text.startswith("a ") and "realTime (ms): 2000.001" in text for text in lines)


# -- summaries -----------------------------------------------------------------------------


def test_summaries_add_up_to_100_percent(table: PerfCounterTable) -> None:
    for rows in (table.by_type(), table.by_exec_type(), table.by_precision()):
        assert rows
        assert sum(row.percent for row in rows) == pytest.approx(100.0)
        assert rows[-1].cumulative_percent == pytest.approx(100.0)
        assert [row.total_ms for row in rows] == sorted(
            (row.total_ms for row in rows), reverse=True
        )
        assert sum(row.total_ms for row in rows) == pytest.approx(table.total_real_ms)
    convolution = next(row for row in table.by_type() if row.key == "Convolution")
    assert convolution.layers == 1
    assert convolution.mean_ms == pytest.approx(convolution.total_ms / table.inferences)
    assert {row.key for row in table.by_precision()} <= {"f32", "bf16", "f16", "i8", "u8"}


@pytest.mark.parametrize(
    ("exec_type", "precision"),
    [
        ("jit_avx2_f32", "f32"),
        ("brgconv_avx512_amx_bf16", "bf16"),
        ("unknown_I8", "i8"),
        ("jit_avx2_U8", "u8"),
        ("convolution_gpu_bfyx_f16__f16", "f16"),
        ("undef", "none"),
        ("", "none"),
        ("ref_any", "other"),
    ],
)
def test_precision_is_the_exec_type_suffix(exec_type: str, precision: str) -> None:
    assert precision_of(exec_type) == precision


def test_sort_modes(table: PerfCounterTable) -> None:
    assert table.sorted("no_sort").layers == table.layers
    ordered = table.sorted("sort").layers
    assert [layer.mean_real_us for layer in ordered] == sorted(
        (layer.mean_real_us for layer in table.layers), reverse=True
    )
    simple = table.sorted("simple_sort")
    assert all(layer.status != STATUS_NOT_RUN for layer in simple.layers)
    assert all(layer.status != STATUS_NOT_RUN for request in simple.requests for layer in request)
    with pytest.raises(ValueError):
        table.sorted("random")


def test_table_round_trips_through_json(table: PerfCounterTable) -> None:
    data = json.loads(json.dumps(table.to_dict()))
    assert PerfCounterTable.from_dict(data) == table
    assert data["by_type"][0]["percent"] == table.by_type()[0].percent


# -- console output against benchmark_app's own functions -----------------------------------


@pytest.fixture(scope="module")
def reference_utils() -> Iterator[ModuleType]:
    root = logging.getLogger()
    handlers = list(root.handlers)
    from openvino.tools.benchmark.utils import utils

    # Its logging module calls basicConfig on import; keep it out of other tests.
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    logging.getLogger("BenchmarkApp").disabled = True
    yield utils


def _raw(lines: list[LogLine | RawLine]) -> list[str]:
    return [line.text for line in lines if isinstance(line, RawLine)]


def _printed(function: Any, *args: Any) -> tuple[list[str], Any]:
    out = io.StringIO()
    with redirect_stdout(out):
        returned = function(*args)
    return out.getvalue().split("\n")[:-1], returned


def test_pc_blocks_match_benchmark_app(
    table: PerfCounterTable, recorded: list[list[list[Any]]], reference_utils: ModuleType
) -> None:
    last = [history[-1] for history in recorded]
    expected, _ = _printed(reference_utils.print_perf_counters, last)
    ours = format_pc(table, averaged=False)
    assert _raw(ours) == expected
    headers = [line.text for line in ours if isinstance(line, LogLine)]
    assert headers == [f"Performance counts for {i}-th infer request" for i in range(REQUESTS)]


@pytest.mark.parametrize("mode", ["sort", "no_sort", "simple_sort"])
def test_pcsort_blocks_match_benchmark_app(
    table: PerfCounterTable,
    recorded: list[list[list[Any]]],
    reference_utils: ModuleType,
    mode: str,
) -> None:
    last = [history[-1] for history in recorded]
    expected, _ = _printed(reference_utils.print_perf_counters_sort, last, mode)
    ours = format_pcsort(table, mode, averaged=False)
    assert _raw(ours) == expected
    assert [line.text for line in ours if isinstance(line, LogLine)] == [
        f"Performance counts sorted for {i}-th infer request" for i in range(REQUESTS)
    ]


def test_averaged_block_follows_the_request_blocks(table: PerfCounterTable) -> None:
    lines = format_pc(table)
    header = f"Performance counts averaged over {table.inferences} inferences of {REQUESTS}"
    starts = [i for i, line in enumerate(lines) if line.text.startswith(header)]
    assert len(starts) == 1 and isinstance(lines[starts[0]], LogLine)
    block = lines[starts[0] + 1 :]
    assert len(block) == len(table.layers) + 3
    assert block[-3].text == f"Total time:     {table.mean_real_ms:.3f} milliseconds"
    assert block[-1].text == ""
    first = table.layers[0]
    assert f"realTime (ms): {first.mean_real_ms:<10.3f} " in block[0].text
    sorted_lines = format_pcsort(table, "sort")
    assert sorted_lines[-2].text == "Total proportion: 100.00 % "


def test_zero_total_prints_na_instead_of_dividing_by_zero() -> None:
    idle = [_info("p", 0, ov.ProfilingInfo.Status.NOT_RUN), _info("q", 0)]
    zero = PerfCounterTable.from_profiling([idle])
    lines = [line.text for line in format_pcsort(zero, "sort")]
    assert "proportion: N/A%    " in lines[1]
    assert "Total proportion: 0.00 % " in lines
    empty = PerfCounterTable.from_profiling([[]])
    assert empty.is_empty()
    assert [line.text for line in format_pc(empty)][1:] == [
        "Total time:     0.0 milliseconds",
        "Total CPU time: 0.0 milliseconds",
        "",
    ]


def test_long_names_are_clipped_like_benchmark_app() -> None:
    layer = LayerCounter(
        "n" * 25, "VeryLongLayerTypeName", "jit_f32", "Status.EXECUTED", 1, 5, 5, 5, 5
    )
    text = format_pc(PerfCounterTable((layer,), 1, ((layer,),)), averaged=False)[1].text
    assert text.startswith("n" * 16 + "...  Status.EXECUTED      layerType: VeryLongLayerTyp...  ")


def test_two_input_model_counts(tmp_path: Any) -> None:
    compiled = ov.Core().compile_model(two_inputs(), "CPU", {"PERF_COUNT": True})
    request = compiled.create_infer_request()
    accumulator = PerfCounterAccumulator(1)
    for _ in range(3):
        request.infer()
        accumulator.add(0, request.profiling_info)
    result = accumulator.table()
    assert result.inferences == 3
    assert {"a", "b"} <= {layer.name for layer in result.layers}
