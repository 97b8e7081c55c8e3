"""The real engine on small generated models: counts, device settings, groups, stop."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import openvino as ov
import pytest

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.engine.events import Event, LogLine, PhaseChanged, RunFinished, StepStarted
from ovbench_tui.engine.result import RunResult
from ovbench_tui.reports.run_outputs import RunOutputs


def run(config: BenchmarkConfig) -> tuple[RunResult, list[Event]]:
    events: list[Event] = []
    # The files a run writes (-dump_config) come from the outputs above the engine.
    result = Engine(config, RunOutputs(config, events.append)).run()
    assert result is not None
    return result, events


def warnings(events: list[Event]) -> list[str]:
    return [e.text for e in events if isinstance(e, LogLine) and e.level == "WARNING"]


@pytest.mark.parametrize(
    ("niter", "nireq", "expected"),
    [(1, 2, 2), (7, 2, 8), (8, 2, 8), (5, 3, 6), (9, 1, 9)],
)
def test_async_iterations_round_up_to_requests(
    models: dict[str, str], niter: int, nireq: int, expected: int
) -> None:
    result, events = run(BenchmarkConfig(model=models["static"], niter=niter, nireq=nireq))
    assert result.count == expected
    assert len(result.latencies_ms) == expected
    assert result.nireq == nireq
    if expected != niter:
        assert any("aligned by request number" in w for w in warnings(events))


def test_sync_counts_exactly(models: dict[str, str]) -> None:
    result, _ = run(BenchmarkConfig(model=models["static"], niter=7, api="sync"))
    assert result.count == 7 and result.nireq == 1 and result.api == "sync"


def test_dynamic_iterations_round_up_to_shape_groups(models: dict[str, str]) -> None:
    # 3 groups > 2 requests: 6 stays 6 (benchmark_app's float rounding gives 8: its B4).
    shapes = "[1,3,8,8][1,3,16,16][2,3,16,16]"
    for niter, expected in ((6, 6), (7, 9)):
        config = BenchmarkConfig(model=models["dynamic"], niter=niter, nireq=2, data_shape=shapes)
        result, _ = run(config)
        assert result.count == expected
        assert [g.count for g in result.groups] == [expected // 3] * 3


def test_timed_async_run_ends_on_a_whole_round_of_requests(models: dict[str, str]) -> None:
    result, _ = run(BenchmarkConfig(model=models["static"], time_s=1, nireq=3))
    assert result.count % 3 == 0
    assert result.duration_s >= 1.0
    assert result.throughput_fps == pytest.approx(result.count / result.duration_s)


@pytest.mark.parametrize(
    ("hint", "mode"), [("throughput", "THROUGHPUT"), ("latency", "LATENCY"), ("tput", "THROUGHPUT")]
)
def test_requests_follow_the_hint(models: dict[str, str], hint: str, mode: str) -> None:
    result, _ = run(BenchmarkConfig(model=models["static"], niter=4, hint=hint, api="async"))
    properties = result.compiled_properties
    assert properties["PERFORMANCE_HINT"] == mode
    assert result.nireq == int(properties["OPTIMAL_NUMBER_OF_INFER_REQUESTS"])


def test_hint_none_with_streams_threads_and_pinning(models: dict[str, str]) -> None:
    config = BenchmarkConfig(
        model=models["static"], niter=4, hint="none", nstreams="2", nthreads=2, pin="NO"
    )
    result, events = run(config)
    properties = result.compiled_properties
    assert properties["NUM_STREAMS"] == "2"
    assert properties["INFERENCE_NUM_THREADS"] == "2"
    assert properties["ENABLE_CPU_PINNING"] == "False"
    banner = next(e for e in events if isinstance(e, StepStarted) and e.number == 10)
    assert "using 2 streams for CPU" in banner.info


def test_default_hint_is_announced(models: dict[str, str]) -> None:
    _, events = run(BenchmarkConfig(model=models["static"], niter=2))
    assert any(
        "performance hint will be set to PerformanceMode.THROUGHPUT" in w for w in warnings(events)
    )


def test_throughput_uses_the_batch(models: dict[str, str]) -> None:
    result, _ = run(BenchmarkConfig(model=models["static"], niter=4, batch="4", nireq=2))
    assert result.batch == "4"
    assert result.frames == 4 * result.count
    assert result.throughput_fps == pytest.approx(4 * result.count / result.duration_s)


def test_dynamic_groups_with_pcseq(models: dict[str, str]) -> None:
    config = BenchmarkConfig(
        model=models["dynamic"],
        niter=8,
        nireq=2,
        data_shape="[1,3,16,16][2,3,32,32]",
        layout="NCHW",
        pcseq=True,
    )
    result, _ = run(config)
    assert result.pcseq and not result.inference_only
    assert [g.label for g in result.groups] == [" data: [1,3,16,16]", " data: [2,3,32,32]"]
    assert [g.count for g in result.groups] == [4, 4]
    assert result.frames == 4 * 1 + 4 * 2
    assert result.throughput_fps == pytest.approx(12 / result.duration_s)
    all_latencies = sorted(result.latencies_ms)
    per_group = sorted(x for g in result.groups for x in (g.stats.minimum, g.stats.maximum))
    assert per_group[0] == all_latencies[0] and per_group[-1] == all_latencies[-1]


def test_single_data_shape_measures_as_static(models: dict[str, str]) -> None:
    config = BenchmarkConfig(
        model=models["dynamic"], niter=4, nireq=2, data_shape="[2,3,16,16]", layout="NCHW"
    )
    result, _ = run(config)
    assert result.batch == "2"
    assert result.groups == []
    assert result.frames == 2 * result.count


def test_without_a_batch_dimension_each_inference_is_one_frame(models: dict[str, str]) -> None:
    # [?,3,?,?] gets no guessed layout (as in benchmark_app), so no N to count frames by.
    config = BenchmarkConfig(model=models["dynamic"], niter=4, nireq=2, data_shape="[2,3,16,16]")
    result, _ = run(config)
    assert result.frames == result.count


def test_two_inputs_of_different_types(models: dict[str, str]) -> None:
    result, events = run(BenchmarkConfig(model=models["two"], niter=4))
    assert result.count == 4
    filled = [e.text for e in events if isinstance(e, LogLine) and "random values" in e.text]
    assert len(filled) == 4  # a warning and an info line per input


def test_latency_percentile_is_reported(models: dict[str, str]) -> None:
    result, _ = run(BenchmarkConfig(model=models["static"], niter=40, latency_percentile=90))
    assert result.latency.percent == 90
    assert result.latency.percentile_value >= result.latency.median


def test_compile_only(models: dict[str, str]) -> None:
    events: list[Event] = []
    assert Engine(BenchmarkConfig(model=models["dynamic"], niter=0), events.append).run() is None
    skipped = [e.number for e in events if isinstance(e, StepStarted) and e.skipped]
    assert skipped == [8, 9, 10]


def stop_while_measuring(engine: Engine) -> RunResult | None:
    """Run the engine in a thread, stop it 0.3 s into measuring; it must end (how fast it
    ends is measured by benchmarks/stop_latency.py, not here)."""
    holder: dict[str, RunResult | None] = {}
    worker = threading.Thread(target=lambda: holder.update(result=engine.run()))
    worker.start()
    deadline = time.monotonic() + 30
    while engine.phase != "measuring" and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    engine.stop()
    worker.join(60)  # a hang guard for a busy machine, not a speed target
    assert not worker.is_alive()
    return holder["result"]


def test_stop_from_another_thread_returns_partial_stats(models: dict[str, str]) -> None:
    events: list[Event] = []
    config = BenchmarkConfig(model=models["static"], time_s=60)
    engine = Engine(config, events.append)
    result = stop_while_measuring(engine)
    assert result is not None and result.stopped_early
    # Stopped before its -t: a property of the stop, not a speed bound.
    assert result.count > 0 and result.duration_s < config.duration_s()[0]
    assert any(isinstance(e, RunFinished) for e in events)
    assert [e.phase for e in events if isinstance(e, PhaseChanged)][-1] == "done"


def test_live_windows_add_up_to_the_count(models: dict[str, str]) -> None:
    engine = Engine(BenchmarkConfig(model=models["static"], time_s=1))
    seen = 0
    holder: dict[str, RunResult | None] = {}
    worker = threading.Thread(target=lambda: holder.update(result=engine.run()))
    worker.start()
    while worker.is_alive():
        window = engine.sample_window()
        if window is not None:
            assert window.first_ticket == seen
            seen += len(window.latencies_ms)
        time.sleep(0.05)
    window = engine.sample_window()  # the tail, unless the loop above took it
    if window is not None:
        seen += len(window.latencies_ms)
    assert engine.sample_window() is None
    result = holder["result"]
    assert result is not None and seen == result.count


def test_engine_imports_no_ui_library() -> None:
    code = (
        "import sys, ovbench_tui.engine.engine, ovbench_tui.headless, ovbench_tui.sweep.runner,"
        " ovbench_tui.sweep.output, ovbench_tui.sweep_cli, ovbench_tui.reports.loaded_run;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_result_reads_back_openvino_version(models: dict[str, str], tmp_path: Path) -> None:
    from ovbench_tui.reports.result_file import read_result_file

    path = tmp_path / "run.json"
    result, _events = run(BenchmarkConfig(model=models["static"], niter=4, json_out=str(path)))
    assert result.environment is not None
    assert result.environment["openvino_version"] == ov.get_version()
    assert read_result_file(str(path))["environment"]["openvino_version"] == ov.get_version()


def test_compiled_blob_is_imported(models: dict[str, str], tmp_path: Path) -> None:
    compiled = ov.Core().compile_model(models["static"], "CPU")
    blob = tmp_path / "static.blob"
    exported = compiled.export_model()
    blob.write_bytes(exported if isinstance(exported, bytes) else exported.getvalue())
    result, _events = run(BenchmarkConfig(model=str(blob), niter=4))
    assert result.count == 4
    assert "import" in result.timings_ms


def test_blob_refuses_precision_changes(models: dict[str, str], tmp_path: Path) -> None:
    from ovbench_tui.errors import UsageError

    blob = tmp_path / "x.blob"
    blob.write_bytes(b"")
    with pytest.raises(UsageError, match="compiled model"):
        Engine(BenchmarkConfig(model=str(blob), niter=4, input_precision="f16")).run()


def test_dump_then_load_config_gives_the_same_device_properties(
    models: dict[str, str], tmp_path: Path
) -> None:
    dumped = tmp_path / "config.json"
    first, _ = run(
        BenchmarkConfig(
            model=models["static"],
            niter=2,
            hint="latency",
            api="async",
            perf_counts=True,
            dump_config=str(dumped),
        )
    )
    text = dumped.read_text()
    assert '"PERF_COUNT": "YES"' in text and '"PERFORMANCE_HINT": "LATENCY"' in text
    second, _ = run(BenchmarkConfig(model=models["static"], niter=2, load_config=str(dumped)))
    for key in ("NUM_STREAMS", "PERF_COUNT", "PERFORMANCE_HINT"):
        assert second.compiled_properties[key] == first.compiled_properties[key]
    again = tmp_path / "again.json"
    run(
        BenchmarkConfig(
            model=models["static"], niter=2, load_config=str(dumped), dump_config=str(again)
        )
    )
    assert again.read_text() == text  # YES stays YES (benchmark_app's B11 turns it into True)


def test_stop_with_niter_ends_at_once_with_consistent_counts(models: dict[str, str]) -> None:
    engine = Engine(BenchmarkConfig(model=models["static"], niter=10_000_000))
    result = stop_while_measuring(engine)
    assert result is not None and result.stopped_early
    assert 0 < result.count == len(result.latencies_ms) < 10_000_000
    assert not np.isnan(result.latencies_ms).any()
    assert result.throughput_fps == pytest.approx(result.count / result.duration_s)


def test_time_and_niter_both_must_be_met(models: dict[str, str]) -> None:
    result, _ = run(BenchmarkConfig(model=models["static"], niter=5, time_s=1, nireq=1))
    assert result.duration_s >= 1.0 and result.count > 5
