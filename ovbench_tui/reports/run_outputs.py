"""What a run leaves behind, written for every front end alike (headless, app, sweep).

The engine only measures: at step 11 it emits `DumpDue` and `ReportsDue` with
plain data.  `RunOutputs` wraps a front end's observer, writes benchmark_app's
reports, -dump_config, -exec_graph_path and our result file (-json_out) when
those events pass, in the engine's thread (so the log keeps benchmark_app's
order), and stores the run in the history.  Output paths are checked before
anything is measured; a write that still fails afterwards never costs the run:
the statistics are shown, the run is stored, then one line names the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import BenchmarkConfig
from ..engine.events import DumpDue, Event, LogLine, ReportsDue, StepStarted
from ..engine.result import RunResult
from ..errors import OvbenchError, UsageError
from .benchmark_reports import ensure_report_folder, write_reports
from .files import check_writable, describe, describe_with, write_file

Observer = Callable[[Event], None]


def check_output_paths(config: BenchmarkConfig) -> None:
    """Refuse, before measuring, an output that could not be written afterwards."""
    if config.report_type:
        ensure_report_folder(config.report_folder)
    if config.exec_graph_path and not config.exec_graph_path.endswith(".xml"):
        raise UsageError(
            f"-exec_graph_path {config.exec_graph_path}: give a file name ending in .xml "
            "(its weights go beside it in .bin)"
        )
    for option, path in (
        ("-exec_graph_path", config.exec_graph_path),
        ("-exec_graph_path", exec_graph_bin(config.exec_graph_path or "")),
        ("-dump_config", config.dump_config),
        ("-json_out", config.json_out),
    ):
        if path:
            try:
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
                check_writable(path)
            except OSError as error:
                advice = describe_with(error, ": give a file path you can write to")
                raise UsageError(f"{option} {path}: {advice}") from error
    if config.cache_dir:
        check_cache_dir(config.cache_dir)


def check_cache_dir(folder: str) -> None:
    """-cdir: an existing writable folder, or one that can be created."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise UsageError(f"-cdir {folder} is a file, not a folder: give a folder path")
    existing = os.path.abspath(folder)
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise UsageError(f"-cdir {folder}: {existing} is a file, not a folder: give a folder path")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(
            f"-cdir {folder}: {existing} is not writable: give a folder you can write to"
        )


def exec_graph_bin(path: str) -> str:
    return path[: -len(".xml")] + ".bin" if path.endswith(".xml") else ""


# -- the files ----------------------------------------------------------------------------


def _property_text(value: Any) -> str:
    if isinstance(value, bool):
        return "YES" if value else "NO"
    if isinstance(value, dict):
        inner = ",".join(
            f"{dev}:{{{','.join(f'{k}:{_property_text(v)}' for k, v in props.items())}}}"
            if isinstance(props, dict)
            else f"{dev}:{_property_text(props)}"
            for dev, props in value.items()
        )
        return "{" + inner + "}"
    return str(getattr(value, "name", value))


def dump_device_config(path: str, properties: dict[str, dict[str, Any]]) -> None:
    """benchmark_app's -dump_config JSON; a failed write leaves no empty file behind."""
    data = {
        device: {key: _property_text(value) for key, value in section.items()}
        for device, section in properties.items()
    }
    try:
        write_file(path, json.dumps(data, indent=4))
    except OSError as error:
        raise UsageError(f"-dump_config: cannot write {path}: {describe(error)}") from error


def write_exec_graph(path: str, model: Any) -> None:
    """The runtime model as IR: serialized aside, then each file written safely."""
    import openvino as ov

    try:
        with tempfile.TemporaryDirectory(prefix="ovbench-exec-graph-") as folder:
            xml = os.path.join(folder, "graph.xml")
            ov.serialize(model, xml, os.path.join(folder, "graph.bin"))
            for made, target in ((xml, path), (xml[:-4] + ".bin", exec_graph_bin(path))):
                with open(made, "rb") as file:
                    write_file(target, file.read())
    except (RuntimeError, OSError) as error:
        text = describe(error) if isinstance(error, OSError) else str(error).splitlines()[0]
        raise UsageError(f"-exec_graph_path: cannot write {path}: {text}") from error


# -- the history ---------------------------------------------------------------------------


