"""An in-memory sink: the test double, and the "generation alone" benchmark target.

It only works in the process that generates (the serial executor). With ``keep=False`` it
counts rows and drops the data, so memory stays flat however much is generated.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from datasynth.schemas.base import TableSpec
from datasynth.sinks.base import FileInfo, check_schema


class MemoryStore:
    """Tables received by memory part writers, per table and part number."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.parts: dict[str, dict[int, list[pa.RecordBatch | pa.Table]]] = defaultdict(dict)
        self.rows: dict[str, int] = defaultdict(int)

    def table(self, name: str, schema: pa.Schema) -> pa.Table:
        chunks = [c for part in sorted(self.parts.get(name, {}))
                  for c in self.parts[name][part]]
        tables = [c if isinstance(c, pa.Table) else pa.Table.from_batches([c]) for c in chunks]
        return pa.concat_tables(tables) if tables else schema.empty_table()


class MemoryPartWriter:
    def __init__(self, store: MemoryStore, spec: TableSpec, part: int) -> None:
        self._store = store
        self._spec = spec
        self._part = part
        self._rows = 0
        self._chunks: list[pa.RecordBatch | pa.Table] = []

    def write(self, data: pa.RecordBatch | pa.Table) -> None:
        check_schema(self._spec, data)
        self._rows += data.num_rows
        if self._store.keep:
            self._chunks.append(data)

    def close(self) -> list[FileInfo]:
        self._store.parts[self._spec.name][self._part] = self._chunks
        self._store.rows[self._spec.name] += self._rows
        return [FileInfo(f"memory://{self._spec.name}/{self._part}", self._spec.name, "memory",
                         self._part, self._rows, 0, None)]

    def abort(self) -> None:
        self._chunks = []
