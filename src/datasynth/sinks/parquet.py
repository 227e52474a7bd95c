"""Parquet part files: zstd by default, dictionary encoding only for code columns.

Dictionary-encoding high-cardinality keys such as document ids costs six times the time of
plain strings (DESIGN §4), so only columns that are dictionary-typed in the schema get it.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from datasynth.schemas.base import TableSpec
from datasynth.sinks.base import AtomicFile, BackgroundWriter, FileInfo, check_schema, output_error


class ParquetPartWriter:
    def __init__(self, root: Path, relative: str, spec: TableSpec, part: int,
                 compression: str = "zstd") -> None:
        self._spec = spec
        self._part = part
        self._file = AtomicFile(root, relative)
        self._rows = 0
        dictionary_columns = [f.name for f in spec.schema if pa.types.is_dictionary(f.type)]
        try:
            self._writer = pq.ParquetWriter(
                self._file.temp, spec.schema,
                compression=None if compression == "none" else compression,
                use_dictionary=dictionary_columns or False,
                write_statistics=True, store_schema=True)
        except OSError as exc:
            raise output_error(self._file.final, exc) from exc
        self._background = BackgroundWriter(self._write_now)

    def _write_now(self, data: pa.RecordBatch | pa.Table) -> None:
        table = data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
        try:
            self._writer.write_table(table, row_group_size=max(1, table.num_rows))
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
        except OSError as exc:
            self._file.discard()
            raise output_error(self._file.final, exc) from exc
        size, digest = self._file.commit()
        return [FileInfo(self._file.relative, self._spec.name, "parquet", self._part,
                         self._rows, size, digest)]

    def abort(self) -> None:
        try:
            self._background.finish()
            self._writer.close()
        except Exception:
            pass
        self._file.discard()
