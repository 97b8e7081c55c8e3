"""What a sweep, tune or capacity search checks once before its first point: the
device, the model file and step 5's inputs, so a problem every point would share
is one line instead of the same error per point.

The input check is the engine's own (`resolve_config_inputs`, then
`require_data_shapes`): a dynamic input without a data shape is refused here
with the words a single run uses.
"""

from __future__ import annotations

from typing import Any

import openvino as ov

from ..config import BenchmarkConfig
from ..demo_models import is_demo_path, resolve_demo_model
from . import model_file, model_io
from .device_config import check_device
from .inputs import missing_data_shapes
from .model_io import InputInfo, Warn


def read_for_check(config: BenchmarkConfig) -> ov.Model | None:
    """The device checked and the model read; None when the device reads the file
    itself (a .blob, -load_from_file) or the model needs extensions (its inputs are
    known only after compiling)."""
    core = ov.Core()
    check_device(core, config.device)
    model = config.model
    path = str(resolve_demo_model(model)) if is_demo_path(model) else model
    if path.endswith(".blob") or config.load_from_file or config.extensions:
        return None
    return model_file.read_model(core, path, quiet=True)


def resolve_config_inputs(
    model: Any, config: BenchmarkConfig, warn: Warn
) -> tuple[list[InputInfo], bool]:
    """Step 5 on a config's flags: each input's shape, layout and data shapes."""
    return model_io.resolve_inputs(
        model,  # an ov.Model, or a compiled model's ports (-load_from_file)
        shape=config.shape,
        data_shape=config.data_shape,
        layout=config.layout,
        batch=config.batch,
        mean_values=config.mean_values,
        scale_values=config.scale_values,
        warn=warn,
        guess_dynamic=bool(config.inputs),
    )


def require_data_shapes(infos: list[InputInfo], config: BenchmarkConfig) -> None:
    """Every dynamic input without a data shape, in one line (files given with -i
    bring their own shapes; -compile_only needs none)."""
    if config.inputs or config.compile_only:
        return
    missing = [info for info in infos if not info.shapes]
    if missing:
        raise missing_data_shapes(missing)


def check_inputs(model: ov.Model, config: BenchmarkConfig) -> None:
    infos, _ = resolve_config_inputs(model, config, lambda text: None)
    require_data_shapes(infos, config)
