"""Invoices in transit at a month end (``in_transit``): the buyer's side completed in the
consolidation, at a month end and at a closed year end. Amounts computed by hand in the
comments (cents of USD)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from datasynth.generators.fx.convert import RateBook
from datasynth.generators.group import GroupStructure, Subsidiary, consolidate
from tests.unit.generators.group.books import (
    CHART,
    Ledger,
    balances,
    day,
    fx_table,
    pairs_table,
)
from tests.unit.generators.group.group_books import RATES, START
from tests.unit.generators.group.test_eliminations import _entries

P, S = "1000", "2000"
GROUP = GroupStructure(P, (Subsidiary(S, 1_000_000),), markup_bp=800)
TIMING = "timing_difference"


def _pnl(consolidated: pa.Table, period: int) -> dict[str, int]:
    """Income and expense accounts with a consolidated balance in the period."""
    b = balances(consolidated)
    types = dict(zip(consolidated["gl_account"].cast(pa.string()).to_pylist(),
                     consolidated["account_type"].cast(pa.string()).to_pylist()))
    return {a: v[2] for (p, a), v in b.items()
            if p == period and types[a] in ("revenue", "expense") and v[2]}


def test_goods_and_services_in_transit_at_a_month_end():
    # the parent (USD) sells goods for 1,080.00 USD (cost 1,000.00, markup 8 %) and the
    # subsidiary (EUR) services for 200.00 EUR, both on 31 January; each buyer books on
    # 1 February (the goods 981.82 EUR, the services 220.00 USD, at the spot of 1.10)
    ledger = (Ledger()
              .post(P, "2024-01", {"119000": 108_000, "460000": -108_000}, partner=S)
              .post(P, "2024-01", {"560000": 100_000, "100000": -100_000}, partner=S)
              .post(S, "2024-01", {"119000": 20_000, "460100": -20_000}, partner=P)
              .post(S, "2024-02", {"125000": 98_182, "219000": -98_182}, partner=P)
              .post(P, "2024-02", {"745500": 22_000, "219000": -22_000}, partner=S))
    pairs = pairs_table(
        ("goods", P, S, dt.date(2024, 1, 31), dt.date(2024, 2, 1), "1080.00", TIMING),
        ("services", S, P, dt.date(2024, 1, 31), dt.date(2024, 2, 1), "200.00", TIMING),
        # matched: booked by both the same day, never in transit (and not in the ledger)
        ("goods", P, S, dt.date(2024, 1, 31), dt.date(2024, 2, 1), "999.00", "matched"))
    activity, ic = ledger.tables()
    result = consolidate(activity, ic, RateBook(fx_table(START, 2, "EUR", "1.10", RATES),
                                                "USD"),
                         CHART, GROUP, {P: "USD", S: "EUR"}, day(START),
                         day(dt.date(2024, 3, 1)), pairs)
    e = _entries(result.eliminations)
    # goods: the stock at the group's cost 1,080.00 - 1,080.00 x 8 / 108 = 1,000.00, the
    # margin 80.00 out of the seller's cost of sales, the payable 1,080.00; services:
    # 200.00 EUR at the seller's January closing rate 1.12 = 224.00, the receivable's figure
    assert e[(1, "in_transit")] == [(S, "125000", 100_000), (P, "560000", 8_000),
                                    (S, "219000", -108_000),
                                    (P, "745500", 22_400), (P, "219000", -22_400)]
    # the balances match exactly: no difference to 829500
    assert e[(1, "ic_balances")] == [(P, "119000", -108_000), (S, "219000", 108_000),
                                     (S, "119000", -22_400), (P, "219000", 22_400)]
    # the services income at the January average 1.08 = 216.00 against the expense in
    # transit 224.00: only the 8.00 between the two rates goes to 829500
    assert e[(1, "ic_revenue")] == [(P, "460000", 108_000), (P, "560000", -108_000),
                                    (S, "460100", 21_600), (P, "745500", -22_400),
                                    (P, "829500", 800)]
    assert (1, "unrealised_profit") not in e          # the buyer holds no stock yet
    b = balances(result.consolidated)
    # the goods at cost; cost of sales 1,000.00 + 80.00 - 1,080.00: no margin on goods
    # still on the road; no payable or receivable left
    assert b[(1, "125000")] == (0, 100_000, 100_000)
    assert b[(1, "560000")] == (100_000, -100_000, 0)
    assert b[(1, "119000")][2] == b[(1, "219000")][2] == 0
    assert b[(1, "829500")] == (0, 800, 800)
    assert _pnl(result.consolidated, 1) == {"829500": 800}
    assert sum(v[2] for (p, _), v in b.items() if p == 1) == 0
    # February: both booked, nothing in transit; the differences are exchange differences
    # (981.82 EUR x 1.05 = 1,030.91 against 1,080.00; 200.00 EUR x 1.05 = 210.00 against
    # 220.00)
    assert (2, "in_transit") not in e
    assert e[(2, "ic_balances")] == [(P, "119000", -108_000), (S, "219000", 103_091),
                                     (P, "829500", 4_909),
                                     (S, "119000", -21_000), (P, "219000", 22_000),
                                     (P, "829500", -1_000)]


def _year_end(ledger: Ledger, pairs: pa.Table):
    activity, ic = ledger.tables()
    return consolidate(activity, ic, RateBook(None, "USD"), CHART, GROUP, {P: "USD", S: "USD"},
                       day(dt.date(2024, 12, 1)), day(dt.date(2025, 2, 1)), pairs)


def test_services_in_transit_at_a_closed_year_end():
    # the parent invoices services of 500.00 on 31 December, has a receivable of 1.00 more
    # the subsidiary never booked, and closes the year; the subsidiary (an expense of 10.00
    # of its own, closed too) books the services on 2 January
    ledger = (Ledger()
              .post(P, "2024-12", {"119000": 50_000, "460100": -50_000}, partner=S)
              .post(P, "2024-12", {"119000": 100, "460100": -100}, partner=S)
              .post(P, "2024-12", {"460100": 50_100, "320000": -50_100}, "year_end")
              .post(S, "2024-12", {"561000": 1_000, "100000": -1_000})
              .post(S, "2024-12", {"561000": -1_000, "320000": 1_000}, "year_end")
              .post(S, "2025-01", {"745500": 50_000, "219000": -50_000}, partner=P))
    pairs = pairs_table(("services", P, S, dt.date(2024, 12, 31), dt.date(2025, 1, 2),
                         "500.00", TIMING))
    result = _year_end(ledger, pairs)
    e = _entries(result.eliminations)
    # December, after the close: the buyer's expense goes to its retained earnings, and so
    # does the 1.00 that does not match (the parent's)
    assert e[(12, "in_transit")] == [(S, "320000", 50_000), (S, "219000", -50_000)]
    assert e[(12, "ic_balances")] == [(P, "119000", -50_100), (S, "219000", 50_000),
                                      (P, "320000", 100)]
    assert (12, "ic_revenue") not in e
    b = balances(result.consolidated)
    # the post-close consolidated income statement is empty, nothing on 829500; retained
    # earnings: the parent's 501.00 against the 500.00 in transit and the 1.00 unmatched,
    # and the subsidiary's own loss of 10.00
    assert _pnl(result.consolidated, 12) == {}
    assert b.get((12, "829500"), (0, 0, 0))[2] == 0
    assert b[(12, "320000")] == (-49_100, 50_100, 1_000)
    assert sum(v[2] for (p, _), v in b.items() if p == 12) == 0
    # January: the buyer has booked the expense; its income is in the seller's retained
    # earnings, so it is eliminated against retained earnings, not 829500; the 1.00 of
    # last year stays in retained earnings too
    assert (1, "in_transit") not in e
    assert e[(1, "ic_revenue")] == [(S, "745500", -50_000), (S, "320000", 50_000)]
    assert e[(1, "ic_balances")] == [(P, "119000", -50_100), (S, "219000", 50_000),
                                     (P, "320000", 100)]
    assert _pnl(result.consolidated, 1) == {}
    assert b[(1, "320000")] == (-49_100, 50_100, 1_000)


def test_goods_in_transit_at_a_closed_year_end():
    # the parent sells goods for 1,080.00 (cost 1,000.00) on 31 December and closes the
    # year (profit 80.00); the subsidiary books them on 2 January and keeps them
    ledger = (Ledger()
              .post(P, "2024-12", {"119000": 108_000, "460000": -108_000}, partner=S)
              .post(P, "2024-12", {"560000": 100_000, "100000": -100_000}, partner=S)
              .post(P, "2024-12", {"460000": 108_000, "560000": -100_000, "320000": -8_000},
                    "year_end")
              .post(S, "2025-01", {"125000": 108_000, "219000": -108_000}, partner=P))
    pairs = pairs_table(("goods", P, S, dt.date(2024, 12, 31), dt.date(2025, 1, 2),
                         "1080.00", TIMING))
    result = _year_end(ledger, pairs)
    e = _entries(result.eliminations)
    # December: the stock at cost 1,000.00, the margin 80.00 out of retained earnings
    assert e[(12, "in_transit")] == [(S, "125000", 100_000), (P, "320000", 8_000),
                                     (S, "219000", -108_000)]
    b = balances(result.consolidated)
    assert b[(12, "125000")] == (0, 100_000, 100_000)
    assert b[(12, "320000")] == (-8_000, 8_000, 0)
    assert _pnl(result.consolidated, 12) == {}
    # January: the buyer's stock 1,080.00 carries the margin 80.00 of last year: out of
    # retained earnings again, nothing of it in this year's cost of sales
    assert e[(1, "unrealised_profit")] == [(S, "125000", -8_000), (P, "320000", 8_000)]
    assert b[(1, "125000")] == (108_000, -8_000, 100_000)
    assert b[(1, "320000")] == (-8_000, 8_000, 0)
    assert _pnl(result.consolidated, 1) == {}
