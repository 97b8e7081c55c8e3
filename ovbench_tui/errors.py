"""The two kinds of failure a user can act on.

Both carry a one-line message that says what is wrong and how to fix it;
front ends print it (headless: exit 2 or 1) or show it in an error panel.
`OptionError` is a usage error that also says which option it is about, so a
screen can name its own field instead of the flag.
"""

from __future__ import annotations


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


class OptionError(UsageError):
    """One option's value refused. str() is the command line's sentence, the option
    first ("--streams 'two': give whole numbers ..."); a screen, whose field has a label
    instead of a flag, shows `phrased(label)` ("Streams 'two': give whole numbers ...").

    `problem` is the sentence after the option, from its first character (a space or a
    colon); `field` names the setting in the raiser's own terms (a sweep axis such as
    "streams"), or is "" when the raiser cannot know it (a grammar shared by many).
    """

    def __init__(
        self,
        option: str,
        problem: str,
        *,
        field: str = "",
        hint: str | None = None,
        fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{option}{problem}", hint=hint, fields=fields)
        self.option = option
        self.problem = problem
        self.field = field

    def phrased(self, label: str) -> str:
        """The message with `label` where the option was (no command-line hint)."""
        return f"{label}{self.problem}"

    def about(self, field: str) -> OptionError:
        """The same refusal, known to be about `field`."""
        return OptionError(
            self.option, self.problem, field=field, hint=self.hint, fields=self.fields
        )
