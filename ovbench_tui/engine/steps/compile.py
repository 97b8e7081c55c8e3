"""Steps 4-7: read, reshape, pre-process and compile the model (or import it, or
reuse a compiled model a sweep kept)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import openvino as ov

from ...config import BenchmarkConfig
from ...errors import BenchmarkError, UsageError
from .. import model_file, model_io, preprocess
from ..compiled_cache import CompiledEntry, compile_key
from ..device_config import available_devices
from ..events import RawLine
from ..model_file import one_line
from ..model_io import InputInfo
from ..precheck import require_data_shapes, resolve_config_inputs
from .base import StepsBase


class CompileSteps(StepsBase):
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
        model = model_file.read_model(core, model_path, quiet=self.quiet_native_stderr)
        self._timed("read", (time.perf_counter() - start) * 1000)
        self._info(f"Read model took {self._timings['read']:.2f} ms")
        self._info("Original model I/O parameters:")
        for line in preprocess.io_listing(model.inputs, model.outputs):
            self._info(line)

        self._step(5)
        for port in model.inputs:
            if not port.get_names():
                port.get_tensor().set_names({port.get_node().get_friendly_name()})
        infos, reshape = self._resolve(model)
        # Every missing data shape in one line, before a compile that would be wasted.
        require_data_shapes(infos, config)
        batch = model_io.network_batch(infos)
        self._info(f"Model batch size: {batch}")
        if reshape:
            self._info(f"Reshaping model: {model_io.describe_shapes(infos)}")
            start = time.perf_counter()
            model_io.reshape_model(model, infos)
            self._timed("reshape", (time.perf_counter() - start) * 1000)
            self._info(f"Reshape model took {self._timings['reshape']:.2f} ms")

        self._step(6)
        model = preprocess.configure_io(
            model,
            infos,
            input_precision=config.input_precision,
            output_precision=config.output_precision,
            input_output_precision=config.input_output_precision,
            warn=self._warn,
        )
        for line in preprocess.io_listing(model.inputs, model.outputs):
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

        model_file.refuse_special_file("-m", model_path)

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
        model_file.refuse_special_file("-m", model_path)
        for number in (4, 5, 6):
            self._step(number)
            self._emit(RawLine(skip_line))
        self._step(7)
        compiled = self._compile_call(compile_fn, what)
        infos, _ = self._resolve(_PortsModel(compiled))
        return compiled, infos, model_io.network_batch(infos)

    def _resolve(self, model: Any) -> tuple[list[InputInfo], bool]:
        return resolve_config_inputs(model, self.config, self._warn)

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


class _PortsModel:
    """Adapter so input resolution can read a compiled model's inputs (-lfile)."""

    def __init__(self, compiled: ov.CompiledModel) -> None:
        self.inputs = compiled.inputs


def _peak_memory_kb() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
