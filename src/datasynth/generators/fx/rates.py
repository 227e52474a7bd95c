"""The ``fx_rates`` table: daily spot, monthly average and closing rates to the group currency.

Rates are quoted as units of the group currency per unit of the foreign currency (direct
quotation from the group's point of view: EUR -> USD 1.0843 means one euro is worth 1.0843
dollars), rounded half-even to 10 decimal places.

- **spot**: one row per calendar day. Market days (Monday to Friday) carry that day's fixing
  (``is_fixing``); weekends carry the last fixing before them, as ERP rate tables do, so any
  posting date finds its rate by equality.
- **average**: per month, the mean of the month's published fixings, rounded half-even (IAS 21.40: an average rate for the
  period may translate income and expenses when rates do not fluctuate significantly).
- **closing**: per month, the spot rate of the last calendar day (IAS 21.23: monetary items at
  the closing rate), dated that day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from datasynth.money import to_rate_decimal
from datasynth.schemas.fx import FX_RATES, RATE

SCALE = 10 ** RATE.scale


def market_days(start: dt.date, end: dt.date) -> np.ndarray:
    """Monday-to-Friday dates from the last market day on or before ``start`` to ``end``."""
    first = np.datetime64(start, "D")
    while ((first.astype(np.int64) + 3) % 7) >= 5:    # 1970-01-01 was a Thursday
        first -= 1
    days = np.arange(first, np.datetime64(end, "D") + 1, dtype="datetime64[D]")
    return days[((days.astype(np.int64) + 3) % 7) < 5]


def _rates_scaled(rates: np.ndarray) -> np.ndarray:
    """Rates -> int64 units of 1e-10, rounded half-even (np.rint)."""
    return np.rint(rates * SCALE).astype(np.int64)


def _monthly_mean(spot: np.ndarray, fixing_month: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Mean of each month's published fixings, in exact integers, rounded half-even: so the
    average can be recomputed from the spot rows to the last digit."""
    valid = (fixing_month >= months[0]) & (fixing_month <= months[-1])
    index = np.searchsorted(months, fixing_month[valid])
    sums = np.zeros(months.size, np.int64)
    np.add.at(sums, index, spot[valid])
    counts = np.maximum(np.bincount(index, minlength=months.size), 1)
    quotient, remainder = np.divmod(sums, counts)
    up = (2 * remainder > counts) | ((2 * remainder == counts) & (quotient % 2 == 1))
    return quotient + up


def rates_table(group: str, log_usd: dict[str, np.ndarray], fixings: np.ndarray,
                start: dt.date, end: dt.date) -> pa.Table:
    """Rows of every currency in ``log_usd`` but the group's, against the group currency.

    ``fixings`` are the market days the paths are on; ``[start, end]`` the calendar days the
    table covers (``end`` inclusive).
    """
    days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1,
                     dtype="datetime64[D]")
    last_fixing = np.searchsorted(fixings, days, side="right") - 1     # on or before the day
    is_fixing = fixings[last_fixing] == days
    month_of_day = days.astype("datetime64[M]")
    months = np.unique(month_of_day)
    month_ends = (months + 1).astype("datetime64[D]") - 1
    month_ends = np.minimum(month_ends, days[-1])
    fixing_month = fixings.astype("datetime64[M]")
    columns: dict[str, list] = {name: [] for name in FX_RATES.schema.names}

    def add(dates: np.ndarray, kind: str, code: str, scaled: np.ndarray, fixing: np.ndarray):
        n = dates.size
        columns["rate_date"].append(pa.array(dates, pa.date32()))
        columns["rate_type"].append(pa.array([kind] * n, pa.string()))
        columns["from_currency"].append(pa.array([code] * n, pa.string()))
        columns["to_currency"].append(pa.array([group] * n, pa.string()))
        columns["rate"].append(to_rate_decimal(scaled))
        months_ = dates.astype("datetime64[M]").astype(np.int64)
        columns["fiscal_year"].append(pa.array((months_ // 12 + 1970).astype(np.int16)))
        columns["fiscal_period"].append(pa.array((months_ % 12 + 1).astype(np.int8)))
        columns["is_fixing"].append(pa.array(fixing))

    for code in sorted(c for c in log_usd if c != group):
        fixing_rates = np.exp(log_usd[code] - log_usd[group])
        spot = _rates_scaled(fixing_rates)
        add(days, "spot", code, spot[last_fixing], is_fixing)
        add(month_ends, "average", code, _monthly_mean(spot, fixing_month, months),
            np.ones(months.size, bool))
        add(month_ends, "closing", code, spot[last_fixing[np.searchsorted(days, month_ends)]],
            np.ones(months.size, bool))
    arrays = []
    for field in FX_RATES.schema:
        chunks = columns[field.name]
        merged = pa.concat_arrays(chunks) if chunks else pa.array([], field.type)
        if pa.types.is_dictionary(field.type):
            merged = merged.dictionary_encode()
        arrays.append(merged.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=FX_RATES.schema)
