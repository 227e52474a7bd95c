"""The memory guard: resident memory of the whole run, measured on a timer, held to limits.

A sampler thread sums the resident set of the main process and every worker process every
``check_interval_ms``. Below the soft limit the run goes at full speed; from the soft limit
on it is *throttled* (one shard in flight: in-flight shards are what holds memory); at the
hard limit it is *paused* — no new shard starts while the ones in flight drain. If memory
stays at or above the hard limit for ``grace`` seconds the run stops with
:class:`MemoryExceeded` (exit 3): its manifest says failed and ``--resume`` continues it
from the last finished phase once more memory is allowed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from datasynth.errors import MemoryExceeded

OK, THROTTLED, PAUSED = "ok", "throttled", "paused"
MB = 1024 * 1024


@dataclass(frozen=True)
class MemoryGuardConfig:
    soft_limit: int                 # bytes
    hard_limit: int                 # bytes
    check_interval_ms: int = 100
    grace: float = 2.0              # seconds at the hard limit before the run stops

    @classmethod
    def from_mb(cls, hard_mb: int, soft_mb: int | None = None,
                check_interval_ms: int = 100) -> MemoryGuardConfig:
        soft = soft_mb if soft_mb is not None else int(hard_mb * 0.8)
        return cls(soft * MB, hard_mb * MB, check_interval_ms)


def tree_rss() -> int:
    """Resident bytes of this process and all its descendants."""
    import psutil

    me = psutil.Process()
    total = 0
    for proc in [me, *me.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:          # a worker that just exited
            pass
    return total


class MemoryGuard:
    def __init__(self, config: MemoryGuardConfig, on_change: Callable[[str], None] | None = None,
                 measure: Callable[[], int] = tree_rss) -> None:
        self.config = config
        self.state = OK
        self.current = 0
        self.peak = 0
        self._on_change = on_change
        self._measure = measure
        self._over_since: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._sample()
        self._thread = threading.Thread(target=self._loop, name="datasynth-memory",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.config.check_interval_ms / 1000):
            self._sample()

    def _sample(self) -> None:
        self.current = self._measure()
        self.peak = max(self.peak, self.current)
        state = (PAUSED if self.current >= self.config.hard_limit else
                 THROTTLED if self.current >= self.config.soft_limit else OK)
        if state == PAUSED:
            self._over_since = self._over_since or time.monotonic()
        else:
            self._over_since = None
        if state != self.state:
            self.state = state
            if self._on_change is not None:
                self._on_change(state)

    def in_flight(self, normal: int) -> int:
        """How many shards may be in flight now."""
        return {OK: normal, THROTTLED: 1, PAUSED: 0}[self.state]

    def check(self) -> None:
        """Raise once memory has stayed at or above the hard limit for the grace period."""
        since = self._over_since
        if since is not None and time.monotonic() - since >= self.config.grace:
            hard = self.config.hard_limit
            raise MemoryExceeded(hard, self.current, (
                f"memory limit exceeded: the run holds {self.current // MB:,} MB, over the "
                f"hard limit of {hard // MB:,} MB for {self.config.grace:g} s; this "
                f"configuration needs about {self.peak * 5 // 4 // MB:,} MB (peak measured "
                f"{self.peak // MB:,} MB): raise --memory-limit, or use fewer workers or a "
                "smaller runtime.rows_per_shard; continue with --resume"))
