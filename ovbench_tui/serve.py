"""`ovbench-tui serve [--host H] [--port P] [APP FLAGS ...]`: the app in a web page.

textual-serve starts one app process per browser tab (`python -m ovbench_tui
APP FLAGS`): the benchmark runs on this machine, the page only draws it. It
listens on 127.0.0.1 unless told otherwise; from another machine, tunnel to it:
  ssh -L 8000:127.0.0.1:8000 HOST   then open http://127.0.0.1:8000
Anyone who can open the page can run models as you: think before --host 0.0.0.0.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from typing import Any

from .errors import OvbenchError, UsageError
from .run_args import OneLineParser

PROG = "ovbench-tui serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give 1-65535, e.g. 8000")
    return port


def build_serve_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT})",
    )
    return parser


def app_command(app_args: Sequence[str]) -> str:
    """The shell command textual-serve runs per page: this Python, this package."""
    return shlex.join([sys.executable, "-m", "ovbench_tui", *app_args])


def check_app_args(app_args: Sequence[str]) -> None:
    """Refuse bad app flags here, once, rather than in every page that opens."""
    from .run_args import config_from_args
    from .tui.app_main import apply_demo_defaults, build_app_parser, refuse_headless_only

    if any(arg in ("run", "sweep", "compare", "history", "serve") for arg in app_args[:1]):
        raise UsageError(f"serve runs the app: give the app's flags, not {app_args[0]!r}")
    args = build_app_parser().parse_args(list(app_args))
    refuse_headless_only(args)
    if args.demo:
        apply_demo_defaults(args)
    if args.path_to_model:
        config_from_args(args).validate()


def build_server(argv: Sequence[str]) -> Any:
    """The textual-serve Server for these flags, not started."""
    from textual_serve.server import Server

    args, app_args = build_serve_parser().parse_known_args(list(argv))
    check_app_args(app_args)
    return Server(app_command(app_args), host=args.host, port=args.port, title="ovbench-tui")


def run_serve(argv: Sequence[str]) -> int:
    if any(arg in ("-h", "--help") for arg in argv):
        print(build_serve_parser().format_help())
        return 0
    try:
        server = build_server(argv)
    except OvbenchError as error:
        sys.stderr.write(f"{PROG}: error: {error}\n")
        return error.exit_code
    print(f"Serving the app on http://{server.host}:{server.port} (ctrl+c stops)", flush=True)
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not this machine's
        sys.stderr.write(
            f"{PROG}: error: cannot listen on {server.host}:{server.port} "
            f"({error.strerror or error}): give another --port or --host\n"
        )
        return 1
    return 0
