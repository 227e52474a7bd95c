"""The Python API: GenerationOrchestrator, EnhancedOrchestrator and ParallelExecutor.

    orchestrator = GenerationOrchestrator(config, output_dir="out")
    result = orchestrator.run_with_progress(lambda p: print(p.phase, p.percent))
    result.table("journal_entries")            # -> pyarrow.Table
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from datasynth.config import Config
from datasynth.errors import ConfigurationError, GenerationError
from datasynth.runtime.executors import default_workers, make_executor
from datasynth.runtime.plan import Plan
from datasynth.runtime.progress import ProgressCallback, ProgressTracker
from datasynth.runtime.result import GenerationResult
from datasynth.runtime.runner import make_plan, run
from datasynth.sinks.memory import MemoryStore
from datasynth.sinks.spec import SinkSpec


class GenerationOrchestrator:
    """Runs the plan for a configuration into an output directory (or memory)."""

    def __init__(self, config: Config, output_dir: str | Path | None = None,
                 workers: int | None = None, executor: str | None = None,
                 memory: MemoryStore | None = None) -> None:
        self.config = config
        self.workers = workers or config.runtime.workers or default_workers()
        self.executor_name = executor or config.runtime.executor
        if memory is not None and (self.executor_name == "process" or
                                   (self.executor_name is None and self.workers > 1)):
            raise ConfigurationError("an in-memory sink needs the serial executor (workers=1)")
        self.memory = memory
        directory = output_dir or config.output.directory
        if directory is None and memory is None:
            directory = "output"
        self.output_dir = Path(directory) if directory is not None else None
        self._callbacks: list[ProgressCallback] = []

    @classmethod
    def with_threads(cls, config: Config, workers: int, **kwargs: Any) -> GenerationOrchestrator:
        """An orchestrator with ``workers`` parallel workers (processes; the name is the peer's)."""
        return cls(config, workers=workers, **kwargs)

    def plan(self) -> Plan:
        return make_plan(self.config)

    def run(self) -> GenerationResult:
        tracker = ProgressTracker(self._callbacks)
        sink = SinkSpec(str(self.output_dir) if self.output_dir else "<memory>",
                        self.config.output.formats, self.config.output.compression, self.memory)
        executor = make_executor(self.executor_name, self.workers)
        outcome = run(self.config, sink, executor, tracker)
        return GenerationResult(self.output_dir, outcome.manifest, outcome.rows, self.memory)

    def run_with_progress(self, callback: ProgressCallback) -> GenerationResult:
        self._callbacks.append(callback)
        try:
            return self.run()
        finally:
            self._callbacks.remove(callback)


class EnhancedOrchestrator(GenerationOrchestrator):
    """The orchestrator with builder switches for optional phases (added by later work)."""


class ParallelExecutor:
    """Runs ``fn(worker_id)`` on ``n`` workers; results come back in worker order.

    ``fn`` runs in worker processes when it can be pickled (a module-level function) and in
    threads otherwise (a lambda or closure). A worker's exception surfaces as
    :class:`GenerationError` naming the worker.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ConfigurationError(f"workers must be at least 1 (got {workers})")
        self.workers = workers

    def run(self, fn: Callable[[int], Any]) -> list[Any]:
        try:
            pickle.dumps(fn)
            use_processes = self.workers > 1
        except Exception:
            use_processes = False
        if use_processes:
            from concurrent.futures import ProcessPoolExecutor

            from datasynth.runtime.executors import process_context

            pool: Any = ProcessPoolExecutor(self.workers, mp_context=process_context())
        else:
            pool = ThreadPoolExecutor(self.workers)
        with pool:
            futures = [pool.submit(fn, worker_id) for worker_id in range(self.workers)]
            results = []
            for worker_id, future in enumerate(futures):
                try:
                    results.append(future.result())
                except Exception as exc:
                    raise GenerationError(f"worker {worker_id} failed: {type(exc).__name__}: "
                                          f"{exc}", worker=worker_id) from exc
            return results
