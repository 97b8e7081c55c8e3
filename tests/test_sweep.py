"""Sweeps: the grid, the selection rules on fixed data, and real sweeps on small models."""

from __future__ import annotations

import csv
import itertools
import json
import threading
from pathlib import Path

import numpy as np
import openvino as ov
import pytest

from ovbench_tui.cli import main
from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.errors import OptionError, UsageError
from ovbench_tui.sweep.grid import NothingToSweep, SweepSpec, plan_points
from ovbench_tui.sweep.runner import PointFinished, SweepRunner
from ovbench_tui.sweep.selection import best_point, pareto_front


def spec(axes: dict[str, tuple[str, ...]], **kwargs: object) -> SweepSpec:
    base = kwargs.pop("base", BenchmarkConfig(model="m.xml"))
    return SweepSpec(base=base, axes=axes, **kwargs)  # type: ignore[arg-type]


# -- the grid --------------------------------------------------------------------------


def test_grid_runs_every_combination_runtime_axes_innermost() -> None:
    points = plan_points(spec({"data_shape": ("[1,3]", "[2,3]"), "streams": ("1", "2")}))
    assert [p.settings for p in points] == [
        {"streams": "1", "data_shape": "[1,3]"},
        {"streams": "1", "data_shape": "[2,3]"},
        {"streams": "2", "data_shape": "[1,3]"},
        {"streams": "2", "data_shape": "[2,3]"},
    ]
    config = points[2].config
    # -nstreams needs -hint none; the sweep sets it when no hint was chosen.
    assert (config.nstreams, config.data_shape, config.hint) == ("2", "[1,3]", "none")
    assert (config.time_s, config.niter) == (3, 100)
    assert config.cache_dir.endswith("model-cache")  # compiles go through the model cache


def test_the_model_cache_can_be_chosen_or_left_off() -> None:
    chosen = spec({"streams": ("1",)}, base=BenchmarkConfig(model="m.xml", cache_dir="/tmp/c"))
    assert plan_points(chosen)[0].config.cache_dir == "/tmp/c"
    assert plan_points(spec({"streams": ("1",)}, model_cache=False))[0].config.cache_dir == ""


def test_integer_axes_become_numbers() -> None:
    points = plan_points(spec({"requests": ("1", "4"), "threads": ("2",)}))
    assert [(p.config.nireq, p.config.nthreads) for p in points] == [(1, 2), (4, 2)]


def test_shuffle_is_seeded_and_keeps_points_sharing_a_compiled_model_together() -> None:
    axes = {"streams": ("1", "2", "3"), "data_shape": ("[1,3]", "[2,3]", "[4,3]")}
    first = [p.index for p in plan_points(spec(axes, shuffle_seed=5))]
    again = [p.index for p in plan_points(spec(axes, shuffle_seed=5))]
    assert first == again and sorted(first) == list(range(1, 10))
    assert first != list(range(1, 10))
    points = plan_points(spec(axes, shuffle_seed=5))
    streams = [p.settings["streams"] for p in points]
    blocks = [key for key, _ in itertools.groupby(streams)]
    assert len(blocks) == 3  # each streams value is one contiguous block


@pytest.mark.parametrize(
    ("axes", "base", "message"),
    [
        ({}, {}, "nothing to sweep"),
        ({"requests": ("0",)}, {}, "whole numbers of 1 or more"),
        ({"hint": ("fast",)}, {}, "is unknown"),
        ({"precision": ("f99",)}, {}, "is not an element type"),
        ({"streams": ("2",)}, {"nstreams": "4", "hint": "none"}, "both set streams"),
        ({"hint": ("throughput",), "streams": ("2",)}, {}, "sweep point hint=throughput"),
    ],
)
def test_a_grid_that_cannot_run_is_refused_with_one_line(
    axes: dict[str, tuple[str, ...]], base: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        plan_points(spec(axes, base=BenchmarkConfig(model="m.xml", **base)))  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)


