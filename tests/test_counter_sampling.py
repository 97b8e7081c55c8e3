"""Counters read for a sample of the measured inferences, on real OpenVINO models:
the sample against a full read, the budget, the layer status, what the tables say."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import openvino as ov
import pytest
from model_builders import static_conv

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.counters import (
    STATUS_EXECUTED,
    STATUS_NOT_RUN,
    CounterSampler,
    PerfCounterAccumulator,
    PerfCounterTable,
    counters_wanted,
    format_pc,
    format_pcsort,
)
from ovbench_tui.engine.engine import Engine
from ovbench_tui.engine.events import LogLine
from ovbench_tui.engine.runner import LoopPlan, MeasurementLoop

REQUESTS = 2
INFERENCES = 3000
# The sample's means against the full read of the same inferences: on a shared 2-core
# machine a preempted inference takes 100x the usual time, and whether the sample
# holds one moves its mean a lot; these bounds catch a wrong sum, a wrong divisor or a
# missing layer, not that noise.
TOTAL_TOLERANCE = 0.5  # sampled mean per inference within +-50 % of the full read's
SHARE_TOLERANCE = 20.0  # each layer's share of the time within 20 points


@pytest.fixture(scope="module")
def requests() -> list[Any]:
    compiled = ov.Core().compile_model(static_conv(), "CPU", {"PERF_COUNT": True})
    made = [compiled.create_infer_request() for _ in range(REQUESTS)]
    for request in made:
        request.infer()
    return made


def _measure(requests: list[Any], sampler: CounterSampler) -> tuple[PerfCounterTable, float]:
    plan = LoopPlan(niter=INFERENCES, duration_s=0.0, align=1, group_batches=[1])
    outcome = MeasurementLoop(requests, None, plan, counters=sampler).run()
    sampler.read_last(requests)
    assert outcome.count == INFERENCES
    return sampler.table(outcome.count), outcome.duration_s


class _AlsoEveryInference(CounterSampler):
    """The sampler's own choice and reads, while the loop is made to hand it every
    inference, all summed into `full`: the sample and the full read then describe
    the same inferences."""

    def __init__(self, requests: int, budget: float) -> None:
        super().__init__(requests, budget)
        self.full = PerfCounterAccumulator(requests)
        self._schedule = self.next_ticket  # the sampler's own next ticket
        self._chosen: dict[int, bool] = {}
        self._test_lock = threading.Lock()

    def claim(self, ticket: int) -> bool:
        with self._test_lock:
            self.next_ticket = self._schedule
            chosen = ticket >= self._schedule and super().claim(ticket)
            self._schedule, self.next_ticket = self.next_ticket, 0
            self._chosen[threading.get_ident()] = chosen
        return True

    def read(self, slot: int, request: Any) -> None:
        self.full.add(slot, request.profiling_info)
        if self._chosen[threading.get_ident()]:
            with self._test_lock:
                super().read(slot, request)
                self._schedule, self.next_ticket = self.next_ticket, 0


def _shares(table: PerfCounterTable) -> dict[str, float]:
    total = table.mean_real_ms or 1.0
    return {layer.name: 100 * layer.mean_real_ms / total for layer in table.layers}


def test_sampled_means_match_a_full_read(requests: list[Any]) -> None:
    sampler = _AlsoEveryInference(REQUESTS, budget=0.05)
    sampled, _ = _measure(requests, sampler)
    full = sampler.full.table(INFERENCES)
    assert full.inferences == INFERENCES and not full.sampled
    assert 1 <= sampled.inferences < INFERENCES and sampled.sampled
    assert [(layer.name, layer.status) for layer in sampled.layers] == [
        (layer.name, layer.status) for layer in full.layers
    ]
    assert sampled.mean_real_ms == pytest.approx(full.mean_real_ms, rel=TOTAL_TOLERANCE)
    full_shares = _shares(full)
    for name, share in _shares(sampled).items():
        assert share == pytest.approx(full_shares[name], abs=SHARE_TOLERANCE)


def test_the_loop_reads_a_sample_with_the_full_reads_layers(requests: list[Any]) -> None:
    full, _ = _measure(requests, CounterSampler(REQUESTS, budget=None))
    sampled, _ = _measure(requests, CounterSampler(REQUESTS))
    assert full.inferences == full.measured == INFERENCES and not full.sampled
    assert sampled.measured == INFERENCES and 1 <= sampled.inferences <= INFERENCES
    assert [(layer.name, layer.status) for layer in sampled.layers] == [
        (layer.name, layer.status) for layer in full.layers
    ]
    assert all(layer.count == sampled.inferences for layer in sampled.layers)
    # Each request's last inference is read after the loop, as benchmark_app does.
    assert len(sampled.per_request_last()) == REQUESTS
    assert all(table.layers for table in sampled.per_request_last())


def test_reading_stays_within_its_budget(requests: list[Any]) -> None:
    budget = 0.01
    sampler = CounterSampler(REQUESTS, budget=budget)
    table, duration = _measure(requests, sampler)
    assert table.inferences >= 2  # more than the first read: the sample goes on
    # The next read is put where the loop will have caught up with the time spent
    # reading, in tickets at the rate seen so far: a rate that changes (a loaded
    # machine) moves it a little, and the last read may go past the end.
    one_read = sampler.spent_s / table.inferences
    assert sampler.spent_s <= 1.5 * budget * duration + 10 * one_read


def test_off_and_every() -> None:
    assert CounterSampler.off().next_ticket > 1 << 60
    every = CounterSampler(1, budget=None)
    assert all(every.claim(ticket) for ticket in range(5))
    one = CounterSampler(1)
    assert one.claim(0) and not one.claim(1)  # one sample in flight at a time


def _info(name: str, real_us: int, status: Any) -> Any:
    record = ov.ProfilingInfo()
    record.node_name = name
    record.node_type = "Convolution"
    record.exec_type = "jit_f32"
    record.status = status
    record.real_time = timedelta(microseconds=real_us)
    record.cpu_time = timedelta(microseconds=real_us)
    return record


def test_a_layer_that_ran_in_any_inference_is_executed() -> None:
    """The status is no longer the first inference's: `late` did not run at first,
    then did; `never` did not run at all; simple_sort keeps the first, drops the second."""
    status = ov.ProfilingInfo.Status
    accumulator = PerfCounterAccumulator(1)
    first = [_info("late", 0, status.NOT_RUN), _info("never", 0, status.NOT_RUN)]
    later = [_info("late", 7, status.EXECUTED), _info("never", 0, status.NOT_RUN)]
    for records in (first, later, later):
        accumulator.add(0, records)
    table = accumulator.table()
    assert {layer.name: layer.status for layer in table.layers} == {
        "late": STATUS_EXECUTED,
        "never": STATUS_NOT_RUN,
    }
    assert [layer.name for layer in table.sorted("simple_sort").layers] == ["late"]
    lines = [line.text for line in format_pcsort(table, "simple_sort")]
    assert any(text.startswith("late ") for text in lines[-6:])
    # A layer EXECUTED in a request's last inference (read after the run) counts too,
    # even when it took no measurable time.
    accumulator = PerfCounterAccumulator(1)
    accumulator.add(0, first)
    accumulator.set_last(0, [_info("late", 0, status.EXECUTED), first[1]])
    assert accumulator.table().layers[0].status == STATUS_EXECUTED


def test_the_tables_say_how_many_inferences_the_means_come_from(model: str) -> None:
    events: list[Any] = []
    config = BenchmarkConfig(model=model, niter=2000, nireq=2, perf_counts=True)
    result = Engine(config, events.append).run()
    assert result is not None and result.counters is not None
    counters = result.counters
    assert counters.measured == result.count == 2000
    assert 1 <= counters.inferences <= counters.measured
    headers = [e.text for e in events if isinstance(e, LogLine) and "averaged over" in e.text]
    assert headers == [
        f"Performance counts averaged over {counters.sample_text} of 2 infer requests "
        "(ms per inference)"
    ]
    if counters.sampled:
        assert counters.sample_text == f"{counters.inferences} sampled of 2000 inferences"
    data = json.loads(json.dumps(counters.to_dict()))
    assert PerfCounterTable.from_dict(data) == counters


def test_sampled_reports_state_the_sample(model: str, tmp_path: Path) -> None:
    from ovbench_tui.engine.counters import sorted_rows
    from ovbench_tui.reports.benchmark_reports import (
        counters_report_csv,
        counters_report_json,
        sorted_report_csv,
        sorted_report_json,
    )

    table = PerfCounterTable.from_profiling([[_info("a", 5, ov.ProfilingInfo.Status.EXECUTED)]])
    sampled = PerfCounterTable(table.layers, 1, table.requests, measured=40)
    csv_text = counters_report_csv(sampled, "average_counters")
    block, line = csv_text.split("\n\n")
    assert block.startswith("layerName;") and block.endswith("Total;;;;0.005;0.005")
    assert line == "Means over 1 sampled of 40 inferences\n"
    assert counters_report_csv(table, "average_counters").endswith("0.005\n\n")
    document = json.loads(counters_report_json(sampled, "average_counters"))
    assert (document["sampled_inferences"], document["measured_inferences"]) == (1, 40)
    rows = sorted_rows(sampled.layers, "sort", mean=True)
    assert sorted_report_csv(rows, sampled).endswith(
        "Total CPU time: 0.01 milliseconds\r\nMeans over 1 sampled of 40 inferences\r\n\n\n"
    )
    assert "sampled_inferences" in json.loads(sorted_report_json(rows, sampled))
    # The detailed report is each request's last inference: no sample to state.
    assert "Means over" not in counters_report_csv(sampled, "detailed_counters")
    assert format_pc(sampled)[-5].text.startswith("Performance counts averaged over 1 sampled")


def test_exec_graph_alone_reads_no_counters(model: str, tmp_path: Path) -> None:
    """The runtime graph carries the plugin's own mean times: PERF_COUNT stays on
    (as in benchmark_app), but nothing is read in the loop."""
    path = tmp_path / "graph.xml"
    config = BenchmarkConfig(model=model, niter=20, exec_graph_path=str(path))
    assert not counters_wanted(config, True)
    from ovbench_tui.reports.run_outputs import RunOutputs

    result = Engine(config, RunOutputs(config, lambda event: None)).run()
    assert result is not None and result.counters is None
    assert 'execTimeMcs="' in path.read_text()
    assert counters_wanted(BenchmarkConfig(model=model, perf_counts=True), True)
    assert counters_wanted(BenchmarkConfig(model=model, perf_counts_sort="sort"), True)
    assert counters_wanted(BenchmarkConfig(model=model, report_type="average_counters"), True)
    assert counters_wanted(BenchmarkConfig(model=model), True)  # from a -load_config file
    assert not counters_wanted(BenchmarkConfig(model=model, perf_counts=True), False)
