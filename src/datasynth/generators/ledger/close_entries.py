"""The entries of the period close, one line builder per kind, and the book they post into.

Each builder returns the lines of one entry as signed amounts (debit positive) per chart
position; :class:`CloseBook` keeps the entries in posting order and the running net activity
(debit - credit per run month and account) that later close steps read: the tax provision
and the year-end close must see the depreciation and accruals posted before them.
All amounts are int64 minor units; the few loops here run over entries of one month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from datasynth.errors import GenerationError
from datasynth.generators.ledger.depreciation import month_index
from datasynth.generators.ledger.journal import (
    DOC,
    PROC,
    REF,
    SRC,
    Entries,
    Lines,
    entry_ids,
    fiscal_year_period,
)

CLOSE_SEQUENCE_BASE = 9_000_000_000   # number range of close entries, apart from business ones


class Kind(NamedTuple):
    document_type: int
    process: int
    source: int
    reference_type: int
    seconds: int           # time of day the batch job runs (scheduled, so fixed)


KINDS = {
    "depreciation": Kind(DOC["AF"], PROC["A2R"], SRC["automated"], REF["depreciation_run"],
                         19 * 3600),
    "accrual": Kind(DOC["SA"], PROC["R2R"], SRC["recurring"], REF["accrual"], 20 * 3600),
    "reversal": Kind(DOC["SA"], PROC["R2R"], SRC["recurring"], REF["accrual"], 1 * 3600),
    "tax": Kind(DOC["TX"], PROC["R2R"], SRC["automated"], REF["tax_provision"], 23 * 3600),
    "close": Kind(DOC["CL"], PROC["R2R"], SRC["automated"], REF["year_end_close"],
                  23 * 3600 + 1800),
}


def group_sum(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique keys and the exact int64 sum of ``values`` per key (no float on the way)."""
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros(len(unique), dtype=np.int64)
    np.add.at(sums, inverse.reshape(-1), np.asarray(values, dtype=np.int64))
    return unique, sums


