"""The run manifest: what was generated, from what, and whether it is complete.

``<out>/manifest.json`` is rewritten atomically (temporary file + rename) at the start, after
each phase and at the end, with ``status`` running, then complete, failed or interrupted. It
records the seed, the resolved configuration and its sha256, library versions, per-table row
counts, every file with its rows and sha256, the schemas and per-phase timings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasynth.schemas.registry import table_spec
from datasynth.sinks.base import FileInfo, output_error
from datasynth.sinks.layout import MANIFEST

if TYPE_CHECKING:
    from datasynth.config import Config

MANIFEST_VERSION = 1
_LIBRARIES = ("datasynth", "numpy", "pyarrow", "pydantic", "duckdb", "Faker", "holidays")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class ManifestWriter:
    def __init__(self, root: Path | None, config: Config, run_id: str, formats: tuple[str, ...],
                 plan: list[str]) -> None:
        self.root = root
        self._files: dict[str, list[FileInfo]] = defaultdict(list)
        self._rows: dict[str, int] = defaultdict(int)
        self._phases: list[dict[str, Any]] = []
        self.data: dict[str, Any] = {
            "manifest_version": MANIFEST_VERSION, "generator": "datasynth",
            "status": "running", "run_id": run_id, "seed": config.seed,
            "config_sha256": config.sha256(), "config": config.to_dict(),
            "formats": list(formats), "plan": plan, "versions": library_versions(),
            "started_at": _now(), "finished_at": None, "tables": {}, "phases": [],
            "error": None,
        }

    @property
    def status(self) -> str:
        return str(self.data["status"])

    def add_files(self, files: list[FileInfo], rows: dict[str, int]) -> None:
        for info in files:
            self._files[info.table].append(info)
        for table, count in rows.items():
            self._rows[table] += count

    def restore(self, files: list[FileInfo], rows: dict[str, int],
                phases: list[dict[str, Any]]) -> None:
        """Take over what the finished phases of an earlier, unfinished run wrote."""
        self.add_files(files, rows)
        self._phases.extend(phases)

    def phase_done(self, name: str, seconds: float, shards: int, units: int) -> None:
        self._phases.append({"name": name, "seconds": round(seconds, 3), "shards": shards,
                             "units": units})
        self.write()

    def finish(self, status: str, error: BaseException | None = None) -> None:
        self.data["status"] = status
        self.data["finished_at"] = _now()
        if error is not None:
            self.data["error"] = {"type": type(error).__name__, "message": str(error)}
        self.write()

    def files(self) -> list[FileInfo]:
        return [info for infos in self._files.values() for info in infos]

    def table_rows(self) -> dict[str, int]:
        return dict(self._rows)

    def _tables(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for table in sorted(self._files):
            spec = table_spec(table)
            files = sorted(self._files[table], key=lambda f: (f.format, f.part))
            out[table] = {
                "description": spec.description,
                "rows": self._rows.get(table, 0),
                "key": list(spec.key),
                "files": [{"path": f.path, "format": f.format, "rows": f.rows,
                           "bytes": f.bytes, "sha256": f.sha256} for f in files],
                "schema": [{"name": f.name, "type": str(f.type), "nullable": f.nullable,
                            "description": (f.metadata or {}).get(b"description", b"").decode()}
                           for f in spec.schema],
            }
        return out

    def write(self) -> None:
        self.data["tables"] = self._tables()
        self.data["phases"] = list(self._phases)
        if self.root is None:
            return
        path = self.root / MANIFEST
        temp = self.root / f".{MANIFEST}.tmp"
        try:
            temp.write_text(json.dumps(self.data, indent=2) + "\n", encoding="utf-8")
            os.replace(temp, path)
        except OSError as exc:
            raise output_error(path, exc) from exc


def read_manifest(root: Path) -> dict[str, Any] | None:
    path = root / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("generator") == "datasynth" else None
