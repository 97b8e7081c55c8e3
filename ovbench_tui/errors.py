"""The two kinds of failure a user can act on.

Both carry a one-line message that says what is wrong and how to fix it;
front ends print it (headless: exit 2 or 1) or show it in an error panel.
"""


class OvbenchError(Exception):
    """Base: a failure with a message meant for the user, never a traceback.

    `message` says what is wrong; `hint` (optional) where a command-line user reads
    more, e.g. "see ovbench-tui run -h". str() joins them for the CLI; a front end
    without that command (the app's form) shows `message` alone.  `fields` names
    the BenchmarkConfig fields the message is about, so the form marks those fields
    without reading the words.
    """

    exit_code = 1

    def __init__(
        self, message: str = "", *, hint: str | None = None, fields: tuple[str, ...] = ()
    ) -> None:
        super().__init__(f"{message} ({hint})" if hint else message)
        self.message = message
        self.hint = hint
        self.fields = fields


class UsageError(OvbenchError):
    """The command line, form or config file is wrong (exit 2, like argparse)."""

    exit_code = 2


class BenchmarkError(OvbenchError):
    """The model, device or runtime refused what was asked (exit 1, like benchmark_app)."""

    exit_code = 1
