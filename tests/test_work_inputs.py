"""Sweep, tune and capacity check what every point would share before the first one:
a batch that -data_shape overrides, a dynamic model without data shapes."""

from __future__ import annotations

import openvino as ov
import pytest

from ovbench_tui.cli import main
from ovbench_tui.config import BenchmarkConfig, batch_ignored
from ovbench_tui.engine import model_io
from ovbench_tui.tune.runner import TuneRunner, TuneSpec

# -- a batch that -data_shape overrides ---------------------------------------------------


@pytest.mark.parametrize(
    ("batch", "data_shape"), [("2", "[1,3,32,32]"), ("2", ""), ("1..4", "[1,3,32,32]")]
)
def test_batch_ignored_says_what_the_engines_step_5_does(
    models: dict[str, str], batch: str, data_shape: str
) -> None:
    model = ov.Core().read_model(models["dynamic"])
    warnings: list[str] = []
    infos, _ = model_io.resolve_inputs(
        model,
        shape="",
        data_shape=data_shape,
        layout="",
        batch=batch,
        mean_values="",
        scale_values="",
        warn=warnings.append,
    )
    ignored = any("Batch size will be ignored" in text for text in warnings)
    assert ignored == batch_ignored(batch, data_shape)
    if not ignored:
        assert str(infos[0].partial_shape[0]) == batch


def test_tune_leaves_batch_out_when_data_shape_sets_it(models: dict[str, str]) -> None:
    base = BenchmarkConfig(model=models["dynamic"], data_shape="[1,3,32,32]")
    runner = TuneRunner(TuneSpec(base=base), store_history=False)
    runner.check()  # reads the model: the data shape fits
    assert "batch" not in runner.tune.axes and "streams" in runner.tune.axes
    assert runner.note.startswith("Batch is not searched: -data_shape sets the batch")
    without = TuneRunner(TuneSpec(base=BenchmarkConfig(model=models["static"])))
    assert "batch" in without.tune.axes and not without.note


def test_tune_refuses_an_explicit_batch_axis_with_data_shape_before_measuring(
    models: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["tune", "-m", models["dynamic"], "-data_shape", "[1,3,32,32]", "--no-history"]
    assert main([*args, "--axes", "batch", "streams"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert "--axes batch: -data_shape sets the batch here, so -b would be ignored" in captured.err
    assert "leave batch out of --axes" in captured.err
    assert "[ 1 ]" not in captured.out


@pytest.mark.parametrize(
    "flags",
    [
        ["-data_shape", "[1,3,32,32]", "--batches", "1", "2"],
        ["--data-shapes", "[1,3,32,32]", "[1,3,16,16]", "--batches", "2"],
    ],
)
def test_sweep_refuses_batches_that_data_shapes_override(
    models: dict[str, str], flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sweep", "-m", models["dynamic"], "--no-history", *flags]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert "sets each point's batch, so -b would be ignored" in captured.err
    assert "sweep the batch inside the data shapes" in captured.err
    assert "[ 1/" not in captured.out


# -- a dynamic model without data shapes -----------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["sweep", "--streams", "1", "2", "--requests", "1", "2"],
        ["tune", "--max-points", "4"],
        ["capacity", "--slo-ms", "20"],
    ],
)
def test_a_dynamic_model_without_data_shapes_is_refused_once_before_any_point(
    models: dict[str, str], command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    name, *flags = command
    args = [name, "-m", models["dynamic"], *flags, "--point-time", "1", "--no-history"]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert "dynamic input 'data' [?,3,?,?] needs data shapes: give -data_shape" in captured.err
    assert "Traceback" not in captured.err
    assert "[ 1" not in captured.out and "Upper bound" not in captured.out  # nothing measured


def test_a_batch_axis_that_makes_the_inputs_static_passes_the_check(model: str) -> None:
    from ovbench_tui.errors import UsageError
    from ovbench_tui.sweep.grid import SweepSpec
    from ovbench_tui.sweep.runner import SweepRunner

    base = BenchmarkConfig(model=model, shape="[?,3,32,32]")
    SweepRunner(SweepSpec(base=base, axes={"batch": ("1", "2")}), store_history=False).check()
    streams = SweepSpec(base=base, axes={"streams": ("1", "2")})
    with pytest.raises(UsageError, match="needs data shapes"):
        SweepRunner(streams, store_history=False).check()
