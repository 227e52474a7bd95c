"""AR and AP open items at every period end, with aging.

An invoice (or credit memo) is on its subledger from its posting period on; its open amount
at a period end is its gross amount less everything cleared (payments, discounts, write-offs)
in clearing documents posted up to that period. It is listed at each period end where that
amount is not zero.

Vectorised for millions of invoices: clearing events are grouped by (item, period), summed
and accumulated per item, which cuts each item's life into *segments* of constant open
amount ``[from period, to period)``. A snapshot selects the segments covering its period, so
only the rows of one period are ever materialised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.errors import GenerationError
from datasynth.generators.common.arrow import constant_dictionary, dictionary
from datasynth.generators.ledger.foreign_items import foreign_values
from datasynth.generators.ledger.subledgers import (
    PeriodGrid,
    day_numbers,
    resolve,
    sorted_by_id,
)
from datasynth.money import to_decimal, to_minor_units
from datasynth.schemas.base import TableSpec
from datasynth.schemas.ledgers import AP_OPEN_ITEMS, AR_OPEN_ITEMS

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
# First day past due of each bucket after "current": due today is still current.
_BUCKET_STARTS = np.array([1, 31, 61, 91], dtype=np.int64)

# Columns the generators read from the document tables (after the company filter).
INVOICE_COLUMNS = ("invoice_id", "invoice_date", "due_date", "fiscal_year", "fiscal_period",
                   "gross_amount", "control_account")
CLEARING_COLUMNS = ("invoice_id", "fiscal_year", "fiscal_period", "cleared_amount")
# ... and of documents that may be in a foreign currency
FOREIGN_INVOICE_COLUMNS = ("transaction_currency", "transaction_gross_amount")
FOREIGN_CLEARING_COLUMNS = ("transaction_cleared_amount",)


@dataclass(frozen=True)
class Valuation:
    """What values foreign-currency items at a period end (IAS 21.23): the company's
    currency, and the closing rate into it of a currency for each period of the grid
    (``closing(code) -> int64 rates, 1e-10``); the valuation account's number."""

    currency: str
    closing: Callable[[str], np.ndarray]
    account: str


def aging(days_past_due: np.ndarray) -> np.ndarray:
    """Index into :data:`AGING_BUCKETS` of days past due (0 = not yet due)."""
    return np.searchsorted(_BUCKET_STARTS, days_past_due, side="right")


@dataclass(frozen=True)
class Segments:
    """Runs of constant open amount: item ``item`` has ``amount`` open at the end of each
    period in ``[start, stop)``. Ordered by item, then start; amounts are never zero."""

    item: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    amount: np.ndarray


def open_segments(gross: np.ndarray, posted: np.ndarray, clear_item: np.ndarray,
                  clear_period: np.ndarray, cleared: np.ndarray, periods: int) -> Segments:
    """Segments of the items with ``gross`` amounts posted in run period ``posted``, cleared
    by ``cleared`` amounts of item ``clear_item`` in run period ``clear_period``."""
    n = len(gross)
    # Before the run (opening items) counts as the first period. A clearing posted before its
    # invoice would only matter where the invoice is not listed yet: count it at the start.
    posted = np.maximum(np.asarray(posted, np.int64), 0)
    clear_period = np.maximum(np.asarray(clear_period, np.int64), posted[clear_item])
    # A zero-amount event at each item's posting period opens its first segment.
    item = np.concatenate([np.arange(n, dtype=np.int64), clear_item])
    period = np.concatenate([posted, clear_period])
    amount = np.concatenate([np.zeros(n, np.int64), np.asarray(cleared, np.int64)])
    inside = period < periods           # after the run: not in any snapshot
    key = item[inside] * periods + period[inside]
    amount = amount[inside]
    order = np.argsort(key, kind="stable")
    key, amount = key[order], amount[order]
    if len(key) == 0:
        empty = np.zeros(0, np.int64)
        return Segments(empty, empty, empty, empty)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    key = key[starts]
    moved = np.add.reduceat(amount, starts)
    seg_item, seg_start = key // periods, key % periods
    # Cleared to date per item: a running sum restarted at each item's first segment.
    running = np.cumsum(moved)
    first = np.r_[True, seg_item[1:] != seg_item[:-1]]
    heads = np.flatnonzero(first)
    base = np.repeat(running[heads] - moved[heads], np.diff(np.r_[heads, len(key)]))
    open_amount = np.asarray(gross, np.int64)[seg_item] - (running - base)
    last = np.r_[first[1:], True]
    seg_stop = np.where(last, periods, np.r_[seg_start[1:], periods])
    keep = open_amount != 0
    return Segments(seg_item[keep], seg_start[keep], seg_stop[keep], open_amount[keep])


