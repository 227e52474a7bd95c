"""Intercompany invoices in transit at a month end, in the group currency (IFRS 10 B86).

A ``timing_difference`` pair of ``intercompany_pairs`` is invoiced by the seller on its last
business day of a month and booked by the buyer on its first business day of the next: at
each month end from the seller's posting up to the month before the buyer's, the seller has
its receivable, income (and the cost of the goods) and the buyer has nothing. The
consolidation completes the buyer's side (elimination type ``in_transit``) before the
intercompany balances and income are eliminated.

Per seller, buyer and run month, the invoices in transit are added up in the seller's
currency and translated at the closing rate of the month, like the seller's receivable;
goods, services (and management fees) and interest are its shares by cumulative rounding, so
they add up to the translated total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.group.partners import split_convert
from datasynth.generators.group.translation import Rates
from datasynth.money import to_minor_units

# what the buyer books, by the pair's activity: goods -> 125000, services and management
# fees -> 745500, interest -> 805000 (a loan is lent, not invoiced: never in transit)
CATEGORIES = ("goods", "services", "interest")
_CATEGORY = {"goods": 0, "services": 1, "management_fee": 1, "loan_interest": 2}


@dataclass(frozen=True)
class InTransit:
    """(months, CATEGORIES) invoiced amounts in transit per (seller, buyer), signed as the
    seller's receivable (positive), in group currency minor units at the closing rate."""

    months: int
    values: dict[tuple[str, str], np.ndarray]

    def get(self, seller: str, buyer: str) -> np.ndarray:
        return self.values.get((seller, buyer), np.zeros((self.months, len(CATEGORIES)),
                                                          np.int64))

    def category(self, seller: str, buyer: str, name: str) -> np.ndarray:
        return self.get(seller, buyer)[:, CATEGORIES.index(name)]


def month_index(dates: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Months since 1970-01 of dates."""
    days = pc.cast(dates, pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    return days.astype("datetime64[M]").astype(np.int64)


def in_transit(pairs: pa.Table | None, members: tuple[str, ...], rates: dict[str, Rates],
               exponent: dict[str, int], group_exponent: int, first_month: int,
               months: int) -> InTransit:
    """The invoices in transit at each run month end: ``match_status = timing_difference``
    with seller_posting_date <= month end < buyer_posting_date, between two members."""
    out = InTransit(months, {})
    if pairs is None or pairs.num_rows == 0:
        return out
    pairs = pairs.filter(pc.equal(pairs["match_status"].cast(pa.string()),
                                  "timing_difference"))
    if pairs.num_rows == 0:
        return out
    seller = np.asarray(pairs["seller_company"].cast(pa.string()).to_pylist(), dtype=object)
    buyer = np.asarray(pairs["buyer_company"].cast(pa.string()).to_pylist(), dtype=object)
    activity = pairs["activity"].cast(pa.string()).to_pylist()
    category = np.array([_CATEGORY.get(a, -1) for a in activity], np.int64)
    # in transit at the ends of months [from, to): the seller's month up to the buyer's
    start = month_index(pairs["seller_posting_date"]) - first_month
    stop = month_index(pairs["buyer_posting_date"]) - first_month
    run = np.arange(months, dtype=np.int64)
    for s in members:
        for b in members:
            rows = np.flatnonzero((seller == s) & (buyer == b) & (category >= 0))
            if s == b or not len(rows):
                continue
            amount = to_minor_units(pairs["seller_amount"].take(pa.array(rows)),
                                    exponent[s])
            open_at = ((start[rows][None, :] <= run[:, None])
                       & (run[:, None] < stop[rows][None, :]))
            grid = np.zeros((months, len(CATEGORIES)), np.int64)
            for k in range(len(CATEGORIES)):
                grid[:, k] = (open_at * (amount * (category[rows] == k))[None, :]).sum(axis=1)
            if np.any(grid):
                out.values[(s, b)] = split_convert(grid, rates[s].closing[:, None],
                                                   exponent[s], group_exponent)
    return out
