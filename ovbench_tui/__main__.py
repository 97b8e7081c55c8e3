"""`ovbench-tui` and `python -m ovbench_tui` start here.

Before anything else a Ctrl+C must already mean "stop, one line, exit 130": the
imports below it take milliseconds, and Python's own handler would print a
KeyboardInterrupt traceback from inside them.  This module imports nothing slow
before installing that handler; `main()` then hands SIGINT back to Python, whose
KeyboardInterrupt `cli.main` turns into the same line (and `run`, `sweep` ...
install their own stop handling), and `cli.entry` leaves without the interpreter's
teardown once main() is done.
"""

import signal
import sys
from typing import NoReturn


def _interrupted_at_start(signum: int, frame: object) -> None:
    sys.stderr.write("ovbench-tui: interrupted\n")
    raise SystemExit(130)  # nothing has started: leave quietly, as a shell would


signal.signal(signal.SIGINT, _interrupted_at_start)

from .cli import entry  # noqa: E402  (after the handler, on purpose)


def main() -> NoReturn:
    signal.signal(signal.SIGINT, signal.default_int_handler)
    entry()


if __name__ == "__main__":
    main()
