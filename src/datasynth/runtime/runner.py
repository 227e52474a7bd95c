"""The run loop: initialize, every planned phase shard by shard, export.

One loop for every executor. Hooks (progress, manifest) observe shard and phase events;
they never change what is written. Errors leave a manifest that says ``failed`` or
``interrupted``, never one that looks complete.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from datasynth.errors import DataSynthError, GenerationError, Interrupted, OutputError
from datasynth.runtime.manifest import ManifestWriter
from datasynth.runtime.memory import MB, MemoryGuard, MemoryGuardConfig
from datasynth.runtime.output_dir import prepare_output
from datasynth.runtime.pause import GATE
from datasynth.runtime.plan import Plan, build_plan, writes_of
from datasynth.runtime.progress import ProgressTracker
from datasynth.runtime.resume import (
    ResumePoint,
    acquire_lock,
    check_lock,
    release_lock,
    resume_point,
)
from datasynth.runtime.registry import registered_phases
from datasynth.runtime.state import StateStore
from datasynth.runtime.worker import ShardResult, ShardTask
from datasynth.sinks.spec import SinkSpec

if TYPE_CHECKING:
    from datasynth.config import Config
    from datasynth.runtime.executors import ProcessExecutor, SerialExecutor


@dataclass
class RunOutcome:
    manifest: dict
    rows: dict[str, int]


def make_plan(config: Config) -> Plan:
    return build_plan(registered_phases(), config)


def run(config: Config, sink: SinkSpec, executor: SerialExecutor | ProcessExecutor,
        tracker: ProgressTracker, resume: bool = False,
        memory_guard: MemoryGuardConfig | None = None) -> RunOutcome:
    """Check the output, start the executor, run every phase (with ``resume``, only those an
    earlier unfinished run into the same directory did not finish); the executor is always
    closed and the directory's lock released."""
    plan = make_plan(config)
    scratch = tempfile.TemporaryDirectory(prefix="datasynth-") if sink.memory else None
    GATE.reset()
    lock = guard = None
    try:
        root = None if sink.memory is not None else Path(sink.root)
        point = ResumePoint()
        if root is not None:
            check_lock(root)                  # before anything in it is touched
            if resume:
                point = resume_point(root, config, plan)
                if point.complete is not None:      # nothing left to do
                    rows = {t: v["rows"] for t, v in point.complete["tables"].items()}
                    return RunOutcome(point.complete, rows)
            else:
                prepare_output(root)
        sink.preflight()
        if root is not None:
            lock = acquire_lock(root)
        executor.start()      # workers are forked before any progress or writer thread exists
        guard = _memory_guard(config, tracker, memory_guard)
        state = StateStore(scratch.name if scratch else sink.root)
        outcome = _run_plan(config, plan, root, sink, state, executor, tracker, point, guard)
        return outcome
    finally:
        if guard is not None:
            guard.stop()
        GATE.cancel()            # nothing may still be waiting on a pause
        executor.close()
        GATE.reset()
        if lock is not None:
            release_lock(lock)
        if scratch is not None:
            scratch.cleanup()


def _run_plan(config: Config, plan: Plan, root: Path | None, sink: SinkSpec, state: StateStore,
              executor: SerialExecutor | ProcessExecutor, tracker: ProgressTracker,
              point: ResumePoint, guard: MemoryGuard | None = None) -> RunOutcome:
    count = len(plan.phases) + 2
    tracker.phase_started("initialize", 1, 0, count)
    run_id = config.sha256()[:16]
    manifest = ManifestWriter(root, config, run_id, sink.formats,
                              ["initialize", *plan.names, "export"])
    try:
        if not point.done:
            state.clear()
        manifest.restore(point.files, point.rows, point.timings)
        manifest.write()
        tracker.phase_finished()
        parts: dict[str, int] = {}          # part files written so far, per table
        for index, phase in enumerate(plan.phases, start=1):
            if phase.name in point.done:     # finished by the run this one resumes
                tracker.phase_started(phase.name, 1, index, count)
                shards = len(list(phase.shards(config)))
                for table in writes_of(phase, config):
                    parts[table] = parts.get(table, 0) + shards
                tracker.phase_finished()
                continue
            _run_phase(config, plan, phase, index, count, sink, state, executor, tracker,
                       manifest, run_id, parts, guard)
        tracker.phase_started("export", 1, count - 1, count)
        if root is not None:
            _check_parts(root, manifest)
        state.clear()
        _record_memory(manifest, guard)
        manifest.finish("complete")
        tracker.phase_finished()
        return RunOutcome(manifest.data, manifest.table_rows())
    except KeyboardInterrupt:
        error = Interrupted("generation interrupted; the output is incomplete")
        manifest.finish("interrupted", error)
        raise error from None
    except DataSynthError as exc:
        _record_memory(manifest, guard)
        manifest.finish("failed", exc)
        raise
    except Exception as exc:
        error = GenerationError(f"unexpected failure: {type(exc).__name__}: {exc}")
        manifest.finish("failed", error)
        raise error from exc


def _check_parts(root: Path, manifest: ManifestWriter) -> None:
    """Every part file the manifest will list is still there, with the size it was written
    with; a manifest never says complete over missing or truncated files."""
    for info in manifest.files():
        path = root / info.path
        try:
            size = path.stat().st_size
        except OSError:
            raise OutputError(f"part file {path} vanished before the run finished") from None
        if size != info.bytes:
            raise OutputError(f"part file {path} changed size ({info.bytes} -> {size} bytes) "
                              "before the run finished")


def _record_memory(manifest: ManifestWriter, guard: MemoryGuard | None) -> None:
    if guard is not None:
        manifest.data["memory"] = {"peak_mb": guard.peak // MB,
                                   "soft_limit_mb": guard.config.soft_limit // MB,
                                   "hard_limit_mb": guard.config.hard_limit // MB}


def _memory_guard(config: Config, tracker: ProgressTracker,
                  given: MemoryGuardConfig | None) -> MemoryGuard | None:
    settings = config.runtime.memory
    if given is None and settings is None:
        return None
    limits = given or MemoryGuardConfig.from_mb(settings.hard_limit_mb, settings.soft_limit_mb,
                                                settings.check_interval_ms)
    guard = MemoryGuard(limits, on_change=tracker.set_memory)
    guard.start()
    return guard


def _run_phase(config, plan, phase, index, count, sink, state, executor, tracker, manifest,
               run_id, parts: dict[str, int], guard: MemoryGuard | None = None) -> None:
    shards = list(phase.shards(config))
    total = sum(s.units for s in shards)
    tracker.phase_started(phase.name, total, index, count)
    started = time.perf_counter()
    writes = writes_of(phase, config)
    exported = frozenset(t for t in writes if t in plan.exported)
    offsets = {t: parts.get(t, 0) for t in writes}
    for table in writes:
        parts[table] = offsets[table] + len(shards)
    tasks = (ShardTask(run_id, config, phase.name, shard, sink, str(state.root.parent.parent),
                       exported, plan.retained, offsets) for shard in shards)

    def on_result(result: ShardResult) -> None:
        manifest.add_files(result.files, result.rows)
        tracker.advance(result.units)

    executor.run(tasks, on_result, guard)
    manifest.phase_done(phase.name, time.perf_counter() - started, len(shards), total)
    tracker.phase_finished()
