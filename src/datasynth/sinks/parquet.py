"""Parquet part files: zstd by default, dictionary encoding only for code columns.

Dictionary-encoding high-cardinality keys such as document ids costs six times the time of
plain strings (DESIGN §4), so only columns that are dictionary-typed in the schema get it.
Money is stored with the Parquet DECIMAL logical type on INT64 (allowed for precision <= 18),
which every Parquet reader understands and which encodes faster than fixed-length bytes.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from datasynth.schemas.base import TableSpec
from datasynth.sinks.base import StreamingPartWriter


def writer_options(spec: TableSpec, compression: str | None = "zstd") -> dict:
    """The ``pq.ParquetWriter`` options of a part file of ``spec`` (benchmarks reuse them to
    time pyarrow alone writing the same table)."""
    dictionary_columns = [f.name for f in spec.schema if pa.types.is_dictionary(f.type)]
    return {"compression": compression, "use_dictionary": dictionary_columns or False,
            "write_statistics": True, "store_schema": True, "store_decimal_as_integer": True}


class ParquetPartWriter(StreamingPartWriter):
    format = "parquet"

    def __init__(self, root: Path, relative: str, spec: TableSpec, part: int,
                 compression: str = "zstd") -> None:
        self._compression = None if compression == "none" else compression
        super().__init__(root, relative, spec, part)

    def _open(self, path: Path) -> None:
        self._writer = pq.ParquetWriter(path, self._spec.schema,
                                        **writer_options(self._spec, self._compression))

    def _encode(self, data: pa.RecordBatch | pa.Table) -> None:
        table = data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
        self._writer.write_table(table, row_group_size=max(1, table.num_rows))

    def _finish(self) -> None:
        self._writer.close()
