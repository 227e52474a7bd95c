"""CompanyBooks.working_day (flows/context.py::WorkingDays): days moved onto the posting
calendar's working days, within their month, on a German calendar around Easter 2024
(Good Friday 29 March and Easter Monday 1 April are public holidays)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pytest

from datasynth.config.models import SeasonalitySettings
from datasynth.generators.calendar.posting_calendar import build_calendar
from datasynth.generators.ledger.flows.context import WorkingDays

EPOCH = dt.date(1970, 1, 1)


def day(text: str) -> int:
    return (dt.date.fromisoformat(text) - EPOCH).days


def working_days(start: dt.date, months: int, country: str = "DE") -> WorkingDays:
    """The lookup as build_company_books makes it, from the calendar table."""
    table = build_calendar("1000", country, start, months, SeasonalitySettings())
    days = table["date"].cast(pa.int32()).to_numpy().astype(np.int64)
    key = table["fiscal_year"].to_numpy().astype(np.int64) * 100 + table["fiscal_period"] \
        .to_numpy()
    weight, business = table["weight"].to_numpy(), table["is_business_day"].to_numpy(
        zero_copy_only=False)
    masks = [key == k for k in np.unique(key)]
    books = SimpleNamespace(month_days=[days[m] for m in masks],
                            month_weights=[weight[m] for m in masks],
                            month_business=[business[m] for m in masks],
                            start_day=int(days.min()))
    return WorkingDays.build(books)


@pytest.fixture(scope="module")
def easter():
    return working_days(dt.date(2024, 3, 1), 2)


@pytest.mark.parametrize("given, forward, backward", [
    ("2024-03-04", "2024-03-04", "2024-03-04"),    # a Monday stays
    ("2024-03-02", "2024-03-04", "2024-03-01"),    # Saturday
    ("2024-03-03", "2024-03-04", "2024-03-01"),    # Sunday
    ("2024-03-29", "2024-03-28", "2024-03-28"),    # Good Friday: no working day left in March
    ("2024-03-31", "2024-03-28", "2024-03-28"),
    ("2024-04-01", "2024-04-02", "2024-04-02"),    # Easter Monday: none before it in April
    ("2024-04-27", "2024-04-29", "2024-04-26"),    # the run's last Saturday
    ("2024-02-24", "2024-02-26", "2024-02-23"),    # before the run: weekends only
    ("2024-05-04", "2024-05-06", "2024-05-03"),    # after the run
])
def test_days_move_to_a_working_day_of_their_month(easter, given, forward, backward):
    assert easter.move(np.array([day(given)]), None, False)[0] == day(forward)
    assert easter.move(np.array([day(given)]), None, True)[0] == day(backward)


def test_direction_per_day_and_first_and_last_working_days(easter):
    days = np.array([day("2024-03-02"), day("2024-03-02")])
    assert list(easter.move(days, None, np.array([False, True]))) == \
        [day("2024-03-04"), day("2024-03-01")]
    assert list(easter.first) == [day("2024-03-01"), day("2024-04-02")]
    assert list(easter.last) == [day("2024-03-28"), day("2024-04-30")]
    # across the month end, for a draw that must come before a moment
    assert easter.on_or_before(day("2024-04-01")) == day("2024-03-28")
    assert easter.on_or_before(day("2024-02-29")) == day("2024-02-29")   # before the run


def test_with_rng_a_small_share_stays_on_the_weekend_by_calendar_weight(easter):
    """Saturday 0.08 and Sunday 0.04 against an ordinary working day's weight 1.0; a
    holiday (Easter Monday: 1.3 x 0.05) 0.065."""
    rng = np.random.default_rng(3)
    n = 40_000
    for given, expected in (("2024-03-09", 0.08), ("2024-03-10", 0.04),
                            ("2024-04-01", 0.065), ("2024-03-11", 1.0)):
        moved = easter.move(np.full(n, day(given)), rng, False)
        stayed = (moved == day(given)).mean()
        assert abs(stayed - expected) < 0.01, f"{given}: {stayed:.3f} stayed"
        assert set(moved) <= {day(given), easter.move(np.array([day(given)]), None, False)[0]}


def test_a_month_without_working_days_keeps_its_days():
    """A run starting on Saturday 30 March: its March is a weekend, no day to move to."""
    wd = working_days(dt.date(2024, 3, 30), 1)
    assert list(wd.move(np.array([day("2024-03-30"), day("2024-03-31")]), None, False)) == \
        [day("2024-03-30"), day("2024-03-31")]
    assert wd.first[0] == day("2024-03-30") and wd.last[0] == day("2024-03-31")
    assert wd.first[1] == day("2024-04-02")
