"""The manifest check: the run finished, and the files on disk are the files it recorded.

A file whose checksum or row count differs was changed after the run; a part file the
manifest does not list would be picked up by anyone reading the table directory as one
dataset, so it is reported too.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from datasynth.schemas.registry import TABLES
from datasynth.sinks.base import sha256_of
from datasynth.sinks.layout import table_dir
from datasynth.verify.result import EXAMPLES, CheckResult, named, outcome
from datasynth.verify.source import Source, reader_sql


@named("manifest")
def check_manifest(src: Source, name: str) -> CheckResult:
    manifest, problems = src.manifest, []
    if manifest.get("status") != "complete":
        problems.append(f"run status is {manifest.get('status')!r}, not 'complete'")
    tables: dict[str, Any] = manifest["tables"]
    files = [(name, f) for name, entry in tables.items() for f in entry["files"]]
    # hashing dominates on large outputs; hashlib releases the GIL, so threads overlap it
    with ThreadPoolExecutor(max_workers=8) as pool:
        problems += [p for p in pool.map(lambda item: _file_problem(src, *item), files) if p]
    problems += _total_problems(tables)
    problems += _unlisted_files(src.root, manifest)
    if problems:
        more = f" (+{len(problems) - EXAMPLES} more)" if len(problems) > EXAMPLES else ""
        return outcome(name, len(files), len(problems), "; ".join(problems[:EXAMPLES]) + more)
    return outcome(name, len(files), 0,
                   ok_detail=f"{len(tables)} tables, {len(files)} files, checksums match")


def _file_problem(src: Source, table: str, entry: dict[str, Any]) -> str | None:
    rel = entry["path"]
    path = src.root / rel
    if not path.is_file():
        return f"{rel} is missing"
    if entry.get("bytes") is not None and path.stat().st_size != entry["bytes"]:
        return f"{rel} has {path.stat().st_size} bytes, manifest says {entry['bytes']}"
    if entry.get("sha256") and sha256_of(path) != entry["sha256"]:
        return f"{rel} sha256 differs from the manifest"
    try:
        rows = _count_rows(src, table, path, entry.get("format") or path.suffix.lstrip("."))
    except (OSError, ValueError, pa.ArrowException, duckdb.Error) as exc:
        # a damaged file: say which, and keep checking the others
        return f"{rel} cannot be read ({type(exc).__name__})"
    if rows != entry.get("rows"):
        return f"{rel} holds {rows} rows, manifest says {entry.get('rows')}"
    return None


def _count_rows(src: Source, table: str, path: Path, fmt: str) -> int:
    if fmt == "parquet":
        return pq.read_metadata(path).num_rows
    if table not in TABLES:
        raise ValueError(f"unknown table {table}")
    cursor = src.con.cursor()      # one connection per thread
    try:
        return int(cursor.execute(f"SELECT count(*) FROM {reader_sql(fmt, [path], table)}")
                   .fetchall()[0][0])
    finally:
        cursor.close()


def _total_problems(tables: dict[str, Any]) -> list[str]:
    problems = []
    for name, entry in tables.items():
        per_format: dict[str, int] = defaultdict(int)
        for f in entry["files"]:
            per_format[str(f.get("format"))] += int(f.get("rows") or 0)
        for fmt, total in sorted(per_format.items()):
            if total != entry.get("rows"):
                problems.append(f"{name}: {fmt} files hold {total} rows, table total says "
                                f"{entry.get('rows')}")
    return problems


def _unlisted_files(root: Path, manifest: dict[str, Any]) -> list[str]:
    listed = {f["path"] for entry in manifest["tables"].values() for f in entry["files"]}
    formats = manifest.get("formats") or ["parquet"]
    problems = []
    for name in sorted(manifest["tables"]):
        for fmt in formats:
            folder = root / table_dir(name, fmt, len(formats) > 1)
            for path in sorted(folder.glob("part-*")) if folder.is_dir() else []:
                rel = path.relative_to(root).as_posix()
                if rel not in listed:
                    problems.append(f"{rel} is not listed in the manifest")
    return problems
