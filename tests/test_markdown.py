"""Markdown out: the renderer, `--md` on run/compare/sweep, and their bad paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replay import fixed_result
from test_compare import make_document
from test_snapshots_sweep import fixed_outcome

from ovbench_tui.cli import main
from ovbench_tui.compare import compare_documents
from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.markdown import (
    comparison_markdown,
    groups_markdown,
    layers_markdown,
    run_markdown,
    summary_markdown,
    sweep_markdown,
    table,
)


def rows_of(text: str, first_cell: str) -> list[list[str]]:
    """The cells of the table whose header starts with `first_cell`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_cell} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_a_table_escapes_pipes_and_aligns_numbers_right() -> None:
    lines = table(["name", "ms"], [["a|b", 1.5], ["two\nlines", 2]], "lr")
    assert lines == [
        "| name | ms |",
        "| --- | ---: |",
        "| a\\|b | 1.5 |",
        "| two lines | 2 |",
    ]


def test_summary_groups_and_layers_of_a_run() -> None:
    result = fixed_result()
    config = BenchmarkConfig(model="demo:dynamic", niter=600)
    summary = summary_markdown(result, config)
    assert summary.startswith("### demo:dynamic on CPU\n")
    figures = dict(rows_of(summary, "figure"))  # type: ignore[arg-type]
    assert figures["Throughput"] == "600.00 FPS"
    assert figures["Count"] == "600 iterations"
    assert figures["NUM_STREAMS"] == "2"
    assert "Latency p90" in figures
    assert [row[1] for row in rows_of(groups_markdown(result), "#")] == [
        "data: [1,3,64,64]",
        "data: [2,3,96,96]",
    ]
    layers = layers_markdown(result.counters)
    assert [row[0] for row in rows_of(layers, "layer")] == [
        "conv1",
        "conv2",
        "fc",
        "pool",
        "softmax",
    ]
    filtered = layers_markdown(result.counters, "conv")
    assert [row[0] for row in rows_of(filtered, "layer")] == ["conv1", "conv2"]
    assert "'conv'" in filtered
    whole = run_markdown(result, config)
    assert "#### Shape groups" in whole and "#### Layers" in whole


def test_a_run_without_counters_or_latency_says_so() -> None:
    result = fixed_result(with_counters=False)
    result.hide_latency = True  # MULTI
    assert layers_markdown(None).startswith("No layer counters")
    summary = summary_markdown(result, BenchmarkConfig(model="m.xml", device="MULTI:CPU"))
    assert "Latency" not in summary
    assert "#### Layers" not in run_markdown(result, BenchmarkConfig(model="m.xml"))


def test_comparison_and_sweep_tables() -> None:
    comparison = compare_documents(
        [make_document(100.0, 10.0), make_document(120.0, 8.0)], ["run 1", "run 2"]
    )
    text = comparison_markdown(comparison)
    assert [row[:2] for row in rows_of(text, "run")] == [["A", "run 1"], ["B", "run 2"]]
    figures = rows_of(text, "figure")
    assert figures[0][:3] == ["throughput FPS", "100.0", "120.0"]
    outcome = fixed_outcome(BenchmarkConfig(model="demo:cnn"))
    sweep = sweep_markdown(outcome)
    points = rows_of(sweep, "")
    assert len(points) == len(outcome.points)
    assert sum("@" in row[0] for row in points) == 1  # the best point, marked
    # Figures are whole: no FPS is cut to its header's width.
    assert all(f"| {point.throughput_fps:.2f} |" in sweep for point in outcome.points)


def test_run_md_writes_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "run.md"
    code = main(["run", "-m", "demo:tiny", "-niter", "20", "--no-history", "--md", str(path)])
    assert code == 0
    assert f"Markdown tables are stored to {path}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("### demo:tiny on CPU")
    assert "| Count | 20 iterations |" in text


def test_run_md_to_a_missing_folder_is_refused_before_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", "-m", "demo:tiny", "-niter", "20", "--md", str(tmp_path / "no/x.md")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""  # nothing ran
    [line] = captured.err.splitlines()
    assert "--md" in line and "does not exist" in line


def test_compare_md_writes_the_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for index, fps in enumerate((100.0, 110.0)):
        file = tmp_path / f"r{index}.json"
        file.write_text(json.dumps(make_document(fps, 10.0)), encoding="utf-8")
        files.append(str(file))
    out = tmp_path / "cmp.md"
    assert main(["compare", *files, "--md", str(out)]) == 0
    capsys.readouterr()
    assert out.read_text(encoding="utf-8").startswith("### Comparison")
    assert main(["compare", *files, "--md", str(tmp_path / "no" / "cmp.md")]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "cannot write --md" in line


def test_sweep_md_writes_the_points(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sweep.md"
    code = main(
        [
            "sweep",
            "-m",
            "demo:tiny",
            "--requests",
            "1",
            "2",
            "--point-time",
            "1",
            "--point-count",
            "10",
            "--no-history",
            "--out",
            str(tmp_path / "sweep"),
            "--md",
            str(out),
        ]
    )
    assert code == 0
    assert str(out) in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("### Sweep of demo:tiny on CPU")
    assert len(rows_of(text, "")) == 2


def test_run_md_that_cannot_be_written_after_measuring_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a-folder.md"
    target.mkdir()  # passes the folder check, then cannot be replaced by a file
    code = main(["run", "-m", "demo:tiny", "-niter", "20", "--no-history", "--md", str(target)])
    out = capsys.readouterr().out
    assert "Count:" in out  # the statistics came first
    assert out.splitlines()[-1].startswith("[ ERROR ] cannot write --md")
    assert code == 1  # as for any output file written after measuring (README, exit codes)
