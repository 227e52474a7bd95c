"""The currency columns of the open items: each item's transaction currency and open amount
in it, and for an item in a foreign currency its valuation at the period's closing rate
(IAS 21.23), computed as the month-end valuation entries were (flows/revaluation.py), so
``sum(revaluation_amount)`` equals the valuation account at every period end.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.config.currencies import CURRENCIES
from datasynth.generators.common.arrow import constant_dictionary, dictionary
from datasynth.generators.ledger.flows.revaluation import (
    foreign_open,
    revalued,
    transaction_minor,
)
from datasynth.money import RATE_SCALE, to_decimal, to_minor_units, to_rate_decimal


class ForeignValues:
    """Per period, the transaction-currency columns of the rows of some items."""

    def __init__(self, items: dict, clear: dict, clear_item: np.ndarray, grid, valuation):
        self.valuation = valuation
        n = len(items["invoice_id"])
        self.codes = [valuation.currency]
        self.currency = np.zeros(n, np.int64)
        self.by_period: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        if "transaction_currency" not in items or not valuation.currency:
            return
        names = np.asarray(items["transaction_currency"].cast(pa.string()).to_pylist(),
                           dtype=object)
        self.codes += sorted(set(names.tolist()) - {valuation.currency})
        if len(self.codes) == 1:
            return
        self.currency = np.searchsorted(np.array(self.codes[1:], dtype=object), names) + 1
        self.currency[names == valuation.currency] = 0
        exponents = [CURRENCIES[c].exponent for c in self.codes]
        self.exponents = exponents
        fc = np.flatnonzero(self.currency > 0)
        local_exp = exponents[0]
        cur = self.currency[fc]
        gross = to_minor_units(items["gross_amount"], local_exp)[fc]
        gross_fc = transaction_minor(items["transaction_gross_amount"].take(pa.array(fc)),
                                     cur, exponents)
        where = np.full(n, -1, np.int64)
        where[fc] = np.arange(len(fc))
        mine = np.flatnonzero(where[clear_item] >= 0)
        sub_item = where[clear_item[mine]]
        cleared = to_minor_units(clear["cleared_amount"], local_exp)[mine]
        cleared_fc = transaction_minor(clear["transaction_cleared_amount"].take(
            pa.array(mine)), cur[sub_item], exponents)
        self.closing = np.vstack([np.full(grid.count, RATE_SCALE, np.int64)]
                                 + [valuation.closing(c) for c in self.codes[1:]])
        item_period = grid.index(items["fiscal_year"], items["fiscal_period"])[fc]
        clear_period = grid.index(clear["fiscal_year"], clear["fiscal_period"])[mine]
        for p, rows, booked, open_fc in foreign_open(grid.count, item_period, gross, gross_fc,
                                                     sub_item, clear_period, cleared,
                                                     cleared_fc):
            diff = revalued(open_fc, cur[rows], self.closing[:, p], exponents, local_exp) \
                - booked
            self.by_period.append((fc[rows], open_fc, diff))

    def columns(self, p: int, item: np.ndarray, open_booked: np.ndarray) -> list[pa.Array]:
        """transaction_currency, transaction_open_amount, closing_rate, revaluation_amount
        and valuation_account of the rows ``item`` (ascending) open at period ``p``."""
        n = len(item)
        if not self.by_period:
            return [constant_dictionary(self.codes[0], n), to_decimal(open_booked),
                    to_rate_decimal(np.full(n, RATE_SCALE, np.int64)),
                    to_decimal(np.zeros(n, np.int64)),
                    pa.nulls(n, pa.dictionary(pa.int32(), pa.string()))]
        fc_items, open_fc, diff = self.by_period[p]
        if len(fc_items) == 0:                  # no foreign item open at this period end
            fc_items, open_fc, diff = (np.zeros(1, np.int64) - 1,) * 3
        at = np.minimum(np.searchsorted(fc_items, item), len(fc_items) - 1)
        found = fc_items[at] == item
        pos = at
        currency = self.currency[item]
        shift = np.array([10 ** (2 - x) for x in self.exponents], np.int64)[currency]
        # open_booked is in the output scale (2 places), the foreign amounts in minor units
        fc_amount = np.where(found, open_fc[pos] * shift, open_booked)
        rate = np.where(found, self.closing[currency, p], RATE_SCALE)
        value = np.where(found, diff[pos], 0).astype(np.int64)
        return [dictionary(currency, self.codes), to_decimal(fc_amount),
                to_rate_decimal(rate.astype(np.int64)), to_decimal(value, self.exponents[0]),
                dictionary(np.zeros(n, np.int64), [self.valuation.account], mask=~found)]


def foreign_values(items: dict, clear: dict, clear_item: np.ndarray, grid, valuation
                   ) -> ForeignValues:
    return ForeignValues(items, clear, clear_item, grid, valuation)
