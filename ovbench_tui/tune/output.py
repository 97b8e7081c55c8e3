"""The tuner's table, verdict, reproducing command lines, CSV, JSON and device config."""

from __future__ import annotations

import csv
import datetime
import io
import json
import shlex
from typing import Any

from .. import __version__
from ..config import BenchmarkConfig
from ..errors import UsageError
from ..knobs import KNOB_BY_AXIS
from ..reports.command_line import config_command_line
from ..reports.result_file import atomic_write_text
from .confirm import half_width_pct
from .runner import TuneOutcome
from .search import AXIS_NAMES, Setting, Trial

SCHEMA = "ovbench-tui/tune"
SCHEMA_VERSION = 1
SETTING_NAMES = AXIS_NAMES


def _property(axis: str) -> str:
    """The device property the knob of this sweep axis sets (the knob table's name)."""
    return KNOB_BY_AXIS[axis].device_property


def shown_setting(trial: Trial) -> Setting:
    """What the trial ran, explicit where the device chose (a hint point's streams)."""
    effective = trial.effective
    if effective is None:
        return trial.setting
    if trial.setting.hint == "none":
        return effective
    # A hint point: the hint is the setting; streams and requests are what it chose.
    return Setting(
        hint=trial.setting.hint,
        streams=effective.streams,
        requests=effective.requests,
        batch=effective.batch,
        precision=effective.precision,
    )


def setting_values(trial: Trial) -> dict[str, Any]:
    setting = shown_setting(trial)
    return {name: getattr(setting, name) for name in SETTING_NAMES}


def point_record(outcome: TuneOutcome, trial: Trial) -> dict[str, Any]:
    percent = outcome.spec.percentile
    point = trial.ref
    record: dict[str, Any] = {
        "point": trial.order,
        "reason": trial.reason,
        **setting_values(trial),
        "throughput_fps": None if trial.fps is None else round(trial.fps, 3),
        f"p{percent:g}_ms": None if trial.latency_ms is None else round(trial.latency_ms, 6),
        "latency_ms": None if trial.latency_ms is None else round(trial.latency_ms, 6),
        "within_budget": trial.within(outcome.spec.budget_ms),
        "kept_up": trial.kept_up,
        "error": trial.error or None,
        "run_id": getattr(point, "run_id", None),
    }
    if trial.order in outcome.samples:
        confirmed = outcome.confirmed_value(trial)
        key = "confirmed_median_ms" if outcome.at_rate else "confirmed_fps"
        record[key] = None if confirmed is None else round(confirmed, 3)
        record["confirmed_windows"] = len(outcome.samples[trial.order])
        latency = outcome.latencies.get(trial.order)
        record[f"confirmed_p{percent:g}_ms"] = None if latency is None else round(latency, 6)
    return record


def winner_config(outcome: TuneOutcome, trial: Trial) -> BenchmarkConfig:
    """The tuner's own flags with the trial's setting: what reproduces it."""
    setting = shown_setting(trial)
    if "hint" not in outcome.spec.axes or setting.hint == "none":
        setting = trial.effective or setting  # the explicit equivalent
    explicit = setting.hint == "none"
    base = outcome.spec.base
    values: dict[str, object] = {
        "hint": setting.hint,
        "streams": str(setting.streams) if explicit and setting.streams else None,
        "requests": setting.requests if explicit and setting.requests else 0,
        "batch": str(setting.batch) if setting.batch else base.batch,
        "precision": setting.precision or base.infer_precision,
    }
    return base.replace(**{KNOB_BY_AXIS[axis].field: value for axis, value in values.items()})


def run_command(outcome: TuneOutcome, trial: Trial, tool: str) -> str:
    """The command line that runs the trial's setting with the tuner's other flags."""
    words = [tool] if tool == "benchmark_app" else ["ovbench-tui", "run"]
    for flag, value in config_command_line(winner_config(outcome, trial)):
        words.append(flag)
        if flag == "-i":
            words.extend(value.split())
        else:
            words.append(value)
    return shlex.join(words)


def device_config(outcome: TuneOutcome, trial: Trial) -> dict[str, dict[str, str]]:
    """benchmark_app's -load_config file for the trial's device properties."""
    point = trial.ref
    effective = getattr(point, "effective", {}) if point is not None else {}
    setting = shown_setting(trial)
    properties: dict[str, str] = {}
    hint = setting.hint.upper() if setting.hint != "none" else "LATENCY"
    properties[_property("hint")] = hint
    if setting.hint == "none" and setting.streams:
        properties[_property("streams")] = str(setting.streams)
    if effective.get("threads"):
        properties[_property("threads")] = effective["threads"]
    if setting.precision:
        properties[_property("precision")] = setting.precision
    return {outcome.spec.base.device: properties}


