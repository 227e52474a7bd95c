"""What every sink shares: the part-writer contract, file records, atomic files, hashing.

A part writer receives the record batches of one (table, shard) and produces one file.
It writes to a hidden temporary name and renames on close, so a part file that exists is
complete. Batches must match the table's schema exactly: a mismatch is a bug upstream.
"""

from __future__ import annotations

import errno
import hashlib
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from datasynth.errors import GenerationError, OutputError
from datasynth.schemas.base import TableSpec


@dataclass(frozen=True)
class FileInfo:
    path: str            # relative to the output root, '/' separated
    table: str
    format: str
    part: int
    rows: int
    bytes: int
    sha256: str | None


class PartWriter(Protocol):
    def write(self, data: pa.RecordBatch | pa.Table) -> None: ...

    def close(self) -> list[FileInfo]: ...

    def abort(self) -> None: ...


def check_schema(spec: TableSpec, data: pa.RecordBatch | pa.Table) -> None:
    if not data.schema.equals(spec.schema, check_metadata=False):
        raise GenerationError(f"batch for table {spec.name!r} does not match its schema:\n"
                              f"expected {spec.schema}\ngot {data.schema}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def output_error(path: Path | str, exc: OSError) -> OutputError:
    reason = {errno.ENOSPC: "the disk is full", errno.EACCES: "permission denied",
              errno.EROFS: "the file system is read-only",
              errno.ENOENT: "the directory no longer exists"}.get(exc.errno or 0,
                                                                   exc.strerror or str(exc))
    return OutputError(f"cannot write {path}: {reason}")


def require_root(root: Path) -> None:
    """The output root must still be there: writers create table directories below it, never
    the root itself, so a directory removed during a run is not half recreated."""
    if not Path(root).is_dir():
        raise OutputError(f"cannot write {root}: the directory no longer exists")


class AtomicFile:
    """A destination written under a hidden temporary name and renamed when complete."""

    def __init__(self, root: Path, relative: str) -> None:
        self.relative = relative
        self.final = root / relative
        self.temp = self.final.with_name(f".{self.final.name}.tmp")
        require_root(root)
        try:
            self.final.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise output_error(self.final.parent, exc) from exc

    def commit(self) -> tuple[int, str]:
        try:
            os.replace(self.temp, self.final)
            return self.final.stat().st_size, sha256_of(self.final)
        except OSError as exc:
            raise output_error(self.final, exc) from exc

    def discard(self) -> None:
        try:
            self.temp.unlink(missing_ok=True)
        except OSError:
            pass


class StreamingPartWriter:
    """A part writer whose encoding runs on a background thread.

    Subclasses open their encoder on the temporary path (``_open``), encode one batch
    (``_encode``, on the writer thread) and finish the file (``_finish``). This class owns the
    schema check, row counting, atomic commit, hashing and the mapping of OS errors.
    """

    format: str = ""

    def __init__(self, root: Path, relative: str, spec: TableSpec, part: int) -> None:
        self._spec = spec
        self._part = part
        self._file = AtomicFile(root, relative)
        self._rows = 0
        try:
            self._open(self._file.temp)
        except OSError as exc:
            self._file.discard()
            raise output_error(self._file.final, exc) from exc
        self._background = BackgroundWriter(self._encode_guarded)

    def _open(self, path: Path) -> None:
        raise NotImplementedError

    def _encode(self, data: pa.RecordBatch | pa.Table) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError

    def _encode_guarded(self, data: pa.RecordBatch | pa.Table) -> None:
        try:
            self._encode(data)
        except OSError as exc:
            raise output_error(self._file.final, exc) from exc

    def write(self, data: pa.RecordBatch | pa.Table) -> None:
        check_schema(self._spec, data)
        self._rows += data.num_rows
        self._background.submit(data)

    def close(self) -> list[FileInfo]:
        try:
            self._background.finish()
            self._finish()
        except OSError as exc:
            self._file.discard()
            raise output_error(self._file.final, exc) from exc
        except BaseException:
            self._file.discard()
            raise
        size, digest = self._file.commit()
        return [FileInfo(self._file.relative, self._spec.name, self.format, self._part,
                         self._rows, size, digest)]

    def abort(self) -> None:
        try:
            self._background.finish()
        except BaseException:
            pass
        try:
            self._finish()
        except BaseException:
            pass
        self._file.discard()


class BackgroundWriter:
    """Runs a writer's ``_write_now`` on a thread so encoding overlaps with generation.

    Arrow's encoders release the GIL, so one worker can generate batch n+1 while batch n is
    compressed. The queue is short: memory stays bounded by two batches in flight.
    """

    def __init__(self, write_now, depth: int = 2) -> None:
        self._write_now = write_now
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="datasynth-writer", daemon=True)
        self._thread.start()

    def submit(self, data: pa.RecordBatch | pa.Table) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def finish(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _loop(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._write_now(item)
                except BaseException as exc:  # surfaced to the producer on its next call
                    self._error = exc
