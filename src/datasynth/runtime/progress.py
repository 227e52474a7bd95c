"""Progress: a snapshot type, and a tracker the run loop feeds with shard events.

The tracker observes; it never decides anything about the run. Callbacks get a
:class:`Progress` at most every ``min_interval`` seconds, and always at phase boundaries.
The clock is injectable so tests control time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

ProgressCallback = Callable[["Progress"], None]


@dataclass(frozen=True)
class Progress:
    phase: str
    current: int
    total: int
    percent: float
    entries_per_second: float
    elapsed: float
    estimated_remaining: float | None
    paused: bool = False
    phase_index: int = 0
    phase_count: int = 0
    finished: bool = False
    memory: str = "ok"       # the memory guard: ok, throttled or paused

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class ProgressTracker:
    def __init__(self, callbacks: list[ProgressCallback] | None = None,
                 clock: Callable[[], float] = time.monotonic, min_interval: float = 0.1) -> None:
        self._callbacks = list(callbacks or [])
        self._clock = clock
        self._min_interval = min_interval
        self._lock = threading.Lock()
        self._phase = ""
        self._index = 0
        self._count = 0
        self._current = 0
        self._total = 0
        self._started = 0.0
        self._last_emit = float("-inf")
        self._paused = False
        self._memory = "ok"
        self.last: Progress | None = None

    def add_callback(self, callback: ProgressCallback) -> None:
        self._callbacks.append(callback)

    def phase_started(self, phase: str, total: int, index: int, count: int) -> None:
        with self._lock:
            self._phase, self._total, self._current = phase, max(0, total), 0
            self._index, self._count = index, count
            self._started = self._clock()
        self._emit(force=True)

    def advance(self, units: int) -> None:
        with self._lock:
            self._current = min(self._total, self._current + units) if self._total else \
                self._current + units
        self._emit()

    def phase_finished(self) -> None:
        with self._lock:
            self._current = max(self._current, self._total)
        self._emit(force=True, finished=True)

    def set_paused(self, paused: bool) -> None:
        with self._lock:
            self._paused = paused
        self._emit(force=True)

    def set_memory(self, state: str) -> None:
        with self._lock:
            self._memory = state
        self._emit(force=True)

    def snapshot(self, finished: bool = False) -> Progress:
        with self._lock:
            elapsed = max(0.0, self._clock() - self._started)
            rate = self._current / elapsed if elapsed > 0 else 0.0
            remaining = (self._total - self._current) / rate if rate > 0 else None
            percent = 100.0 * self._current / self._total if self._total else 100.0
            return Progress(self._phase, self._current, self._total, percent, rate, elapsed,
                            remaining, self._paused, self._index, self._count, finished,
                            self._memory)

    def _emit(self, force: bool = False, finished: bool = False) -> None:
        now = self._clock()
        if not force and now - self._last_emit < self._min_interval:
            return
        self._last_emit = now
        progress = self.snapshot(finished)
        self.last = progress
        for callback in self._callbacks:
            callback(progress)
