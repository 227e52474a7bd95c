"""The record every check returns, and the small helpers checks share to build it.

A check is a function ``(Source) -> CheckResult``. Keeping that contract tiny is what lets
later checks (intercompany, consolidation, anomaly labels) be added as one more function.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

PASS, FAIL, SKIP, ERROR = "pass", "fail", "skip", "error"
EXAMPLES = 3      # offending keys shown in a detail: enough to start looking, short enough to read


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str          # pass, fail, skip (tables absent) or error (the check could not run)
    checked: int = 0     # rows, entries or groups examined
    violations: int = 0
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status in (FAIL, ERROR)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def outcome(name: str, checked: int, violations: int, detail: str = "",
            ok_detail: str = "") -> CheckResult:
    """Pass when nothing is violated; the detail names offenders on failure, counts otherwise."""
    if violations:
        return CheckResult(name, FAIL, checked, violations, detail)
    return CheckResult(name, PASS, checked, 0, ok_detail)


def skipped(name: str, missing: list[str] | tuple[str, ...] | str) -> CheckResult:
    if isinstance(missing, str):
        return CheckResult(name, SKIP, detail=missing)
    return CheckResult(name, SKIP, detail="tables absent: " + ", ".join(missing))


def examples(rows: list[tuple], fmt=None) -> str:
    """``a, b, c`` from the first example rows (each row formatted by ``fmt``)."""
    shown = [fmt(*row) if fmt else " ".join(str(v) for v in row) for row in rows[:EXAMPLES]]
    return ", ".join(shown)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``1 entry``, ``2,000 entries``: counts in details read as sentences."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def money(value: Any) -> str:
    return "null" if value is None else f"{value:,.2f}"


def period(key: int | None) -> str:
    """A period key ``fiscal_year * 100 + fiscal_period`` as ``2024-07``."""
    return "?" if key is None else f"{key // 100}-{key % 100:02d}"


def named(name: str) -> Callable[[Callable[..., CheckResult]], Callable[[Any], CheckResult]]:
    """Declare a check: ``fn(src, name)`` becomes ``check(src)``, carrying ``check_name``.

    A check that cannot run (an unreadable file, a column missing from a damaged table, a
    bug) becomes an error result under its own name, and the other checks still run.
    """
    def declare(fn: Callable[..., CheckResult]) -> Callable[[Any], CheckResult]:
        @functools.wraps(fn)
        def run(src: Any) -> CheckResult:
            try:
                return fn(src, name)
            except Exception as exc:  # noqa: BLE001 - reported as this check's result
                text = str(exc).strip()
                message = text.splitlines()[0] if text else ""
                if type(exc).__name__ == "OutOfMemoryException":   # DuckDB, past its budget
                    return CheckResult(name, ERROR, detail="could not run within the memory "
                                       "limit: raise verify --memory-limit (MB); " + message[:200])
                return CheckResult(name, ERROR, detail=f"could not run: {type(exc).__name__}: "
                                   f"{message}"[:300])
        run.check_name = name  # type: ignore[attr-defined]
        return run
    return declare