@dataclass
class CloseBook:
    """Close entries in posting order, plus ``net``: input activity and own postings."""

    net: np.ndarray                      # (run months, accounts) int64 debit - credit
    first_month: int                     # months since 1970-01 of net[0]
    _rows: list[tuple] = field(default_factory=list)
    _lines: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    def post(self, day: int, kind: str, text: str, reference: str, account: np.ndarray,
             amount: np.ndarray, center: np.ndarray) -> None:
        """Post one entry of signed lines; zero lines are dropped, an empty entry is skipped."""
        amount = np.asarray(amount, dtype=np.int64)
        keep = amount != 0
        if not keep.any():
            return
        if int(amount.sum()) != 0:
            raise GenerationError(f"close entry {reference} does not balance")
        account = np.asarray(account, dtype=np.int64)[keep]
        self._rows.append((day, KINDS[kind], text, reference))
        self._lines.append((account, amount[keep], np.asarray(center, np.int64)[keep]))
        np.add.at(self.net[int(month_index(np.array([day]))[0]) - self.first_month],
                  account, amount[keep])

    def build(self, company: str, creator: int) -> tuple[Entries, Lines]:
        """Entries and lines; ids ``<company>-<year>-9000000001`` on, per year, in posting
        order (posting order is chronological: each step posts after the one before)."""
        n = len(self._rows)
        days = np.array([r[0] for r in self._rows], dtype=np.int64)
        kinds = np.array([r[1] for r in self._rows], dtype=np.int64).reshape(n, len(Kind._fields))
        years, _ = fiscal_year_period(days)
        sequence = np.zeros(n, dtype=np.int64)
        for year in np.unique(years):             # a few fiscal years
            mask = years == year
            sequence[mask] = np.arange(1, int(mask.sum()) + 1)
        counts = np.array([len(a) for a, _, _ in self._lines], dtype=np.int64)
        amount = _concat([m for _, m, _ in self._lines])
        entries = Entries(
            document_id=entry_ids(company, years, CLOSE_SEQUENCE_BASE + sequence),
            posting_day=days, document_day=days.copy(), seconds=kinds[:, 4],
            document_type=kinds[:, 0], process=kinds[:, 1], source=kinds[:, 2],
            creator=np.full(n, creator, dtype=np.int64),
            header_text=pa.array([r[2] for r in self._rows], pa.string()),
            reference_type=kinds[:, 3],
            reference_id=pa.array([r[3] for r in self._rows], pa.string()),
            partner_id=pa.nulls(n, pa.string()))
        lines = Lines(entry=np.repeat(np.arange(n), counts),
                      account=_concat([a for a, _, _ in self._lines]),
                      debit=np.maximum(amount, 0), credit=np.maximum(-amount, 0),
                      cost_center=_concat([c for _, _, c in self._lines]))
        return entries, lines


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def depreciation_lines(charge: np.ndarray, expense: np.ndarray, contra: np.ndarray,
                       center: np.ndarray) -> tuple[np.ndarray, ...]:
    """IAS 16.48/62: the month's straight-line charge, Dr expense per (account, cost center)
    / Cr the accumulated-depreciation contra account per account, summed over assets."""
    on = charge > 0
    if np.any(on & ((expense < 0) | (contra < 0))):
        raise GenerationError("a depreciated asset has no depreciation accounts")
    width = int(center.max(initial=-1)) + 2          # cost centers + "none"
    key = expense[on] * width + (center[on] + 1)
    debit_key, debit = group_sum(key, charge[on])
    credit_acc, credit = group_sum(contra[on], charge[on])
    return (np.r_[debit_key // width, credit_acc],
            np.r_[debit, -credit],
            np.r_[debit_key % width - 1, np.full(len(credit_acc), -1)])


def draw_accruals(rng: np.random.Generator, opex: np.ndarray, activity: np.ndarray,
                  accrued: np.ndarray, centers: int, floor: int) -> tuple[np.ndarray, ...]:
    """IAS 37.11(b) accruals for services received but not yet invoiced at the month end.

    3-8 accruals share 2-10 % of the month's business spend on ``opex`` accounts (weighted
    towards the accounts that carried that spend), each at least ``floor``. Returns the
    expense account, accrued-liability account, amount and cost center (-1: none) of each.
    ``accrued`` is the accrued-liability account of each ``opex`` account.
    """
    count = min(int(rng.integers(3, 9)), len(opex))
    spend = np.maximum(activity, 0).astype(np.float64)
    uniform = np.full(len(opex), 1.0 / len(opex))
    weights = 0.9 * spend / spend.sum() + 0.1 * uniform if spend.sum() > 0 else uniform
    pick = rng.choice(len(opex), size=count, replace=False, p=weights)
    share = rng.uniform(0.02, 0.10) * rng.dirichlet(np.ones(count))
    amount = np.maximum(np.rint(share * float(spend.sum())).astype(np.int64), floor)
    center = rng.integers(0, centers, count) if centers else np.full(count, -1)
    return opex[pick], accrued[pick], amount, center.astype(np.int64)


def tax_provision(ytd_income: int, rate_bp: int, provided: int) -> int:
    """IAS 12.12 / IAS 34.30(c): the year-to-date current tax (never below zero: a loss is
    not provided for, no deferred tax asset) less what the year has provided already.
    ``rate_bp`` is the statutory rate in basis points; rounding is half up, in integers."""
    cumulative = max(0, (int(ytd_income) * int(rate_bp) + 5_000) // 10_000)
    return cumulative - int(provided)


def closing_lines(year_net: np.ndarray, nominal: np.ndarray,
                  retained_earnings: int) -> tuple[np.ndarray, ...]:
    """Closing of the nominal accounts: the year's profit or loss (IAS 1.81A) moves into
    retained earnings, the equity component it belongs to (IAS 1.106(d)(i)). Each revenue
    and expense balance of the year is reversed, so every nominal account starts the next
    fiscal year at zero; the difference is the year's profit (credit) or loss (debit)."""
    balance = year_net[nominal]
    account = np.r_[nominal, retained_earnings]
    amount = np.r_[-balance, balance.sum()]
    return account, amount, np.full(len(account), -1)
