"""Translation of one company's trial balance into the group currency (IAS 21.39), on
hand-built books with hand-computed figures."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from datasynth.generators.calendar import period_end
from datasynth.generators.group import Rates, local_books, translate
from datasynth.generators.group.translation import translated_table
from datasynth.generators.ledger.close import run_months
from datasynth.money import to_minor_units
from datasynth.schemas.group import TRANSLATED_TRIAL_BALANCES
from tests.unit.generators.group.books import CHART, Ledger, day, rate_book


def _translate(ledger: Ledger, start: dt.date, months: int, code: str, book, currency="EUR"):
    activity, _ = ledger.tables()
    first, count = run_months(day(start), day(period_end(start, months)))
    assert count == months
    books = local_books(activity, code, CHART, first, months)
    rates = Rates.of(book, currency, first, months, day(start))
    tr = translate(books, code, currency, CHART, rates, 2, 2)
    return tr, translated_table(tr, CHART, first, "USD", 2, 2)


def _rows(table: pa.Table, period: int) -> dict[str, tuple[int, int, str]]:
    """account -> (local, translated, rate_type) in cents for one fiscal period."""
    rows = table.filter(pa.compute.equal(table["fiscal_period"], period))
    local = to_minor_units(rows["local_balance"].combine_chunks())
    out = to_minor_units(rows["translated_balance"].combine_chunks())
    return {a: (int(x), int(y), t) for a, x, y, t in zip(
        rows["gl_account"].cast(pa.string()).to_pylist(), local, out,
        rows["rate_type"].cast(pa.string()).to_pylist())}


def test_two_months_of_a_euro_company():
    # EUR -> USD: spot of 1 January 1.10 (historical), January average 1.08 and closing
    # 1.12, February average 1.09 and closing 1.05
    book = rate_book(dt.date(2024, 1, 1), 2, "EUR", "1.10", [("1.08", "1.12"),
                                                             ("1.09", "1.05")])
    ledger = (Ledger()
              .post("2000", "2024-01", {"100000": 100000, "300000": -60000,
                                        "320000": -40000}, origin="opening")
              .post("2000", "2024-01", {"110000": 50000, "400000": -50000})
              .post("2000", "2024-01", {"700000": 20000, "100000": -20000})
              .post("2000", "2024-02", {"100000": 30000, "110000": -30000})
              .post("2000", "2024-02", {"700000": 10000, "100000": -10000})
              .post("2000", "2024-02", {"720000": 1250, "100000": -1250}))
    tr, table = _translate(ledger, dt.date(2024, 1, 1), 2, "2000", book)
    assert table.schema.equals(TRANSLATED_TRIAL_BALANCES.schema)
    jan = _rows(table, 1)
    # bank 800.00 and receivable 500.00 at 1.12; sales -500.00 and rent 200.00 at 1.08;
    # share capital -600.00 and retained earnings -400.00 at 1.10
    assert jan == {"100000": (80000, 89600, "closing"), "110000": (50000, 56000, "closing"),
                   "300000": (-60000, -66000, "historical"),
                   "320000": (-40000, -44000, "historical"),
                   "400000": (-50000, -54000, "average"), "700000": (20000, 21600, "average"),
                   # 720000 has no balance yet in January but a posting in the run
                   "720000": (0, 0, "average"),
                   # net assets 1,300.00 x 1.12 - 1,000.00 x 1.10 - profit 300.00 x 1.08
                   # = 1,456.00 - 1,100.00 - 324.00 = 32.00 gain, a credit
                   "330000": (0, -3200, "reserve")}
    feb = _rows(table, 2)
    # bank 987.50 x 1.05 = 1,036.875 -> 1,036.88 (half to even); rent 216.00 + 100.00 x
    # 1.09 = 325.00; supplies 12.50 x 1.09 = 13.625 -> 13.62 (half to even)
    assert feb["100000"] == (98750, 103688, "closing")
    assert feb["110000"] == (20000, 21000, "closing")
    assert feb["400000"] == (-50000, -54000, "average")
    assert feb["700000"] == (30000, 32500, "average")
    assert feb["720000"] == (1250, 1362, "average")
    assert feb["300000"][1] == -66000 and feb["320000"][1] == -44000
    # -(1,036.88 + 210.00 - 540.00 + 325.00 + 13.62 - 660.00 - 440.00) = 54.50 loss, a debit
    assert feb["330000"] == (0, 5450, "reserve")
    for period in (1, 2):
        assert sum(v[1] for v in _rows(table, period).values()) == 0
    assert list(tr.opening[tr.accounts == CHART.of("300000")]) == [-66000]


def test_a_year_end_close_moves_the_translated_profit_to_retained_earnings():
    # November at 1.10 everywhere; December average 1.20, closing 1.25; January 1.30
    book = rate_book(dt.date(2024, 11, 1), 3, "EUR", "1.10",
                     [("1.10", "1.10"), ("1.20", "1.25"), ("1.30", "1.30")])
    ledger = (Ledger()
              .post("2000", "2024-11", {"100000": 100000, "300000": -100000}, "opening")
              .post("2000", "2024-11", {"100000": 10000, "400000": -10000})
              .post("2000", "2024-12", {"100000": 10000, "400000": -10000})
              .post("2000", "2024-12", {"400000": 20000, "320000": -20000}, "year_end")
              .post("2000", "2025-01", {"100000": 5000, "400000": -5000}))
    tr, table = _translate(ledger, dt.date(2024, 11, 1), 3, "2000", book)
    assert list(tr.closed) == [False, True, False]
    nov, dec, jan = (_rows(table, p) for p in (11, 12, 1))
    assert nov["400000"] == (-10000, -11000, "average") and nov["330000"][1] == 0
    # the close: sales -110.00 - 120.00 = -230.00 translated go to retained earnings,
    # not the local 200.00 at any rate
    assert dec["400000"] == (0, 0, "average")
    assert dec["320000"] == (-20000, -23000, "historical")
    assert dec["100000"] == (120000, 150000, "closing")
    # 1,500.00 - 1,100.00 - 230.00 = 170.00 gain
    assert dec["330000"] == (0, -17000, "reserve")
    # the new year starts from zero: January's sales alone, at January's average
    assert jan["400000"] == (-5000, -6500, "average")
    assert jan["320000"] == (-20000, -23000, "historical")
    # 1,250.00 x 1.30 = 1,625.00 - 1,100.00 - 230.00 - 65.00 = 230.00 gain
    assert jan["330000"] == (0, -23000, "reserve")


def test_a_company_in_the_group_currency_translates_at_one():
    ledger = (Ledger()
              .post("1000", "2024-01", {"100000": 100000, "300000": -100000}, "opening")
              .post("1000", "2024-01", {"110000": 12345, "400000": -12345}))
    tr, table = _translate(ledger, dt.date(2024, 1, 1), 2, "1000", rate_book(
        dt.date(2024, 1, 1), 2, "EUR", "1.10", [("1.08", "1.12"), ("1.09", "1.05")]),
        currency="USD")
    assert np.array_equal(tr.local, tr.translated)
    assert _rows(table, 2)["330000"] == (0, 0, "reserve")
