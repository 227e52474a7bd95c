"""Running the real command line in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATASYNTH_")}
    return subprocess.run([sys.executable, "-m", "datasynth.cli.main", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env)


def write_config(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def manifest(output: Path) -> dict:
    return json.loads((output / "manifest.json").read_text())


def part_hashes(output: Path) -> dict[str, str]:
    """sha256 of every part file under ``output``, by relative path: equal dicts are
    byte-identical outputs."""
    return {str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("part-*"))}


def verify_checks(root) -> tuple[int, dict[str, dict]]:
    """``datasynth-data verify ROOT --json``: the exit code and each check by name."""
    done = run_cli("verify", root, "--json")
    assert "Traceback" not in done.stderr
    return done.returncode, {c["name"]: c for c in json.loads(done.stdout)["checks"]}


def failed_checks(checks: dict[str, dict]) -> set[str]:
    return {name for name, c in checks.items() if c["status"] in ("fail", "error")}
