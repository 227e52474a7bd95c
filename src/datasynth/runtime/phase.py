"""The phase protocol: what a phase declares, the unit of work (Shard) and what a shard sees.

A phase is thin: it says which tables it reads (``requires``) and writes (``provides``), and
to which tables of earlier phases it adds rows (``extends``: the period close adds journal
entries to the table the transactions phase provides); it cuts its work into shards, and wires config, inputs and random streams into pure generator
functions. Shards are cut from the configuration alone, never from worker count or memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol, runtime_checkable

import numpy as np
import pyarrow as pa

from datasynth.runtime.pause import checkpoint
from datasynth.runtime.seeding import stream

if TYPE_CHECKING:
    from datasynth.config import Config


@dataclass(frozen=True)
class Shard:
    """One unit of work: written as its own part file, seeded by its index."""

    index: int
    key: str                      # human-readable, e.g. "1000/2024-03/0"
    units: int = 1                # progress units (entries, rows) this shard produces
    params: Mapping[str, Any] = field(default_factory=dict)   # small, picklable


def company_shards(config, units: int | Sequence[int]) -> list[Shard]:
    """One shard per company, keyed by its code, with ``params["company"]`` its index; the
    books of a company are one shard where running state is carried through the run."""
    per = [units] * len(config.companies) if isinstance(units, int) else list(units)
    return [Shard(i, company.code, max(int(per[i]), 1), {"company": i})
            for i, company in enumerate(config.companies)]


class TableBatch(NamedTuple):
    """A record batch (or table) for one named table."""

    table: str
    data: pa.RecordBatch | pa.Table


class ShardContext:
    """Everything a shard may use: config, its shard, addressed random streams, input tables."""

    def __init__(self, config: Config, phase: str, shard: Shard,
                 tables: Callable[[str], pa.Table], memo: dict[Any, Any]) -> None:
        self.config = config
        self.phase = phase
        self.shard = shard
        self._tables = tables
        self._memo = memo

    def rng(self, purpose: str, *extra: int) -> np.random.Generator:
        """The stream at ``(phase, shard.index, purpose, *extra)``. Drawing a stream is a
        checkpoint: a paused run waits here, a cancelled one stops."""
        checkpoint()
        return stream(self.config.seed, self.phase, self.shard.index, purpose, *extra)

    def table(self, name: str) -> pa.Table:
        """An input table produced by an earlier phase (must be listed in ``requires``)."""
        return self._tables(name)

    def memo(self, key: Any, build: Callable[[], Any]) -> Any:
        """Per-process cache for derived lookups that every shard of the phase would rebuild."""
        full_key = (self.phase, key)
        if full_key not in self._memo:
            self._memo[full_key] = build()
        return self._memo[full_key]


@runtime_checkable
class Phase(Protocol):
    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    provides: ClassVar[tuple[str, ...]]
    description: ClassVar[str]

    def enabled(self, config: Config) -> bool: ...

    def shards(self, config: Config) -> Sequence[Shard]: ...

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]: ...


class BasePhase:
    """Defaults for the optional parts of the protocol."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    extends: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""

    def enabled(self, config: Config) -> bool:
        return True

    def shards(self, config: Config) -> Sequence[Shard]:
        return [Shard(0, "all")]
