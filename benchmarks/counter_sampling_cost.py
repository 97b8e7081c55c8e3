"""What reading counters for a sample costs the throughput, in-process: the measured loop
with PERF_COUNT on and no reads, against the same loop with the counter sampler at several
budgets (and reading every inference), alternated per round; prints the median of the
per-round ratios sampled/no reads. This is how the sampler's budget was chosen: a read
costs the throughput more than its own measured time (the other request threads wait for
the GIL meanwhile), so the budget must be a fraction of the loss one accepts.

Run:  .venv/bin/python benchmarks/counter_sampling_cost.py [--model demo:tiny]
      [--budgets 0.0025,0.005,0.01,every] [--rounds 10] [--seconds 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="demo:tiny")
    parser.add_argument("--budgets", default="0.0025,0.005,0.01,every")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=1.0, help="per loop (default 1)")
    args = parser.parse_args(argv)

    import openvino as ov

    from ovbench_tui.demo_models import resolve_demo_model
    from ovbench_tui.engine.counters import CounterSampler
    from ovbench_tui.engine.runner import LoopPlan, MeasurementLoop

    path = os.path.expanduser(args.model)
    if path.startswith("demo:"):
        path = resolve_demo_model(path)
    compiled = ov.Core().compile_model(
        path, "CPU", {"PERF_COUNT": True, "PERFORMANCE_HINT": "THROUGHPUT"}
    )
    nireq = int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
    requests = [compiled.create_infer_request() for _ in range(nireq)]
    for request in requests:
        request.infer()
    budgets: dict[str, float | None] = {"no reads": 0.0}
    for text in args.budgets.split(","):
        budgets[text] = None if text == "every" else float(text)
    plan = LoopPlan(niter=None, duration_s=args.seconds, align=1, group_batches=[1])
    ratios: dict[str, list[float]] = {name: [] for name in budgets}
    print(f"# {args.model}, {nireq} requests, load average {os.getloadavg()[0]:.2f}")
    for round_ in range(args.rounds):
        names = list(budgets) if round_ % 2 == 0 else list(reversed(budgets))
        fps: dict[str, float] = {}
        notes = []
        for name in names:
            sampler = CounterSampler(nireq, budgets[name]) if budgets[name] != 0.0 else None
            outcome = MeasurementLoop(requests, None, plan, counters=sampler).run()
            fps[name] = outcome.count / outcome.duration_s
            if sampler is not None and budgets[name] is not None:
                sampled = sampler.table(outcome.count).inferences
                notes.append(f"{name}: {sampled} read, {sampler.spent_s / outcome.duration_s:.2%}")
        for name in budgets:
            ratios[name].append(fps[name] / fps["no reads"])
        figures = "  ".join(f"{name} {fps[name]:.0f}" for name in budgets)
        print(f"  FPS {figures}   ({'; '.join(notes)})", flush=True)
    print(f"# load average at the end {os.getloadavg()[0]:.2f}")
    for name, values in ratios.items():
        if name != "no reads":
            median = statistics.median(values)
            spread = f"{min(values):.3f}-{max(values):.3f}"
            print(f"budget {name}: median FPS / no reads {median:.3f} ({spread})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
