"""SVG snapshots of the Compare screen at 80x24, one per tab, with fixed documents.

Update after an intended change of look:
`pytest tests/test_snapshots_compare.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pilots import no_blink
from test_compare import LAYERS_A, LAYERS_B, make_document
from textual.pilot import Pilot

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.screens.compare import CompareScreen

SIZE = (80, 24)


pytestmark = pytest.mark.usefixtures("data_dir")


def documents() -> list[dict[str, Any]]:
    groups_a = [("data: [1,3,64,64]", 300, 4.1, 4.3), ("data: [4,3,64,64]", 300, 15.2, 15.9)]
    groups_b = [("data: [1,3,64,64]", 330, 3.6, 3.8), ("data: [4,3,64,64]", 330, 14.9, 15.1)]
    compiled = {"NUM_STREAMS": "2", "INFERENCE_NUM_THREADS": "2", "PERFORMANCE_HINT": "THROUGHPUT"}
    a = make_document(
        61.2,
        9.8,
        noise=0.02,
        layers=LAYERS_A,
        groups=groups_a,
        created_at="2026-11-28T12:00:00",
        compiled=compiled,
    )
    b = make_document(
        66.9,
        9.1,
        seed=1,
        noise=0.02,
        layers=LAYERS_B,
        groups=groups_b,
        config={"nireq": 4, "hint": "latency"},
        created_at="2026-11-28T12:05:00",
        compiled={**compiled, "NUM_STREAMS": "1", "PERFORMANCE_HINT": "LATENCY"},
        nireq=4,
    )
    return [a, b]


@pytest.mark.parametrize("tab", ["cmp-figures", "cmp-layers", "cmp-groups", "cmp-config"])
def test_compare_screen(snap_compare: Any, make_app: Callable[..., OvbenchApp], tab: str) -> None:
    """The Compare screen pushed over the app's form."""

    async def run_before(pilot: Pilot[object]) -> None:
        app = pilot.app
        await app.push_screen(CompareScreen(documents(), ["run 12", "run 15"]))
        await pilot.pause()
        app.screen.query_one("#compare-tabs").active = tab  # type: ignore[attr-defined]
        await pilot.pause()
        no_blink(app)
        await pilot.pause()

    config = BenchmarkConfig(model="missing-model.xml", time_s=10)
    assert snap_compare(make_app(config), terminal_size=SIZE, run_before=run_before)
