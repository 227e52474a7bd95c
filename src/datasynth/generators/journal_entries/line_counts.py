"""How many lines an entry has, and how many of them are debits.

Counts follow the empirical table of the accounting-network study (reference §4.2 step 3):
two lines 60.7 %, four 16.6 %, ... and a heavy tail up to 9,999 lines. Single counts are kept
exactly as given; counts drawn from a range are made even with probability
``even_share_in_ranges``, which brings the even share to about 88 % without distorting the
shares of the small counts (the reference implementation's parity redraw does distort them).
Debit/credit split: 82 % of entries have as many debit as credit lines (all two-line
entries do, so the remaining even entries are made equal with the probability that brings the
total to 82 %); the others have 60 % of their lines on one side, debits 7 : credits 11.
"""

from __future__ import annotations

import numpy as np

from datasynth.config.models import LineCountSettings
from datasynth.generators.common.sampling import choice

EQUAL_SHARE = 0.82                  # entries with as many debit as credit lines
MORE_DEBIT_SHARE = 0.07 / (0.07 + 0.11)   # of the unequal ones, debit-heavy


def sample_line_counts(rng: np.random.Generator, settings: LineCountSettings,
                       size: int) -> np.ndarray:
    bins = settings.bins()
    lows = np.array([b[0] for b in bins], dtype=np.int64)
    highs = np.array([b[1] for b in bins], dtype=np.int64)
    which = choice(rng, [b[2] for b in bins], size)
    low, high = lows[which], highs[which]
    counts = low + np.floor(rng.random(size) * (high - low + 1)).astype(np.int64)
    ranged = high > low
    want_even = rng.random(size) < settings.even_share_in_ranges
    wrong_parity = ranged & ((counts % 2 == 0) != want_even)
    # move to the neighbour of the wanted parity, staying inside the range
    step = np.where(counts + 1 <= high, 1, -1)
    counts = np.where(wrong_parity, counts + step, counts)
    return counts.astype(np.int32)


def equal_probability(settings: LineCountSettings) -> float:
    """Chance that an even entry of four or more lines is split equally (see module doc)."""
    two = even_more = 0.0
    for low, high, p in settings.bins():
        if low == high:
            two += p if low == 2 else 0.0
            even_more += p if low % 2 == 0 and low > 2 else 0.0
        else:
            even_more += p * settings.even_share_in_ranges
    if even_more <= 0:
        return 1.0
    return float(np.clip((EQUAL_SHARE - two) / even_more, 0.0, 1.0))


def sample_debit_counts(rng: np.random.Generator, line_counts: np.ndarray,
                        settings: LineCountSettings) -> np.ndarray:
    n = line_counts.astype(np.int64)
    draws = rng.random((2, len(n)))
    equal = (n == 2) | ((n % 2 == 0) & (draws[0] < equal_probability(settings)))
    more = np.clip(np.maximum(np.rint(0.6 * n).astype(np.int64), n // 2 + 1), 1, n - 1)
    debits = np.where(draws[1] < MORE_DEBIT_SHARE, more, n - more)
    return np.where(equal, n // 2, debits).astype(np.int32)