def ar_open_items(company_code: str, grid: PeriodGrid, invoices: pa.Table,
                  receipts: pa.Table, valuation: Valuation | str = "") -> Iterator[pa.Table]:
    """``ar_open_items`` per period end (periods without open items yield nothing).
    ``invoices``: customer_invoices of the company (:data:`INVOICE_COLUMNS` + customer_id,
    and :data:`FOREIGN_INVOICE_COLUMNS` with a ``valuation``); ``receipts``: its
    customer_receipts (:data:`CLEARING_COLUMNS`, + :data:`FOREIGN_CLEARING_COLUMNS`).
    ``valuation`` values items in a foreign currency at the closing rate
    (flows/revaluation.py); a currency code instead: every item is in it."""
    if isinstance(valuation, str):
        valuation = Valuation(valuation, _no_rates, "")
    yield from _snapshots(AR_OPEN_ITEMS, "customer_id", company_code, grid, invoices, receipts,
                          valuation)


def ap_open_items(company_code: str, grid: PeriodGrid, invoices: pa.Table,
                  payments: pa.Table, valuation: Valuation | None = None
                  ) -> Iterator[pa.Table]:
    """``ap_open_items`` per period end, from vendor_invoices (:data:`INVOICE_COLUMNS` +
    vendor_id, and :data:`FOREIGN_INVOICE_COLUMNS` with ``valuation``) and vendor_payments
    (:data:`CLEARING_COLUMNS`, + :data:`FOREIGN_CLEARING_COLUMNS`) of the company. Gross and
    cleared amounts are what is owed, so open amounts are positive. Items in a foreign
    currency are valued at the closing rate (flows/revaluation.py)."""
    yield from _snapshots(AP_OPEN_ITEMS, "vendor_id", company_code, grid, invoices, payments,
                          valuation or Valuation("", _no_rates, ""))


def _no_rates(code: str) -> np.ndarray:
    raise GenerationError(f"no exchange rates to value items in {code}")


def _snapshots(spec: TableSpec, partner: str, company_code: str, grid: PeriodGrid,
               invoices: pa.Table, clearings: pa.Table, valuation: Valuation
               ) -> Iterator[pa.Table]:
    what = f"{spec.name} of {company_code}"
    # Rows come out ordered by invoice id within a period.
    items = _arrays(sorted_by_id(invoices, "invoice_id", what))
    clear = _arrays(clearings)
    clear_item = resolve(clear["invoice_id"], items["invoice_id"], f"{what}: a clearing")
    segments = open_segments(
        to_minor_units(items["gross_amount"]),
        grid.index(items["fiscal_year"], items["fiscal_period"]),
        clear_item,
        grid.index(clear["fiscal_year"], clear["fiscal_period"]),
        to_minor_units(clear["cleared_amount"]), grid.count)
    if len(segments.item) == 0:
        return
    due = day_numbers(items["due_date"])
    accounts = pc.dictionary_encode(items["control_account"].cast(pa.string()))
    account_index = np.asarray(accounts.indices.to_numpy(zero_copy_only=False), np.int64)
    years, periods, ends = grid.years, grid.periods, grid.end_days
    foreign = foreign_values(items, clear, clear_item, grid, valuation)
    for p in range(grid.count):
        # Segments are ordered by item, and at most one per item covers a period.
        rows = np.flatnonzero((segments.start <= p) & (segments.stop > p))
        if len(rows) == 0:
            continue
        item = segments.item[rows]
        take = pa.array(item)
        days_past_due = np.maximum(ends[p] - due[item], 0)
        n = len(item)
        currency_columns = foreign.columns(p, item, segments.amount[rows])
        yield pa.Table.from_arrays([
            constant_dictionary(company_code, n),
            pa.array(np.full(n, years[p], np.int16)),
            pa.array(np.full(n, periods[p], np.int8)),
            items[partner].take(take),
            items["invoice_id"].take(take),
            items["invoice_date"].take(take),
            items["due_date"].take(take),
            to_decimal(segments.amount[rows]),
            pa.array(days_past_due.astype(np.int32)),
            dictionary(aging(days_past_due), AGING_BUCKETS),
            dictionary(account_index[item], accounts.dictionary),
            *currency_columns,
        ], schema=spec.schema)


def _arrays(table: pa.Table) -> dict[str, pa.Array]:
    """Columns as single arrays (takes and conversions want contiguous data)."""
    return {name: table.column(name).combine_chunks() for name in table.column_names}
