"""The results' layer table at 80 columns (trial 4: no exec type on screen, the type
cut to "ConvolutionBackpropDat", the sort only in a footnote)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilots import screen_lines
from replay import fixed_result

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.counters import (
    STATUS_EXECUTED,
    STATUS_NOT_RUN,
    LayerCounter,
    PerfCounterTable,
)
from ovbench_tui.tui.app import OvbenchApp
from ovbench_tui.tui.layer_rows import CELL_PADDING, SCROLLBAR, layer_table, status_word
from ovbench_tui.tui.screens.results import ResultsScreen

pytestmark = pytest.mark.usefixtures("data_dir")

LONG_NAME = "p2o.Conv.23/WithoutBiases_bf16_acdb_f32_abcd_p2o.HardSigmoid.0"


def counter(
    name: str, kind: str, exec_type: str, us: int, status: str = STATUS_EXECUTED
) -> LayerCounter:
    return LayerCounter(name, kind, exec_type, status, 10, us * 10, us * 10, us, us)


LAYERS = [
    counter(LONG_NAME, "Convolution", "brgconv_avx512_1x1_bf16", 900),
    counter("p2o.ConvTranspose.2", "ConvolutionBackpropData", "brgconv_avx512_f32", 700),
    counter("Multiply_13582", "GroupConvolution", "brgconv_avx512_dw_bf16", 300),
    counter("p2o.Reshape.4", "Reshape", "undef", 0, STATUS_NOT_RUN),
]


def test_the_columns_fit_80_and_cut_the_name_first() -> None:
    table = layer_table(LAYERS, 1.9, "real", show_cpu=False, width=80)
    assert table.headers == ["layer", "real ms▼", "% real", "type", "exec type"]
    assert sum(table.widths) + CELL_PADDING * len(table.widths) + SCROLLBAR <= 80
    types = [row[3] for row in table.rows]
    assert "ConvolutionBackpropData" in types  # whole
    execs = [row[4] for row in table.rows]
    assert execs[0].endswith("_bf16") and execs[1].endswith("_f32")  # the precision stays
    assert table.rows[0][0].endswith("HardSigmoid.0") and table.rows[0][0].startswith("…")
    assert table.rows[3][1] == "not run"  # its status, not "0.000"


def test_a_wide_terminal_cuts_nothing() -> None:
    table = layer_table(LAYERS, 1.9, "name", show_cpu=True, width=160)
    assert table.headers[0] == "layer▲" and "cpu ms" in table.headers
    assert table.rows[0][0] == LONG_NAME
    assert table.rows[0][-1] == "brgconv_avx512_1x1_bf16"


def test_status_words() -> None:
    assert status_word("Status.NOT_RUN") == "not run"
    assert status_word("Status.OPTIMIZED_OUT") == "opt out"


async def test_layers_tab_at_80x24_shows_exec_type_and_the_sort(
    make_app: Callable[..., OvbenchApp],
) -> None:
    result = fixed_result()
    result.counters = PerfCounterTable(layers=tuple(LAYERS), inferences=10)
    config = BenchmarkConfig(model="demo:dynamic", niter=600)
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ResultsScreen(result, config))
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        for text in ("exec type", "real ms▼", "ConvolutionBackpropData", "avx512_1x1_bf16"):
            assert text in shown, text
        await pilot.press("o")  # cpu = real here: no cpu column, so on to the name
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "layer▲" in shown and "real ms▼" not in shown
        await pilot.press("slash", *"bf16")  # the filter matches exec types too
        await pilot.pause()
        rows = app.screen.query_one("#layers-table").row_count  # type: ignore[attr-defined]
        assert rows == 2
