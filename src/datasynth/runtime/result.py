"""The result of a run: where each table is, and loading it back as Arrow."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from datasynth.schemas.registry import table_spec
from datasynth.sinks.memory import MemoryStore
from datasynth.sinks.reader import read_parts


@dataclass
class GenerationResult:
    output_dir: Path | None
    manifest: dict[str, Any]
    rows: dict[str, int]
    memory: MemoryStore | None = field(default=None, repr=False)

    @property
    def status(self) -> str:
        return str(self.manifest.get("status"))

    @property
    def tables(self) -> list[str]:
        return sorted(self.manifest.get("tables", {}))

    def files(self, table: str, fmt: str | None = None) -> list[Path]:
        """The part files of ``table`` in shard order (first format unless ``fmt``)."""
        if self.output_dir is None:
            return []
        entries = self.manifest["tables"][table]["files"]
        fmt = fmt or self.manifest["formats"][0]
        return [self.output_dir / e["path"] for e in entries if e["format"] == fmt]

    def location(self, table: str) -> Path | None:
        files = self.files(table)
        return files[0].parent if files else None

    def table(self, name: str, fmt: str | None = None) -> pa.Table:
        """Load a table into memory, in its declared schema."""
        spec = table_spec(name)
        if self.memory is not None:
            return self.memory.table(name, spec.schema)
        if name not in self.manifest.get("tables", {}):
            raise KeyError(f"table {name!r} was not generated; generated: {', '.join(self.tables)}")
        return read_parts(self.files(name, fmt), spec)
