"""The last outcome of a screen that runs work (sweep, capacity, tune), kept on the app
while the user is elsewhere, so that coming back (esc and F4 again, a point's results,
the form) shows its table and verdict instead of an empty screen."""

from __future__ import annotations

from typing import Generic, TypeVar

from ...config import BenchmarkConfig
from ..app_api import ovbench_app
from .stop_key import StoppableScreen

Outcome = TypeVar("Outcome")


class OutcomeScreen(StoppableScreen, Generic[Outcome]):
    """A StoppableScreen whose finished `outcome`, over `base`, outlives the screen."""

    base: BenchmarkConfig
    outcome: Outcome | None

    def keep_outcome(self) -> None:
        """On leaving: the finished (or stopped) outcome, for the next visit; none
        when the last start was refused (an older table would pass for its answer)."""
        if self.running:
            return
        kept = ovbench_app(self).kept_work
        if self.outcome is None:
            kept.pop(self.KEPT_AS, None)
        else:
            kept[self.KEPT_AS] = (self.base, self.outcome)

    def kept_outcome(self) -> Outcome | None:
        """On coming back: the last outcome, if it was of the model and device the form
        holds now (another model's table under this one's title would mislead)."""
        kept = ovbench_app(self).kept_work.get(self.KEPT_AS)
        if kept is None:
            return None
        base, outcome = kept
        if (base.model, base.device) != (self.base.model, self.base.device):
            self.notify(
                f"The last {self.KEPT_AS} was of {base.model} on {base.device}: its table is "
                "not shown here (its points are in the history, F3)"
            )
            return None
        if base != self.base:  # as after e (the tune's winner to the form)
            self.notify(
                f"Shown: the last {self.KEPT_AS}; the form's settings changed since "
                "(ctrl+r runs with them)"
            )
        return outcome  # type: ignore[return-value]
