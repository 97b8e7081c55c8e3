"""Steps 8-9: read back what the device chose, create the requests and fill them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import openvino as ov

from ...errors import BenchmarkError, UsageError
from ..device_config import STREAMS, DeviceSetup
from ..inputs import prepare_input_data
from ..model_file import one_line
from ..model_io import InputInfo
from .base import StepsBase, static_batch


@dataclass
class Prepared:
    """What step 9 hands to the measurement and the summary."""

    api: str
    nireq: int
    requests: list[ov.InferRequest]
    static_mode: bool
    inference_only: bool
    batch: ov.Dimension
    group_count: int
    niter: int | None
    input_sets: Sequence[dict[int, ov.Tensor]]


def sync_ignores_nireq(nireq: int, api_given: bool) -> str:
    """The sync API runs one request whatever -nireq says, as in benchmark_app (there
    -nireq only reaches PERFORMANCE_HINT_NUM_REQUESTS): one line, not a silent 1."""
    api = "-api sync" if api_given else "the sync API (-hint latency chooses it)"
    return (
        f"-nireq {nireq} is ignored with {api}: it runs one infer request; "
        f"give -api async to keep {nireq} in flight"
    )


class PrepareSteps(StepsBase):
    group_labels: list[str]
    group_batches: list[int]
    planned_iterations: int | None
    planned_duration_s: float

    def _step8_compiled(self, compiled: ov.CompiledModel, setup: DeviceSetup) -> dict[str, str]:
        self._step(8)
        compiled_properties = self._print_compiled_properties(compiled)
        for device in list(setup.streams):
            for key in (f"{device.split('.')[0]}_THROUGHPUT_STREAMS", STREAMS.device_property):
                try:
                    setup.streams[device] = str(compiled.get_property(key))
                    break
                except RuntimeError:
                    continue
        return compiled_properties

    def _step9_requests(
        self,
        compiled: ov.CompiledModel,
        infos: list[InputInfo],
        batch: ov.Dimension,
        duration_s: int,
    ) -> Prepared:
        config = self.config
        self._step(9)
        api = config.resolved_api
        nireq = 1 if api == "sync" else config.nireq
        if api == "sync" and config.nireq > 1:
            self._warn(sync_ignores_nireq(config.nireq, bool(config.api)))
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
            network_batch=max(static_batch(batch), 1),
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
        return Prepared(
            api=api,
            nireq=nireq,
            requests=requests,
            static_mode=static_mode,
            inference_only=inference_only,
            batch=batch,
            group_count=len(groups),
            niter=niter,
            input_sets=input_sets,
        )

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
