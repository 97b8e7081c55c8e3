"""The app's command line: its flags (the run flags and a few of its own) and main()."""

from __future__ import annotations

import argparse
import contextlib
import sys

from ..errors import UsageError
from ..run_args import build_run_parser, config_from_args
from .app import create_app


def build_app_parser() -> argparse.ArgumentParser:
    parser = build_run_parser("ovbench-tui")
    for action in parser._actions:
        if action.dest == "path_to_model":
            action.required = False
        if action.dest == "md_out":  # the app copies (y) or saves (w) its tables instead
            action.help = argparse.SUPPRESS
    extra = parser.add_argument_group("App")
    extra.add_argument("--demo", action="store_true", help="Open on the demo model and start.")
    extra.add_argument("--start", action="store_true", help="Start the run at once.")
    extra.add_argument("--exit-when-done", default=None, help=argparse.SUPPRESS)
    return parser


def refuse_headless_only(args: argparse.Namespace) -> None:
    """Run flags that mean nothing in the app: an error rather than silence."""
    if args.md_out:
        raise UsageError("--md is for run, compare and sweep: in the app, w saves Markdown")


DEMO_DATA_SHAPES = "[1,3,64,64][2,3,96,96][1,3,128,128]"


def apply_demo_defaults(args: argparse.Namespace) -> frozenset[str]:
    """--demo shows everything the app can: counters for the layer table and, for
    the dynamic demo model, several data shapes for the shape-group table. Returns
    the form fields it filled in (cleared when the user picks a model of their own)."""
    filled = set()
    if not args.path_to_model:
        args.path_to_model = "demo:cnn"
    if args.time is None and args.number_iterations is None:
        args.time = 10
    if args.perf_counts is None:
        args.perf_counts = True
        filled.add("perf_counts")
    if args.path_to_model == "demo:dynamic" and not args.data_shape:
        args.data_shape = DEMO_DATA_SHAPES
        args.pcseq = True
        filled |= {"data_shape", "pcseq"}
    return frozenset(filled)


def main(argv: list[str]) -> int:
    # Request threads need the GIL for a few microseconds after each inference;
    # CPython's default 5 ms switch interval let a long UI render hold them
    # back (the device idles). A waiting thread now gets it within 0.5 ms.
    sys.setswitchinterval(0.0005)

    parser = build_app_parser()
    if any(arg in ("-h", "--help") for arg in argv):
        print(parser.format_help())
        return 0
    try:
        args = parser.parse_args(argv)
        refuse_headless_only(args)
        demo_keys = apply_demo_defaults(args) if args.demo else frozenset()
        base = config_from_args(args) if args.path_to_model else None
        if base is not None:
            base.validate()
    except UsageError as error:
        sys.stderr.write(f"ovbench-tui: error: {error}\n")
        return error.exit_code
    app = create_app(
        base,
        start=bool(args.demo or args.start) and base is not None,
        exit_report=args.exit_when_done,
        demo_keys=demo_keys,
    )
    app.run()
    if app.leaving_note:
        with contextlib.suppress(OSError):  # the terminal has gone (an SSH drop)
            print(app.leaving_note)
    return app.return_code or 0