@dataclass
class Stored:
    """Where a run went: its history id, or the warning saying why it is not there."""

    run_id: int | None = None
    path: str = ""
    detail: str = ""  # why it is not stored, and where it was kept instead
    notices: Sequence[str] = ()

    @property
    def warning(self) -> str:
        return f"Not stored in the run history: {self.detail}" if self.detail else ""

    def lines(self) -> list[LogLine]:
        lines = [LogLine("WARNING", notice) for notice in self.notices]
        if self.run_id is not None:
            lines.append(
                LogLine("INFO", f"Stored in the run history as run {self.run_id} ({self.path})")
            )
        elif self.warning:
            lines.append(LogLine("WARNING", self.warning))
        return lines


def store_document(history: str, document: dict[str, Any]) -> Stored:
    """Add a result document to the history; when it cannot be (locked, read-only, disk
    full), keep it in the pending file beside it, imported at the next open."""
    from .history import HistoryStore, keep_pending

    try:
        with HistoryStore(history or None) as store:
            return Stored(store.add(document), str(store.path), notices=store.notices)
    except OvbenchError as error:
        reason = str(error)
    try:
        kept = keep_pending(history or None, document)
    except OSError as error:
        return Stored(detail=f"{reason}; not kept either ({describe(error)})")
    return Stored(detail=f"{reason}; kept in {kept}, added to it at its next opening")


def result_document(config: BenchmarkConfig, result: RunResult, tag: str = "") -> dict[str, Any]:
    from .result_file import build_result_document

    document = build_result_document(config, result, result.counters, result.environment or None)
    if tag:
        document["tag"] = tag
    return document


# -- the observer ---------------------------------------------------------------------------


class RunOutputs:
    """Wraps a front end's observer: writes step 11's files as their events pass and
    forwards every other event.  `failures` lists the files that could not be written
    after measuring (one line each); `store()` puts the run in the history."""

    def __init__(
        self, config: BenchmarkConfig, observer: Observer, argv: Sequence[str] | None = None
    ) -> None:
        self.config = config
        self.observer = observer
        self.argv = list(argv) if argv is not None else None
        self.failures: list[str] = []
        self.stored: Stored | None = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, StepStarted) and event.number == 2:
            check_output_paths(self.config)  # raising here fails the run before measuring
        if isinstance(event, DumpDue):
            self._dump(event)
        elif isinstance(event, ReportsDue):
            self._reports(event)
        else:
            self.observer(event)

    def _info(self, text: str) -> None:
        self.observer(LogLine("INFO", text))

    def _attempt(self, write: Callable[[], None], done: str) -> None:
        try:
            write()
        except OvbenchError as error:
            self.failures.append(str(error))
            return
        self._info(done)

    def _dump(self, event: DumpDue) -> None:
        config = self.config
        if config.dump_config:
            self._attempt(
                lambda: dump_device_config(config.dump_config, event.properties),
                f"OpenVINO configuration settings were dumped to {config.dump_config}",
            )
        graph = config.exec_graph_path
        if graph:
            if event.runtime_model is None:
                self.failures.append(
                    f"-exec_graph_path: cannot write {config.exec_graph_path}: "
                    f"{event.runtime_model_error or 'no runtime model'}"
                )
                return
            self._attempt(
                lambda: write_exec_graph(graph, event.runtime_model),
                f"Executable graph is stored to {config.exec_graph_path}",
            )

    def _reports(self, event: ReportsDue) -> None:
        config = self.config
        if event.error:
            # A failed run: the report's error row, and nothing else to say.
            with contextlib.suppress(OvbenchError, OSError):
                write_reports(config, self.argv, None, None, event.setup, error=event.error)
            return
        result = event.result
        counters = result.counters if result is not None else None
        try:
            for line in write_reports(config, self.argv, result, counters, event.setup):
                self._info(line)
        except OvbenchError as error:
            self.failures.append(str(error))
        if result is not None and config.json_out:
            from .result_file import write_result_file

            self._attempt(
                lambda: write_result_file(config.json_out, result_document(config, result)),
                f"Result file is stored to {config.json_out}",
            )

    def store(self, result: RunResult, tag: str = "") -> Stored:
        """The run in the history (unless -no_history); never raises."""
        if self.config.no_history:
            return Stored()
        self.stored = store_document(self.config.history, result_document(self.config, result, tag))
        return self.stored

    def closing_lines(self, result: RunResult | None) -> list[LogLine]:
        """After the statistics: where the run was stored, then each file not written."""
        lines = self.store(result).lines() if result is not None else []
        return lines + [LogLine("ERROR", failure) for failure in self.failures]
