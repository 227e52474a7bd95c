"""Preparing the output directory: only empty directories or earlier datasynth outputs.

Replacing an earlier output removes exactly what its manifest says it wrote (and the run
state), so stale part files from a larger earlier run cannot leak into the new datasets,
and nothing that datasynth did not write is ever deleted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from datasynth.errors import OutputError
from datasynth.runtime.manifest import read_manifest
from datasynth.sinks.layout import MANIFEST, STATE_DIR


def prepare_output(root: Path) -> None:
    if not root.exists():
        return
    if not root.is_dir():
        raise OutputError(f"output location {root} exists and is not a directory")
    entries = [p for p in root.iterdir()]
    if not entries:
        return
    manifest = read_manifest(root)
    if manifest is None:
        raise OutputError(f"output directory {root} is not empty and holds no datasynth output "
                          "(no manifest.json); choose an empty or new directory")
    _remove_previous(root, manifest)


def _remove_previous(root: Path, manifest: dict) -> None:
    try:
        for table in manifest.get("tables", {}).values():
            for entry in table.get("files", []):
                (root / entry["path"]).unlink(missing_ok=True)
        for fmt in manifest.get("formats", []):
            _remove_empty_dirs(root / fmt)
        for table in manifest.get("tables", {}):
            _remove_empty_dirs(root / table)
        shutil.rmtree(root / STATE_DIR, ignore_errors=True)
        (root / MANIFEST).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot replace the earlier output in {root}: {exc}") from exc


def _remove_empty_dirs(path: Path) -> None:
    if not path.is_dir():
        return
    for child in sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if child.is_dir() and not any(child.iterdir()):
            child.rmdir()
        elif child.is_file() and child.name.startswith(".") and child.name.endswith(".tmp"):
            child.unlink()
    if not any(path.iterdir()):
        path.rmdir()
