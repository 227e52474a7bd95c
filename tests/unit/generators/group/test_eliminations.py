"""Each elimination on the tiny group of ``group_books`` (parent USD, subsidiary EUR owned
80 %), with the amounts computed by hand in the comments (cents of USD)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import pyarrow as pa

from datasynth.generators.fx.convert import RateBook
from datasynth.generators.group import GroupStructure, Subsidiary, consolidate
from datasynth.generators.group.partners import split_convert
from datasynth.money import RATE_SCALE, to_minor_units
from datasynth.schemas.group import CONSOLIDATION_ELIMINATIONS
from tests.unit.generators.group.books import CHART, Ledger, balances, day
from tests.unit.generators.group.group_books import run


def _entries(table: pa.Table) -> dict[tuple[int, str], list[tuple]]:
    """(period, kind) -> [(company, account, signed amount)] over all such eliminations."""
    signed = (to_minor_units(table["debit"].combine_chunks())
              - to_minor_units(table["credit"].combine_chunks()))
    out: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for row, amount in zip(table.to_pylist(), signed.tolist()):
        out[(row["fiscal_period"], row["elimination_type"])].append(
            (row["company_code"], row["gl_account"], amount))
    return out


def test_the_eliminations_of_january_and_february():
    table = run().eliminations
    assert table.schema.equals(CONSOLIDATION_ELIMINATIONS.schema)
    e = _entries(table)
    # payable 1,210.00 EUR x 1.12 = 1,355.20 against the receivable 1,307.00: 48.20 short
    assert e[(1, "ic_balances")] == [("1000", "119000", -130700), ("2000", "219000", 135520),
                                     ("1000", "829500", -4820)]
    # 2,000.00 EUR x 1.12 = 2,240.00 against 2,200.00
    assert e[(1, "ic_loans")] == [("1000", "119100", -220000), ("2000", "219100", 224000),
                                  ("1000", "829500", -4000)]
    # goods: the sales against the seller's cost of sales; services 200.00 EUR x 1.08 =
    # 216.00 match exactly (no difference line); interest 10.00 EUR x 1.08 = 10.80 vs 11.00
    assert e[(1, "ic_revenue")] == [
        ("1000", "460000", 108000), ("1000", "560000", -108000),
        ("1000", "460100", 21600), ("2000", "745500", -21600),
        ("1000", "495000", 1100), ("2000", "805000", -1080), ("1000", "829500", -20)]
    # stock 400.00 EUR x 1.12 = 448.00; x 8 / 108 = 33.185... -> 33.19, all of this year
    assert e[(1, "unrealised_profit")] == [("2000", "125000", -3319),
                                           ("1000", "560000", 3319)]
    # 80 % of share capital 600.00 and retained earnings 400.00 EUR at 1.10: 528.00 and
    # 352.00 against the investment 880.00: no goodwill line
    assert e[(1, "investment")] == [("1000", "140000", -88000), ("2000", "300000", 52800),
                                    ("2000", "320000", 35200)]
    # the subsidiary's translated equity in January: capital -660.00, retained earnings
    # -440.00, reserve 12.40 (a loss), profit -874.80 (a loss: 648.00 + 216.00 + 10.80);
    # 20 % of each, the NCI is 20 % of its net assets 190.00 EUR x 1.12 = 212.80
    assert e[(1, "nci")] == [("2000", "300000", 13200), ("2000", "320000", 8800),
                             ("2000", "330000", -248), ("2000", "399000", -17496),
                             ("2000", "340000", -4256)]
    # February: payable 1,310.00 EUR x 1.05 = 1,375.50 against 1,415.00; loan 2,100.00
    assert e[(2, "ic_balances")] == [("1000", "119000", -141500), ("2000", "219000", 137550),
                                     ("1000", "829500", 3950)]
    assert e[(2, "ic_loans")][-1] == ("1000", "829500", 10000)
    # services and fee year to date 216.00 + 108.00 against 216.00 + 100.00 x 1.09
    assert e[(2, "ic_revenue")][2:6] == [("1000", "460100", 21600), ("1000", "460200", 10800),
                                         ("2000", "745500", -32500), ("1000", "829500", 100)]
    # stock 400.00 EUR x 1.05 = 420.00 x 8 / 108 = 31.11
    assert e[(2, "unrealised_profit")] == [("2000", "125000", -3111),
                                           ("1000", "560000", 3111)]
    # reserve 21.70, loss 983.80 (648.00 + 325.00 + 10.80); NCI 20 % x 94.50 = 18.90
    assert e[(2, "nci")] == [("2000", "300000", 13200), ("2000", "320000", 8800),
                             ("2000", "330000", -434), ("2000", "399000", -19676),
                             ("2000", "340000", -1890)]


def test_ids_line_numbers_and_balance():
    table = run().eliminations
    rows = table.to_pylist()
    assert rows[0]["elimination_id"] == "ELIM-2024-01-0001" and rows[0]["line_number"] == 1
    ids = [r["elimination_id"] for r in rows if r["fiscal_period"] == 1]
    # ic_balances, ic_loans, three ic_revenue (goods, services, interest), unrealised
    # profit, investment, nci
    assert sorted(set(ids)) == [f"ELIM-2024-01-{n:04d}" for n in range(1, 9)]
    signed = (to_minor_units(table["debit"].combine_chunks())
              - to_minor_units(table["credit"].combine_chunks()))
    by_id: dict[str, list[int]] = defaultdict(list)
    for row, amount in zip(rows, signed.tolist()):
        assert amount != 0 and (row["debit"] == 0 or row["credit"] == 0)
        by_id[row["elimination_id"]].append(amount)
        assert row["line_number"] == len(by_id[row["elimination_id"]])
    assert all(sum(v) == 0 for v in by_id.values())
    assert {r["partner_company"] for r in rows if r["elimination_type"] == "nci"} == {None}


def test_goodwill_is_the_rest_of_the_investment():
    from tests.unit.generators.group.group_books import group_ledger

    # the parent paid 100.00 more: goodwill 100.00, a debit
    ledger = group_ledger().post("1000", "2024-01", {"140000": 10000, "315000": -10000},
                                 "opening")
    e = _entries(run(ledger).eliminations)
    assert e[(2, "investment")] == [("1000", "140000", -98000), ("2000", "300000", 52800),
                                    ("2000", "320000", 35200), ("1000", "175000", 10000)]


def test_a_wholly_owned_subsidiary_has_no_nci():
    from tests.unit.generators.group.group_books import GROUP, Subsidiary

    whole = GROUP.__class__("1000", (Subsidiary("2000", 1_000_000),), 800)
    e = _entries(run(group=whole).eliminations)
    assert not any(kind == "nci" for _, kind in e)
    # all of the opening equity against the investment of 880.00: goodwill -220.00 (a
    # bargain: the parent's books were set up for 80 %)
    assert e[(1, "investment")][-1] == ("1000", "175000", -22000)


def test_unrealised_profit_moves_to_retained_earnings_at_the_year_end():
    # both companies in dollars; the parent sells 1,080.00 (cost 1,000.00) in November; the
    # buyer holds 1,080.00, 540.00 and 216.00 at the ends of November, December, January;
    # the margin 8/108 of it: 80.00, 40.00, 16.00
    P, S = "1000", "2000"
    ledger = (Ledger()
              .post(P, "2024-11", {"119000": 108000, "460000": -108000}, partner=S)
              .post(P, "2024-11", {"560000": 100000, "100000": -100000}, partner=S)
              .post(S, "2024-11", {"125000": 108000, "219000": -108000}, partner=P)
              .post(S, "2024-12", {"561000": 54000, "125000": -54000}, partner=P)
              .post(P, "2024-12", {"460000": 108000, "560000": -100000, "320000": -8000},
                    "year_end")
              .post(S, "2024-12", {"561000": -54000, "320000": 54000}, "year_end")
              .post(S, "2025-01", {"561000": 32400, "125000": -32400}, partner=P))
    activity, ic = ledger.tables()
    group = GroupStructure(P, (Subsidiary(S, 1_000_000),), 800)
    result = consolidate(activity, ic, RateBook(None, "USD"), CHART, group,
                         {P: "USD", S: "USD"}, day(dt.date(2024, 11, 1)),
                         day(dt.date(2025, 2, 1)))
    e = _entries(result.eliminations)
    assert e[(11, "unrealised_profit")] == [(S, "125000", -8000), (P, "560000", 8000)]
    # December, after the close: the whole margin in retained earnings, none in cost of
    # sales (it is closed), and no sales left to eliminate
    assert e[(12, "unrealised_profit")] == [(S, "125000", -4000), (P, "320000", 4000)]
    assert (12, "ic_revenue") not in e and (1, "ic_revenue") not in e
    # January: 16.00 left, 40.00 of it at the year end, so cost of sales is credited 24.00
    assert e[(1, "unrealised_profit")] == [(S, "125000", -1600), (P, "560000", -2400),
                                           (P, "320000", 4000)]
    b = balances(result.consolidated)
    for period in (11, 12, 1):
        assert sum(v[2] for (p, _), v in b.items() if p == period) == 0
    # the group's retained earnings at the year end: the seller's profit 80.00, the buyer's
    # loss 540.00 and the margin still in stock 40.00: a loss of 500.00, the cost of the
    # half of the goods used (nothing was sold outside the group)
    assert b[(12, "320000")] == (-8000 + 54000, 4000, 50000)


def test_partner_shares_add_up_to_the_translated_account():
    # 0.05 and 0.05 at 0.5: each alone 0.025 -> 0.02 (half to even), together 0.10 -> 0.05;
    # cumulative rounding gives 0.02 and 0.03
    shares = split_convert(np.array([[5, 5]]), np.array([[RATE_SCALE // 2]]), 2, 2)
    assert shares.tolist() == [[2, 3]]


def test_a_foreign_parents_investment_keeps_its_goodwill_and_returns_its_translation():
    # parent 2000 in EUR owns all of 1000 in USD: it paid 1,000.00 EUR (1,100.00 USD at the
    # spot of 1.10) for equity of 1,100.00 USD: no goodwill. Its investment translates at
    # the closing rates 1.12 and 1.05: 1,120.00 and 1,050.00 USD; the 20.00 and -50.00 are
    # its translation reserve's, not goodwill
    from datasynth.generators.fx.convert import RateBook as Book
    from tests.unit.generators.group.books import fx_table
    from tests.unit.generators.group.group_books import RATES, START

    ledger = (Ledger()
              .post("2000", "2024-01", {"140000": 100_000, "315000": -100_000}, "opening")
              .post("1000", "2024-01", {"100000": 110_000, "300000": -110_000}, "opening"))
    activity, ic = ledger.tables()
    group = GroupStructure("2000", (Subsidiary("1000", 1_000_000),), 800)
    result = consolidate(activity, ic, Book(fx_table(START, 2, "EUR", "1.10", RATES), "USD"),
                         CHART, group, {"1000": "USD", "2000": "EUR"}, day(START),
                         day(dt.date(2024, 3, 1)))
    e = _entries(result.eliminations)
    assert e[(1, "investment")] == [("2000", "140000", -112000), ("1000", "300000", 110000),
                                    ("2000", "330000", 2000)]
    assert e[(2, "investment")] == [("2000", "140000", -105000), ("1000", "300000", 110000),
                                    ("2000", "330000", -5000)]
