"""Make the README's screenshots from the real app on the built-in demo models.

    .venv/bin/python scripts/make_screenshots.py [--out screenshots] [--png]

Each picture is the app driven by Textual's Pilot, at 120x36 (and the form
also at 80x24), saved as SVG and, with --png, converted by cairosvg.  The runs
go to a fresh run history in a temporary folder, which the History and Compare
pictures show.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp, create_app
from ovbench_tui.tui.screens.results import ResultsScreen
from ovbench_tui.tui.screens.run import RunScreen
from ovbench_tui.tui.screens.sweep import SweepScreen

CAPACITY_FIELDS = {"slo": "20", "percentile": "90", "point-time": "2"}

Shot = Callable[[OvbenchApp, object], Awaitable[None]]


async def until(pilot: object, predicate: Callable[[], bool], seconds: float = 60) -> None:
    for _ in range(int(seconds / 0.1)):
        if predicate():
            return
        await pilot.pause(0.1)  # type: ignore[attr-defined]
    raise RuntimeError("the app never reached the state to capture")


async def capture(
    config: BenchmarkConfig, size: tuple[int, int], name: str, out: Path, steps: Shot
) -> Path:
    app = create_app(config, watch_terminal=False)
    async with app.run_test(size=size) as pilot:
        await steps(app, pilot)
        await pilot.pause(0.3)
        app.save_screenshot(filename=f"{name}.svg", path=str(out))
    return out / f"{name}.svg"


async def form(app: OvbenchApp, pilot: object) -> None:
    await until(pilot, lambda: app.screen.query_one("#model-inputs").row_count > 0)


async def live_run(app: OvbenchApp, pilot: object) -> None:
    await pilot.press("ctrl+r")  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(app.screen, RunScreen))
    screen = app.screen
    await until(pilot, lambda: screen.live is not None and screen.live.elapsed_s > 6)  # type: ignore[attr-defined]


def results_tab(tab: str) -> Shot:
    async def steps(app: OvbenchApp, pilot: object) -> None:
        await pilot.press("ctrl+r")  # type: ignore[attr-defined]
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), seconds=120)
        # The tabs mount a moment after the screen on a busy machine.
        await until(pilot, lambda: bool(app.screen.query("#groups-table")))
        await pilot.pause(0.2)  # type: ignore[attr-defined]
        app.screen.query_one("#result-tabs").active = tab  # type: ignore[attr-defined]

    return steps


async def sweep(app: OvbenchApp, pilot: object) -> None:
    await pilot.press("f4")  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(app.screen, SweepScreen))
    screen = app.screen
    assert isinstance(screen, SweepScreen)
    for key, value in {"axis-streams": "1 2", "axis-requests": "1 2 4", "point-time": "2"}.items():
        screen.query_one(f"#sweep-{key}").value = value  # type: ignore[attr-defined]
    await pilot.press("ctrl+r")  # type: ignore[attr-defined]
    await until(pilot, lambda: not screen.running, seconds=180)
    assert screen.outcome is not None
    # A budget between the lowest and the highest latency, so the picture has a choice.
    latencies = sorted(x for x in screen.outcome.latencies() if x is not None)
    budget = (latencies[0] + latencies[-1]) / 2
    screen.query_one("#sweep-budget").value = f"{budget:.2f}"  # type: ignore[attr-defined]


async def capacity(app: OvbenchApp, pilot: object) -> None:
    from ovbench_tui.tui.screens.capacity import CapacityScreen

    await pilot.press("f6")  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(app.screen, CapacityScreen))
    screen = app.screen
    assert isinstance(screen, CapacityScreen)
    for key, value in CAPACITY_FIELDS.items():
        screen.query_one(f"#cap-{key}").value = value  # type: ignore[attr-defined]
    await pilot.press("ctrl+r")  # type: ignore[attr-defined]
    await until(pilot, lambda: not screen.running, seconds=300)


async def tune(app: OvbenchApp, pilot: object) -> None:
    from ovbench_tui.tui.screens.tune import TuneScreen

    await pilot.press("f7")  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(app.screen, TuneScreen))
    screen = app.screen
    assert isinstance(screen, TuneScreen)
    for key, value in {"budget": "25", "max-points": "8", "point-time": "2"}.items():
        screen.query_one(f"#tune-{key}").value = value  # type: ignore[attr-defined]
    await pilot.press("ctrl+r")  # type: ignore[attr-defined]
    await until(pilot, lambda: not screen.running, seconds=400)
    screen.query_one("#tune-table").focus()
    await pilot.pause(1.0)  # the footer redraws for the focused table


def store_two_runs() -> None:
    """Two runs of demo:cnn with counters, throughput and latency hint, for the comparison."""
    from ovbench_tui.engine.engine import Engine
    from ovbench_tui.reports.history import HistoryStore
    from ovbench_tui.reports.result_file import build_result_document

    with HistoryStore() as store:
        for hint in ("throughput", "latency"):
            config = BenchmarkConfig(model="demo:cnn", time_s=4, hint=hint, perf_counts=True)
            result = Engine(config).run()
            assert result is not None
            store.add(build_result_document(config, result, result.counters))


async def history(app: OvbenchApp, pilot: object) -> None:
    await pilot.press("f3")  # type: ignore[attr-defined]
    await until(pilot, lambda: app.screen.query("#history-table").first().row_count > 0)


async def compare(app: OvbenchApp, pilot: object) -> None:
    await history(app, pilot)
    # The newest two runs: latency (B) against throughput (A) after marking in that order.
    await pilot.press("down", "space", "up", "space", "c")  # type: ignore[attr-defined]
    await until(pilot, lambda: type(app.screen).__name__ == "CompareScreen")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--png", action="store_true")
    parser.add_argument("--only", default="", help="make only these pictures, e.g. capacity,tune")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    import os
    import tempfile

    os.environ["OVBENCH_TUI_DATA_DIR"] = tempfile.mkdtemp(prefix="ovbench-screens-")
    made_history = False
    cnn = BenchmarkConfig(model="demo:cnn", time_s=10)
    # Fast enough that a capacity search's points take seconds (p90 needs 100 arrivals).
    tiny = BenchmarkConfig(model="demo:tiny", nireq=4)
    dynamic = BenchmarkConfig(
        model="demo:dynamic",
        niter=400,
        data_shape="[1,3,64,64][4,3,64,64][1,3,128,128]",
        pcseq=True,
    )
    shots: list[tuple[str, BenchmarkConfig, tuple[int, int], Shot]] = [
        ("form", dynamic.replace(niter=None), (120, 36), form),
        ("form-80x24", cnn, (80, 24), form),
        ("live-run", cnn, (120, 36), live_run),
        ("layers", cnn.replace(time_s=5, perf_counts=True), (120, 36), results_tab("tab-layers")),
        ("shape-groups", dynamic, (120, 36), results_tab("tab-groups")),
        ("summary", cnn.replace(time_s=5), (120, 36), results_tab("tab-summary")),
        ("sweep", cnn, (120, 36), sweep),
        ("capacity", tiny, (120, 36), capacity),
        ("tune", cnn, (120, 36), tune),
        ("history", cnn, (120, 36), history),
        ("compare", cnn, (120, 36), compare),
    ]
    wanted = set(args.only.split(",")) if args.only else {name for name, *_ in shots}
    made = []
    for name, config, size, steps in shots:
        if name not in wanted:
            continue
        if name in ("history", "compare") and not made_history:
            store_two_runs()  # the runs these pictures list and compare
            made_history = True
        made.append(await capture(config, size, name, out, steps))
    if args.png:
        import cairosvg

        for svg in made:
            cairosvg.svg2png(url=str(svg), write_to=str(svg.with_suffix(".png")), output_width=1400)
    for path in made:
        print(path)


if __name__ == "__main__":
    asyncio.run(main())