def test_a_refused_value_keeps_the_command_lines_words_and_names_its_axis() -> None:
    """str() is what the CLI prints; the Sweep screen puts its field's label in place of
    the flag from the error's attributes, never by editing the text."""
    with pytest.raises(OptionError) as caught:
        plan_points(spec({"streams": ("two",)}))
    error = caught.value
    words = " 'two' is not a number of streams: use a whole number such as 2 (or AUTO)"
    assert str(error) == f"-nstreams{words}" and error.field == "streams"
    assert error.phrased("Streams") == f"Streams{words}"
    with pytest.raises(OptionError) as caught:
        plan_points(spec({"batch": ("0",)}))
    assert str(caught.value) == (
        "--batches 0: give batch sizes of 1 or more (leave --batches out to keep the model's "
        "own batch)"
    )
    assert caught.value.phrased("Batches") == "Batches 0: give batch sizes of 1 or more"
    with pytest.raises(NothingToSweep) as nothing:
        plan_points(spec({}))
    assert str(nothing.value).endswith("--requests 1 2 4 (see ovbench-tui sweep -h)")


def test_a_screens_error_line_comes_from_the_errors_attributes() -> None:
    from ovbench_tui.tui.field_values import error_line

    refused = OptionError("--hints", " 'fast' is unknown", field="hint", hint="see -h")
    assert error_line(refused, {"hint": "Hints"}) == "Hints 'fast' is unknown"
    assert error_line(refused) == "--hints 'fast' is unknown"  # no label: the words, no hint
    assert error_line(UsageError("bad", hint="see ovbench-tui run -h")) == "bad"
    assert error_line(KeyError("x")) == "KeyError: 'x'"  # unforeseen: still one line


# -- selection on fixed data --------------------------------------------------------------


def test_pareto_front_and_best_under_budget_on_fixed_points() -> None:
    latency = [1.0, 2.0, 2.0, 3.0, 5.0, None, 4.0]
    fps = [100.0, 150.0, 120.0, 150.0, 300.0, 999.0, 250.0]
    #         on     on     (dominated by 1) (dominated by 1) on   no latency   on
    assert pareto_front(latency, fps) == [True, True, False, False, True, False, True]
    assert best_point(latency, fps, 4.5) == 6
    assert best_point(latency, fps, 2.5) == 1  # 150 FPS at 2.0 beats 120 at 2.0
    assert best_point(latency, fps, 3.0) == 1  # a tie on FPS goes to the lower latency
    assert best_point(latency, fps, 0.5) is None
    assert best_point(latency, fps, None) == 4  # the fastest with a latency at all


def test_pareto_front_matches_a_sweep_line_on_random_points() -> None:
    rng = np.random.default_rng(11)
    for _ in range(50):
        n = int(rng.integers(1, 30))
        xs = [float(v) for v in rng.integers(1, 10, n)]
        ys = [float(v) for v in rng.integers(1, 10, n)]
        # Independent: walk by latency (ties: highest FPS first); a point is on the
        # front when it beats every FPS seen at a strictly lower latency and is the
        # best at its own latency.
        expected = [False] * n
        best_below = -1.0
        for x in sorted(set(xs)):
            at_x = [i for i in range(n) if xs[i] == x]
            top = max(ys[i] for i in at_x)
            if top > best_below:
                for i in at_x:
                    expected[i] = ys[i] == top
            best_below = max(best_below, top)
        assert pareto_front(xs, ys) == expected


# -- real sweeps ------------------------------------------------------------------------


@pytest.mark.slow
def test_two_by_two_sweep_reports_what_the_compiled_models_say(
    models: dict[str, str], tmp_path: Path
) -> None:
    base = BenchmarkConfig(model=models["static"], history=str(tmp_path / "h.sqlite"))
    sweep = spec(
        {"streams": ("1", "2"), "requests": ("1", "2")},
        base=base,
        point_time_s=1,
        point_count=20,
        percentile=90,
    )
    outcome = SweepRunner(sweep).run()
    assert len(outcome.points) == 4 and not outcome.failures and not outcome.stopped
    core = ov.Core()
    model = core.read_model(models["static"])
    for point in outcome.points:
        streams, requests = point.plan.settings["streams"], point.plan.settings["requests"]
        # Independently: what the runtime compiles for the same properties.
        compiled = core.compile_model(
            model, "CPU", {"NUM_STREAMS": streams, "PERFORMANCE_HINT_NUM_REQUESTS": requests}
        )
        assert point.effective["streams"] == str(compiled.get_property("NUM_STREAMS"))
        assert point.effective["requests"] == requests
        assert point.count >= 20 and point.duration_s >= 1.0
        assert point.throughput_fps == pytest.approx(point.count / point.duration_s)
        sorted_ms = point.latencies_ms
        assert point.latency_at(90) == sorted_ms[int(np.ceil(len(sorted_ms) * 0.9)) - 1]
        assert point.run_id is not None
    from ovbench_tui.reports.history import HistoryStore

    with HistoryStore(base.history) as store:
        rows = store.runs("sweep ")
    assert sorted(row.id for row in rows) == sorted(p.run_id for p in outcome.points)
    assert {row.tag.rsplit(" ", 1)[-1] for row in rows} == {"1", "2", "3", "4"}
    marks = outcome.pareto()
    assert any(marks)
    best = outcome.best()
    assert best is not None
    assert outcome.points[best].throughput_fps == max(p.throughput_fps for p in outcome.points)


