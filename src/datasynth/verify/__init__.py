"""Verifying a generated output: do the books add up, and does every key resolve?

``verify(path)`` opens the output read-only and runs every check in :data:`CHECKS` in order.
A check is a plain function ``(Source) -> CheckResult``; to add one (intercompany,
consolidation, anomaly labels, ...), write it in a ``checks_*`` module and append it here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from datasynth.verify.checks_amounts import (
    AMOUNT_CHECKS,
    check_balanced,
    check_one_sided,
)
from datasynth.verify.checks_anomalies import ANOMALY_CHECKS
from datasynth.verify.checks_chains import CHAIN_CHECKS
from datasynth.verify.checks_consolidation import CONSOLIDATION_CHECKS
from datasynth.verify.checks_fx import FX_CHECKS
from datasynth.verify.checks_group import check_group_keys
from datasynth.verify.checks_intercompany import PAIR_CHECKS
from datasynth.verify.checks_intercompany_balances import BALANCE_CHECKS
from datasynth.verify.checks_keys import KEY_CHECKS
from datasynth.verify.checks_manifest import check_manifest
from datasynth.verify.checks_positions import POSITION_CHECKS
from datasynth.verify.checks_statements import (
    check_balance_sheet,
    check_opening_balances,
    check_year_end_close,
)
from datasynth.verify.checks_subledgers import SUBLEDGER_CHECKS
from datasynth.verify.checks_trial_balance import (
    check_agrees_with_journal,
    check_continuity,
    check_movements,
    check_roll_forward,
    check_zero_sum,
)
from datasynth.verify.result import ERROR, FAIL, PASS, SKIP, CheckResult
from datasynth.verify.source import DEFAULT_MEMORY_LIMIT_MB, NotAnOutput, Source

__all__ = ["CHECKS", "ERROR", "FAIL", "PASS", "SKIP", "CheckResult", "NotAnOutput", "Report",
           "Source", "run_checks", "verify"]

Check = Callable[[Source], CheckResult]

CHECKS: tuple[Check, ...] = (
    check_manifest,
    check_balanced, check_one_sided,
    *AMOUNT_CHECKS,
    check_zero_sum, check_roll_forward, check_continuity, check_agrees_with_journal,
    check_movements,
    check_opening_balances, check_balance_sheet, check_year_end_close,
    *SUBLEDGER_CHECKS,
    *POSITION_CHECKS,
    *KEY_CHECKS,
    *CHAIN_CHECKS,
    *ANOMALY_CHECKS,
    *FX_CHECKS,
    check_group_keys, *PAIR_CHECKS, *BALANCE_CHECKS, *CONSOLIDATION_CHECKS,
)


@dataclass
class Report:
    root: Path
    results: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not any(r.failed for r in self.results)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def to_dict(self) -> dict:
        return {"directory": str(self.root), "ok": self.ok, "seconds": round(self.seconds, 3),
                "summary": {s: self.count(s) for s in (PASS, FAIL, ERROR, SKIP)},
                "checks": [r.to_dict() for r in self.results]}


def run_checks(src: Source, checks: Sequence[Check] = CHECKS) -> list[CheckResult]:
    """Every check's result, in the order of ``checks``.

    Checks run on a few threads: each is a handful of queries whose planning, not data,
    dominates on small outputs, and DuckDB releases the GIL while it works. Each check turns
    its own failure to run into an error result.
    """
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda check: check(src), checks))


def verify(root: Path, checks: Sequence[Check] = CHECKS,
           memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB) -> Report:
    """Check the output in ``root``; raises NotAnOutput if it is not a datasynth output.

    ``memory_limit_mb`` bounds DuckDB's working memory; what does not fit spills to a scratch
    directory, so a smaller budget is slower, not wrong (a check that still cannot fit reports
    an error naming the limit).
    """
    started = time.perf_counter()
    with Source(root, memory_limit_mb) as src:
        results = run_checks(src, checks)
    return Report(root, results, time.perf_counter() - started)

