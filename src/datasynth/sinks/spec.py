"""SinkSpec: a picklable description of where and how to write, opened inside each worker."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from datasynth.errors import OutputError
from datasynth.schemas.base import TableSpec
from datasynth.sinks.base import FileInfo, PartWriter, output_error
from datasynth.sinks.csv import CsvPartWriter
from datasynth.sinks.json import JsonPartWriter
from datasynth.sinks.layout import EXTENSIONS, part_path
from datasynth.sinks.memory import MemoryPartWriter, MemoryStore
from datasynth.sinks.parquet import ParquetPartWriter

MIN_FREE_BYTES = 64 << 20
# Label tables are also written as CSV and JSON Lines whatever the main format, under
# ``<out>/labels/<format>/<table>/``: the files ML and audit tools pick up without pyarrow.
LABEL_TABLES = ("anomaly_labels", "quality_labels")
LABEL_FORMATS = ("csv", "jsonl")


@dataclass(frozen=True)
class SinkSpec:
    root: str
    formats: tuple[str, ...] = ("parquet",)
    compression: str = "zstd"
    memory: MemoryStore | None = field(default=None, compare=False)

    @property
    def multi_format(self) -> bool:
        return len(self.formats) > 1

    def open_part(self, spec: TableSpec, part: int) -> PartWriter:
        if self.memory is not None:
            return MemoryPartWriter(self.memory, spec, part)
        writers = [self._open(fmt, spec, part) for fmt in self.formats]
        if spec.name in LABEL_TABLES:
            writers += [self._open(fmt, spec, part, f"labels/{fmt}/{spec.name}/part-{part:05d}."
                                   f"{EXTENSIONS[fmt]}")
                        for fmt in LABEL_FORMATS if fmt not in self.formats]
        return writers[0] if len(writers) == 1 else FanOutWriter(writers)

    def _open(self, fmt: str, spec: TableSpec, part: int,
              relative: str | None = None) -> PartWriter:
        root = Path(self.root)
        relative = relative or part_path(spec.name, part, fmt, self.multi_format)
        if fmt == "parquet":
            return ParquetPartWriter(root, relative, spec, part, self.compression)
        if fmt == "csv":
            return CsvPartWriter(root, relative, spec, part)
        if fmt in ("jsonl", "json"):
            return JsonPartWriter(root, relative, spec, part, array=(fmt == "json"))
        raise ValueError(f"unknown output format {fmt!r}")

    def preflight(self) -> None:
        """Create the output directory and prove a file can be written there."""
        if self.memory is not None:
            return
        root = Path(self.root)
        if root.exists() and not root.is_dir():
            raise OutputError(f"output location {root} exists and is not a directory")
        probe = root / ".datasynth-write-probe"
        try:
            root.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"ok")
            probe.unlink()
            free = shutil.disk_usage(root).free
        except OSError as exc:
            raise output_error(root, exc) from exc
        if free < MIN_FREE_BYTES:
            raise OutputError(f"output location {root} has only {free >> 20} MiB free; "
                              f"at least {MIN_FREE_BYTES >> 20} MiB are needed")


class FanOutWriter:
    """Writes the same batches to one part file per format."""

    def __init__(self, writers: list[PartWriter]) -> None:
        self._writers = writers

    def write(self, data) -> None:
        for writer in self._writers:
            writer.write(data)

    def close(self) -> list[FileInfo]:
        return [info for writer in self._writers for info in writer.close()]

    def abort(self) -> None:
        for writer in self._writers:
            writer.abort()
