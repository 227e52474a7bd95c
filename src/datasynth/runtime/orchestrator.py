"""The Python API: GenerationOrchestrator, EnhancedOrchestrator and ParallelExecutor.

    orchestrator = GenerationOrchestrator(config, output_dir="out")
    result = orchestrator.run_with_progress(lambda p: print(p.phase, p.percent))
    result.table("journal_entries")            # -> pyarrow.Table
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from datasynth.config import Config
from datasynth.errors import ConfigurationError, GenerationError
from datasynth.runtime.executors import default_workers, make_executor
from datasynth.runtime.memory import MemoryGuardConfig
from datasynth.runtime.pause import GATE
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
                 memory: MemoryStore | None = None, scheduler: str | None = None,
                 memory_guard: MemoryGuardConfig | None = None) -> None:
        self.config = config
        self.workers = workers or config.runtime.workers or default_workers()
        self.executor_name = executor or config.runtime.executor
        self.scheduler = scheduler
        self.memory_guard = memory_guard      # overrides config.runtime.memory
        if memory is not None and (self.executor_name in ("process", "dask") or
                                   (self.executor_name is None and self.workers > 1)):
            raise ConfigurationError("an in-memory sink needs the serial executor (workers=1)")
        self.memory = memory
        directory = output_dir or config.output.directory
        if directory is None and memory is None:
            directory = "output"
        self.output_dir = Path(directory) if directory is not None else None
        self._callbacks: list[ProgressCallback] = []
        self._tracker: ProgressTracker | None = None

    @classmethod
    def with_threads(cls, config: Config, workers: int, **kwargs: Any) -> GenerationOrchestrator:
        """An orchestrator with ``workers`` parallel workers (processes; the name is the peer's)."""
        return cls(config, workers=workers, **kwargs)

    def plan(self) -> Plan:
        return make_plan(self.config)

    def pause(self) -> None:
        """Pause the run, from any thread or a signal handler: shards stop at their next
        checkpoint (well within a second) and use no CPU until :meth:`resume`; progress shows
        the run as paused. The output is the same as an uninterrupted run's."""
        GATE.pause()
        self._show_paused(True)

    def resume(self) -> None:
        GATE.resume()
        self._show_paused(False)

    def is_paused(self) -> bool:
        return GATE.is_paused()

    def toggle_pause(self) -> None:
        """Pause a running run, resume a paused one (the SIGUSR1 action of the CLI)."""
        self.resume() if self.is_paused() else self.pause()

    def _show_paused(self, paused: bool) -> None:
        # a signal handler may interrupt the thread that holds the tracker's lock: report
        # from a thread of its own
        tracker = self._tracker
        if tracker is not None:
            threading.Thread(target=tracker.set_paused, args=(paused,), daemon=True).start()

    def run(self, resume: bool = False) -> GenerationResult:
        """Generate into the output directory. ``resume``: continue the unfinished run that
        was started into it with the same configuration (after Ctrl-C, a failure or a kill);
        the result is byte-identical to an uninterrupted run."""
        tracker = ProgressTracker(self._callbacks)
        self._tracker = tracker
        sink = SinkSpec(str(self.output_dir) if self.output_dir else "<memory>",
                        self.config.output.formats, self.config.output.compression, self.memory)
        executor = make_executor(self.executor_name, self.workers, self.scheduler)
        try:
            outcome = run(self.config, sink, executor, tracker, resume=resume,
                          memory_guard=self.memory_guard)
        finally:
            self._tracker = None
        return GenerationResult(self.output_dir, outcome.manifest, outcome.rows, self.memory)

    def run_with_progress(self, callback: ProgressCallback,
                          resume: bool = False) -> GenerationResult:
        self._callbacks.append(callback)
        try:
            return self.run(resume=resume)
        finally:
            self._callbacks.remove(callback)


class EnhancedOrchestrator(GenerationOrchestrator):
    """The orchestrator with builder methods that switch optional phases on.

    Each ``with_*`` method sets ``enabled=True`` on its configuration section, applies any
    keyword overrides of that section's settings, re-validates the configuration and returns
    ``self``, so calls chain. Document flows drive the books, so :meth:`with_subledgers` and
    :meth:`with_period_close` switch ``document_flows`` on as well (keeping its other settings).
    Start from :meth:`minimal` to get only the standalone journal generator (calendar, chart of
    accounts, master data, journal entries) and add phases from there::

        result = (EnhancedOrchestrator.minimal(config, output_dir="out")
                  .with_document_flows(partial_payment_rate=0.1)
                  .with_subledgers()
                  .with_period_close(tax_provision=False)
                  .run())
        result.table("trial_balances")

    Optional phases also need ``transactions.target_count > 0``. An unknown or invalid
    setting raises :class:`ConfigurationError` naming the section and the key. The builders
    replace ``self.config`` (configurations are immutable); the caller's object is unchanged.
    """

    @classmethod
    def minimal(cls, config: Config, **kwargs: Any) -> EnhancedOrchestrator:
        """An orchestrator with document flows, subledgers, period close, anomaly injection,
        data quality, exchange rates and intercompany switched off.

        The plan is then calendar, chart_of_accounts, master_data, journal_entries;
        ``kwargs`` go to the constructor (``output_dir``, ``workers``, ``executor``, ...).
        """
        off = {"enabled": False}
        return cls(config.replace(document_flows=off, subledgers=off, period_close=off,
                                  anomaly_injection=off, data_quality=off, fx=off,
                                  intercompany=off), **kwargs)

    def with_document_flows(self, **settings: Any) -> EnhancedOrchestrator:
        """Switch on the P2P/O2C/... document flows (phases opening_balances, transactions,
        trial_balances); ``settings`` override ``document_flows`` rates, e.g.
        ``partial_payment_rate=0.1``."""
        return self._switch_on("with_document_flows", "document_flows", settings)

    def with_subledgers(self, **settings: Any) -> EnhancedOrchestrator:
        """Switch on AR/AP open items and inventory positions (phase subledgers), and the
        document flows they are taken from."""
        return self._switch_on("with_subledgers", "subledgers", settings,
                               requires=("document_flows",))

    def with_period_close(self, **settings: Any) -> EnhancedOrchestrator:
        """Switch on depreciation, accruals, tax provision and year-end close (phase
        period_close), and the document flows it needs; ``settings`` are ``accruals``,
        ``tax_provision``, ``year_end_close`` (booleans)."""
        return self._switch_on("with_period_close", "period_close", settings,
                               requires=("document_flows",))

    def with_anomaly_injection(self, **settings: Any) -> EnhancedOrchestrator:
        """Switch on anomaly and fraud injection with labels (and the document flows it
        injects into); ``settings`` override ``anomaly_injection``, e.g. ``total_rate=0.02``,
        ``families={"fraud": 1, "error": 0, ...}``, ``split={"enabled": True}``."""
        return self._switch_on("with_anomaly_injection", "anomaly_injection", settings,
                               requires=("document_flows",))

    def with_data_quality(self, **settings: Any) -> EnhancedOrchestrator:
        """Switch on the data-quality phase: degraded copies of master data and journal-entry
        text fields with ``quality_labels``; ``settings`` override ``data_quality`` rates,
        e.g. ``typo_rate=0.02``."""
        return self._switch_on("with_data_quality", "data_quality", settings)

    def with_fx(self, **settings: Any) -> EnhancedOrchestrator:
        """Switch on the exchange-rate table ``fx_rates`` (on by default whenever a company
        books in a currency other than the group's); ``settings`` override ``fx``, e.g.
        ``half_life_days=250`` or ``volatility={"GBP": 0.12}`` (docs/fx.md)."""
        return self._switch_on("with_fx", "fx", settings)

    def with_intercompany(self, **settings: Any) -> EnhancedOrchestrator:
        """Switch on intercompany trading and the consolidation of the group (phases
        group_structure, intercompany, consolidation), with the document flows and exchange
        rates they need; ``settings`` override ``intercompany``, e.g. ``relationships=[{
        "parent": "1000", "subsidiary": "2000", "ownership": 0.8}]`` or ``markup=0.05``
        (docs/intercompany.md). Without relationships the first company owns all others."""
        return self._switch_on("with_intercompany", "intercompany", settings,
                               requires=("document_flows", "fx"))

    def _switch_on(self, method: str, section: str, settings: dict[str, Any],
                   requires: tuple[str, ...] = ()) -> EnhancedOrchestrator:
        model = type(getattr(self.config, section))
        allowed = sorted((f.alias or name) for name, f in model.model_fields.items()
                         if name != "enabled")
        if "enabled" in settings:
            raise ConfigurationError(
                f"{method}() always switches {section} on; 'enabled' is not a setting it "
                f"accepts (start from EnhancedOrchestrator.minimal() to keep phases off)",
                problems=[(f"{section}.enabled", "not accepted by the builder")])
        unknown = sorted(set(settings) - set(allowed))
        if unknown:
            listed = ", ".join(allowed) or "none"
            raise ConfigurationError(
                f"{method}(): unknown {section} setting(s) {', '.join(map(repr, unknown))}; "
                f"allowed: {listed}",
                problems=[(f"{section}.{key}", f"unknown key; allowed keys here: {listed}")
                          for key in unknown])
        sections: dict[str, dict[str, Any]] = {name: {"enabled": True} for name in requires}
        sections[section] = {**settings, "enabled": True}
        try:
            self.config = self.config.replace(**sections)
        except ConfigurationError as exc:
            details = "; ".join(f"{path}: {text}" for path, text in exc.problems) or str(exc)
            raise ConfigurationError(f"{method}(): invalid {section} setting: {details}",
                                     problems=exc.problems, source=method) from None
        return self


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
