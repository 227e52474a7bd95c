"""Posting dates, document dates and entry times.

Posting dates are drawn from the posting calendar's day weights (weekday, holiday and
period-end effects). Times of day depend on who posts (reference §4.2 step 7): people work
mostly 8-18 h with peaks at 9-11 and 14-16 and 5 % after hours; batch jobs run 70 % in the
night windows (0-6 h, 20-23 h). Document dates precede posting by a process-specific lag:
supplier invoices arrive days before they are booked, ledger entries are dated the same day.
"""

from __future__ import annotations

import numpy as np

from datasynth.generators.common.sampling import choice

_PEAK_HOURS = np.array([9, 10, 11, 14, 15, 16])
_AFTER_HOURS = np.array([6, 7, 18, 19, 20, 21])
_BATCH_HOURS = np.array([0, 1, 2, 3, 4, 5, 20, 21, 22, 23])
_BATCH_WEIGHTS = np.array([0.6 / 6] * 6 + [0.4 / 4] * 4)
# mean document-to-posting lag in days per process (O2C, P2P, R2R, H2R, A2R)
_MEAN_LAG = np.array([1.0, 4.0, 0.3, 0.5, 2.0])
_MAX_LAG = 30

MICROS_PER_DAY = 86_400_000_000


def sample_posting_days(rng: np.random.Generator, days: np.ndarray, weights: np.ndarray,
                        size: int) -> np.ndarray:
    """Days since the epoch, drawn by calendar weight."""
    return days[choice(rng, weights, size)]


def sample_seconds_of_day(rng: np.random.Generator, human: np.ndarray) -> np.ndarray:
    size = len(human)
    kind = rng.random(size)
    hour_human = np.where(
        kind < 0.05, _AFTER_HOURS[rng.integers(0, len(_AFTER_HOURS), size)],
        np.where(kind < 0.05 + 0.95 * 0.60, _PEAK_HOURS[rng.integers(0, 6, size)],
                 rng.integers(8, 18, size)))
    hour_batch = np.where(rng.random(size) < 0.70,
                          _BATCH_HOURS[choice(rng, _BATCH_WEIGHTS, size)],
                          rng.integers(0, 24, size))
    hour = np.where(human, hour_human, hour_batch)
    return hour * 3600 + rng.integers(0, 3600, size)


def sample_document_lag(rng: np.random.Generator, process: np.ndarray) -> np.ndarray:
    lag = rng.poisson(_MEAN_LAG[process])
    return np.minimum(lag, _MAX_LAG)
