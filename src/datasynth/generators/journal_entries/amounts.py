"""Line amounts in integer minor units, with first digits that follow Benford's law.

The side of an entry with more lines (debits on ties) draws each line from a log-normal
mixture (routine, significant and major transactions; reference §4.3). Wide log-normals are
scale invariant enough that their first digits follow Benford (MAD well under 0.006). The other
side splits the same total with Dirichlet weights, so every entry balances exactly, in integers.

Manual entries are sometimes rounded to two significant digits; amounts are never rounded
below ``min_amount``, avoiding the reference implementation's zero amounts (§4.2 step 10).
"""

from __future__ import annotations

import numpy as np

from datasynth.config.models import AmountSettings
from datasynth.generators.common.sampling import choice


def sample_line_amounts(rng: np.random.Generator, settings: AmountSettings,
                        entry_of_line: np.ndarray, entry_count: int, entry_scale: np.ndarray,
                        rounded_entry: np.ndarray, minor_per_usd: float) -> np.ndarray:
    """Minor-unit amounts for the driver lines; lines of one entry share a mixture component."""
    weights = [c.weight for c in settings.components]
    component = choice(rng, weights, entry_count)[entry_of_line]
    mu = np.array([c.mu for c in settings.components])[component]
    sigma = np.array([c.sigma for c in settings.components])[component]
    usd = np.exp(mu + sigma * rng.standard_normal(len(entry_of_line)))
    usd *= entry_scale[entry_of_line]
    np.clip(usd, settings.min_amount, settings.max_amount, out=usd)
    rounded = rounded_entry[entry_of_line]
    if rounded.any():
        usd[rounded] = _two_significant_digits(usd[rounded])
    minor = np.rint(usd * minor_per_usd).astype(np.int64)
    return np.maximum(minor, 1)


def _two_significant_digits(values: np.ndarray) -> np.ndarray:
    magnitude = 10.0 ** (np.floor(np.log10(values)) - 1)
    return np.maximum(np.rint(values / magnitude), 10) * magnitude


def split_totals(rng: np.random.Generator, totals: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Split each ``totals[i]`` into ``counts[i]`` positive integers that sum to it exactly.

    ``totals[i] >= counts[i]`` must hold. Weights are Dirichlet(1) (normalised exponentials);
    each part gets one unit plus its floor share of the rest; the rounding remainder goes to
    the entry's last part.
    """
    entry = np.repeat(np.arange(len(counts)), counts)
    draws = rng.exponential(size=len(entry))
    sums = np.bincount(entry, weights=draws, minlength=len(counts))
    spread = (totals - counts).astype(np.float64)
    parts = 1 + np.floor(draws / sums[entry] * spread[entry]).astype(np.int64)
    assigned = np.bincount(entry, weights=parts, minlength=len(counts)).astype(np.int64)
    last = np.cumsum(counts) - 1
    parts[last] += totals - assigned
    return parts
