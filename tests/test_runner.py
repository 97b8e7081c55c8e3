"""The measured loop on real requests: Count rules, stopping in every phase, pacing, and the
bounded design for many requests against the per-request threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import openvino as ov
import pytest
from model_builders import save, static_conv

from ovbench_tui.config import BenchmarkConfig
from ovbench_tui.engine.engine import Engine
from ovbench_tui.engine.result import RunResult
from ovbench_tui.engine.runner import LoopOutcome, LoopPlan, MeasurementLoop

# The two designs, forced: 0 a thread per request, 2 a bounded pool of two threads serving
# all the requests (None lets the loop choose by the number of requests).
DESIGNS = [pytest.param(0, id="per-request-threads"), pytest.param(2, id="pool-of-2")]
JOIN_S = 60  # only a guard against a hang; no test asserts on elapsed time


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ov.CompiledModel]:
    path = save(static_conv((1, 3, 16, 16)), tmp_path_factory.mktemp("runner"), "tiny")
    yield ov.Core().compile_model(path, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT"})


def requests_of(compiled: ov.CompiledModel, count: int) -> list[Any]:
    requests = [compiled.create_infer_request() for _ in range(count)]
    for request in requests:
        request.infer()  # inputs are allocated; the loop runs inference-only
    return requests


def plan(
    niter: int | None = None, duration_s: float = 0.0, align: int = 1, max_irate: float = 0.0
) -> LoopPlan:
    return LoopPlan(niter, duration_s, align, [1], max_irate)


def make_loop(requests: list[Any], loop_plan: LoopPlan, threads: int | None) -> MeasurementLoop:
    return MeasurementLoop(requests, None, loop_plan, threads=threads)


class Running:
    """A loop running in a background thread."""

    def __init__(self, loop: MeasurementLoop) -> None:
        self.loop = loop
        self.outcome: LoopOutcome | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.outcome = self.loop.run()

    def wait_until(self, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + JOIN_S
        while not condition():
            assert self.thread.is_alive() and time.monotonic() < deadline, "never happened"
            time.sleep(0.01)

    def completed(self) -> int:
        return self.loop.recorder.completed_from(0)

    def finish(self) -> LoopOutcome:
        self.thread.join(JOIN_S)
        assert not self.thread.is_alive(), "the loop did not end"
        assert self.outcome is not None
        return self.outcome


def check_consistent(outcome: LoopOutcome) -> None:
    assert outcome.count == len(outcome.latencies_ms)
    assert not np.isnan(outcome.latencies_ms).any()
    assert (outcome.latencies_ms > 0).all()
    assert outcome.duration_s > 0


# -- stopping -----------------------------------------------------------------------------


@pytest.mark.parametrize("threads", DESIGNS)
def test_stop_works_after_the_time_is_up_while_niter_is_pending(
    compiled: ov.CompiledModel, threads: int | None
) -> None:
    niter = 2_000_000  # far more than this model runs in a test
    loop = make_loop(requests_of(compiled, 4), plan(niter, 0.2, align=4), threads)
    running = Running(loop)
    # The time limit has closed the loop (the limit is now -niter) and it goes on.
    running.wait_until(lambda: loop.marks != [] and loop.marks[-1][0] > 0.4)
    loop.stop()
    outcome = running.finish()
    check_consistent(outcome)
    assert outcome.stopped_early and outcome.count < niter


@pytest.mark.parametrize("threads", DESIGNS)
def test_completions_keep_advancing_after_the_time_is_up(
    compiled: ov.CompiledModel, threads: int | None
) -> None:
    """The time-up close must not leave a ticket behind: the contiguous count (progress, marks,
    stability windows) would freeze at the time-up point until the very end."""
    calibration = make_loop(requests_of(compiled, 1), plan(None, 0.2), threads)
    per_second = calibration.run().count / 0.2
    niter = max(2_000, int(per_second * 2))  # about 2 s after the 0.2 s time limit
    loop = make_loop(requests_of(compiled, 1), plan(niter, 0.2), threads)
    outcome = loop.run()
    check_consistent(outcome)
    assert outcome.count == niter
    before_end = [completed for elapsed, completed in loop.marks[:-1]]
    # The last mark before the end is at most 0.1 s short of it.
    assert max(before_end) > niter // 2, loop.marks


@pytest.mark.parametrize("threads", DESIGNS)
def test_stop_twice_from_several_threads_at_once(
    compiled: ov.CompiledModel, threads: int | None
) -> None:
    loop = make_loop(requests_of(compiled, 4), plan(None, 60.0, align=4), threads)
    running = Running(loop)
    running.wait_until(lambda: running.completed() > 20)
    stoppers = [threading.Thread(target=loop.stop) for _ in range(6)]
    for stopper in stoppers:
        stopper.start()
    loop.stop()
    for stopper in stoppers:
        stopper.join()
    outcome = running.finish()
    loop.stop()  # after the end, too
    check_consistent(outcome)
    assert outcome.stopped_early and outcome.count >= 20


def test_stop_before_the_loop_starts_measures_nothing(compiled: ov.CompiledModel) -> None:
    loop = make_loop(requests_of(compiled, 2), plan(100), None)
    loop.stop()
    outcome = loop.run()
    assert outcome.count == 0 and outcome.stopped_early


# -- pacing (-max_irate) ------------------------------------------------------------------


@pytest.mark.parametrize("threads", DESIGNS)
def test_stop_interrupts_a_paced_wait(compiled: ov.CompiledModel, threads: int | None) -> None:
    """At 0.01 FPS the second inference is due in 100 s: stop must not wait for it, nor run
    it (that would put the rate above the cap)."""
    loop = make_loop(requests_of(compiled, 2), plan(None, 60.0, max_irate=0.01), threads)
    running = Running(loop)
    running.wait_until(lambda: running.completed() >= 1)
    loop.stop()
    outcome = running.finish()
    check_consistent(outcome)
    assert outcome.count == 1 and outcome.stopped_early
    # The one inference occupies its whole slot: the rate is the cap, not above it.
    assert outcome.duration_s == pytest.approx(100.0)


@pytest.mark.parametrize("threads", DESIGNS)
def test_a_paced_timed_run_never_exceeds_the_cap(
    compiled: ov.CompiledModel, threads: int | None
) -> None:
    cap = 40.0
    loop = make_loop(requests_of(compiled, 2), plan(None, 0.3, align=2, max_irate=cap), threads)
    outcome = loop.run()
    check_consistent(outcome)
    # How many fit in 0.3 s depends on the machine's load (12 at most): only the cap is a rule.
    assert outcome.count % 2 == 0 and outcome.count >= 2
    assert outcome.frames / outcome.duration_s <= cap * (1 + 1e-9)


# -- the bounded design against the per-request threads ----------------------------------


@pytest.mark.parametrize("threads", [*DESIGNS, pytest.param(1, id="pool-of-1")])
@pytest.mark.parametrize(("niter", "nireq"), [(40, 8), (7, 7), (1, 1), (9, 3)])
def test_niter_counts_exactly(
    compiled: ov.CompiledModel, threads: int | None, niter: int, nireq: int
) -> None:
    loop = make_loop(requests_of(compiled, nireq), plan(niter, align=nireq), threads)
    outcome = loop.run()
    check_consistent(outcome)
    assert outcome.count == niter and not outcome.stopped_early
    assert outcome.frames == niter
    assert loop.marks[-1] == (outcome.duration_s, niter)


@pytest.mark.parametrize("threads", [*DESIGNS, pytest.param(3, id="pool-of-3")])
def test_a_timed_run_ends_on_a_whole_round(compiled: ov.CompiledModel, threads: int | None) -> None:
    loop = make_loop(requests_of(compiled, 6), plan(None, 0.3, align=6), threads)
    outcome = loop.run()
    check_consistent(outcome)
    assert outcome.count % 6 == 0 and outcome.count > 0
    assert outcome.duration_s >= 0.3 and not outcome.stopped_early


@pytest.mark.parametrize("threads", DESIGNS)
def test_time_and_niter_must_both_be_met(compiled: ov.CompiledModel, threads: int | None) -> None:
    loop = make_loop(requests_of(compiled, 4), plan(8, 0.3, align=4), threads)
    outcome = loop.run()
    check_consistent(outcome)
    assert outcome.duration_s >= 0.3 and outcome.count > 8 and outcome.count % 4 == 0


@pytest.mark.parametrize("threads", DESIGNS)
def test_stop_with_niter_counts_what_completed(
    compiled: ov.CompiledModel, threads: int | None
) -> None:
    loop = make_loop(requests_of(compiled, 4), plan(2_000_000, align=4), threads)
    running = Running(loop)
    running.wait_until(lambda: running.completed() > 50)
    loop.stop()
    outcome = running.finish()
    check_consistent(outcome)
    assert outcome.stopped_early and 50 < outcome.count < 2_000_000


def test_frames_follow_the_input_sets_in_full_mode(compiled: ov.CompiledModel) -> None:
    """Full mode: each submission sets the inputs of set ticket % sets, in both designs."""
    requests = requests_of(compiled, 4)
    tensors = [dict(enumerate(r.input_tensors)) for r in requests[:3]]
    for threads in (0, 2):
        loop_plan = LoopPlan(12, 0.0, 3, [1, 2, 4])
        loop = MeasurementLoop(requests, tensors, loop_plan, threads=threads)
        outcome = loop.run()
        check_consistent(outcome)
        assert outcome.count == 12 and outcome.frames == 4 * 7


@pytest.mark.parametrize("threads", DESIGNS)
def test_live_windows_add_up_to_the_count(compiled: ov.CompiledModel, threads: int | None) -> None:
    loop = make_loop(requests_of(compiled, 4), plan(None, 0.5, align=4), threads)
    running = Running(loop)
    seen = 0
    while running.thread.is_alive():
        window = loop.sample()
        assert window.first_ticket == seen
        seen += len(window.latencies_ms)
        time.sleep(0.02)
    outcome = running.finish()
    seen += len(loop.sample().latencies_ms)
    assert seen == outcome.count


def test_many_requests_use_a_bounded_pool(compiled: ov.CompiledModel) -> None:
    from ovbench_tui.engine import runner

    nireq = runner.PER_REQUEST_THREADS_UP_TO + 1
    before = threading.active_count()
    loop = MeasurementLoop(requests_of(compiled, nireq), None, plan(None, 0.3, align=nireq))
    assert 1 <= loop.threads == runner.pool_size(nireq)
    running = Running(loop)
    busiest = 0
    while running.thread.is_alive():
        busiest = max(busiest, threading.active_count())
        time.sleep(0.01)
    outcome = running.finish()
    check_consistent(outcome)
    assert outcome.count % nireq == 0
    # the loop's pool and its marks thread, beside the test's own thread
    assert busiest <= before + 1 + loop.threads + 1


def test_few_requests_get_a_thread_each(compiled: ov.CompiledModel) -> None:
    loop = MeasurementLoop(requests_of(compiled, 3), None, plan(5))
    assert loop.threads == 0


# -- the engine: stop in the measuring phase returns the statistics ---------------------


def engine_stopped(config: BenchmarkConfig, ready: Callable[[Engine], bool]) -> RunResult:
    engine = Engine(config)
    holder: dict[str, RunResult | None] = {}
    worker = threading.Thread(target=lambda: holder.update(result=engine.run()), daemon=True)
    worker.start()
    deadline = time.monotonic() + JOIN_S
    while not ready(engine):
        assert worker.is_alive() and time.monotonic() < deadline
        time.sleep(0.02)
    engine.stop()
    engine.stop()
    worker.join(JOIN_S)
    assert not worker.is_alive(), "the engine did not end"
    result = holder["result"]
    assert result is not None and result.stopped_early
    return result


def measuring_for(seconds: float) -> Callable[[Engine], bool]:
    def ready(engine: Engine) -> bool:
        window = engine.sample_window() if engine.phase == "measuring" else None
        return window is not None and window.elapsed_s > seconds

    return ready


def test_engine_stops_after_its_time_while_niter_is_pending(tmp_path: Path) -> None:
    model = save(static_conv((1, 3, 16, 16)), tmp_path, "m")
    config = BenchmarkConfig(model=model, time_s=1, niter=2_000_000, nireq=2)
    result = engine_stopped(config, measuring_for(1.5))
    assert 0 < result.count < 2_000_000 and result.duration_s > 1.0
    assert result.count == len(result.latencies_ms)


def test_engine_stops_during_a_paced_wait(tmp_path: Path) -> None:
    model = save(static_conv((1, 3, 16, 16)), tmp_path, "m")
    config = BenchmarkConfig(model=model, time_s=60, max_irate=0.01, nireq=2)
    result = engine_stopped(config, measuring_for(0.3))
    assert result.count == 1 and result.throughput_fps == pytest.approx(0.01)


def test_the_next_ticket_is_read_without_drawing_it() -> None:
    """The closer reads the ticket counter's position from its repr ("count(N)"); a Python
    that printed it differently would break every time limit, so check it here."""
    import itertools

    from ovbench_tui.engine.runner import _next_ticket

    tickets = itertools.count()
    for _ in range(12345):
        next(tickets)
    assert _next_ticket(tickets) == 12345
    assert next(tickets) == 12345


def test_the_pool_is_bounded_by_the_cpus() -> None:
    from ovbench_tui.engine.runner import POOL_THREADS_PER_CPU, pool_size

    assert pool_size(20_000, cpus=2) == 2 * POOL_THREADS_PER_CPU
    assert pool_size(1, cpus=64) == 1
