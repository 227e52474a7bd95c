"""Splitting ``target_count`` entries over companies, months and shards.

Companies get exact shares of the target by volume weight (largest remainder); months get a
multinomial draw weighted by each month's posting activity, so quarter and year ends are
busier. Both are decided once, from the configuration and the seed.
"""

from __future__ import annotations

import numpy as np

from datasynth.generators.common.sampling import apportion

__all__ = ["apportion", "monthly_counts", "split_evenly"]


def split_evenly(total: int, max_size: int) -> list[int]:
    """``total`` as the fewest near-equal parts of at most ``max_size``."""
    if total <= 0:
        return []
    parts = -(-total // max_size)
    return [int(x) for x in apportion(total, [1.0] * parts)]


def monthly_counts(rng: np.random.Generator, total: int, month_weights: np.ndarray) -> np.ndarray:
    return rng.multinomial(total, month_weights / month_weights.sum())
