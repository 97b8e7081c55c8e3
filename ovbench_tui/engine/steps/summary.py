"""Step 11: counters, statistics, the result and the warnings that judge it."""

from __future__ import annotations

import dataclasses
from typing import Any

import openvino as ov

from ...errors import BenchmarkError
from ..counters import format_pc, format_pcsort
from ..device_config import DeviceSetup
from ..environment import collect_environment
from ..events import DumpDue, ReportsDue
from ..model_file import one_line
from ..open_loop import OpenLoop
from ..result import ReportSetup, RunResult, group_results
from ..stability import assess, window_medians
from ..stats import latency_stats, throughput_fps
from ..until_stable import throughput_interval
from .base import StepsBase, static_batch
from .measure import Measured
from .prepare import Prepared


class SummarySteps(StepsBase):
    group_labels: list[str]
    group_batches: list[int]

    def _step11_summary(
        self,
        setup: DeviceSetup,
        compiled: ov.CompiledModel,
        compiled_properties: dict[str, str],
        prepared: Prepared,
        measured: Measured,
        duration_s: int,
    ) -> RunResult:
        config = self.config
        api, nireq, batch = prepared.api, prepared.nireq, prepared.batch
        inference_only = prepared.inference_only
        loop, outcome, sampler = measured.loop, measured.outcome, measured.sampler
        stable_stop = measured.stable_stop
        self._step(11)
        self._emit(self._dump_due(setup, compiled))
        if outcome.count == 0:
            raise BenchmarkError("the run was stopped before any inference completed")
        counters = sampler.table(outcome.count) if sampler is not None else None
        if counters is not None:
            if config.perf_counts_sort:
                self._emit_console(format_pcsort(counters, config.perf_counts_sort))
            elif config.perf_counts:
                self._emit_console(format_pc(counters))
        latencies = outcome.latencies_ms
        percent = config.latency_percentile
        several = prepared.group_count > 1
        pcseq = config.pcseq and not prepared.static_mode and several
        groups_result = (
            group_results(latencies, self.group_labels, self.group_batches, percent)
            if several
            else []
        )
        if api == "async" and not inference_only:
            frames = outcome.frames
        else:
            frames = (static_batch(batch) or 1) * outcome.count
        medians = window_medians(loop.marks, outcome.duration_s, latencies, reorder=True)
        latencies.sort()
        stability = assess(loop.marks, outcome.duration_s, latencies, medians)
        if isinstance(loop, OpenLoop):
            # The arrivals set the throughput and queueing spreads the latency: the
            # closed loop's warnings would misread both (its overload warning is below).
            stability = dataclasses.replace(stability, warnings=[])
        fps = throughput_fps(frames, outcome.duration_s)
        interval = throughput_interval(stability.window_fps, fps)
        try:
            execution_devices = [str(d) for d in compiled.get_property("EXECUTION_DEVICES")]
        except RuntimeError:
            execution_devices = []
        result = RunResult(
            count=outcome.count,
            duration_s=outcome.duration_s,
            frames=frames,
            throughput_fps=fps,
            latency=latency_stats(latencies, percent, presorted=True),
            groups=groups_result,
            api=api,
            nireq=nireq,
            inference_only=inference_only,
            batch=str(batch),
            device=config.device,
            execution_devices=execution_devices,
            compiled_properties=compiled_properties,
            timings_ms=measured.timings,
            stopped_early=outcome.stopped_early,
            latencies_ms=latencies,
            pcseq=pcseq,
            hide_latency="MULTI" in config.device,
            counters=counters,
            stability=stability,
            environment=collect_environment(self.core, [config.device]),
            throughput_interval=interval,
            auto=None
            if stable_stop is None
            else stable_stop.outcome(float(duration_s), outcome.duration_s, interval),
            machine_load=measured.machine_load,
            open_loop=loop.stats if isinstance(loop, OpenLoop) else None,
        )
        report_setup = ReportSetup(
            niter=prepared.niter,
            duration_s=float(duration_s),
            streams=dict(setup.streams),
            perf_counts=setup.perf_counts,
        )
        self._emit(ReportsDue(result, report_setup))
        for warning in result.trust_warnings():
            self._warn(warning)
        if result.auto is not None and result.auto.stable:
            self._info(result.auto.message())
        if result.open_loop is not None and (overload := result.open_loop.warning()):
            self._warn(overload)
        if execution_devices:
            self._info(f"Execution Devices:{execution_devices}")
        return result

    def _emit_console(self, lines: list[Any]) -> None:
        for line in lines:
            self._emit(line)

    def _dump_due(self, setup: DeviceSetup, compiled: ov.CompiledModel) -> DumpDue:
        if not self.config.exec_graph_path:
            return DumpDue(setup.properties)
        try:
            return DumpDue(setup.properties, compiled.get_runtime_model())
        except RuntimeError as error:
            return DumpDue(setup.properties, runtime_model_error=one_line(error))
