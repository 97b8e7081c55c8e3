"""Messages worker threads post to screens (state changes only, never per inference);
the engine's own are in engine_messages.py."""

from __future__ import annotations

from textual.message import Message


class ModelInspected(Message):
    """The inputs of the model typed in the form, read in a background thread."""

    def __init__(
        self,
        path: str,
        rows: list[tuple[str, str, str, str]],
        error: str | None,
        example: str = "",
    ) -> None:
        super().__init__()
        self.path = path
        self.rows = rows
        self.error = error
        self.example = example  # -data_shape for its dynamic inputs


class DevicesFound(Message):
    def __init__(self, devices: list[str]) -> None:
        super().__init__()
        self.devices = devices


class WorkFailed(Message):
    """A sweep, capacity search or tune refused or failed before it could report an
    outcome: the one line for the screen's error panel (never an exception as an event)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
