"""Did something else run while we measured?  The machine's CPU use minus ours.

A reading is two cumulative counters: the CPU seconds every core of the machine
spent busy since boot (psutil.cpu_times: all but idle and iowait, as `top`
counts), and the CPU seconds of this process, all its threads (the request
threads, OpenVINO's inference threads, the UI when there is one).  Between two
readings, busy minus ours is what other processes took.  The engine reads once
when the measured loop starts and once when it ends, and a front end may pull
a reading in between for a live figure: nothing runs per inference, and no
thread of ours samples (the readings are cumulative, so two suffice for an
average).

Figures are in % of one core, as `top` shows them: on a 2-core machine,
ours at 200 % means both cores; other at 35 % means a third of a core was
taken by someone else.  Above OTHER_LOAD_LIMIT_PCT (10 % of a core) on average
the run is called disturbed: the throughput is probably low and the latencies
high, by an amount nobody can tell afterwards.

The machine-wide counters include other containers on the same host and
hypervisor steal: both take CPU from the run just the same.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

OTHER_LOAD_LIMIT_PCT = 10.0


@dataclass(frozen=True)
class CpuReading:
    at: float  # time.perf_counter()
    busy_s: float  # CPU seconds all cores spent busy, since boot
    ours_s: float  # CPU seconds of this process (user + system), since it started


def read_cpu() -> CpuReading:
    import psutil  # imported on first use: the app's first paint does not wait for it

    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    # Linux counts guest time inside user time already; psutil's own busy figure
    # (cpu_percent) takes it out the same way.
    guest = getattr(times, "guest", 0.0) + getattr(times, "guest_nice", 0.0)
    busy = sum(times) - idle - guest
    mine = _process(os.getpid()).cpu_times()
    return CpuReading(time.perf_counter(), busy, mine.user + mine.system)


@functools.cache
def _process(pid: int) -> Any:
    """One psutil handle per process id (a forked child gets its own)."""
    import psutil

    return psutil.Process(pid)


def logical_cores() -> int:
    import psutil

    return int(psutil.cpu_count() or 1)


@dataclass(frozen=True)
class MachineLoad:
    """CPU use over a stretch of time, in % of one core."""

    ours_pct: float
    other_pct: float
    cores: int
    seconds: float

    @property
    def disturbed(self) -> bool:
        return self.other_pct > OTHER_LOAD_LIMIT_PCT

    def warning(self) -> str | None:
        if not self.disturbed:
            return None
        return (
            f"Other load: other processes used {self.other_pct:.0f} % of a core on average "
            f"while measuring (this run: {self.ours_pct:.0f} %, {self.cores} cores): "
            "the figures may be low; close them or measure on a quiet machine"
        )


def load_between(first: CpuReading, last: CpuReading, cores: int) -> MachineLoad | None:
    """The average load between two readings; None when no time passed."""
    seconds = last.at - first.at
    if seconds <= 0:
        return None
    ours = max(0.0, last.ours_s - first.ours_s)
    busy = max(0.0, last.busy_s - first.busy_s)
    # The two counters tick separately (USER_HZ jiffies): a quiet machine can show
    # busy a hair below ours, which is no load, not a negative one.
    other = max(0.0, busy - ours)
    return MachineLoad(
        ours_pct=ours / seconds * 100,
        other_pct=other / seconds * 100,
        cores=cores,
        seconds=seconds,
    )


class LoadMonitor:
    """The first reading of a measured loop, and averages since it on request."""

    def __init__(self, read: Callable[[], CpuReading] = read_cpu, cores: int | None = None) -> None:
        self._read = read
        self._cores = cores
        self._lock = threading.Lock()
        self._first: CpuReading | None = None
        self._final: MachineLoad | None = None

    def start(self) -> None:
        if self._cores is None:
            self._cores = logical_cores()
        self._first = self._read()

    def snapshot(self) -> MachineLoad | None:
        """The average since start() (the final one after finish()); None before start()."""
        with self._lock:
            if self._final is not None or self._first is None:
                return self._final
            return load_between(self._first, self._read(), self._cores or 1)

    def finish(self) -> MachineLoad | None:
        with self._lock:
            if self._first is not None and self._final is None:
                self._final = load_between(self._first, self._read(), self._cores or 1)
            return self._final
