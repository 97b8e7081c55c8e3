"""What the engine tells a front end, as plain data.

The engine calls its observer with these from its own thread; an observer
must be quick (print a line, post one message).  Nothing here is sent per
inference: live latencies are pulled with `Engine.sample_window()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .result import ReportSetup, RunResult

STEP_NAMES = (
    "Parsing and validating input arguments",
    "Loading OpenVINO Runtime",
    "Setting device configuration",
    "Reading model files",
    "Resizing model to match image sizes and given batch",
    "Configuring input of the model",
    "Loading the model to the device",
    "Querying optimal runtime parameters",
    "Creating infer requests and preparing input tensors",
    "Measuring performance",
    "Dumping statistics report",
)
TOTAL_STEPS = len(STEP_NAMES)

LogLevel = Literal["INFO", "WARNING", "ERROR"]
Phase = Literal["compiling", "warmup", "measuring", "done"]


@dataclass(frozen=True)
class StepStarted:
    number: int  # 1..11
    info: str = ""
    skipped: bool = False

    @property
    def name(self) -> str:
        return STEP_NAMES[self.number - 1]


@dataclass(frozen=True)
class LogLine:
    level: LogLevel
    text: str


@dataclass(frozen=True)
class RawLine:
    """A line benchmark_app prints without the `[ INFO ]` prefix."""

    text: str


@dataclass(frozen=True)
class PhaseChanged:
    phase: Phase
    at: float  # time.perf_counter() when the phase began


@dataclass(frozen=True)
class TimingMeasured:
    """A one-off duration worth showing beside the step list (read, compile, first inference)."""

    what: Literal["read", "reshape", "compile", "import", "first_inference"]
    ms: float


@dataclass(frozen=True)
class RunFinished:
    result: RunResult


@dataclass(frozen=True)
class RunFailed:
    message: str
    exit_code: int = 1


@dataclass(frozen=True)
class DumpDue:
    """Step 11: the device settings (-dump_config) and the runtime model
    (-exec_graph_path) may be written now.  The engine writes no file: an outputs
    module above it does, in the engine's thread, so its lines keep benchmark_app's
    order.  `properties` is device -> property -> value as set at step 3;
    `runtime_model` an openvino.Model, given only when -exec_graph_path is."""

    properties: dict[str, dict[str, Any]]
    runtime_model: Any = None
    runtime_model_error: str = ""  # why the runtime model could not be had


@dataclass(frozen=True)
class ReportsDue:
    """Step 11: benchmark_app's reports and our result file may be written now.
    `result` None for a compile-only run, or a failed one (`error` its message)."""

    result: RunResult | None
    setup: ReportSetup
    error: str = ""


Event = (
    StepStarted
    | LogLine
    | RawLine
    | PhaseChanged
    | TimingMeasured
    | RunFinished
    | RunFailed
    | DumpDue
    | ReportsDue
)
