"""Entry to the interactive app (kept apart so `run` never imports Textual)."""

from __future__ import annotations

from collections.abc import Sequence


def run_app(argv: Sequence[str]) -> int:
    from .tui.app_main import main as app_main

    return app_main(list(argv))
