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
from datasynth.sinks.base import AtomicFile, FileInfo, check_schema, output_error


class JsonPartWriter:
    def __init__(self, root: Path, relative: str, spec: TableSpec, part: int,
                 array: bool = False) -> None:
        self._spec = spec
        self._part = part
        self._array = array
        self._file = AtomicFile(root, relative)
        self._scratch = self._file.temp.with_name(self._file.temp.name + ".batch")
        self._rows = 0
        self._con = duckdb.connect(config={"threads": 1})
        try:
            self._out = open(self._file.temp, "wb")
            if array:
                self._out.write(b"[\n")
        except OSError as exc:
            raise output_error(self._file.final, exc) from exc

    def write(self, data: pa.RecordBatch | pa.Table) -> None:
        check_schema(self._spec, data)
        if data.num_rows == 0:
            return
        try:
            self._con.register("batch", data)
            self._con.execute(f"COPY (SELECT * FROM batch) TO '{self._scratch}' (FORMAT JSON)")
            self._con.unregister("batch")
            lines = self._scratch.read_bytes()
            if self._array:
                lines = lines.rstrip(b"\n").replace(b"\n", b",\n")
                lines = (b",\n" if self._rows else b"") + lines
            self._out.write(lines)
        except OSError as exc:
            raise output_error(self._file.final, exc) from exc
        self._rows += data.num_rows

    def close(self) -> list[FileInfo]:
        fmt = "json" if self._array else "jsonl"
        try:
            if self._array:
                self._out.write(b"\n]\n" if self._rows else b"]\n")
            self._out.close()
        except OSError as exc:
            self._file.discard()
            raise output_error(self._file.final, exc) from exc
        finally:
            self._cleanup()
        size, digest = self._file.commit()
        return [FileInfo(self._file.relative, self._spec.name, fmt, self._part, self._rows,
                         size, digest)]

    def abort(self) -> None:
        try:
            self._out.close()
        except Exception:
            pass
        self._cleanup()
        self._file.discard()

    def _cleanup(self) -> None:
        self._scratch.unlink(missing_ok=True)
        self._con.close()
