"""The 11 steps of a benchmark run, in any thread, reporting plain events."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import openvino as ov

from ..config import AUTO_MIN_S, BenchmarkConfig
from ..demo_models import is_demo_path, resolve_demo_model
from ..errors import BenchmarkError, OvbenchError, UsageError
from . import model_io
from .compiled_cache import CompiledEntry, CompiledModelCache, compile_key
from .config_file import load_device_config
from .counters import CounterSampler, counters_wanted, format_pc, format_pcsort
from .device_config import (
    DeviceSetup,
    available_devices,
    build_device_setup,
    device_error,
    to_ov_properties,
)
from .environment import collect_environment
from .events import (
    DumpDue,
    Event,
    LogLine,
    PhaseChanged,
    RawLine,
    ReportsDue,
    RunFailed,
    RunFinished,
    StepStarted,
    TimingMeasured,
)
from .inputs import missing_data_shapes, prepare_input_data
from .machine_load import LoadMonitor, MachineLoad
from .model_io import InputInfo, one_line
from .open_loop import OpenLoop
from .result import ReportSetup, RunResult, group_results
from .runner import LiveWindow, LoopPlan, MeasurementLoop
from .stability import assess, window_medians
from .stats import latency_stats, throughput_fps
from .until_stable import StableStop, throughput_interval

Observer = Callable[[Event], None]


def _no_observer(event: Event) -> None:
    pass


class Engine:
    """Runs one benchmark.  `run()` blocks; `stop()` and `sample_window()` may be
    called from any other thread while it does."""

    def __init__(
        self,
        config: BenchmarkConfig,
        observer: Observer | None = None,
        *,
        quiet_native_stderr: bool = False,
        compiled_cache: CompiledModelCache | None = None,
        run_label: str = "",
    ) -> None:
        """`compiled_cache` lets runs in a row (a sweep) share a compiled model when
        only runtime settings differ; `run_label` names this run in its log lines."""
        self.config = config
        self.compiled_cache = compiled_cache
        self.run_label = run_label
        self.compiled_reused = False
        self.quiet_native_stderr = quiet_native_stderr
        self._emit = observer or _no_observer
        self._loop: MeasurementLoop | OpenLoop | None = None
        self._stop = threading.Event()
        self._sample_lock = threading.Lock()
        self._tail: LiveWindow | None = None
        self._sampled = False
        self.phase = "starting"
        self.group_labels: list[str] = []
        self.group_batches: list[int] = [1]
        self.planned_iterations: int | None = None
        self.planned_duration_s: float = 0.0
        self.core: ov.Core | None = None
        self._load = LoadMonitor()

    # -- control from other threads ----------------------------------------------

    def stop(self) -> None:
        """Ends the measurement early; the result holds what was measured so far."""
        self._stop.set()
        loop = self._loop
        if loop is not None:
            loop.stop()

    def sample_window(self) -> LiveWindow | None:
        """Latencies completed since the previous call (None before measuring starts
        and after the last window has been taken)."""
        with self._sample_lock:
            self._sampled = True
            loop = self._loop
            if loop is not None:
                return loop.sample()
            tail, self._tail = self._tail, None
            return tail

    def machine_load(self) -> MachineLoad | None:
        """Our and other processes' CPU use since measuring began (None before)."""
        return self._load.snapshot()

    # -- helpers -----------------------------------------------------------------

    def _info(self, text: str) -> None:
        self._emit(LogLine("INFO", text))

    def _warn(self, text: str) -> None:
        self._emit(LogLine("WARNING", text))

    def _step(self, number: int, info: str = "", skipped: bool = False) -> None:
        self._emit(StepStarted(number, info, skipped))

    def _phase(self, phase: str) -> None:
        self.phase = phase
        self._emit(PhaseChanged(phase, time.perf_counter()))  # type: ignore[arg-type]

    # -- the run -----------------------------------------------------------------

    def run(self) -> RunResult | None:
        """Run every step; returns None for compile-only runs (-niter 0)."""
        try:
            result = self._run()
        except OvbenchError as error:
            self._phase("done")
            self._report_failure(str(error))
            self._emit(RunFailed(str(error), error.exit_code))
            raise
        except Exception as error:  # an OpenVINO failure we did not foresee: still one line
            self._phase("done")
            message = one_line(error)
            self._report_failure(message)
            self._emit(RunFailed(message, 1))
            raise BenchmarkError(message) from error
        self._phase("done")
        if result is not None:
            self._emit(RunFinished(result))
        return result

    def _report_failure(self, message: str) -> None:
        # benchmark_app appends an error row to its report; never let that hide the error.
        with contextlib.suppress(OvbenchError, OSError):
            self._emit(
                ReportsDue(
                    None, ReportSetup(timings_ms=dict(getattr(self, "_timings", {}))), message
                )
            )

    def _run(self) -> RunResult | None:
        config = self.config
        self._step(1)
        self._info("Parsing input parameters")
        config.validate()
        model_path = config.model
        if is_demo_path(model_path):
            model_path = str(resolve_demo_model(model_path))
        loaded = load_device_config(config.load_config) if config.load_config else {}

        # Step 2
        self._step(2)
        duration_s, unknown = config.duration_s()
        if unknown:
            self._warn(
                f"Default duration {duration_s} seconds is used for unknown device {config.device}"
            )
        core = ov.Core()
        self.core = core
        if config.extensions:
            for path in config.extensions.split(","):
                if not os.path.exists(path):
                    raise UsageError(f"extension library not found: {path} (check -extensions)")
                self._info(f"Loading extension {path}")
                try:
                    core.add_extension(path)
                except RuntimeError as error:
                    raise BenchmarkError(
                        f"extension {path} could not be loaded: {one_line(error)}"
                    ) from error
        self._info("OpenVINO:")
        self._info(f"{'Build ':.<39} {ov.get_version()}")
        self._info("")
        self._info("Device info:")
        try:
            versions = core.get_versions(config.device)
        except RuntimeError as error:
            raise device_error(core, config.device, error) from error
        if not versions:
            raise device_error(core, config.device, RuntimeError("is not registered"))
        for name, version in versions.items():
            self._info(name)
            self._info(f"{'Build ':.<39} {version.build_number}")
        self._info("")
        self._info("")

        # Step 3
        self._step(3)
        setup = build_device_setup(core, config, loaded, self._warn)
        if config.cache_dir:
            core.set_property({"CACHE_DIR": config.cache_dir})
            # Say which compile time the run will show: a cold cache compiles and
            # writes a blob, a warm one imports it.
            entries = len(os.listdir(config.cache_dir)) if os.path.isdir(config.cache_dir) else 0
            state = f"warm ({entries} cached files)" if entries else "cold (empty)"
            self._info(f"Model cache {config.cache_dir}: {state}")
        device_properties = to_ov_properties(setup.compile_properties(config.device))
        if "GPU" in config.device and config.cldnn_config:
            core.set_property("GPU", {"CONFIG_FILE": config.cldnn_config})
            self._info(f"GPU extensions is loaded {config.cldnn_config}")

        # Steps 4-7
        self._phase("compiling")
        compiled, infos, batch = self._compile(core, config, model_path, device_properties)

        if config.compile_only:
            self._info("Model compiled successfully. Skipping inference due to -niter 0.")
            for number in (8, 9, 10):
                self._step(number, "skipped", skipped=True)
            self._step(11)
            self._emit(DumpDue(setup.properties))
            self._emit(ReportsDue(None, ReportSetup(timings_ms=dict(self._timings))))
            return None

        # Step 8
        self._step(8)
        compiled_properties = self._print_compiled_properties(compiled)
        for device in list(setup.streams):
            for key in (f"{device.split('.')[0]}_THROUGHPUT_STREAMS", "NUM_STREAMS"):
                try:
                    setup.streams[device] = str(compiled.get_property(key))
                    break
                except RuntimeError:
                    continue

        # Step 9
        self._step(9)
        api = config.resolved_api
        nireq = 1 if api == "sync" else config.nireq
        if api == "async" and not nireq:
            try:
                nireq = int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
            except RuntimeError as error:
                raise BenchmarkError(
                    f"the device does not say how many requests suit it ({one_line(error)}): "
                    "give -nireq"
                ) from error
        requests = [compiled.create_infer_request() for _ in range(nireq)]
        static_mode = all(info.is_static for info in infos)
        data = prepare_input_data(
            infos,
            config.inputs,
            network_batch=max(_static_batch(batch), 1),
            seed=config.seed,
            random_sets=config.random_sets,
            warn=self._warn,
            info=self._info,
        )
        for info, data_shapes in zip(infos, data.data_shapes, strict=True):
            if not info.is_static:
                info.data_shapes = data_shapes
        groups = data.groups
        single_shape = all(len(info.shapes) <= 1 for info in infos)
        if api == "sync" and not single_shape:
            raise UsageError(
                "several data shapes need the async API: use -api async -hint latency -nireq 1 "
                "to emulate sync behaviour"
            )
        inference_only = config.inference_only
        if inference_only is None:
            inference_only = static_mode
        elif inference_only and not single_shape:
            raise UsageError(
                "-inference_only true needs a single data shape: with several, inputs are "
                "set in the measured loop (drop -inference_only or give one -data_shape)"
            )
        if single_shape and batch.is_dynamic:
            batch = ov.Dimension(groups[0].batch)
        if len(groups) > 1:
            self._info(f"Defined {len(groups)} tensor groups:")
            for group in groups:
                self._info(f"\t{group.label}")
        self.group_labels = [g.label for g in groups]
        self.group_batches = [g.batch for g in groups]
        niter = self._align_iterations(config.niter, nireq, len(groups), api)
        self.planned_iterations = niter
        self.planned_duration_s = float(duration_s)
        input_sets = data.input_sets()
        for index, request in enumerate(requests):
            self._fill_request(request, input_sets[index % len(input_sets)], static_mode)

        # Step 10
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
            align = len(groups)
        else:
            align = 1
        stable_stop = StableStop(config.auto_stable_pct) if config.time_auto else None
        plan = LoopPlan(
            niter=niter,
            duration_s=float(duration_s),
            align=align,
            group_batches=[g.batch for g in groups]
            if not inference_only
            else [_static_batch(batch) or 1],
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

        # Step 11
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
        pcseq = config.pcseq and not static_mode and len(groups) > 1
        groups_result = (
            group_results(latencies, self.group_labels, self.group_batches, percent)
            if len(groups) > 1
            else []
        )
        if api == "async" and not inference_only:
            frames = outcome.frames
        else:
            frames = (_static_batch(batch) or 1) * outcome.count
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
            timings_ms=timings,
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
            machine_load=machine_load,
            open_loop=loop.stats if isinstance(loop, OpenLoop) else None,
        )
        report_setup = ReportSetup(
            niter=niter,
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

    # -- steps 4-7 -------------------------------------------------------------

    _timings: dict[str, float]

    def _timed(self, what: str, ms: float) -> None:
        self._timings[what] = ms
        self._emit(TimingMeasured(what, ms))  # type: ignore[arg-type]

    def _compile(
        self,
        core: ov.Core,
        config: BenchmarkConfig,
        model_path: str,
        device_properties: dict[str, Any],
    ) -> tuple[ov.CompiledModel, list[InputInfo], ov.Dimension]:
        self._timings = {}
        if model_path.endswith(".blob"):
            return self._import_blob(core, config, model_path, device_properties)
        if config.load_from_file:
            return self._without_model_steps(
                model_path,
                "Skipping the step for loading model from file",
                lambda: core.compile_model(model_path, config.device, device_properties),
                "compile",
            )
        cache = self.compiled_cache
        if cache is None:
            return self._read_and_compile(core, config, model_path, device_properties)[:3]
        key = compile_key(config, device_properties)
        entry = cache.get(key)
        if entry is not None:
            return self._reuse(entry)
        cache.clear()  # free the previous model before compiling the next one
        compiled, infos, batch, names = self._read_and_compile(
            core, config, model_path, device_properties
        )
        cache.put(key, CompiledEntry(compiled, infos, names, batch, self.run_label))
        return compiled, infos, batch

    def _reuse(
        self, entry: CompiledEntry
    ) -> tuple[ov.CompiledModel, list[InputInfo], ov.Dimension]:
        owner = f" of {entry.owner}" if entry.owner else ""
        for number in (4, 5, 6, 7):
            self._step(number)
            self._emit(RawLine(f"Reusing the compiled model{owner}: only runtime settings changed"))
        self.compiled_reused = True
        infos = entry.fresh_infos()
        model_io.assign_data_shapes(infos, entry.names, self.config.data_shape, self._warn)
        return entry.compiled, infos, entry.batch

    def _read_and_compile(
        self,
        core: ov.Core,
        config: BenchmarkConfig,
        model_path: str,
        device_properties: dict[str, Any],
    ) -> tuple[ov.CompiledModel, list[InputInfo], ov.Dimension, list[tuple[str, str]]]:
        self._step(4)
        self._info("Loading model files")
        start = time.perf_counter()
        model = model_io.read_model(core, model_path, quiet=self.quiet_native_stderr)
        self._timed("read", (time.perf_counter() - start) * 1000)
        self._info(f"Read model took {self._timings['read']:.2f} ms")
        self._info("Original model I/O parameters:")
        for line in model_io.io_listing(model.inputs, model.outputs):
            self._info(line)

        self._step(5)
        for port in model.inputs:
            if not port.get_names():
                port.get_tensor().set_names({port.get_node().get_friendly_name()})
        infos, reshape = self._resolve(model)
        if not config.inputs and not config.compile_only:
            # Every missing data shape in one line, before a compile that would be wasted.
            missing = [info for info in infos if not info.shapes]
            if missing:
                raise missing_data_shapes(missing)
        batch = model_io.network_batch(infos)
        self._info(f"Model batch size: {batch}")
        if reshape:
            self._info(f"Reshaping model: {model_io.describe_shapes(infos)}")
            start = time.perf_counter()
            model_io.reshape_model(model, infos)
            self._timed("reshape", (time.perf_counter() - start) * 1000)
            self._info(f"Reshape model took {self._timings['reshape']:.2f} ms")

        self._step(6)
        model = model_io.configure_io(
            model,
            infos,
            input_precision=config.input_precision,
            output_precision=config.output_precision,
            input_output_precision=config.input_output_precision,
            warn=self._warn,
        )
        for line in model_io.io_listing(model.inputs, model.outputs):
            self._info(line)

        self._step(7)
        compiled = self._compile_call(
            lambda: core.compile_model(model, config.device, device_properties), "compile"
        )
        return compiled, infos, batch, model_io.input_names(model)

    def _import_blob(
        self,
        core: ov.Core,
        config: BenchmarkConfig,
        model_path: str,
        device_properties: dict[str, Any],
    ) -> tuple[ov.CompiledModel, list[InputInfo], ov.Dimension]:
        # A compiled model: benchmark_app refuses every .blob (its B1) because its
        # "precision given?" test compares None with "".  We refuse only real requests.
        given = [
            flag
            for flag, value in (
                ("-ip", config.input_precision),
                ("-op", config.output_precision),
                ("-iop", config.input_output_precision),
                ("--mean_values", config.mean_values),
                ("--scale_values", config.scale_values),
            )
            if value
        ]
        if given:
            raise UsageError(
                f"{', '.join(given)} cannot change a compiled model (.blob): "
                "compile it again with what you need, or drop the option"
            )

        model_io.refuse_special_file("-m", model_path)

        def import_blob() -> ov.CompiledModel:
            with open(model_path, "rb") as blob:
                return core.import_model(blob.read(), config.device, device_properties)

        return self._without_model_steps(
            model_path, "Skipping the step for compiled model", import_blob, "import"
        )

    def _without_model_steps(
        self,
        model_path: str,
        skip_line: str,
        compile_fn: Callable[[], ov.CompiledModel],
        what: str,
    ) -> tuple[ov.CompiledModel, list[InputInfo], ov.Dimension]:
        """Steps 4-7 when the device takes the file itself (-lfile, .blob): no reshape
        or pre-processing; the inputs are read back from the compiled model."""
        if not os.path.exists(model_path):
            raise UsageError(f"model file not found: {model_path} (check the -m path)")
        model_io.refuse_special_file("-m", model_path)
        for number in (4, 5, 6):
            self._step(number)
            self._emit(RawLine(skip_line))
        self._step(7)
        compiled = self._compile_call(compile_fn, what)
        infos, _ = self._resolve(_PortsModel(compiled))
        return compiled, infos, model_io.network_batch(infos)

    def _resolve(self, model: Any) -> tuple[list[InputInfo], bool]:
        config = self.config
        return model_io.resolve_inputs(
            model,
            shape=config.shape,
            data_shape=config.data_shape,
            layout=config.layout,
            batch=config.batch,
            mean_values=config.mean_values,
            scale_values=config.scale_values,
            warn=self._warn,
            guess_dynamic=bool(config.inputs),
        )

    def _compile_call(
        self, compile_fn: Callable[[], ov.CompiledModel], what: str
    ) -> ov.CompiledModel:
        start_peak = _peak_memory_kb()
        start = time.perf_counter()
        try:
            compiled = compile_fn()
        except RuntimeError as error:
            core = self.core
            detail = one_line(error)
            available = ", ".join(available_devices(core)) if core else ""
            raise BenchmarkError(
                f"compiling for {self.config.device} failed: {detail} "
                f"(available devices: {available or 'none'})"
            ) from error
        ms = (time.perf_counter() - start) * 1000
        self._timed(what, ms)
        verb, noun = ("Import", "import") if what == "import" else ("Compile", "compilation")
        self._info(f"{verb} model took {ms:.2f} ms")
        end_peak = _peak_memory_kb()
        if start_peak is not None and end_peak is not None:
            self._info(f"Start of {noun} memory usage: Peak {start_peak} KB")
            self._info(f"End of {noun} memory usage: Peak {end_peak} KB")
            self._info(f"{verb} model ram used {end_peak - start_peak} KB")
        return compiled

    # -- steps 8-10 ------------------------------------------------------------

    def _print_compiled_properties(self, compiled: ov.CompiledModel) -> dict[str, str]:
        shown: dict[str, str] = {}
        self._info("Model:")
        for key in compiled.get_property("SUPPORTED_PROPERTIES"):
            if key == "SUPPORTED_PROPERTIES":
                continue
            try:
                value = compiled.get_property(key)
            except RuntimeError:
                continue
            if key == "DEVICE_PROPERTIES" and isinstance(value, dict):
                for device, props in value.items():
                    self._info(f"  {device}:")
                    for sub_key, sub_value in props.items():
                        if sub_key != "SUPPORTED_PROPERTIES":
                            self._info(f"    {sub_key}: {sub_value}")
                            shown[f"{device}.{sub_key}"] = str(sub_value)
            else:
                self._info(f"  {key}: {value}")
                shown[key] = str(value)
        return shown

    def _align_iterations(
        self, niter: int | None, nireq: int, shape_count: int, api: str
    ) -> int | None:
        # Round up to a whole number of input-shape rotations or of requests, so
        # every group and every request gets the same share.  benchmark_app's
        # shape rounding uses float division and can miss the multiple (its B4).
        if api != "async" or not niter:
            return niter
        if shape_count > nireq:
            aligned = -(-niter // shape_count) * shape_count
            if aligned != niter:
                self._warn(
                    f"Number of iterations was aligned by number of input shapes from {niter} "
                    f"to {aligned} using number of possible input shapes {shape_count}"
                )
        else:
            aligned = -(-niter // nireq) * nireq
            if aligned != niter:
                self._warn(
                    f"Number of iterations was aligned by request number from {niter} to "
                    f"{aligned} using number of requests {nireq}"
                )
        return aligned

    @staticmethod
    def _fill_request(
        request: ov.InferRequest, input_set: dict[int, ov.Tensor], static: bool
    ) -> None:
        for port, tensor in input_set.items():
            if not static:
                request.set_input_tensor(port, tensor)
                continue
            target = request.get_input_tensor(port)
            if len(target.shape):
                target.data[...] = tensor.data
            else:
                target.data.flat[:] = tensor.data

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


class _PortsModel:
    """Adapter so input resolution can read a compiled model's inputs (-lfile)."""

    def __init__(self, compiled: ov.CompiledModel) -> None:
        self.inputs = compiled.inputs


def _static_batch(batch: ov.Dimension) -> int:
    return batch.get_length() if batch.is_static else 0


def _peak_memory_kb() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