def test_data_shapes_reuse_the_compiled_model(models: dict[str, str]) -> None:
    base = BenchmarkConfig(model=models["dynamic"], layout="[NCHW]", no_history=True)
    sweep = spec(
        {"data_shape": ("[1,3,16,16]", "[4,3,16,16]")}, base=base, point_time_s=1, point_count=8
    )
    outcome = SweepRunner(sweep).run()
    assert [p.compiled_reused for p in outcome.points] == [False, True]
    assert [p.effective["batch"] for p in outcome.points] == ["1", "4"]


def test_stopping_keeps_the_finished_points(models: dict[str, str]) -> None:
    base = BenchmarkConfig(model=models["static"], no_history=True)
    sweep = spec({"requests": ("1", "2", "3")}, base=base, point_time_s=30, point_count=1)
    runner: SweepRunner

    def observer(event: object) -> None:
        if isinstance(event, PointFinished):
            runner.stop()

    runner = SweepRunner(sweep, observer)
    # The first point would take 30 s: stop it once it measures, then the second.
    timer = threading.Timer(1.5, runner.stop)
    timer.start()
    outcome = runner.run()
    timer.cancel()
    assert outcome.stopped and outcome.points == []  # the stopped point is not kept

    finished: list[int] = []
    sweep = spec({"requests": ("1", "2", "3")}, base=base, point_time_s=1, point_count=1)

    def stop_after_first(event: object) -> None:
        if isinstance(event, PointFinished):
            finished.append(event.point.plan.index)
            runner.stop()

    runner = SweepRunner(sweep, stop_after_first)
    outcome = runner.run()
    assert outcome.stopped and [p.plan.index for p in outcome.points] == finished == [1]


def test_a_failing_point_does_not_end_the_sweep(models: dict[str, str]) -> None:
    base = BenchmarkConfig(model=models["static"], no_history=True)
    # u8 passes the grammar (an element type); the CPU refuses it when compiling.
    sweep = spec({"precision": ("f32", "u8")}, base=base, point_time_s=1, point_count=4)
    outcome = SweepRunner(sweep).run()
    assert [p.plan.settings["precision"] for p in outcome.points] == ["f32"]
    assert len(outcome.failures) == 1 and "u8" in outcome.failures[0].message


# -- headless ---------------------------------------------------------------------------