def tune_document(outcome: TuneOutcome, environment: dict[str, Any] | None = None) -> dict:
    spec = outcome.spec
    winner, runner_up = outcome.winner, outcome.runner_up
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "created": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "ovbench_tui_version": __version__,
        "model": spec.base.model,
        "device": spec.base.device,
        "budget_ms": spec.budget_ms,
        "rate_rps": spec.base.rate,
        "percentile": spec.percentile,
        "max_points": spec.max_points,
        "axes": list(spec.axes),
        "point_time_s": spec.point_time_s,
        "stopped": outcome.stopped,
        "points": [point_record(outcome, t) for t in outcome.trials],
        "confirmation_rounds": outcome.rounds,
        "winner": None if winner is None else point_record(outcome, winner),
        "runner_up": None if runner_up is None else point_record(outcome, runner_up),
        "verdict": outcome.verdict_text(),
        "winner_decided": bool(outcome.verdict and outcome.verdict.decided),
    }
    if outcome.verdict is not None:
        document["difference_pct"] = round(outcome.verdict.difference_pct, 3)
        document["difference_ci_pct"] = [
            round(outcome.verdict.low_pct, 3),
            round(outcome.verdict.high_pct, 3),
        ]
    if winner is not None:
        document["commands"] = {
            "ovbench-tui": run_command(outcome, winner, "ovbench-tui"),
            "benchmark_app": run_command(outcome, winner, "benchmark_app"),
        }
        document["device_config"] = device_config(outcome, winner)
    if environment is not None:
        document["environment"] = environment
    return document


def tune_csv(outcome: TuneOutcome) -> str:
    rows = [point_record(outcome, t) for t in outcome.trials]
    buffer = io.StringIO()
    if rows:
        names = list(dict.fromkeys(key for row in rows for key in row))
        writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def write_tune_files(
    outcome: TuneOutcome, prefix: str, environment: dict[str, Any] | None = None
) -> list[str]:
    """PREFIX.csv, PREFIX.json and, when there is a winner, PREFIX.config.json."""
    texts = [
        (prefix + ".csv", tune_csv(outcome)),
        (prefix + ".json", json.dumps(tune_document(outcome, environment), indent=2) + "\n"),
    ]
    if outcome.winner is not None:
        config = device_config(outcome, outcome.winner)
        texts.append((prefix + ".config.json", json.dumps(config, indent=4) + "\n"))
    written = []
    for path, text in texts:
        try:
            atomic_write_text(path, text)
        except OSError as error:
            raise UsageError(
                f"cannot write the tune file {path}: {error.strerror or error} "
                "(check that the folder exists and is writable, or give --out)"
            ) from error
        written.append(path)
    return written


def setting_text(trial: Trial) -> str:
    setting = shown_setting(trial)
    parts = [setting.hint if setting.hint != "none" else "none"]
    parts.append(f"s{setting.streams}" if setting.streams else "s?")
    parts.append(f"r{setting.requests}" if setting.requests else "r?")
    if setting.batch:
        parts.append(f"b{setting.batch}")
    if setting.precision:
        parts.append(setting.precision)
    return " ".join(parts)


def table_lines(outcome: TuneOutcome) -> list[str]:
    """Points in the order measured (why each), then the confirmation and the verdict."""
    spec = outcome.spec
    percent = spec.percentile
    winner = outcome.winner
    width = max([len(setting_text(t)) for t in outcome.trials] + [7])
    header = f"    #  {'setting':<{width}} {'FPS':>10} {f'p{percent:g} ms':>10}  why"
    lines = [header]
    for trial in outcome.trials:
        mark = ">" if winner is not None and trial.order == winner.order else " "
        mark += "*" if trial in outcome.candidates else " "
        if trial.failed:
            figures = f"{'failed':>10} {'':>10}"
        else:
            latency = "too few" if trial.latency_ms is None else f"{trial.latency_ms:.3f}"
            figures = f"{trial.fps:>10.2f} {latency:>10}"
        lines.append(
            f"{mark}{trial.order:>3}  {setting_text(trial):<{width}} {figures}  {trial.reason}"
        )
        if trial.failed:
            lines.append(f"       {trial.error}")
    lines.append("")
    if outcome.rounds:
        lines.append(
            f"* confirmed: measured again in {outcome.rounds} interleaved round"
            f"{'s' if outcome.rounds != 1 else ''}"
        )
        for trial in outcome.candidates:
            fps = outcome.confirmed_value(trial)
            confirmed_ms = outcome.latencies.get(trial.order)
            width_pct = half_width_pct(outcome.samples.get(trial.order, []))
            interval = f" ± {width_pct:.1f} %" if width_pct is not None else ""
            latency_text = "" if confirmed_ms is None else f", p{percent:g} {confirmed_ms:.3f} ms"
            unit = "ms window median from arrival" if outcome.at_rate else "FPS"
            lines.append(
                f"  point {trial.order:>2}: {fps:.2f} {unit}{interval} (95 % CI){latency_text}"
                if fps is not None
                else f"  point {trial.order:>2}: not measured again"
            )
    lines.append(f"Verdict: {outcome.verdict_text()}")
    if winner is None:
        return lines
    if outcome.verdict is not None and not outcome.verdict.decided:
        lines.append("These are within noise; any of them will do (fastest first):")
        for trial in outcome.candidates:
            lines.append(f"  point {trial.order} ({setting_text(trial)}):")
            lines.append(f"    {run_command(outcome, trial, 'ovbench-tui')}")
        lines.append(f"  {run_command(outcome, winner, 'benchmark_app')}")
        return lines
    lines.append(f"> Winner: point {winner.order} ({setting_text(winner)})")
    lines.append(f"  {run_command(outcome, winner, 'ovbench-tui')}")
    lines.append(f"  {run_command(outcome, winner, 'benchmark_app')}")
    return lines
