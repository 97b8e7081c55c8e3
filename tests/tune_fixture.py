"""A finished tune, built without running one: four points of a 4-point search, two
confirmed and within noise (the verdict the trial saw cut at 80 columns)."""

from __future__ import annotations

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.tune.confirm import Verdict
from ovbench_tui.tune.runner import TuneOutcome, TuneSpec
from ovbench_tui.tune.search import Setting, Trial


def finished_tune(base: BenchmarkConfig) -> TuneOutcome:
    spec = TuneSpec(base=base, budget_ms=20.0, max_points=4, point_time_s=2)
    trials = [
        Trial(1, Setting(hint="throughput"), "the device's choice (throughput hint)",
              212.4, 15.1, Setting("none", 2, 4)),
        Trial(2, Setting(hint="latency"), "the device's choice (latency hint)",
              120.3, 9.8, Setting("none", 1, 1)),
        Trial(3, Setting("none", 2, 8), "requests x2 from point 1", 216.9, 19.4,
              Setting("none", 2, 8), parent=1),
        Trial(4, Setting("none", 1, 1, 2), "batch x2 from point 2", 118.0, 9.9,
              Setting("none", 1, 1, 2), parent=2),
    ]  # fmt: skip
    outcome = TuneOutcome(spec, trials=trials, candidates=[trials[2], trials[0]], rounds=3)
    outcome.samples = {3: [216.0, 218.0, 215.0], 1: [212.0, 210.0, 214.0]}
    outcome.verdict = Verdict(False, 2.1, -9.0, 12.3)
    return outcome
