"""Resuming an unfinished run, and the lock that keeps two runs out of one directory.

A run writes its manifest after every phase, so an output left by Ctrl-C, SIGTERM, a failure
or SIGKILL records which phases finished and every file they wrote. ``generate --resume``
checks that the configuration is the one the manifest was written from, keeps the finished
phases' files (each must still have the size it was written with) and their run state, and
runs the remaining phases. Every shard is a pure function of the configuration, so the
finished output is byte-identical to an uninterrupted run's.

Which part files a phase wrote follows from the plan: a phase's parts of a table are the
range after those of the phases before it that write the same table.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasynth.errors import ConfigurationError, OutputError
from datasynth.runtime.manifest import read_manifest
from datasynth.runtime.plan import Plan, writes_of
from datasynth.sinks.base import FileInfo
from datasynth.sinks.layout import STATE_DIR

if TYPE_CHECKING:
    from datasynth.config import Config

LOCK = "lock"


@dataclass
class ResumePoint:
    """What an unfinished output already holds: the phases done and their files."""

    done: list[str] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    timings: list[dict[str, Any]] = field(default_factory=list)
    complete: dict[str, Any] | None = None      # the manifest of an output already complete


def resume_point(root: Path, config: Config, plan: Plan) -> ResumePoint:
    manifest = read_manifest(root)
    if manifest is None:
        raise OutputError(f"nothing to resume in {root}: no datasynth manifest")
    before, now = _output_settings(manifest.get("config") or {}), _output_settings(
        config.to_dict())
    if before != now:
        raise ConfigurationError(f"cannot resume {root} with a different configuration: "
                                 f"{_what_changed(before, now)}; resume with the configuration "
                                 "it was started with, or generate without --resume to start "
                                 "over")
    point = ResumePoint()
    if manifest.get("status") == "complete":
        point.complete = manifest
        return point
    for temp in root.rglob(".part-*.tmp"):   # a file a killed writer never finished
        try:
            temp.unlink()
        except OSError as exc:
            raise OutputError(f"cannot remove the unfinished file {temp}: {exc}") from exc
    finished = [p for p in manifest.get("phases", []) if p.get("name") in plan.names]
    ranges = _part_ranges(plan, config)
    listed = {(t, f["format"], int(f["path"].rsplit("-", 1)[1].split(".")[0])): (t, f)
              for t, table in manifest.get("tables", {}).items() for f in table["files"]}
    for entry in finished:
        name = entry["name"]
        for (table, fmt, part), (_, f) in listed.items():
            low, high = ranges[name].get(table, (0, 0))
            if not low <= part < high:
                continue
            path = root / f["path"]
            if not path.is_file() or path.stat().st_size != f["bytes"]:
                return ResumePoint()         # damaged: start the phases over from the first
            point.files.append(FileInfo(f["path"], table, fmt, part, f["rows"], f["bytes"],
                                        f.get("sha256")))
            point.rows[table] = point.rows.get(table, 0) + f["rows"]
        point.done.append(name)
        point.timings.append(entry)
    return point


# Runtime settings that decide how a run goes, not what it writes: a resume may change them
# (for example a higher memory limit after MemoryExceeded).
_HOW_NOT_WHAT = ("workers", "executor", "memory")


def _output_settings(config: dict) -> dict:
    runtime = {k: v for k, v in (config.get("runtime") or {}).items() if k not in _HOW_NOT_WHAT}
    return {**config, "runtime": runtime}


def _part_ranges(plan: Plan, config: Config) -> dict[str, dict[str, tuple[int, int]]]:
    parts: dict[str, int] = {}
    ranges: dict[str, dict[str, tuple[int, int]]] = {}
    for phase in plan.phases:
        shards = len(list(phase.shards(config)))
        ranges[phase.name] = {}
        for table in writes_of(phase, config):
            start = parts.get(table, 0)
            ranges[phase.name][table] = (start, start + shards)
            parts[table] = start + shards
    return ranges


def _what_changed(before: dict, after: dict, path: str = "") -> str:
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        where = f"{path}.{key}" if path else str(key)
        if isinstance(a, dict) and isinstance(b, dict):
            inner = _what_changed(a, b, where)
            if inner:
                changes.append(inner)
        elif a != b:
            changes.append(f"{where} was {a!r}, now {b!r}")
    return "; ".join(changes[:5])


def check_lock(root: Path) -> None:
    """Refuse a directory a live run holds; a lock whose process died is taken over."""
    lock = root / STATE_DIR / LOCK
    try:
        pid_text, host = lock.read_text(encoding="utf-8").split("\n")[:2]
        pid = int(pid_text)
    except (OSError, ValueError):
        return
    if pid != os.getpid() and host == socket.gethostname() and _alive(pid):
        raise OutputError(f"output directory {root} is in use by a running datasynth "
                          f"(process {pid}); wait for it, or stop it first")


def acquire_lock(root: Path) -> Path:
    """Hold ``<out>/.datasynth/lock`` for this run (after :func:`check_lock`)."""
    lock = root / STATE_DIR / LOCK
    here = socket.gethostname()
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        lock.write_text(f"{os.getpid()}\n{here}\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write to output directory {root}: {exc}") from exc
    return lock


def release_lock(lock: Path) -> None:
    try:
        lock.unlink(missing_ok=True)
        lock.parent.rmdir()                  # only when the run state is gone too
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
