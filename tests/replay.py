"""A recorded run for snapshot tests: fixed events and latency windows, no OpenVINO.

Pilot tests drive the real engine; snapshots need figures that do not change
from run to run, so they replay this instead (as the TUI notes advise).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.events import Event, PhaseChanged, StepStarted, TimingMeasured
from ovbench_tui.engine.machine_load import MachineLoad
from ovbench_tui.engine.result import RunResult, group_results
from ovbench_tui.engine.runner import LiveWindow
from ovbench_tui.engine.stats import latency_stats
from ovbench_tui.tui.app_api import EngineFactory

LABELS = [" data: [1,3,64,64]", " data: [2,3,96,96]"]
BATCHES = [1, 2]


def windows(count: int = 16, per_window: int = 40) -> list[LiveWindow]:
    rng = np.random.default_rng(7)
    result = []
    ticket = 0
    for index in range(count):
        base = np.where(np.arange(per_window) % 2 == 0, 2.0, 5.0)  # group 0 fast, group 1 slow
        latencies = base * (1 + 0.1 * rng.standard_normal(per_window)) + 0.02 * index
        result.append(
            LiveWindow(
                at=float(index),
                elapsed_s=0.5 * (index + 1),
                completed=ticket + per_window,
                first_ticket=ticket,
                latencies_ms=latencies,
            )
        )
        ticket += per_window
    return result


class ReplayEngine:
    """Stands in for Engine: announces the steps, then stays measuring."""

    planned_duration_s: float = 10.0
    planned_iterations: int | None = None
    group_labels: list[str] = LABELS
    group_batches: list[int] = BATCHES

    def __init__(self, config: BenchmarkConfig, observer: Callable[[Event], None]) -> None:
        self.observer = observer
        self.phase = "starting"

    def run(self) -> None:
        for number in range(1, 11):
            self.observer(StepStarted(number))
        self.observer(TimingMeasured("read", 12.5))
        self.observer(TimingMeasured("compile", 140.0))
        self.observer(TimingMeasured("first_inference", 4.2))
        self.observer(PhaseChanged("measuring", 0.0))

    def sample_window(self) -> LiveWindow | None:
        return None

    def machine_load(self) -> MachineLoad | None:
        return None

    def stop(self) -> None:
        pass


# What RunScreen asks of an engine: mypy (`make lint` checks this file) refuses a
# replay that drifted from the RunningEngine protocol the real Engine satisfies.
_AS_RUN_SCREEN_SEES_IT: EngineFactory = ReplayEngine


def fixed_result(with_counters: bool = True) -> RunResult:
    rng = np.random.default_rng(3)
    latencies = np.where(np.arange(600) % 2 == 0, 2.0, 5.0) * (1 + 0.1 * rng.standard_normal(600))
    groups = group_results(latencies, LABELS, BATCHES, 50)
    ordered = np.sort(latencies)
    counters = None
    if with_counters:
        from ovbench_tui.engine.counters import LayerCounter, PerfCounterTable

        layers = tuple(
            LayerCounter(name, kind, exec_type, "Status.EXECUTED", 600, us * 600, us * 600, us, us)
            for name, kind, exec_type, us in [
                ("conv1", "Convolution", "brgconv_avx512_f32", 900),
                ("conv2", "Convolution", "brgconv_avx512_f32", 700),
                ("pool", "MaxPool", "jit_avx512_f32", 120),
                ("fc", "FullyConnected", "brgemm_avx512_f32", 300),
                ("softmax", "Softmax", "jit_avx512_f32", 40),
            ]
        )
        counters = PerfCounterTable(layers=layers, inferences=600)
    return RunResult(
        count=600,
        duration_s=1.5,
        frames=900,
        throughput_fps=600.0,
        latency=latency_stats(ordered),
        groups=groups,
        api="async",
        nireq=2,
        inference_only=False,
        batch="?",
        device="CPU",
        execution_devices=["CPU"],
        compiled_properties={
            "PERFORMANCE_HINT": "THROUGHPUT",
            "NUM_STREAMS": "2",
            "OPTIMAL_NUMBER_OF_INFER_REQUESTS": "2",
            "INFERENCE_NUM_THREADS": "2",
            "INFERENCE_PRECISION_HINT": "<Type: 'float32'>",
        },
        timings_ms={"read": 12.5, "compile": 140.0, "first_inference": 4.2},
        latencies_ms=ordered,
        pcseq=True,
        counters=counters,
    )
