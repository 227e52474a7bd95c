"""A tiny group for the elimination tests: parent 1000 (USD) owns 80 % of 2000 (EUR) and
sells it goods, services, a management fee and a loan with interest, in January and
February 2024. Rates EUR -> USD: spot of 1 January 1.10, January average 1.08 and closing
1.12, February average 1.09 and closing 1.05; markup 8 %.
"""

from __future__ import annotations

import datetime as dt

from datasynth.generators.fx.convert import RateBook
from datasynth.generators.group import GroupStructure, Subsidiary, consolidate
from tests.unit.generators.group.books import CHART, Ledger, day, fx_table

START = dt.date(2024, 1, 1)
GROUP = GroupStructure("1000", (Subsidiary("2000", 800_000),), markup_bp=800)
CURRENCIES = {"1000": "USD", "2000": "EUR"}
RATES = [("1.08", "1.12"), ("1.09", "1.05")]


def group_ledger() -> Ledger:
    P, S = "1000", "2000"
    return (Ledger()
            # parent: investment 80 % x 1,000.00 EUR x 1.10 = 880.00 USD
            .post(P, "2024-01", {"100000": 1_000_000, "140000": 88_000, "300000": -1_000_000,
                                 "315000": -88_000}, "opening")
            .post(S, "2024-01", {"100000": 100_000, "300000": -60_000, "320000": -40_000},
                  "opening")
            # goods: 1,080.00 USD (cost 1,000.00 + 8 %); the buyer books 1,000.00 EUR and
            # uses 60 % by the month end
            .post(P, "2024-01", {"119000": 108_000, "460000": -108_000}, partner=S)
            .post(P, "2024-01", {"560000": 100_000, "100000": -100_000}, partner=S)
            .post(S, "2024-01", {"125000": 100_000, "219000": -100_000}, partner=P)
            .post(S, "2024-01", {"561000": 60_000, "125000": -60_000}, partner=P)
            # services 216.00 USD / 200.00 EUR; loan 2,200.00 USD / 2,000.00 EUR; interest
            # 11.00 USD / 10.00 EUR
            .post(P, "2024-01", {"119000": 21_600, "460100": -21_600}, partner=S)
            .post(S, "2024-01", {"745500": 20_000, "219000": -20_000}, partner=P)
            .post(P, "2024-01", {"119100": 220_000, "100000": -220_000}, partner=S)
            .post(S, "2024-01", {"100000": 200_000, "219100": -200_000}, partner=P)
            .post(P, "2024-01", {"119000": 1_100, "495000": -1_100}, partner=S)
            .post(S, "2024-01", {"805000": 1_000, "219000": -1_000}, partner=P)
            # February: a management fee of 108.00 USD / 100.00 EUR
            .post(P, "2024-02", {"119000": 10_800, "460200": -10_800}, partner=S)
            .post(S, "2024-02", {"745500": 10_000, "219000": -10_000}, partner=P))


def run(ledger: Ledger | None = None, group: GroupStructure = GROUP):
    activity, ic = (ledger or group_ledger()).tables()
    rates = RateBook(fx_table(START, 2, "EUR", "1.10", RATES), "USD")
    return consolidate(activity, ic, rates, CHART, group, CURRENCIES, day(START),
                       day(dt.date(2024, 3, 1)))
