"""Pausing and cancelling a run: a gate every shard passes at its checkpoints.

Shards call :func:`checkpoint` between units of work (each random stream they draw, each
batch they write). While the run is paused a checkpoint blocks on an event, so a paused run
and its workers use no CPU for generation; writers finish the batch in hand and then wait
for more. A cancelled run (Ctrl-C, SIGTERM, a failure elsewhere) makes every checkpoint
raise, so in-flight shards stop at their next checkpoint instead of running to the end.

The gate is created when this module is imported, in the parent process before the worker
pool is forked, so workers share it (multiprocessing events over shared semaphores). One run
at a time per process uses it; a run clears any cancellation when it starts, and cancels (so
nothing waits on a pause) and clears again when it ends.
"""

from __future__ import annotations

import multiprocessing
import sys

from datasynth.errors import Interrupted

_POLL = 0.2        # seconds between looks at the cancel flag while paused


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class RunGate:
    def __init__(self) -> None:
        ctx = _context()
        self._running = ctx.Event()
        self._cancelled = ctx.Event()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def is_paused(self) -> bool:
        return not self._running.is_set()

    def cancel(self) -> None:
        self._cancelled.set()
        self._running.set()          # paused shards wake up and stop

    def reset(self) -> None:
        """Clear a cancellation; a pause asked for before a run starts is kept."""
        self._cancelled.clear()

    def checkpoint(self) -> None:
        """Return at once when running; block while paused; raise once cancelled."""
        while not self._running.wait(_POLL):
            pass
        if self._cancelled.is_set():
            raise Interrupted("generation interrupted; the output is incomplete")


GATE = RunGate()


def checkpoint() -> None:
    GATE.checkpoint()
