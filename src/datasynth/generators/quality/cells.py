"""Which value gets which damage: one uniform draw per value, cut into intervals.

Each kind of damage owns a fixed interval of ``[0, 1)``, as long as its rate, in a fixed order
(missing completely at random, missing at random, typo, format variation, encoding). A value
takes the kind whose interval its draw falls in, if it is eligible for that kind (a typo needs
text, a format variation a date or an amount). So a value gets at most one change, and the
share of eligible values with a kind is that kind's rate exactly in expectation, whatever the
other rates are (the configuration keeps their sum at most 1).

``choose`` picks one of several applicable variants per value (a typo operation, a date
style) the same way: uniform among the variants that would change the value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NONE, MCAR, MAR, TYPO, FORMAT, ENCODING = range(6)


@dataclass(frozen=True)
class Rates:
    """Per-value rates of the damage kinds (``data_quality`` settings)."""

    missing: float = 0.0
    missing_dependent: float = 0.0
    typo: float = 0.0
    format_variation: float = 0.0
    encoding: float = 0.0

    @classmethod
    def from_settings(cls, settings) -> Rates:
        return cls(settings.missing_rate, settings.missing_dependent_rate, settings.typo_rate,
                   settings.format_variation_rate, settings.encoding_rate)


@dataclass(frozen=True)
class Eligible:
    """Boolean masks (one per value of a column): which kinds may apply."""

    missing: np.ndarray
    dependent: np.ndarray        # missing at random: the record meets the rule's condition
    typo: np.ndarray
    format: np.ndarray
    encoding: np.ndarray


def assign(u: np.ndarray, eligible: Eligible, rates: Rates) -> np.ndarray:
    """The kind of damage per value (``NONE`` .. ``ENCODING``, int8) for uniform draws ``u``."""
    kinds = np.full(len(u), NONE, dtype=np.int8)
    low = 0.0
    for kind, rate, mask in ((MCAR, rates.missing, eligible.missing),
                             (MAR, rates.missing_dependent, eligible.missing & eligible.dependent),
                             (TYPO, rates.typo, eligible.typo),
                             (FORMAT, rates.format_variation, eligible.format),
                             (ENCODING, rates.encoding, eligible.encoding)):
        kinds[(u >= low) & (u < low + rate) & mask] = kind
        low += rate
    return kinds


def choose(u: np.ndarray, applicable: np.ndarray, weights: np.ndarray | None = None
           ) -> np.ndarray:
    """For each row of ``applicable`` (values x variants, bool), the index of one applicable
    variant, drawn with ``weights`` (uniform if None) by the uniform draw ``u``; -1 where no
    variant applies."""
    w = np.ones(applicable.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    weighted = applicable * w
    total = weighted.sum(axis=1)
    cumulative = np.cumsum(weighted, axis=1)
    target = (u * total)[:, None]
    picked = (cumulative <= target).sum(axis=1)
    picked = np.minimum(picked, applicable.shape[1] - 1)
    return np.where(total > 0, picked, -1)
