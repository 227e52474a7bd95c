"""CSV part files: a header line, RFC 4180 quoting, decimals as plain ``1234.56``."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from datasynth.sinks.base import StreamingPartWriter


class CsvPartWriter(StreamingPartWriter):
    format = "csv"

    def _open(self, path: Path) -> None:
        self._sink = pa.OSFile(str(path), "wb")
        self._writer = pacsv.CSVWriter(self._sink, self._spec.schema,
                                       write_options=pacsv.WriteOptions(include_header=True))

    def _encode(self, data: pa.RecordBatch | pa.Table) -> None:
        self._writer.write(data)

    def _finish(self) -> None:
        if not self._sink.closed:
            self._writer.close()
            self._sink.close()
