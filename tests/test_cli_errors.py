"""`ovbench-tui run` on bad input: the right exit code and one clear line, never a traceback.

Usage errors found by the argument parser or the step-1 checks go to stderr as one
`ovbench-tui run: error: ...` line (exit 2). Errors found once the run has started are
one `[ ERROR ] ...` line on stdout: exit 2 when the user's input is wrong (bad path,
shape, layout, -b, -load_config) and exit 1 when the runtime refuses (device, unreadable
model). Most runs are in-process; a few use a subprocess to see what really reaches the
terminal, including output written by native code.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from dataclasses import dataclass

import openvino as ov
import pytest

from ovbench_tui.cli import main

pytestmark = pytest.mark.timeout(60)

ARGPARSE_PREFIX = "ovbench-tui run: error: "
RUNTIME_PREFIX = "[ ERROR ] "
AVAILABLE_DEVICES = ov.Core().available_devices


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    @property
    def error_lines(self) -> list[str]:
        """Every line that reports the failure: all of stderr plus stdout's [ ERROR ] lines."""
        stderr_lines = [line for line in self.err.splitlines() if line.strip()]
        stdout_errors = [line for line in self.out.splitlines() if line.startswith("[ ERROR ]")]
        return stderr_lines + stdout_errors


def run_cli(capsys: pytest.CaptureFixture[str], args: list[str]) -> Outcome:
    code = main(["run", *args])
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def run_subprocess(args: list[str]) -> Outcome:
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="100")
    proc = subprocess.run(
        [sys.executable, "-m", "ovbench_tui", "run", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def assert_one_error(outcome: Outcome, code: int, channel: str, culprits: list[str]) -> str:
    """Exit code, no traceback, exactly one error line on the expected channel naming culprits."""
    report = f"exit {outcome.code}\n--- stdout ---\n{outcome.out}\n--- stderr ---\n{outcome.err}"
    assert "Traceback" not in outcome.text, report
    assert outcome.code == code, report
    lines = outcome.error_lines
    assert len(lines) == 1, report
    line = lines[0]
    if channel == "argparse":
        assert line.startswith(ARGPARSE_PREFIX), report
        assert outcome.out == "", report
    else:
        assert channel == "runtime"
        assert line.startswith(RUNTIME_PREFIX), report
        assert outcome.err == "", report
        assert "Throughput:" not in outcome.out, report
    for culprit in culprits:
        assert culprit in line, f"{culprit!r} not in the error line\n{report}"
    return line


def assert_success(outcome: Outcome) -> None:
    report = f"exit {outcome.code}\n--- stdout ---\n{outcome.out}\n--- stderr ---\n{outcome.err}"
    assert outcome.code == 0, report
    assert "Traceback" not in outcome.text, report
    assert outcome.error_lines == [], report
    assert "Throughput:" in outcome.out, report


# -- files ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def junk_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """Files that are not models / not configs."""
    root = tmp_path_factory.mktemp("junk")
    (root / "garbage.xml").write_text("this is <<< not an IR file\n")
    with_bin = root / "with_bin"
    with_bin.mkdir()
    (with_bin / "garbage.xml").write_text("this is <<< not an IR file\n")
    (with_bin / "garbage.bin").write_bytes(b"\x00\x01junk")
    (root / "model.onnx").write_text("junk junk, not protobuf\n")
    (root / "bad.json").write_text('{"CPU": {"NUM_STREAMS": 2,,}\n')
    return root


@pytest.fixture(scope="session")
def paths(
    static_model_path: pathlib.Path,
    dynamic_model_path: pathlib.Path,
    two_input_model_path: pathlib.Path,
    junk_dir: pathlib.Path,
) -> dict[str, str]:
    return {
        "static": str(static_model_path),
        "dynamic": str(dynamic_model_path),
        "two": str(two_input_model_path),
        "junk": str(junk_dir),
    }


def expand(args: str, paths: dict[str, str]) -> list[str]:
    """Split on spaces first, then fill {static} etc., so paths may hold any character."""
    return [token.format(**paths) for token in args.split()]


# -- error cases ------------------------------------------------------------------------------
# (id, args, exit code, channel, substrings the error line must contain)

# fmt: off
MODEL_FILE_CASES = [
    ("missing-file", "-m {junk}/nosuch.xml -niter 4", 2, "runtime", ["nosuch.xml"]),
    ("directory", "-m {junk} -niter 4", 2, "runtime", ["{junk}", "folder"]),
    ("garbage-xml-no-bin", "-m {junk}/garbage.xml -niter 4", 1, "runtime", ["garbage.xml"]),
    ("garbage-xml", "-m {junk}/with_bin/garbage.xml -niter 4", 1, "runtime", ["garbage.xml"]),
    ("garbage-onnx", "-m {junk}/model.onnx -niter 4", 1, "runtime", ["model.onnx"]),
    ("unknown-demo", "-m demo:nosuch -niter 4", 2, "runtime", ["nosuch", "demo:tiny"]),
]

DEVICE_CASES = [
    ("unknown-device", "-m {static} -d FOO -niter 4", 1, "runtime", ["FOO"]),
    ("hetero-unknown", "-m {static} -d HETERO:FOO -niter 4", 1, "runtime", ["FOO"]),
]

SHAPE_CASES = [
    ("shape-no-brackets", "-m {static} -shape 1,3,224,224 -niter 4", 2, "runtime",
     ["-shape", "1,3,224,224"]),
    ("shape-unclosed", "-m {static} -shape [1,3,224,224 -niter 4", 2, "runtime",
     ["-shape", "[1,3,224,224"]),
    ("shape-bad-dim", "-m {static} -shape data[1,3,a,b] -niter 4", 2, "runtime",
     ["-shape", "'a'"]),
    ("shape-wrong-rank", "-m {static} -shape [1,3,32] -niter 4", 2, "runtime",
     ["-shape", "[1,3,32]", "data"]),
    ("data-shape-no-brackets", "-m {static} -data_shape 1,3 -niter 4", 2, "runtime",
     ["-data_shape", "1,3"]),
    ("layout-garbage", "-m {static} -layout data[XYZ!] -niter 4", 2, "runtime",
     ["-layout", "XYZ!"]),
    ("layout-wrong-rank", "-m {static} -layout NC -niter 4", 2, "runtime", ["-layout", "data"]),
    ("shape-unknown-input", "-m {static} -shape nosuch[1,3,32,32] -niter 4", 2, "runtime",
     ["-shape", "nosuch"]),
    ("data-shape-unknown-input", "-m {static} -data_shape nosuch[1,3,32,32] -niter 4", 2, "runtime",
     ["-data_shape", "nosuch"]),
    ("layout-unknown-input", "-m {static} -layout nosuch[NCHW] -niter 4", 2, "runtime",
     ["-layout", "nosuch"]),
    ("two-input-shape-unknown", "-m {two} -shape a[1,4],nosuch[1,4] -niter 4", 2, "runtime",
     ["-shape", "nosuch"]),
    ("two-input-layout-unknown", "-m {two} -layout b[NC],zzz[NC] -niter 4", 2, "runtime",
     ["-layout", "zzz"]),
    ("dynamic-no-data-shape", "-m {dynamic} -niter 4", 2, "runtime", ["data", "-data_shape"]),
    ("data-shape-incompatible", "-m {dynamic} -data_shape [1,4,32,32] -niter 4", 2, "runtime",
     ["-data_shape", "[1,4,32,32]"]),
    ("data-shape-dynamic", "-m {dynamic} -data_shape [?,3,32,32] -niter 4", 2, "runtime",
     ["-data_shape", "[?,3,32,32]"]),
]

TUNING_WITHOUT_HINT_NONE = [
    ("nstreams-needs-hint-none", "-m {static} -nstreams 2 -niter 4", 2, "argparse",
     ["-hint none", "-nstreams"]),
    ("nthreads-needs-hint-none", "-m {static} -nthreads 1 -niter 4", 2, "argparse",
     ["-hint none", "-nthreads"]),
    ("pin-needs-hint-none", "-m {static} -pin YES -niter 4", 2, "argparse",
     ["-hint none", "-pin"]),
    ("nstreams-with-hint-latency", "-m {static} -hint latency -nstreams 2 -niter 4", 2, "argparse",
     ["-hint none", "-nstreams"]),
]

VALUE_CASES = [
    ("time-zero", "-m {static} -t 0", 2, "argparse", ["-t", "0"]),
    ("niter-negative", "-m {static} -niter -1", 2, "argparse", ["-niter", "-1"]),
    ("percentile-0", "-m {static} -latency_percentile 0 -niter 4", 2, "argparse",
     ["-latency_percentile", "0", "100"]),
    ("percentile-101", "-m {static} -latency_percentile 101 -niter 4", 2, "argparse",
     ["-latency_percentile", "101"]),
    ("percentile-float", "-m {static} -latency_percentile 99.9 -niter 4", 2, "argparse",
     ["-latency_percentile", "99.9"]),
    ("nireq-zero", "-m {static} -nireq 0 -niter 4", 2, "argparse", ["-nireq", "0"]),
    ("nthreads-negative", "-m {static} -hint none -nthreads -3 -niter 4", 2, "argparse",
     ["-nthreads", "-3"]),
    ("pin-numa", "-m {static} -hint none -pin NUMA -niter 4", 2, "argparse",
     ["-pin NUMA", "no longer supported", "YES", "NO"]),
    ("pin-hybrid-aware", "-m {static} -hint none -pin HYBRID_AWARE -niter 4", 2, "argparse",
     ["-pin HYBRID_AWARE", "no longer supported"]),
    # A retired value is named as such even without -hint none.
    ("pin-numa-no-hint", "-m {static} -pin NUMA -niter 4", 2, "argparse",
     ["-pin NUMA", "no longer supported"]),
    ("pin-lowercase", "-m {static} -hint none -pin yes -niter 4", 2, "argparse",
     ["-pin", "yes", "YES"]),
    ("hint-bogus", "-m {static} -hint bogus -niter 4", 2, "argparse", ["-hint", "bogus"]),
    ("sync-nireq-over-niter", "-m {static} -api sync -niter 2 -nireq 4", 2, "argparse",
     ["-nireq 4", "-niter 2", "sync"]),
    ("batch-not-a-number", "-m {static} -b abc -niter 4", 2, "argparse", ["-b", "abc"]),
    ("batch-not-a-number-tiny", "-m demo:tiny -b abc -niter 4", 2, "argparse", ["-b", "abc"]),
    ("load-config-missing", "-m {static} -load_config {junk}/nosuch.json -niter 4", 2, "runtime",
     ["-load_config", "nosuch.json"]),
    ("load-config-bad-json", "-m {static} -load_config {junk}/bad.json -niter 4", 2, "runtime",
     ["-load_config", "bad.json", "JSON"]),
    ("unknown-flag", "-m {static} -foo -niter 4", 2, "argparse", ["-foo"]),
    ("missing-model-flag", "-niter 4", 2, "argparse", ["-m"]),
    ("bad-bool", "-m {static} -pc maybe -niter 4", 2, "argparse", ["-pc", "maybe"]),
]
# fmt: on

ALL_CASES = MODEL_FILE_CASES + DEVICE_CASES + SHAPE_CASES + TUNING_WITHOUT_HINT_NONE + VALUE_CASES


@pytest.mark.parametrize(
    ("args", "code", "channel", "culprits"),
    [pytest.param(*case[1:], id=case[0]) for case in ALL_CASES],
)
def test_error_is_one_line(
    capsys: pytest.CaptureFixture[str],
    paths: dict[str, str],
    args: str,
    code: int,
    channel: str,
    culprits: list[str],
) -> None:
    outcome = run_cli(capsys, expand(args, paths))
    assert_one_error(outcome, code, channel, [c.format(**paths) for c in culprits])


@pytest.mark.parametrize("device", ["GPU", "NPU"])
def test_device_without_plugin_or_hardware(
    capsys: pytest.CaptureFixture[str], paths: dict[str, str], device: str
) -> None:
    if device in AVAILABLE_DEVICES or any(d.startswith(device + ".") for d in AVAILABLE_DEVICES):
        pytest.skip(f"{device} is available here")
    outcome = run_cli(capsys, ["-m", paths["static"], "-d", device, "-niter", "4"])
    line = assert_one_error(outcome, 1, "runtime", [device])
    assert len(line) < 1000, line


def test_ir_without_weights_needs_no_bin(
    capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    import openvino.opset13 as ops

    x = ops.parameter([1, 4], ov.Type.f32, name="x")
    path = tmp_path / "no_weights.xml"
    ov.save_model(ov.Model([ops.relu(x).output(0)], [x], "no_weights"), path)
    path.with_suffix(".bin").unlink()
    assert_success(run_cli(capsys, ["-m", str(path), "-niter", "4"]))


# -- the real process: channels, native output, no hang ---------------------------------------


def test_subprocess_argparse_error(paths: dict[str, str]) -> None:
    outcome = run_subprocess(["-m", paths["static"], "-foo", "-niter", "4"])
    assert_one_error(outcome, 2, "argparse", ["-foo"])


def test_subprocess_runtime_error(paths: dict[str, str]) -> None:
    outcome = run_subprocess(["-m", paths["static"], "-d", "FOO", "-niter", "4"])
    assert_one_error(outcome, 1, "runtime", ["FOO"])


@pytest.mark.parametrize(
    "junk",
    [
        # OpenVINO's TensorFlow frontend logs to fd 2 while probing a junk .onnx;
        # the headless run holds that back so the error stays one line.
        pytest.param("model.onnx"),
        pytest.param("with_bin/garbage.xml"),
    ],
)
def test_subprocess_junk_model_prints_one_line(junk_dir: pathlib.Path, junk: str) -> None:
    outcome = run_subprocess(["-m", str(junk_dir / junk), "-niter", "4"])
    assert_one_error(outcome, 1, "runtime", [pathlib.Path(junk).name])


# -- what must work ---------------------------------------------------------------------------


def test_static_model_runs(capsys: pytest.CaptureFixture[str], paths: dict[str, str]) -> None:
    outcome = run_cli(capsys, ["-m", paths["static"], "-niter", "8"])
    assert_success(outcome)
    assert "[ INFO ] Count:            8 iterations" in outcome.out


def test_time_limit_runs(capsys: pytest.CaptureFixture[str], paths: dict[str, str]) -> None:
    outcome = run_cli(capsys, ["-m", paths["static"], "-t", "1"])
    assert_success(outcome)
    assert "[ INFO ] Count:" in outcome.out


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        pytest.param("-nstreams 2", "NUM_STREAMS: 2", id="nstreams"),
        pytest.param("-nthreads 1", "INFERENCE_NUM_THREADS: 1", id="nthreads"),
        pytest.param("-pin YES", None, id="pin-yes"),
        pytest.param("-pin NO", "ENABLE_CPU_PINNING: False", id="pin-no"),
        pytest.param("-nstreams 2 -nthreads 1 -pin NO", "INFERENCE_NUM_THREADS: 1", id="all"),
    ],
)
def test_tuning_with_hint_none(
    capsys: pytest.CaptureFixture[str],
    paths: dict[str, str],
    flags: str,
    expected: str | None,
) -> None:
    outcome = run_cli(
        capsys, ["-m", paths["static"], "-hint", "none", *flags.split(), "-niter", "4"]
    )
    assert_success(outcome)
    assert "Count:            4 iterations" in outcome.out
    if expected:
        assert expected in outcome.out


def test_batch_on_input_without_layout(capsys: pytest.CaptureFixture[str]) -> None:
    """demo:tiny's x [1,16] has no layout: the first dim is taken as batch, with a warning."""
    outcome = run_cli(capsys, ["-m", "demo:tiny", "-b", "4", "-niter", "4"])
    assert_success(outcome)
    assert (
        "[ WARNING ] Batch dimension is not specified for input 'x'. "
        "The first dimension will be interpreted as batch size." in outcome.out
    )
    assert "Model batch size: 4" in outcome.out
    assert "[4,16]" in outcome.out


def test_dynamic_model_with_data_shape(
    capsys: pytest.CaptureFixture[str], paths: dict[str, str]
) -> None:
    outcome = run_cli(capsys, ["-m", paths["dynamic"], "-data_shape", "[1,3,32,32]", "-niter", "4"])
    assert_success(outcome)


@pytest.mark.parametrize(
    ("data_shape", "words"),
    [
        ("[1,3,32]", "has 3 dimensions but input 'data' has 4 ([?,3,?,?]): give one size per"),
        ("[1,4,32,32]", "does not fit input 'data' of shape [?,3,?,?]: each dimension must fit"),
    ],
)
def test_a_data_shape_that_does_not_fit_says_how(
    capsys: pytest.CaptureFixture[str], paths: dict[str, str], data_shape: str, words: str
) -> None:
    outcome = run_cli(capsys, ["-m", paths["dynamic"], "-data_shape", data_shape, "-niter", "4"])
    assert outcome.code == 2
    assert len(outcome.error_lines) == 1 and words in outcome.error_lines[0]


def test_a_shape_in_another_layout_names_the_models_own(
    capsys: pytest.CaptureFixture[str], paths: dict[str, str]
) -> None:
    # NHWC sizes for an NCHW model: the runtime's words name an inner node only.
    outcome = run_cli(capsys, ["-m", paths["static"], "-shape", "[1,32,32,3]", "-niter", "4"])
    assert outcome.code == 1
    (line,) = outcome.error_lines
    assert "cannot be reshaped to 'data': [1,32,32,3] (the model's own: 'data' [1,3,32,32]" in line


def test_two_input_model(capsys: pytest.CaptureFixture[str], paths: dict[str, str]) -> None:
    outcome = run_cli(capsys, ["-m", paths["two"], "-shape", "a[2,4],b[2,4]", "-niter", "4"])
    assert_success(outcome)
    assert "Count:            4 iterations" in outcome.out


@pytest.mark.parametrize(
    ("extra", "culprit"),
    [
        (["-b", "-2"], "-b"),
        (["-hint", "none", "-nstreams", "CPU:x"], "-nstreams"),
    ],
)
def test_values_openvino_would_misread_are_refused(
    capsys: pytest.CaptureFixture[str], paths: dict[str, str], extra: list[str], culprit: str
) -> None:
    outcome = run_cli(capsys, ["-m", paths["static"], "-niter", "4", *extra])
    assert_one_error(outcome, 2, "argparse", [culprit])  # refused by validation, before a read


def test_output_folder_that_cannot_be_made_is_refused_before_measuring(
    capsys: pytest.CaptureFixture[str], paths: dict[str, str], tmp_path: pathlib.Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    outcome = run_cli(
        capsys, ["-m", paths["static"], "-niter", "4", "-dump_config", str(blocker / "d.json")]
    )
    assert_one_error(outcome, 2, "runtime", ["-dump_config"])
