"""Outputs never damage what they point at, and a finished measurement is never lost.

Devices and FIFOs are made in tmp_path (never the system's /dev/null); a full
disk is a subprocess with a small RLIMIT_FSIZE (SIGXFSZ ignored, so writes fail
with EFBIG as on a full disk).
"""

from __future__ import annotations

import json
import os
import pathlib
import stat
import subprocess
import sys
import threading

import pytest

from ovbench_tui.cli import main
from ovbench_tui.reports.files import write_file
from ovbench_tui.sweep_cli import output_paths


def char_device(path: pathlib.Path, minor: int) -> pathlib.Path:
    """A memory device node like /dev/null (3), /dev/zero (5) or /dev/full (7), made here."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["run", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- writing without damage ----------------------------------------------------------------


def test_a_device_stays_a_device(tmp_path: pathlib.Path) -> None:
    null = char_device(tmp_path / "null", 3)
    write_file(str(null), "{}\n")
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_a_fifo_is_written_into_not_replaced(tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    # The reader may not have opened it yet: a FIFO nobody reads is refused, not waited on.
    for _ in range(200):
        try:
            write_file(str(fifo), "through the pipe\n")
            break
        except OSError:
            threading.Event().wait(0.01)
    reader.join(10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_fifo_without_reader_fails_at_once(tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError):
        write_file(str(fifo), "nobody listens")


def test_a_symlink_is_written_through(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_file(str(link), "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_an_owner_only_file_stays_owner_only(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "secret.json"
    path.write_text("old")
    path.chmod(0o600)
    write_file(str(path), "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text() == "new"


def test_a_folder_is_refused(tmp_path: pathlib.Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_file(str(tmp_path), "x")


def test_json_out_to_a_device_leaves_the_device(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    null = char_device(tmp_path / "null", 3)
    code, out, _ = run(
        ["-m", str(static_model_path), "-niter", "4", "-json_out", str(null), "--no-history"],
        capsys,
    )
    assert code == 0, out
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_sweep_out_folder_gets_the_default_names_inside(tmp_path: pathlib.Path) -> None:
    csv_path, json_path = output_paths(str(tmp_path) + "/")
    assert os.path.dirname(csv_path) == str(tmp_path)
    assert os.path.basename(csv_path).startswith("ovbench-sweep-") and csv_path.endswith(".csv")
    assert json_path == csv_path[: -len(".csv")] + ".json"
    assert output_paths(str(tmp_path))[0].startswith(str(tmp_path / "ovbench-sweep-"))


# -- checked before measuring --------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("-json_out", "{tmp}"),  # a folder
        ("-exec_graph_path", "{tmp}/graph.txt"),  # OpenVINO writes only .xml
        ("-dump_config", "{tmp}/blocker/d.json"),  # its folder is a file
        ("-cdir", "{tmp}/blocker/cache"),
    ],
)
def test_bad_output_paths_are_refused_before_measuring(
    tmp_path: pathlib.Path,
    static_model_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    flag: str,
    value: str,
) -> None:
    (tmp_path / "blocker").write_text("x")
    code, out, err = run(
        ["-m", str(static_model_path), "-niter", "4", flag, value.format(tmp=tmp_path)], capsys
    )
    assert code == 2, out + err
    errors = [line for line in out.splitlines() if line.startswith("[ ERROR ]")]
    assert len(errors) == 1 and flag in errors[0], out
    assert "Count:" not in out and "Traceback" not in out + err


def test_sweep_refuses_an_unusable_cache_folder_up_front(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blocker").write_text("x")
    code = main(
        ["sweep", "-m", str(static_model_path), "--streams", "1", "2",
         "-cdir", str(tmp_path / "blocker" / "cache"), "--out", str(tmp_path / "s")]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2 and "-cdir" in captured.err and "point" not in captured.out


# -- a write that fails after measuring ----------------------------------------------------

FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
from ovbench_tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_costs_the_file_not_the_run(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path
) -> None:
    dumped = tmp_path / "config.json"
    history = tmp_path / "history.sqlite"
    env = dict(os.environ, PYTHONUNBUFFERED="1", OVBENCH_TUI_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "run", "-m", str(static_model_path), "-niter", "4",
         "-dump_config", str(dumped), "--history", str(history)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    report = f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert proc.returncode == 1, report
    assert "Traceback" not in proc.stdout + proc.stderr, report
    lines = proc.stdout.splitlines()
    throughput = next(i for i, line in enumerate(lines) if "Throughput:" in line)
    error = next(i for i, line in enumerate(lines) if line.startswith("[ ERROR ]"))
    assert throughput < error and "-dump_config" in lines[error], report
    assert "run history" in proc.stdout, report  # stored, or said why not
    assert not dumped.exists()  # no 0-byte file left behind
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_result_file_failure_after_measuring_still_stores_the_run(
    tmp_path: pathlib.Path,
    static_model_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full(path: str, document: dict[str, object]) -> None:
        from ovbench_tui.errors import UsageError

        raise UsageError(f"--json-out: cannot write {path}: No space left on device")

    monkeypatch.setattr("ovbench_tui.reports.result_file.write_result_file", full)
    history = tmp_path / "h.sqlite"
    code, out, _ = run(
        ["-m", str(static_model_path), "-niter", "4", "-json_out", str(tmp_path / "r.json"),
         "--history", str(history)],
        capsys,
    )  # fmt: skip
    assert code == 1, out
    lines = out.splitlines()
    assert "Throughput" in " ".join(lines[-4:-2]) and "Stored in the run history" in lines[-2], out
    assert lines[-1].startswith("[ ERROR ] --json-out") and "r.json" in lines[-1], out


def test_console_order_of_step_11_is_benchmark_apps(
    tmp_path: pathlib.Path, static_model_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["-m", str(static_model_path), "-niter", "4", "-dump_config", str(tmp_path / "d.json"),
         "-exec_graph_path", str(tmp_path / "g.xml"), "-report_type", "no_counters",
         "-report_folder", str(tmp_path), "-json_out", str(tmp_path / "r.json"), "--no-history"],
        capsys,
    )  # fmt: skip
    assert code == 0, out
    step11 = out.split("[Step 11/11]")[1].splitlines()[1:]
    order = [
        "OpenVINO configuration settings were dumped to",
        "Executable graph is stored to",
        "Statistics report is stored to",
        "Result file is stored to",
        "Execution Devices:",
        "Count:",
    ]
    positions = [next(i for i, line in enumerate(step11) if text in line) for text in order]
    assert positions == sorted(positions), out
    assert json.loads((tmp_path / "d.json").read_text())
    assert (tmp_path / "g.xml").exists() and (tmp_path / "g.bin").exists()
