"""The fx_rates table on a hand-checked case: spot carried over weekends, the monthly average
of the published fixings rounded half-even, the closing rate of the last day."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np

from datasynth.generators.fx import market_days, rates_table


def test_market_days_start_on_the_last_fixing_before_the_run():
    days = market_days(dt.date(2024, 6, 1), dt.date(2024, 6, 10))     # a Saturday
    assert [str(d) for d in days] == ["2024-05-31", "2024-06-03", "2024-06-04", "2024-06-05",
                                      "2024-06-06", "2024-06-07", "2024-06-10"]


def _table(start, end, eur_rates, group="USD"):
    fixings = market_days(start, end)
    assert len(fixings) == len(eur_rates)
    paths = {"USD": np.zeros(len(fixings)), "EUR": np.log(np.array(eur_rates))}
    return rates_table(group, paths, fixings, start, end).to_pylist()


def test_a_hand_checked_month_end():
    # Thu 2024-02-29 is the last day of February; Fri 1, Sat 2, Sun 3, Mon 4 March
    start, end = dt.date(2024, 2, 27), dt.date(2024, 3, 4)
    # fixings Tue 27, Wed 28, Thu 29 Feb; Fri 1, Mon 4 Mar
    rows = _table(start, end, [1.08, 1.09, 1.0800000001, 1.07, 1.06])
    spot = {r["rate_date"]: r["rate"] for r in rows if r["rate_type"] == "spot"}
    assert spot[dt.date(2024, 3, 2)] == spot[dt.date(2024, 3, 3)] == Decimal("1.0700000000")
    fixing = {r["rate_date"]: r["is_fixing"] for r in rows if r["rate_type"] == "spot"}
    assert not fixing[dt.date(2024, 3, 2)] and fixing[dt.date(2024, 3, 4)]
    by_type = {(r["rate_type"], r["rate_date"]): r for r in rows if r["rate_type"] != "spot"}
    feb_close = by_type[("closing", dt.date(2024, 2, 29))]
    assert feb_close["rate"] == Decimal("1.0800000001")
    assert (feb_close["fiscal_year"], feb_close["fiscal_period"]) == (2024, 2)
    # (1.08 + 1.09 + 1.0800000001) / 3 = 1.0833333333667 -> 1.0833333334
    assert by_type[("average", dt.date(2024, 2, 29))]["rate"] == Decimal("1.0833333334")
    # March so far: (1.07 + 1.06) / 2, dated the last day of the run
    assert by_type[("average", dt.date(2024, 3, 4))]["rate"] == Decimal("1.0650000000")
    assert by_type[("closing", dt.date(2024, 3, 4))]["rate"] == Decimal("1.0600000000")
    assert {r["from_currency"] for r in rows} == {"EUR"} and {r["to_currency"] for r in rows} == {"USD"}


def test_an_average_exactly_halfway_rounds_to_even():
    start, end = dt.date(2024, 1, 1), dt.date(2024, 1, 2)     # Mon, Tue
    rows = _table(start, end, [1.0000000001, 1.0000000002])  # mean 1.00000000015
    average = next(r for r in rows if r["rate_type"] == "average")
    assert average["rate"] == Decimal("1.0000000002")           # ...01 is odd: up to even


def test_rates_are_quoted_in_the_group_currency():
    start, end = dt.date(2024, 1, 1), dt.date(2024, 1, 1)
    fixings = market_days(start, end)
    paths = {"USD": np.zeros(1), "EUR": np.log([1.10]), "GBP": np.log([1.25])}
    rows = rates_table("GBP", paths, fixings, start, end).to_pylist()
    spot = {r["from_currency"]: r["rate"] for r in rows if r["rate_type"] == "spot"}
    assert spot["USD"] == Decimal("0.8000000000")                # 1 / 1.25
    assert spot["EUR"] == Decimal("0.8800000000")                # 1.10 / 1.25
    assert math.isclose(float(spot["EUR"]) / float(spot["USD"]), 1.10)
