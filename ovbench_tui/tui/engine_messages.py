"""One Textual message per engine event, so the run screen handles each kind in a
handler of its own (`on_step_started_posted`, ...) with the event typed.

The engine thread posts `engine_message(event)`; the engine itself stays free of
Textual (it emits the plain dataclasses of engine/events.py).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.message import Message

from ..engine.events import (
    DumpDue,
    Event,
    LogLine,
    PhaseChanged,
    RawLine,
    ReportsDue,
    RunFailed,
    RunFinished,
    StepStarted,
    TimingMeasured,
)

E = TypeVar("E")


class EnginePosted(Message, Generic[E]):
    """Base of the messages below: `event` is the engine's event, as it was emitted."""

    def __init__(self, event: E) -> None:
        super().__init__()
        self.event = event


class StepStartedPosted(EnginePosted[StepStarted]):
    """One of benchmark_app's 11 steps began."""


class LogLinePosted(EnginePosted[LogLine]):
    """A log line (the screen keeps the warnings)."""


class RawLinePosted(EnginePosted[RawLine]):
    """A console line for headless output (the app has no console)."""


class PhaseChangedPosted(EnginePosted[PhaseChanged]):
    """Compiling, warm-up, measuring, done."""


class TimingMeasuredPosted(EnginePosted[TimingMeasured]):
    """Read, reshape, compile or first-inference time."""


class RunFinishedPosted(EnginePosted[RunFinished]):
    """The run's result."""


class RunFailedPosted(EnginePosted[RunFailed]):
    """The run stopped on an error: its one line."""


class DumpDuePosted(EnginePosted[DumpDue]):
    """Written by the run's outputs, not by the screen."""


class ReportsDuePosted(EnginePosted[ReportsDue]):
    """Written by the run's outputs, not by the screen."""


def engine_message(event: Event) -> Message:
    """The message that carries `event` to the screen."""
    if isinstance(event, StepStarted):
        return StepStartedPosted(event)
    if isinstance(event, LogLine):
        return LogLinePosted(event)
    if isinstance(event, RawLine):
        return RawLinePosted(event)
    if isinstance(event, PhaseChanged):
        return PhaseChangedPosted(event)
    if isinstance(event, TimingMeasured):
        return TimingMeasuredPosted(event)
    if isinstance(event, RunFinished):
        return RunFinishedPosted(event)
    if isinstance(event, RunFailed):
        return RunFailedPosted(event)
    if isinstance(event, DumpDue):
        return DumpDuePosted(event)
    return ReportsDuePosted(event)
