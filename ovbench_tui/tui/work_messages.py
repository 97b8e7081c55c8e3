"""One Textual message per sweep, capacity and tune event, so each screen handles each
kind in a handler of its own (`on_point_finished_posted`, ...) with the event typed.

The runners' threads post `sweep_message(event)` (and the capacity and tune ones);
the runners stay free of Textual (they emit the plain dataclasses of sweep/runner.py,
capacity/runner.py and tune/runner.py). Events are per point, never per inference.
A failure is never an event: it comes as messages.WorkFailed.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.message import Message

from ..capacity.runner import (
    CapacityEvent,
    CapacityFinished,
    CapacityPointFinished,
    CapacityPointStarted,
    CapacityPointStopped,
    UpperBoundFound,
)
from ..sweep.runner import (
    PointFailed,
    PointFinished,
    PointStarted,
    PointStopped,
    SweepEvent,
    SweepFinished,
)
from ..tune.runner import ConfirmRound, TrialMeasured, TrialStarted, TuneFinished

E = TypeVar("E")


class WorkPosted(Message, Generic[E]):
    """Base of the messages below: `event` is the runner's event, as it was emitted."""

    def __init__(self, event: E) -> None:
        super().__init__()
        self.event = event


# -- the sweep ---------------------------------------------------------------------------


class PointStartedPosted(WorkPosted[PointStarted]):
    """A sweep point began measuring."""


class PointFinishedPosted(WorkPosted[PointFinished]):
    """A sweep point was measured (and kept)."""


class PointFailedPosted(WorkPosted[PointFailed]):
    """A sweep point failed; the sweep goes on."""


class PointStoppedPosted(WorkPosted[PointStopped]):
    """The point being measured was stopped: not kept."""


class SweepFinishedPosted(WorkPosted[SweepFinished]):
    """The sweep's outcome (also after a stop)."""


def sweep_message(event: SweepEvent) -> Message:
    """The message that carries `event` to the Sweep screen."""
    if isinstance(event, PointStarted):
        return PointStartedPosted(event)
    if isinstance(event, PointFinished):
        return PointFinishedPosted(event)
    if isinstance(event, PointFailed):
        return PointFailedPosted(event)
    if isinstance(event, PointStopped):
        return PointStoppedPosted(event)
    return SweepFinishedPosted(event)


# -- the capacity search -------------------------------------------------------------------


class UpperBoundFoundPosted(WorkPosted[UpperBoundFound]):
    """The closed-loop throughput (or --max-rate): the highest rate tried."""


class CapacityPointStartedPosted(WorkPosted[CapacityPointStarted]):
    """An open-loop point began at its rate."""


class CapacityPointFinishedPosted(WorkPosted[CapacityPointFinished]):
    """An open-loop point was measured."""


class CapacityPointStoppedPosted(WorkPosted[CapacityPointStopped]):
    """The point being measured was stopped: not kept."""


class CapacityFinishedPosted(WorkPosted[CapacityFinished]):
    """The search's outcome (its failure, if any, is in the outcome)."""


def capacity_message(event: CapacityEvent) -> Message:
    """The message that carries `event` to the Capacity screen."""
    if isinstance(event, UpperBoundFound):
        return UpperBoundFoundPosted(event)
    if isinstance(event, CapacityPointStarted):
        return CapacityPointStartedPosted(event)
    if isinstance(event, CapacityPointFinished):
        return CapacityPointFinishedPosted(event)
    if isinstance(event, CapacityPointStopped):
        return CapacityPointStoppedPosted(event)
    return CapacityFinishedPosted(event)


# -- the tuner -----------------------------------------------------------------------------


class TrialStartedPosted(WorkPosted[TrialStarted]):
    """A tuner point (or a confirmation run of one) began."""


class TrialMeasuredPosted(WorkPosted[TrialMeasured]):
    """A tuner point finished or failed, with its figures."""


class ConfirmRoundPosted(WorkPosted[ConfirmRound]):
    """A confirmation round of the best points began."""


class TuneFinishedPosted(WorkPosted[TuneFinished]):
    """The tuner's outcome and verdict (also after a stop)."""


def tune_message(event: object) -> Message | None:
    """The message that carries `event` to the Tune screen; None for the sweep events its
    points also emit (a trial's own events say the same for the screen)."""
    if isinstance(event, TrialStarted):
        return TrialStartedPosted(event)
    if isinstance(event, TrialMeasured):
        return TrialMeasuredPosted(event)
    if isinstance(event, ConfirmRound):
        return ConfirmRoundPosted(event)
    if isinstance(event, TuneFinished):
        return TuneFinishedPosted(event)
    return None
