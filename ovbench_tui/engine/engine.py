"""The 11 steps of a benchmark run, in any thread, reporting plain events.

Steps 1-3 are here; the others are in steps/ (compile: 4-7, prepare: 8-9,
measure: 10, summary: 11), which `Engine` inherits."""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

import openvino as ov

from ..config import BenchmarkConfig
from ..demo_models import is_demo_path, resolve_demo_model
from ..errors import BenchmarkError, OvbenchError, UsageError
from .compiled_cache import CompiledModelCache
from .config_file import load_device_config
from .device_config import DeviceSetup, build_device_setup, check_device, to_ov_properties
from .events import DumpDue, Event, ReportsDue, RunFailed, RunFinished
from .inputdata.grammar import refuse_missing_files
from .machine_load import LoadMonitor, MachineLoad
from .model_file import one_line
from .open_loop import OpenLoop
from .result import ReportSetup, RunResult
from .runner import LiveWindow, MeasurementLoop
from .steps.base import Observer
from .steps.compile import CompileSteps
from .steps.measure import MeasureSteps
from .steps.prepare import PrepareSteps
from .steps.summary import SummarySteps

__all__ = ["Engine", "Observer"]


def _no_observer(event: Event) -> None:
    pass


class Engine(CompileSteps, PrepareSteps, MeasureSteps, SummarySteps):
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
        model_path, loaded = self._step1_parse()
        core, duration_s = self._step2_core()
        setup, device_properties = self._step3_device(core, loaded)

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

        compiled_properties = self._step8_compiled(compiled, setup)
        prepared = self._step9_requests(compiled, infos, batch, duration_s)
        measured = self._step10_measure(setup, prepared, duration_s)
        return self._step11_summary(
            setup, compiled, compiled_properties, prepared, measured, duration_s
        )

    # -- steps 1-3 ---------------------------------------------------------------

    def _step1_parse(self) -> tuple[str, dict[str, Any]]:
        config = self.config
        self._step(1)
        self._info("Parsing input parameters")
        config.validate()
        refuse_missing_files(config.inputs)
        model_path = config.model
        if is_demo_path(model_path):
            model_path = str(resolve_demo_model(model_path))
        loaded = load_device_config(config.load_config) if config.load_config else {}
        return model_path, loaded

    def _step2_core(self) -> tuple[ov.Core, int]:
        config = self.config
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
        for name, version in check_device(core, config.device).items():
            self._info(name)
            self._info(f"{'Build ':.<39} {version.build_number}")
        self._info("")
        self._info("")
        return core, duration_s

    def _step3_device(
        self, core: ov.Core, loaded: dict[str, Any]
    ) -> tuple[DeviceSetup, dict[str, Any]]:
        config = self.config
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
        return setup, device_properties
