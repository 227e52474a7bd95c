"""CSV part files: a header line, RFC 4180 quoting, decimals as plain ``1234.56``."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from datasynth.schemas.base import TableSpec
from datasynth.sinks.base import AtomicFile, BackgroundWriter, FileInfo, check_schema, output_error


class CsvPartWriter:
    def __init__(self, root: Path, relative: str, spec: TableSpec, part: int,
                 compression: str = "none") -> None:
        self._spec = spec
        self._part = part
        self._file = AtomicFile(root, relative)
        self._rows = 0
        try:
            self._sink = pa.OSFile(str(self._file.temp), "wb")
            self._writer = pacsv.CSVWriter(self._sink, spec.schema,
                                           write_options=pacsv.WriteOptions(include_header=True))
        except OSError as exc:
            raise output_error(self._file.final, exc) from exc
        self._background = BackgroundWriter(self._write_now)

    def _write_now(self, data: pa.RecordBatch | pa.Table) -> None:
        try:
            self._writer.write(data)
        except OSError as exc:
            raise output_error(self._file.final, exc) from exc

    def write(self, data: pa.RecordBatch | pa.Table) -> None:
        check_schema(self._spec, data)
        self._rows += data.num_rows
        self._background.submit(data)

    def close(self) -> list[FileInfo]:
        try:
            self._background.finish()
            self._writer.close()
            self._sink.close()
        except OSError as exc:
            self._file.discard()
            raise output_error(self._file.final, exc) from exc
        size, digest = self._file.commit()
        return [FileInfo(self._file.relative, self._spec.name, "csv", self._part, self._rows,
                         size, digest)]

    def abort(self) -> None:
        try:
            self._background.finish()
            self._sink.close()
        except Exception:
            pass
        self._file.discard()
