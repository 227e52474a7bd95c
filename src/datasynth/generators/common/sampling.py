"""Vectorised categorical sampling, including many distributions in one call.

``GroupedChoice`` packs K categorical distributions into one sorted array of cumulative
probabilities offset by the group number (group g occupies (g, g+1]); a single
``searchsorted`` then draws for millions of items, each from its own group's distribution.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def normalised(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    total = w.sum()
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    return w / total


def cumulative(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Normalised cumulative weights, ending exactly at 1 (for :func:`choice_cumulative`)."""
    cdf = np.cumsum(normalised(weights))
    cdf[-1] = 1.0
    return cdf


def choice_cumulative(rng: np.random.Generator, cdf: np.ndarray, size: int) -> np.ndarray:
    """Indices (int32) drawn from precomputed cumulative weights, one search for all."""
    index = np.searchsorted(cdf, rng.random(size), side="right")
    return np.minimum(index, len(cdf) - 1).astype(np.int32)


def choice(rng: np.random.Generator, weights: Sequence[float] | np.ndarray, size: int) -> np.ndarray:
    """Indices drawn by ``weights`` (int32)."""
    return choice_cumulative(rng, cumulative(weights), size)


def apportion(total: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum to ``total`` (largest remainder)."""
    w = np.asarray(weights, dtype=np.float64)
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    if short:
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


class GroupedChoice:
    """Draw ``values[g][j]`` with probability ``weights[g][j]`` for a group per item."""

    def __init__(self, values: Sequence[Sequence[int]], weights: Sequence[Sequence[float]]) -> None:
        if len(values) != len(weights):
            raise ValueError("values and weights differ in length")
        cdfs, flat = [], []
        self.empty = np.zeros(len(values), dtype=bool)
        for group, (vals, wts) in enumerate(zip(values, weights)):
            if len(vals) != len(wts):
                raise ValueError(f"group {group}: values and weights differ in length")
            if len(vals) == 0 or float(np.sum(wts)) <= 0:
                self.empty[group] = True
                vals, wts = [-1], [1.0]
            cdf = np.cumsum(normalised(wts))
            cdf[-1] = 1.0
            cdfs.append(group + cdf)
            flat.append(np.asarray(vals, dtype=np.int64))
        self._cdf = np.concatenate(cdfs) if cdfs else np.zeros(0)
        self._values = np.concatenate(flat) if flat else np.zeros(0, dtype=np.int64)

    def sample(self, rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
        """One value per item of ``groups`` (-1 where the group is empty)."""
        u = groups.astype(np.float64) + rng.random(len(groups))
        index = np.searchsorted(self._cdf, u, side="right")
        np.minimum(index, len(self._values) - 1, out=index)
        return self._values[index]


def zipf_weights(n: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Popularity weights 1/rank^s over a random ranking of ``n`` items (heavy-tailed use)."""
    ranks = rng.permutation(n) + 1
    return 1.0 / ranks.astype(np.float64) ** exponent
