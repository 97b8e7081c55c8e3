"""Waiting on a running app in a Pilot test, and holding it still for a snapshot (one
copy for every test file)."""

from __future__ import annotations

from typing import Any

from textual.app import App


async def wait_for_screen(pilot: Any, app: App[Any], kind: type, seconds: float = 30) -> None:
    """Pause until `app.screen` is a `kind`; `seconds` is a hang guard, not a speed target."""
    for _ in range(int(seconds / 0.1)):
        if isinstance(app.screen, kind):
            await pilot.pause()
            return
        await pilot.pause(0.1)
    raise AssertionError(f"never reached {kind.__name__}; on {type(app.screen).__name__}")


def no_blink(app: App[Any]) -> None:
    """No blinking cursor in the current screen's text fields: a snapshot taken mid-blink
    would differ from the stored one."""
    from textual.widgets import Input

    for widget in app.screen.query(Input):
        widget.cursor_blink = False


def screen_lines(app: App[Any]) -> list[str]:
    """The text of each terminal line as the user sees it now (toasts included)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def open_replayed_results(pilot: Any, app: App[Any], config: Any, tab: str = "") -> None:
    """The results screen of tests/replay.py's fixed run over `app`, on `tab` ("3": Layers)."""
    from replay import fixed_result

    from ovbench_tui.tui.screens.results import ResultsScreen

    await pilot.pause()
    await app.push_screen(ResultsScreen(fixed_result(), config))
    await pilot.pause()
    if tab:
        await pilot.press(tab)
        await pilot.pause()
