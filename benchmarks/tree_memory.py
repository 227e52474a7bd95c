"""What the benchmarks share (they run as scripts from this folder): the machine they ran
on, and the peak memory of a process tree."""

from __future__ import annotations

import resource
import sys
import threading
from pathlib import Path


def machine() -> str:
    """The machine, as the suite describes it (benchmarks/measure.py)."""
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.measure import describe, machine as describe_machine

    return describe(describe_machine())


class TreeMemorySampler:
    """Peak resident memory of this process and all its descendants, sampled every 20 ms.

    ``ru_maxrss`` of children reports the largest single child, not the sum over workers
    running at the same time, so the whole tree is summed on a timer instead.
    """

    def __init__(self, interval: float = 0.02) -> None:
        import psutil

        self._process = psutil.Process()
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self) -> int:
        total = 0
        for proc in [self._process, *self._process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except Exception:   # a worker that just exited
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self._interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024   # Linux: KiB
        return max(self.peak, own)