def test_headless_sweep_prints_the_table_and_writes_csv_and_json(
    models: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "out" / "sweep"
    prefix.parent.mkdir()
    code = main(
        [
            "sweep",
            "-m",
            models["static"],
            "--requests",
            "1,2",
            "--point-time",
            "1",
            "--point-count",
            "10",
            "--budget",
            "1000",
            "--percentile",
            "90",
            "--out",
            str(prefix),
            "--no-history",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Sweeping 2 points" in out and "Pareto front" in out and "> Best with p90" in out
    with open(f"{prefix}.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["requests"] for row in rows] == ["1", "2"]
    assert {"throughput_fps", "p90_ms", "pareto", "best", "effective_streams"} <= set(rows[0])
    document = json.loads(Path(f"{prefix}.json").read_text(encoding="utf-8"))
    assert document["schema"] == "ovbench-tui/sweep"
    assert len(document["points"]) == 2 and document["budget_ms"] == 1000
    best = [p["point"] for p in document["points"] if p["best"]]
    assert best == [document["best_point"]]
    fps = {row["point"]: float(row["throughput_fps"]) for row in rows}
    assert fps[str(document["best_point"])] == max(fps.values())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "demo:tiny"], "nothing to sweep"),
        (["-m", "demo:tiny", "--streams", "two"], "is not a number of streams"),
        (["-m", "demo:tiny", "--streams", "2", "-nstreams", "2", "-hint", "none"], "both set"),
        (["-m", "demo:tiny", "--requests", "2", "--out", "/no/such/dir/x"], "not writable"),
        (["-m", "demo:tiny", "--requests", "2", "--budget", "-1"], "positive latency"),
        (["--requests", "2"], "required"),
        (["-m", "demo:tiny", "--requests", "2", "-t", "5"], "give --point-time S"),
        (["-m", "demo:tiny", "--batches", "0"], "batch sizes of 1 or more"),
        (
            ["-m", "demo:tiny", "--requests", "2", "--shuffle", "abc"],
            "--shuffle 'abc' is not a seed",
        ),
        (["-m", "demo:tiny", "--requests", "2", "--percentile", "100.5"], "up to 100"),
        (["-m", "/no/such/model.xml", "--requests", "1", "2"], "model file not found"),
        (["-m", "demo:tiny", "--requests", "1", "-d", "NOSUCH"], "NOSUCH"),
        (["-m", "demo:cnn", "--data-shapes", "[1,3,64,64]", "[2,3,32,32]"], "every input of"),
        (
            ["-m", "demo:dynamic", "--data-shapes", "[1,3,64,64]", "[1,3,abc]"],
            "--data-shapes [1,3,abc]",
        ),
        (["-m", "demo:dynamic", "--data-shapes", "foo[1,3,64,64]"], "foo"),
        (["-m", "demo:tiny", "--streams", "0"], "whole numbers of streams"),
        (["-m", "demo:tiny", "--requests", "2", "-niter", "5"], "give --point-count N"),
    ],
)
def test_headless_sweep_bad_input_is_one_line_before_any_point(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sweep", *args]) in (1, 2)  # 1: what the runtime refused (a device)
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err + captured.out
    assert "[ 1/" not in captured.out  # refused before the first point


def test_headless_sweep_help_lists_the_axes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", "-h"]) == 0
    out = capsys.readouterr().out
    for flag in (
        "--streams",
        "--requests",
        "--batches",
        "--hints",
        "--threads",
        "--data-shapes",
        "--precisions",
        "--budget",
        "--shuffle",
        "--point-time",
    ):
        assert flag in out


def test_the_table_says_when_no_point_has_the_percentile() -> None:
    from ovbench_tui.engine.stats import latency_stats
    from ovbench_tui.sweep.output import table_lines
    from ovbench_tui.sweep.points import SweepOutcome, SweepPoint

    sweep = spec({"requests": ("1",)}, percentile=99)
    [plan] = plan_points(sweep)
    latencies = np.sort(np.arange(1.0, 11.0))  # 10 samples: too few for p99
    outcome = SweepOutcome(sweep, 1)
    outcome.points.append(SweepPoint(plan, 1, 10, 1.0, 10.0, latency_stats(latencies), latencies))
    lines = table_lines(outcome)
    assert "too few" in lines[1]
    assert "enough samples for a p99 latency" in lines[-1]
    within = table_lines(SweepOutcome(spec({"requests": ("1",)}, budget_ms=0.5), 1, outcome.points))
    assert "within 0.5 ms" in within[-1]


def test_a_sweep_can_use_a_fractional_percentile(models: dict[str, str], tmp_path: Path) -> None:
    base = BenchmarkConfig(model=models["static"], no_history=True)
    sweep = spec({"requests": ("1",)}, base=base, point_time_s=1, point_count=1000, percentile=99.9)
    outcome = SweepRunner(sweep).run()
    [point] = outcome.points
    ordered = point.latencies_ms
    assert point.count >= 1000
    assert outcome.latencies() == [ordered[int(np.ceil(len(ordered) * 0.999)) - 1]]
    from ovbench_tui.sweep.output import sweep_csv, table_lines

    assert "p99.9_ms" in sweep_csv(outcome).splitlines()[0]
    assert "p99.9 ms" in table_lines(outcome)[0]


def test_a_closed_pipe_ends_the_sweep_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ovbench_tui",
            "sweep",
            "-m",
            "demo:tiny",
            "--requests",
            "1",
            "2",
            "--point-time",
            "1",
            "--point-count",
            "1",
            "--no-history",
            "--out",
            str(tmp_path / "s"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"[ INFO ] Sweeping 2 points")
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) != 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_the_stored_runs_line_names_one_run_a_range_or_each_id() -> None:
    from ovbench_tui.work_cli import stored_runs

    assert stored_runs([16]) == "run 16"  # was "runs 16-16" after a sweep stopped at point 2
    assert stored_runs([7, 8, 9]) == "runs 7-9"
    assert stored_runs([7, 9]) == "runs 7, 9"  # another process stored run 8 meanwhile
