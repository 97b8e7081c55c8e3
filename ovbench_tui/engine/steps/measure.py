"""Step 10: warm up, then run the measured loop (closed, or open at a set rate)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import openvino as ov

from ...config import AUTO_MIN_S
from ..counters import CounterSampler, counters_wanted
from ..device_config import DeviceSetup
from ..events import TimingMeasured
from ..machine_load import LoadMonitor, MachineLoad
from ..open_loop import OpenLoop
from ..runner import LiveWindow, LoopOutcome, LoopPlan, MeasurementLoop
from ..until_stable import StableStop
from .base import StepsBase, static_batch
from .prepare import Prepared


@dataclass
class Measured:
    """What step 10 hands to the summary."""

    loop: MeasurementLoop | OpenLoop
    outcome: LoopOutcome
    sampler: CounterSampler | None
    stable_stop: StableStop | None
    timings: dict[str, float]
    machine_load: MachineLoad | None


class MeasureSteps(StepsBase):
    group_batches: list[int]
    _loop: MeasurementLoop | OpenLoop | None
    _stop: threading.Event
    _sample_lock: threading.Lock
    _tail: LiveWindow | None
    _sampled: bool
    _load: LoadMonitor

    def _step10_measure(self, setup: DeviceSetup, prepared: Prepared, duration_s: int) -> Measured:
        config = self.config
        api, nireq, niter = prepared.api, prepared.nireq, prepared.niter
        inference_only, requests = prepared.inference_only, prepared.requests
        input_sets = prepared.input_sets
        banner = self._step10_banner(api, nireq, setup, duration_s, niter)
        self._step(10, banner)
        if inference_only:
            self._info(
                "Benchmarking in inference only mode (inputs filling are not included in "
                "measurement loop)."
            )
        else:
            self._info(
                "Benchmarking in full mode (inputs filling are included in measurement loop)."
            )
        timings = dict(self._timings)
        if config.no_warmup:
            self._info("Skipping warmup inference due to -no_warmup flag")
        elif not self._stop.is_set():
            self._phase("warmup")
            first = self._first_inference(requests[0])
            timings["first_inference"] = first
            self._emit(TimingMeasured("first_inference", first))
            self._info(f"First inference took {first:.2f} ms")
        # benchmark_app ends a timed run on a whole round of requests (inference
        # only) or of input sets (full mode), so Count is a multiple of it.
        if api == "async" and inference_only:
            align = nireq
        elif api == "async":
            align = prepared.group_count
        else:
            align = 1
        stable_stop = StableStop(config.auto_stable_pct) if config.time_auto else None
        plan = LoopPlan(
            niter=niter,
            duration_s=float(duration_s),
            align=align,
            group_batches=list(self.group_batches)
            if not inference_only
            else [static_batch(prepared.batch) or 1],
            max_irate=config.max_irate,
            until_stable=stable_stop,
        )
        sampler = CounterSampler(nireq) if counters_wanted(config, setup.perf_counts) else None
        loop: MeasurementLoop | OpenLoop
        if config.rate:  # arrivals at a set rate instead of a new request per completion
            loop = OpenLoop(
                requests,
                None if inference_only else input_sets,
                plan,
                rate=config.rate,
                arrival=config.arrival_process,
                seed=config.seed,
                percent=config.latency_percentile,
                counters=sampler,
            )
        else:
            loop = MeasurementLoop(
                requests, None if inference_only else input_sets, plan, counters=sampler
            )
        self._phase("measuring")
        self._loop = loop
        if self._stop.is_set():
            loop.stop()
        self._load.start()
        try:
            outcome = loop.run()
        finally:
            machine_load = self._load.finish()
        if sampler is not None:
            sampler.read_last(requests)
        with self._sample_lock:
            # Whatever a sampler has not seen yet, before the latencies are sorted
            # (a copy, so only when someone samples: headless runs keep 8 B/inference).
            self._tail = loop.sample() if self._sampled else None
            self._loop = None
        return Measured(loop, outcome, sampler, stable_stop, timings, machine_load)

    def _step10_banner(
        self, api: str, nireq: int, setup: DeviceSetup, duration_s: int, niter: int | None
    ) -> str:
        text = f"Start inference {api}hronously"
        if api == "async":
            text += f", {nireq} inference requests"
            if setup.streams:
                text += " using " + ", ".join(
                    f"{n} streams for {device}" for device, n in setup.streams.items()
                )
        if self.config.rate:
            text += (
                f", open loop at {self.config.rate:g} requests/s ({self.config.arrival_process})"
            )
        text += ", limits: "
        if self.config.time_auto:
            text += (
                f"until stable (± {self.config.auto_stable_pct:g} %), "
                f"{AUTO_MIN_S} s to {duration_s} s"
            )
        elif duration_s:
            text += f"{duration_s * 1000} ms duration"
        if niter:
            if duration_s:
                text += ", "
            text += f"{niter} iterations"
        return text

    def _first_inference(self, request: ov.InferRequest) -> float:
        request.infer()
        return float(request.latency)
