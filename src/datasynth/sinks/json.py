"""JSON Lines and JSON part files, encoded by DuckDB's JSON writer.

``jsonl`` holds one object per line; ``json`` one array of objects per file (one object per
line inside the brackets). Decimals are written as plain numbers (``1234.56``), dates as
``YYYY-MM-DD``, timestamps as ``YYYY-MM-DD HH:MM:SS``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from datasynth.schemas.base import TableSpec
from datasynth.sinks.base import StreamingPartWriter


class JsonPartWriter(StreamingPartWriter):
    def __init__(self, root: Path, relative: str, spec: TableSpec, part: int,
                 array: bool = False) -> None:
        self._array = array
        self.format = "json" if array else "jsonl"
        self._written = 0
        super().__init__(root, relative, spec, part)

    def _open(self, path: Path) -> None:
        self._scratch = path.with_name(path.name + ".batch")
        self._out = open(path, "wb")
        self._con = duckdb.connect(config={"threads": 1})
        if self._array:
            self._out.write(b"[\n")

    def _encode(self, data: pa.RecordBatch | pa.Table) -> None:
        if data.num_rows == 0:
            return
        self._con.register("batch", data)
        self._con.execute(f"COPY (SELECT * FROM batch) TO '{self._scratch}' (FORMAT JSON)")
        self._con.unregister("batch")
        lines = self._scratch.read_bytes()
        if self._array:
            lines = lines.rstrip(b"\n").replace(b"\n", b",\n")
            lines = (b",\n" if self._written else b"") + lines
        self._out.write(lines)
        self._written += data.num_rows

    def _finish(self) -> None:
        if self._out.closed:
            return
        try:
            if self._array:
                self._out.write(b"\n]\n" if self._written else b"]\n")
        finally:
            self._out.close()
            self._scratch.unlink(missing_ok=True)
            self._con.close()
