"""The state store: tables later phases read, kept as Arrow IPC files under the output.

Workers write the retained tables of their shard to ``<out>/.datasynth/state/<table>/``; any
later shard, in any process, memory-maps them. This keeps inputs off the task pipes, works the
same for every executor, and leaves the run's state on disk for a resume.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa

from datasynth.errors import OutputError
from datasynth.schemas.registry import table_spec
from datasynth.sinks.base import output_error, require_root
from datasynth.sinks.layout import STATE_DIR

# Per-process cache of loaded tables: (state root, table) -> Table. Tables are immutable once
# their phase has finished, and a new run uses a new (cleared) state root.
_CACHE: dict[tuple[str, str, tuple[Path, ...]], pa.Table] = {}


class StateStore:
    def __init__(self, output_root: str | Path) -> None:
        self.root = Path(output_root) / STATE_DIR / "state"

    def write(self, table: str, part: int, data: pa.Table) -> None:
        directory = self.root / table
        final = directory / f"part-{part:05d}.arrow"
        temp = directory / f".part-{part:05d}.arrow.tmp"
        require_root(self.root.parent.parent)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with pa.OSFile(str(temp), "wb") as sink, pa.ipc.new_file(sink, data.schema) as writer:
                writer.write_table(data)
            temp.replace(final)
        except OSError as exc:
            raise output_error(final, exc) from exc

    def read(self, table: str) -> pa.Table:
        # The key includes the part files: a table another phase extends grows new parts,
        # and a reader after the extender must see them.
        parts = tuple(sorted((self.root / table).glob("part-*.arrow")))
        key = (str(self.root), table, parts)
        if key not in _CACHE:
            _CACHE[key] = self._load(table, parts)
        return _CACHE[key]

    def _load(self, table: str, parts: tuple[Path, ...]) -> pa.Table:
        spec = table_spec(table)
        if not parts:
            return spec.schema.empty_table()
        tables = [pa.ipc.open_file(pa.memory_map(str(p))).read_all() for p in parts]
        return pa.concat_tables(tables).unify_dictionaries() if len(tables) > 1 else tables[0]

    def clear(self) -> None:
        """Remove the run state (the run's lock, beside it, stays until the run ends)."""
        forget(self.root)
        try:
            shutil.rmtree(self.root, ignore_errors=False)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise OutputError(f"cannot remove the run state in {self.root}: {exc}") from exc


def forget(root: Path) -> None:
    for key in [k for k in _CACHE if k[0] == str(root)]:
        del _CACHE[key]
