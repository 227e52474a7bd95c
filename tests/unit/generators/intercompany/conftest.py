"""A two-company group (USD parent, EUR subsidiary) with rates set by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from datasynth.generators.accounts.chart import build_chart
from datasynth.generators.fx.convert import RateBook
from datasynth.generators.intercompany.book import GroupBook
from datasynth.generators.intercompany.plan import ACT, MATCHED, Transactions
from datasynth.generators.intercompany.postings import Company
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.journal import LedgerContext

EPOCH = dt.date(1970, 1, 1)
D = lambda y, m, d: (dt.date(y, m, d) - EPOCH).days  # noqa: E731
JAN = (2024 - 1970) * 12          # months since 1970-01 of January 2024


def rate(value: str) -> int:
    """'1.25' -> 12500000000 (units of 1e-10)."""
    whole, _, frac = value.partition(".")
    return int(whole) * 10**10 + int((frac + "0" * 10)[:10])


class HandRates(RateBook):
    """EUR in USD: spot by day, closing by month; USD is the group currency."""

    def __init__(self, spot: dict[int, str], closing: dict[int, str]) -> None:
        super().__init__(None, "USD")
        first = min(spot)
        days = np.arange(first, D(2024, 4, 1))      # carried forward to March
        values, last = [], None
        for d in days:
            last = spot.get(int(d), last)
            values.append(rate(last))
        self._spot["EUR"] = (first, np.array(values, np.int64))
        self._monthly[("EUR", "closing")] = {m: rate(v) for m, v in closing.items()}
        self._monthly[("EUR", "average")] = {m: rate(v) for m, v in closing.items()}


@pytest.fixture(scope="session")
def chart() -> ChartIndex:
    return ChartIndex.build(build_chart("manufacturing", "small"))


def ledger(code: str, currency: str, chart: ChartIndex) -> LedgerContext:
    return LedgerContext(code, currency, 2, chart.numbers, chart.names,
                         pa.array(["SYS", "CLERK"]), pa.array([], pa.string()),
                         currencies=("EUR", "USD"), exponents=(2, 2),
                         companies=("P", "S"))


@pytest.fixture
def group(chart):
    companies = [Company(0, "P", 1, 2, np.array([1]), 0),
                 Company(1, "S", 0, 2, np.array([1]), 0)]
    books = [GroupBook(ledger("P", "USD", chart)), GroupBook(ledger("S", "EUR", chart))]
    return companies, books


def one(activity: str, amount: int, seller_day: int, buyer_day: int, settle_day: int,
        buyer_amount: int | None = None, cost: int = 0, lines: int = 1,
        status: int = MATCHED) -> Transactions:
    a = lambda v: np.array([v], np.int64)  # noqa: E731
    return Transactions(a(0), a(ACT[activity]), a(0), a(1), a(seller_day), a(buyer_day),
                        a(settle_day), a(amount),
                        a(amount if buyer_amount is None else buyer_amount), a(cost),
                        a(lines), a(status))
