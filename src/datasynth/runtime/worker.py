"""What runs inside a worker: one shard of one phase, from task to written part files.

Pool processes are forked from a parent that has already imported this module, so
NumPy, Arrow and the phases are loaded once per worker, not once per shard.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from datasynth.errors import DataSynthError, GenerationError
from datasynth.runtime.pause import checkpoint
from datasynth.runtime.phase import Shard, ShardContext
from datasynth.runtime.plan import writes_of
from datasynth.runtime.registry import registered_phases
from datasynth.runtime.state import StateStore
from datasynth.schemas.registry import table_spec
from datasynth.sinks.base import FileInfo, PartWriter
from datasynth.sinks.spec import SinkSpec

if TYPE_CHECKING:
    from datasynth.config import Config

_PHASES: dict[str, Any] = {}
_MEMO: dict[Any, Any] = {}
_MEMO_RUN: list[str] = [""]


@dataclass(frozen=True)
class ShardTask:
    run_id: str
    config: Config
    phase: str
    shard: Shard
    sink: SinkSpec
    state_root: str
    exported: frozenset[str]
    retained: frozenset[str]
    part_offsets: Mapping[str, int] = field(default_factory=dict)   # extended tables

    def part(self, table: str) -> int:
        """Part number of this shard's file of ``table``: extenders number after earlier
        contributors, so every phase's parts of one table have distinct names."""
        return self.part_offsets.get(table, 0) + self.shard.index


@dataclass
class ShardResult:
    phase: str
    shard: int
    units: int
    files: list[FileInfo] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _phase(name: str) -> Any:
    if not _PHASES:
        _PHASES.update({p.name: p for p in registered_phases()})
    return _PHASES[name]


def run_shard_task(task: ShardTask) -> ShardResult:
    """Generate one shard and write its part files; errors come back as GenerationError."""
    started = time.perf_counter()
    if _MEMO_RUN[0] != task.run_id:          # a worker may serve several runs (the API)
        _MEMO.clear()
        _MEMO_RUN[0] = task.run_id
    phase = _phase(task.phase)
    store = StateStore(task.state_root)
    ctx = ShardContext(task.config, task.phase, task.shard, store.read, _MEMO)
    writers: dict[str, PartWriter] = {}
    retained: dict[str, list[pa.Table | pa.RecordBatch]] = {}
    result = ShardResult(task.phase, task.shard.index, task.shard.units)
    writes = writes_of(phase, task.config)
    try:
        checkpoint()
        for table, data in phase.run_shard(ctx):
            checkpoint()
            if table not in writes:
                raise GenerationError(f"phase {task.phase!r} emitted table {table!r}, which it "
                                      "does not declare in provides or extends")
            result.rows[table] = result.rows.get(table, 0) + data.num_rows
            if table in task.exported:
                if table not in writers:
                    writers[table] = task.sink.open_part(table_spec(table), task.part(table))
                writers[table].write(data)
            if table in task.retained or not table_spec(table).exported:
                retained.setdefault(table, []).append(data)
        for table in writes:             # a part file per shard, even when it has no rows
            if table in task.exported and table not in writers:
                writers[table] = task.sink.open_part(table_spec(table), task.part(table))
        for table in sorted(writers):
            result.files += writers.pop(table).close()
        for table, chunks in retained.items():
            store.write(table, task.part(table), _as_table(chunks))
    except DataSynthError as exc:
        _abort(writers)
        if isinstance(exc, GenerationError) and exc.phase is None:
            exc.phase, exc.shard = task.phase, task.shard.index
        raise
    except Exception as exc:
        _abort(writers)
        raise GenerationError(f"phase {task.phase!r} failed on shard {task.shard.key!r}: "
                              f"{type(exc).__name__}: {exc}", phase=task.phase,
                              shard=task.shard.index) from exc
    result.seconds = time.perf_counter() - started
    return result


def _as_table(chunks: list[pa.Table | pa.RecordBatch]) -> pa.Table:
    tables = [c if isinstance(c, pa.Table) else pa.Table.from_batches([c]) for c in chunks]
    # one dictionary per column: Arrow IPC files cannot replace a dictionary mid-file
    return (pa.concat_tables(tables) if len(tables) > 1 else tables[0]).unify_dictionaries()


def _abort(writers: dict[str, PartWriter]) -> None:
    for writer in writers.values():
        writer.abort()
