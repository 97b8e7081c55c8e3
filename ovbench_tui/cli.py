"""The dispatcher: `ovbench-tui run|sweep|compare|history|...` picks a front end.

Thin on purpose: nothing but __main__.py imports this module; the run-flag library every
front end shares lives below them, in run_args.py.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from .stop_signals import StopSignals

TOP_USAGE = """usage: ovbench-tui [--demo] [--start] [RUN FLAGS ...]
       ovbench-tui run -m MODEL [benchmark_app flags ...]
       ovbench-tui sweep -m MODEL [--streams 1 2 ...] [--requests ...] [flags ...]
       ovbench-tui capacity -m MODEL --slo-ms MS [--percentile P] [flags ...]
       ovbench-tui tune -m MODEL [--budget-ms MS] [--percentile P] [flags ...]
       ovbench-tui history [--history PATH] [TEXT]
       ovbench-tui serve [--host 127.0.0.1] [--port 8000] [APP FLAGS ...]

  ovbench-tui run ...   headless benchmark, benchmark_app's flags and output
                        (ovbench-tui run -h lists every flag)
  ovbench-tui sweep ... run a grid of settings: throughput vs latency, Pareto
                        front, best under a budget (ovbench-tui sweep -h)
  ovbench-tui capacity  the highest request rate served within a latency target
                        (open-loop arrivals; ovbench-tui capacity -h)
  ovbench-tui tune ...  the best streams/requests/batch for a latency budget in a few
                        points, confirmed against the runner-up (ovbench-tui tune -h)
  ovbench-tui history   list stored runs (ovbench-tui history -h)
  ovbench-tui compare   A/B of runs: result files or history ids (ovbench-tui compare -h)
  ovbench-tui serve     the app in a web page, on 127.0.0.1 (ovbench-tui serve -h)
  ovbench-tui ...       the interactive app; run flags fill its form
  --demo                open the app on the built-in demo model and start
  --start               start the run at once
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        if sys.stderr is not None:
            sys.stderr.write("ovbench-tui: standard output is closed: redirect it instead\n")
        return 1
    try:
        return _dispatch(args)
    except KeyboardInterrupt:  # Ctrl+C while importing or parsing: nothing runs yet
        sys.stderr.write("ovbench-tui: interrupted\n")
        return 130


def _dispatch(args: list[str]) -> int:
    command = args[0] if args else ""
    if command in ("run", "sweep", "capacity", "tune"):
        if hasattr(signal, "SIGPIPE"):
            # `ovbench-tui run ... | head` should end quietly, as other CLI tools do.
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        # Before the slow imports (OpenVINO, numpy): from here on a stop signal
        # never raises, so it cannot abort OpenVINO's threads.
        from .stop_signals import StopSignals

        with StopSignals() as stops:
            return _measure(command, args[1:], stops)
    if args and args[0] in ("-h", "--help"):
        print(TOP_USAGE)
        return 0
    if args and args[0] == "compare":
        from .compare_cli import run_compare

        return run_compare(args[1:])
    if args and args[0] == "history":
        from .history_cli import run_history

        return run_history(args[1:])
    if args and args[0] == "serve":
        from .serve import run_serve

        return run_serve(args[1:])
    from .app_entry import run_app

    return run_app(args)


def _measure(command: str, argv: list[str], stops: StopSignals) -> int:
    if command == "run":
        from .headless import run_headless

        return run_headless(argv, stops=stops)
    if command == "sweep":
        from .sweep_cli import run_sweep

        return run_sweep(argv, stops=stops)
    if command == "capacity":
        from .capacity_cli import run_capacity

        return run_capacity(argv, stops=stops)
    from .tune_cli import run_tune

    return run_tune(argv, stops=stops)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def entry() -> NoReturn:
    """The console script and `python -m ovbench_tui`: main(), then exit without the
    interpreter's teardown.

    By then the statistics are printed, the run stored, every output file closed and
    the app's terminal restored; the teardown that would follow (OpenVINO's plugins,
    the run's buffers, Textual's modules) kept the shell prompt away another 0.1-0.25 s
    after a headless run and 0.35-0.7 s after the app (benchmarks/app_quit.py), up to
    half of the second a stop may take."""
    import contextlib
    import os

    code = main()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # a terminal gone
            stream.flush()  # type: ignore[union-attr]
    os._exit(code)
