"""Duplicate records: the same record extracted twice, sometimes not quite the same.

A duplicate is an extra row appended to the degraded copy, a copy of the clean record (as
text) with the same key — keys are protected, so a deduplicator finds the pair by key and
must decide whether the rows agree. ``exact`` duplicates agree in every field; ``near``
duplicates differ in one text field by a small change: a typo, stray whitespace or a
different case, the way a record re-keyed or re-imported differs. The label names the field
and both values. A record with no text field to change becomes an exact duplicate.
"""

from __future__ import annotations

import numpy as np

from datasynth.generators.quality import typos
from datasynth.generators.quality.cells import choose

CHANGES = ("typo", "whitespace", "case")
WEIGHTS = np.array([0.4, 0.3, 0.3])


def pick(rng: np.random.Generator, n: int, rate: float, near_share: float
         ) -> tuple[np.ndarray, np.ndarray]:
    """Rows (ascending) to duplicate, and whether each duplicate is to be near."""
    rows = np.flatnonzero(rng.random(n) < rate)
    return rows, rng.random(len(rows)) < near_share


def _pick(options: list, u: float):
    return options[min(int(u * len(options)), len(options) - 1)]


def whitespace(value: str, u_kind: float, u_position: float) -> str:
    """A leading or trailing blank, or an inner blank doubled."""
    inner = [i for i, ch in enumerate(value) if ch == " "]
    kind = _pick(["lead", "trail"] + (["inner"] if inner else []), u_kind)
    if kind == "lead":
        return " " + value
    if kind == "trail":
        return value + " "
    i = _pick(inner, u_position)
    return value[:i] + " " + value[i:]


def recase(value: str, u: float) -> str:
    """Upper, lower or title case, whichever of them changes the value (drawn by ``u``)."""
    return _pick([v for v in (value.upper(), value.lower(), value.title()) if v != value], u)


def change_applicable(value: str) -> np.ndarray:
    cased = value.upper() != value or value.lower() != value
    return np.array([typos.applicable(value).any(), True, cased])


def near_values(rng: np.random.Generator, values: list[str]) -> list[str]:
    """Each value with one small change (a typo, whitespace or case), always a real change."""
    n = len(values)
    u_change, u_a, u_b, u_c = (rng.random(n) for _ in range(4))
    if n == 0:
        return []
    picked = choose(u_change, np.array([change_applicable(v) for v in values]), WEIGHTS)
    out = []
    for value, k, ua, ub, uc in zip(values, picked, u_a, u_b, u_c):
        change = CHANGES[k]
        if change == "typo":
            operation = choose(np.array([ua]), typos.applicable(value)[None, :],
                               typos.WEIGHTS)[0]
            out.append(typos.apply(value, typos.OPERATIONS[operation], float(ub), float(uc)))
        elif change == "whitespace":
            out.append(whitespace(value, float(ua), float(ub)))
        else:
            out.append(recase(value, float(ua)))
    return out
