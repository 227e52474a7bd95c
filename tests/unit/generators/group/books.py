"""Hand-built inputs for the consolidation tests: ledger and intercompany activity from a
few postings, and an exchange-rate table with chosen rates.

Amounts are minor units (cents); a posting is (company, month "YYYY-MM", origin, partner,
{account: signed amount}), debit positive, and must balance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pyarrow as pa

from datasynth.generators.accounts.chart import build_chart
from datasynth.generators.fx.convert import RateBook
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.money import RATE_SCALE, to_minor_units, to_rate_decimal
from datasynth.schemas.fx import FX_RATES
from datasynth.schemas.group import INTERCOMPANY_ACTIVITY, INTERCOMPANY_PAIRS
from datasynth.schemas.ledgers import LEDGER_ACTIVITY

EPOCH = dt.date(1970, 1, 1)
ACCOUNTS = build_chart("manufacturing", "small")
CHART = ChartIndex.build(ACCOUNTS)
# the accounts the intercompany phase posts to, with the partner on every line
GROUP_ACCOUNTS = {"119000", "119100", "125000", "219000", "219100", "460000", "460100",
                  "460200", "495000", "560000", "561000", "745500", "805000"}


def day(d: dt.date) -> int:
    return (d - EPOCH).days


class Ledger:
    """Postings -> ``ledger_activity`` and ``intercompany_activity`` tables."""

    def __init__(self) -> None:
        self.ledger: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        self.ic: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])

    def post(self, company: str, month: str, lines: dict[str, int], origin: str = "business",
             partner: str | None = None) -> Ledger:
        assert sum(lines.values()) == 0, lines
        year, period = (int(x) for x in month.split("-"))
        for account, amount in lines.items():
            side = 0 if amount > 0 else 1
            self.ledger[(company, year, period, account, origin)][side] += abs(amount)
            if partner is not None and account in GROUP_ACCOUNTS:
                self.ic[(company, year, period, account, partner)][side] += abs(amount)
        return self

    def tables(self) -> tuple[pa.Table, pa.Table]:
        ledger = [dict(zip(("company_code", "fiscal_year", "fiscal_period", "gl_account",
                            "origin"), k), debit=v[0], credit=v[1])
                  for k, v in sorted(self.ledger.items())]
        ic = [dict(zip(("company_code", "fiscal_year", "fiscal_period", "gl_account",
                        "trading_partner"), k), debit=v[0], credit=v[1])
              for k, v in sorted(self.ic.items())]
        return (pa.Table.from_pylist(ledger, schema=LEDGER_ACTIVITY.schema),
                pa.Table.from_pylist(ic, schema=INTERCOMPANY_ACTIVITY.schema))


def fx_table(start: dt.date, months: int, code: str, spot: str,
             monthly: list[tuple[str, str]], group: str = "USD") -> pa.Table:
    """``fx_rates`` of one currency: the same spot every day, and per month the (average,
    closing) given."""
    first = np.datetime64(start, "M")
    end = (first + months).astype("datetime64[D]")
    days = np.arange(np.datetime64(start, "D"), end, dtype="datetime64[D]")
    month_ends = (first + np.arange(1, months + 1)).astype("datetime64[D]") - 1

    def scaled(rates: list[str]) -> np.ndarray:
        return np.array([int(Decimal(r) * RATE_SCALE) for r in rates], np.int64)

    parts = [("spot", days, scaled([spot] * len(days))),
             ("average", month_ends, scaled([a for a, _ in monthly])),
             ("closing", month_ends, scaled([c for _, c in monthly]))]
    rows = {name: [] for name in FX_RATES.schema.names}
    for kind, dates, rates in parts:
        m = dates.astype("datetime64[M]").astype(np.int64)
        rows["rate_date"] += dates.astype(dt.date).tolist()
        rows["rate_type"] += [kind] * len(dates)
        rows["from_currency"] += [code] * len(dates)
        rows["to_currency"] += [group] * len(dates)
        rows["rate"] += to_rate_decimal(rates).to_pylist()
        rows["fiscal_year"] += (m // 12 + 1970).tolist()
        rows["fiscal_period"] += (m % 12 + 1).tolist()
        rows["is_fixing"] += [True] * len(dates)
    return pa.Table.from_pydict(rows, schema=FX_RATES.schema)


def rate_book(*args, **kwargs) -> RateBook:
    return RateBook(fx_table(*args, **kwargs), kwargs.get("group", "USD"))


def balances(consolidated: pa.Table) -> dict[tuple[int, str], tuple[int, int, int]]:
    """(period, account) -> (aggregated, eliminations, closing) in cents."""
    cols = [to_minor_units(consolidated[c].combine_chunks())
            for c in ("aggregated_balance", "eliminations", "closing_balance")]
    keys = zip(consolidated["fiscal_period"].to_pylist(),
               consolidated["gl_account"].cast(pa.string()).to_pylist())
    return {k: tuple(int(c[i]) for c in cols) for i, k in enumerate(keys)}


def pairs_table(*pairs: tuple[str, str, str, dt.date, dt.date, str, str]) -> pa.Table:
    """``intercompany_pairs`` of (activity, seller, buyer, seller's posting date, buyer's,
    the seller's amount as a decimal string, match_status); the columns the consolidation
    does not read are filled with plausible values."""
    rows = []
    for n, (activity, seller, buyer, sold, bought, amount, status) in enumerate(pairs, 1):
        rows.append({
            "pair_id": f"IC-{seller}-{buyer}-{sold.year}-{n:06d}", "activity": activity,
            "seller_company": seller, "buyer_company": buyer,
            "seller_document_id": f"S{n}", "buyer_document_id": f"B{n}",
            "seller_posting_date": sold, "buyer_posting_date": bought,
            "transaction_currency": "XXX", "transaction_amount": Decimal(amount),
            "seller_currency": "XXX", "seller_amount": Decimal(amount),
            "buyer_currency": "XXX", "buyer_transaction_amount": Decimal(amount),
            "buyer_amount": Decimal(amount), "exchange_rate": Decimal(1),
            "settlement_date": None, "match_status": status, "is_injected": False})
    return pa.Table.from_pylist(rows, schema=INTERCOMPANY_PAIRS.schema)
