"""The two kinds of failure a user can act on.

Both carry a one-line message that says what is wrong and how to fix it;
front ends print it (headless: exit 2 or 1) or show it in an error panel.
"""


class OvbenchError(Exception):
    """Base: a failure with a message meant for the user, never a traceback."""

    exit_code = 1


class UsageError(OvbenchError):
    """The command line, form or config file is wrong (exit 2, like argparse)."""

    exit_code = 2


class BenchmarkError(OvbenchError):
    """The model, device or runtime refused what was asked (exit 1, like benchmark_app)."""

    exit_code = 1
