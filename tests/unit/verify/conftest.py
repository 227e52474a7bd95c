"""Fixtures of the verify tests: the coherent books written out, and a way to run checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasynth.verify import CheckResult, verify
from tests.unit.verify.builder import build_output

_REPORTS: dict[tuple, dict[str, CheckResult]] = {}


def _fingerprint(root: Path) -> tuple:
    """Changes whenever a file under ``root`` does, so damage after a run is seen."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in root.rglob("*") if p.is_file()))


def results(root: Path) -> dict[str, CheckResult]:
    """Every check's result on ``root``; one run serves a test's several questions."""
    key = (str(root), _fingerprint(root))
    if key not in _REPORTS:
        _REPORTS.clear()
        _REPORTS[key] = {r.name: r for r in verify(root).results}
    return _REPORTS[key]


def failing(root: Path) -> set[str]:
    """Names of the checks that fail (or could not run) on ``root``."""
    return {name for name, r in results(root).items() if r.failed}


@pytest.fixture
def books_dir(tmp_path) -> Path:
    return build_output(tmp_path / "out")


@pytest.fixture
def build(tmp_path):
    """``build(edit=..., drop=...)``: the books written after an edit, in a fresh directory."""
    count = iter(range(1000))

    def make(**kwargs) -> Path:
        return build_output(tmp_path / f"out{next(count)}", **kwargs)

    return make
