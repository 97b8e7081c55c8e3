"""Bad input that used to hang, explode or print a traceback: one line each.

Devices and FIFOs are made in tmp_path, never the system's.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest
from test_outputs import char_device

from ovbench_tui.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["run", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out + captured.err


def one_error(text: str) -> str:
    lines = [line for line in text.splitlines() if "ERROR" in line or "error:" in line]
    assert len(lines) == 1, text
    return lines[0]


def test_model_that_is_a_fifo_or_a_device_is_refused(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo.onnx"
    os.mkfifo(fifo)
    zero = char_device(tmp_path / "zero", 5)
    for model in (fifo, zero):
        code, text = run(["-m", str(model), "-niter", "1", "--no-history"], capsys)
        assert code == 2 and "not a regular file" in one_error(text), text


def test_input_file_that_is_a_fifo_is_refused(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo.bin"
    os.mkfifo(fifo)
    code, text = run(
        ["-m", str(static_model_path), "-i", str(fifo), "-niter", "1", "--no-history"], capsys
    )
    assert code == 2 and "-i" in one_error(text) and "not a regular file" in text, text


def test_a_missing_input_file_is_refused_before_the_model_is_read(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["-m", str(static_model_path), "-niter", "1", "--no-history"]
    for given in (str(tmp_path / "none.npy"), f"data:{tmp_path / 'none.npy'}"):
        code, text = run([*args, "-i", given], capsys)
        assert code == 2 and f"-i: {given} does not exist" in one_error(text), text
        assert "[Step 4/11]" not in text  # step 1 refused it: nothing was read or compiled
    # A name with ':' in it (TFLite's `input:0`) before an existing file passes step 1.
    image = tmp_path / "x.npy"
    image.write_bytes(b"")
    code, text = run([*args, "-i", f"serving_default_x:0:{image}"], capsys)
    assert "does not exist" not in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("\ufeff{}".encode("utf-16"), "UTF-16"),
        (b'{"CPU": {"PERFORMANCE_HINT": "FAST"}}', "'FAST' for CPU"),
    ],
)
def test_load_config_problems_name_the_file(
    tmp_path: pathlib.Path,
    static_model_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    expected: str,
) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(content)
    code, text = run(
        ["-m", str(static_model_path), "-load_config", str(path), "-niter", "1"], capsys
    )
    line = one_error(text)
    assert code == 2 and str(path) in line and expected in line, text
    if "FAST" in expected:
        assert "LATENCY" in line and "THROUGHPUT" in line


def test_load_config_of_an_endless_device_stops_reading(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zero = char_device(tmp_path / "zero", 5)
    code, text = run(
        ["-m", str(static_model_path), "-load_config", str(zero), "-niter", "1"], capsys
    )
    assert code == 2 and "larger than" in one_error(text), text


def test_random_sets_beyond_free_memory_are_refused_before_allocating(
    static_model_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("ovbench_tui.engine.inputs.available_memory_bytes", lambda: 2**20)
    code, text = run(
        ["-m", str(static_model_path), "-random_sets", "1000000", "-niter", "1", "--no-history"],
        capsys,
    )
    line = one_error(text)
    assert code == 2 and "-random_sets 1000000" in line and "1 MB are free" in line, text


def test_compare_of_a_json_without_statistics_is_not_a_result_file(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"schema": "ovbench-tui/result", "schema_version": 1}))
    code = main(["compare", str(path), str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "not a result file" in err and str(path) in err


def cli(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ovbench_tui", *args],
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_stdout_to_a_full_device_is_one_line(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path
) -> None:
    full = char_device(tmp_path / "full", 7)
    history = str(tmp_path / "h.sqlite")
    with open(full, "w") as out:
        measured = cli(
            ["run", "-m", str(static_model_path), "-niter", "4", "--history", history], stdout=out
        )
        listing = cli(["history", "--history", history], stdout=out)
    for proc in (listing, measured):
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and "No space left" in proc.stderr
    stored = subprocess.run(
        [sys.executable, "-m", "ovbench_tui", "history", "--history", history],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "static" in stored.stdout  # the run was stored all the same


def test_closed_stdout_is_one_line() -> None:
    proc = subprocess.run(
        ["sh", "-c", 'exec "$0" -m ovbench_tui history >&-', sys.executable],
        stderr=subprocess.PIPE, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.splitlines()) == 1
