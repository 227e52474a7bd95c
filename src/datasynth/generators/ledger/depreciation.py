"""Straight-line depreciation by month, shared by the opening balance and the period close.

Convention (as most ERPs default to): depreciation starts in the month after the asset is
placed in service and runs for ``useful_life_months`` months; each month charges
``(cost - salvage) // life``, and the last month also charges the remainder, so the asset
ends exactly at its salvage value. Assets with a life of 0 (land) are never depreciated.
All amounts are int64 minor units; everything is vectorised over assets.
"""

from __future__ import annotations

import numpy as np


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of days since the epoch."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype(
        "datetime64[M]").astype(np.int64)


def months_depreciated(acquisition_day: np.ndarray, life_months: np.ndarray,
                       through_month: int) -> np.ndarray:
    """Months of depreciation charged up to and including month ``through_month``
    (months since 1970-01)."""
    first = month_index(acquisition_day) + 1
    done = np.clip(through_month - first + 1, 0, None)
    return np.minimum(done, np.asarray(life_months, dtype=np.int64))


def accumulated(cost: np.ndarray, salvage: np.ndarray, life_months: np.ndarray,
                acquisition_day: np.ndarray, through_month: int) -> np.ndarray:
    """Accumulated depreciation at the end of month ``through_month``."""
    life = np.asarray(life_months, dtype=np.int64)
    base = np.maximum(np.asarray(cost, np.int64) - np.asarray(salvage, np.int64), 0)
    safe = np.maximum(life, 1)
    monthly = base // safe
    done = months_depreciated(acquisition_day, life, through_month)
    out = monthly * done + np.where((done >= life) & (life > 0), base - monthly * safe, 0)
    return np.where(life > 0, out, 0)


def charge_for_month(cost: np.ndarray, salvage: np.ndarray, life_months: np.ndarray,
                     acquisition_day: np.ndarray, month: int) -> np.ndarray:
    """Depreciation charged in month ``month`` (months since 1970-01)."""
    return (accumulated(cost, salvage, life_months, acquisition_day, month)
            - accumulated(cost, salvage, life_months, acquisition_day, month - 1))
