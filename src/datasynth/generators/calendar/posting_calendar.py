"""The posting calendar of a company: which days are business days and how busy each is.

A day's weight is the product of its weekday weight (Mon 1.3 ... Fri 0.85, weekends low),
a holiday multiplier for the company country's public holidays (from the ``holidays``
package), and a period-end multiplier on the last business days of each month, raised for
quarter ends and the year end (reference §4.2 step 1, §4.3). Fiscal years follow the calendar
year (fiscal-year variant K4); the fiscal period is the month.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pyarrow as pa

from datasynth.config.models import SeasonalitySettings
from datasynth.schemas.calendar import CALENDAR


def period_end(start: dt.date, months: int) -> dt.date:
    """The first day after a period of ``months`` months starting on ``start``."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _days_in_month(year, month))
    return dt.date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.date(year, month, 1)).days


def build_calendar(company_code: str, country: str, start: dt.date, months: int,
                   seasonality: SeasonalitySettings) -> pa.Table:
    end = period_end(start, months)
    days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D"))
    weekday = (days.astype("int64") + 3) % 7                      # 1970-01-01 was a Thursday
    years = days.astype("datetime64[Y]").astype(int) + 1970
    months_ = days.astype("datetime64[M]").astype(int) % 12 + 1
    calendar = holidays.country_holidays(country, years=range(int(years[0]), int(years[-1]) + 1))
    holiday_days = np.array(sorted(np.datetime64(d, "D") for d in calendar), dtype="datetime64[D]")
    is_holiday = np.isin(days, holiday_days)
    is_business = (weekday < 5) & ~is_holiday

    weight = np.asarray(seasonality.weekday_weights, dtype=np.float64)[weekday]
    weight = np.where(is_holiday, weight * seasonality.holiday_multiplier, weight)
    weight *= _period_end_multiplier(days, months_, is_business, seasonality)

    n = len(days)
    codes = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)),
                                           pa.array([company_code]))
    return pa.Table.from_arrays([
        codes, pa.array(days, pa.date32()), pa.array(years.astype(np.int16)),
        pa.array(months_.astype(np.int8)), pa.array(is_business), pa.array(is_holiday),
        pa.array(weight)], schema=CALENDAR.schema)


def _period_end_multiplier(days: np.ndarray, months: np.ndarray, is_business: np.ndarray,
                           seasonality: SeasonalitySettings) -> np.ndarray:
    """Multiplier for the last ``period_end_days`` business days of each calendar month."""
    multiplier = np.ones(len(days))
    if seasonality.period_end_days == 0:
        return multiplier
    month_key = days.astype("datetime64[M]").astype(np.int64)
    # rank business days from the end of their month: 1 = last business day
    order = np.lexsort((-days.astype(np.int64), month_key))
    rank = np.zeros(len(days), dtype=np.int64)
    business_sorted = is_business[order]
    key_sorted = month_key[order]
    running = np.cumsum(business_sorted)
    starts = np.r_[0, np.flatnonzero(np.diff(key_sorted)) + 1]
    offset = np.repeat(running[starts] - business_sorted[starts],
                       np.diff(np.r_[starts, len(days)]))
    rank[order] = np.where(business_sorted, running - offset, 0)
    in_window = (rank >= 1) & (rank <= seasonality.period_end_days)
    level = np.where(months == 12, seasonality.year_end_multiplier,
                     np.where(months % 3 == 0, seasonality.quarter_end_multiplier,
                              seasonality.month_end_multiplier))
    return np.where(in_window, level, multiplier)
