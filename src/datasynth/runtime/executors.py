"""Executors run shard tasks; the run loop is the same whatever executes them (cf. Kedro).

``SerialExecutor`` runs in the calling process. ``ProcessExecutor`` keeps a pool of worker
processes and a bounded number of shards in flight, so memory does not grow with the number of
shards. On Linux workers are forked, all at once, when the executor starts and before any
thread of ours (progress display, writers) exists: forking copies the loaded modules, and,
unlike forkserver or spawn, does not re-import the user's ``__main__`` script, so API use
from a plain script needs no ``if __name__ == "__main__"`` guard. Results are handed back as they
finish; the runner orders them by shard index, so completion order never shows in the output.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool

from datasynth.errors import DataSynthError, GenerationError
from datasynth.runtime.memory import MemoryGuard
from datasynth.runtime.pause import GATE
from datasynth.runtime.worker import ShardResult, ShardTask, run_shard_task

OnResult = Callable[[ShardResult], None]


def process_context() -> multiprocessing.context.BaseContext:
    """fork on Linux (see the module doc); the platform's safe default elsewhere."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _ready() -> bool:
    return True


class SerialExecutor:
    """One process. Two shards are in flight on threads, so that the next shard is generated
    while the previous one's part file is still being encoded and flushed (Arrow and NumPy
    release the GIL for the heavy work). Shards are independent, so this cannot change output.
    """

    name = "serial"
    workers = 1

    def __init__(self, pipeline: int = 2) -> None:
        self._pipeline = max(1, pipeline)

    def start(self) -> None:
        pass

    def run(self, tasks: Iterable[ShardTask], on_result: OnResult,
            guard: MemoryGuard | None = None) -> None:
        if self._pipeline == 1 and guard is None:
            for task in tasks:
                on_result(run_shard_task(task))
            return
        with ThreadPoolExecutor(self._pipeline, thread_name_prefix="datasynth-shard") as pool:
            _bounded(pool, tasks, on_result, self._pipeline, guard)

    def close(self) -> None:
        pass


def default_in_flight(workers: int, available: int | None = None) -> int:
    """Shards queued per worker: two (one running, one ready) when there is memory for them,
    one on a machine short of memory — about 1 GiB available per worker. Only admission
    changes; shard boundaries and streams do not, so neither does the output."""
    if available is None:
        import psutil

        available = psutil.virtual_memory().available
    return 2 if available >= workers * 2 * 1024 ** 3 else 1


class ProcessExecutor:
    name = "process"

    def __init__(self, workers: int, in_flight_per_worker: int | None = None) -> None:
        self.workers = workers
        per_worker = in_flight_per_worker or default_in_flight(workers)
        self._in_flight = max(1, workers * per_worker)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start every worker now (a fork context launches them all on the first task)."""
        self._ensure_pool().submit(_ready).result()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import datasynth.phases  # noqa: F401 - loaded once here, inherited by the workers

            self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                             mp_context=process_context())
        return self._pool

    def run(self, tasks: Iterable[ShardTask], on_result: OnResult,
            guard: MemoryGuard | None = None) -> None:
        _bounded(self._ensure_pool(), tasks, on_result, self._in_flight, guard)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _bounded(pool: Executor, tasks: Iterable[ShardTask], on_result: OnResult,
             in_flight: int, guard: MemoryGuard | None = None) -> None:
    """Submit tasks keeping at most ``in_flight`` pending (fewer, or none, while the memory
    ``guard`` says so); report each as it finishes.

    When shards fail, the shards already running are let finish and the failure of the
    lowest shard index is raised, so the error a user sees does not depend on timing.
    """
    pending: dict[Future[ShardResult], ShardTask] = {}
    iterator = iter(tasks)
    exhausted = False
    failures: list[tuple[int, BaseException]] = []
    try:
        while pending or not (exhausted or failures):
            if guard is not None:
                guard.check()
            limit = guard.in_flight(in_flight) if guard is not None else in_flight
            while not (exhausted or failures) and len(pending) < limit:
                task = next(iterator, None)
                if task is None:
                    exhausted = True
                    break
                pending[pool.submit(run_shard_task, task)] = task
            if not pending:
                if exhausted or failures:
                    break
                time.sleep(guard.config.check_interval_ms / 1000)   # memory-paused
                continue
            timeout = guard.config.check_interval_ms / 1000 if guard is not None else None
            done, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f].shard.index):
                task = pending.pop(future)
                try:
                    result = _result(future, task)
                except DataSynthError as exc:
                    failures.append((task.shard.index, exc))
                    continue
                if not failures:
                    on_result(result)
    except BaseException:
        GATE.cancel()            # running shards stop at their next checkpoint
        for future in pending:
            future.cancel()
        raise
    if failures:
        raise min(failures, key=lambda f: f[0])[1]


def _result(future: Future[ShardResult], task: ShardTask) -> ShardResult:
    try:
        return future.result()
    except DataSynthError:
        raise
    except BrokenProcessPool as exc:
        raise GenerationError(f"a worker process died while running phase {task.phase!r} "
                              f"shard {task.shard.key!r} (killed, or out of memory?)",
                              phase=task.phase, shard=task.shard.index) from exc


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def make_executor(name: str | None, workers: int, scheduler: str | None = None
                  ) -> SerialExecutor | ProcessExecutor:
    if name == "dask" or scheduler:
        from datasynth.runtime.dask_executor import DaskExecutor

        return DaskExecutor(workers, scheduler)
    if name == "serial" or (name is None and workers <= 1):
        return SerialExecutor()
    return ProcessExecutor(workers)
