"""Typos: one keying or scanning error per damaged value, at most two edits from the original.

Operations (label subtypes), weighted like the peer study's typo mix (domain §8.4):
``substitution`` (a QWERTY neighbour, case kept; digits by neighbouring digits), ``transposition``
(two adjacent different characters swapped), ``deletion`` (a letter or digit dropped),
``doubled_char`` (a letter or digit typed twice) and ``ocr`` (a scanner confusing 0/O, 1/l,
5/S, 8/B or rn/m). An operation is drawn only among those that change the value, so every
typo is a real change. Only the few damaged values pass through here, one Python call each;
the random draws are made up front as arrays, so a value's typo depends only on its draws.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from datasynth.generators.quality.cells import choose

OPERATIONS = ("substitution", "transposition", "deletion", "doubled_char", "ocr")
WEIGHTS = np.array([0.30, 0.20, 0.20, 0.15, 0.15])

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_DIGITS = "1234567890"


def _neighbours() -> dict[str, str]:
    """Keys next to each key on a staggered QWERTY keyboard (letters to letters)."""
    near: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, key in enumerate(row):
            cells = [(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1),
                     (r + 1, c)]
            near[key] = "".join(_ROWS[i][j] for i, j in cells
                                if 0 <= i < len(_ROWS) and 0 <= j < len(_ROWS[i]))
    for c, key in enumerate(_DIGITS):
        near[key] = "".join(_DIGITS[j] for j in (c - 1, c + 1) if 0 <= j < len(_DIGITS))
    return near


NEIGHBOURS = _neighbours()
OCR_CONFUSIONS = (("rn", "m"), ("m", "rn"), ("0", "O"), ("O", "0"), ("1", "l"), ("l", "1"),
                  ("5", "S"), ("S", "5"), ("8", "B"), ("B", "8"))


def _pick(candidates: tuple, u: float):
    return candidates[min(int(u * len(candidates)), len(candidates) - 1)]


# Text columns repeat values (a journal has a few hundred distinct line texts), so the
# places an operation can act on are cached per value.
@lru_cache(maxsize=8192)
def _substitutable(value: str) -> tuple[int, ...]:
    return tuple(i for i, ch in enumerate(value) if ch.lower() in NEIGHBOURS)


@lru_cache(maxsize=8192)
def _swappable(value: str) -> tuple[int, ...]:
    return tuple(i for i in range(len(value) - 1)
                 if value[i] != value[i + 1] and (value[i].isalnum() or value[i + 1].isalnum()))


@lru_cache(maxsize=8192)
def _alnum(value: str) -> tuple[int, ...]:
    return tuple(i for i, ch in enumerate(value) if ch.isalnum())


@lru_cache(maxsize=8192)
def _ocr_spots(value: str) -> tuple[tuple[int, str, str], ...]:
    spots = []
    for source, target in OCR_CONFUSIONS:
        start = value.find(source)
        while start >= 0:
            spots.append((start, source, target))
            start = value.find(source, start + 1)
    return tuple(sorted(spots))


@lru_cache(maxsize=8192)
def _applicable(value: str) -> tuple[bool, ...]:
    return (bool(_substitutable(value)), bool(_swappable(value)),
            len(value) > 1 and bool(_alnum(value)), bool(_alnum(value)),
            bool(_ocr_spots(value)))


def applicable(value: str) -> np.ndarray:
    """Which operations would change ``value`` (bool per operation)."""
    return np.array(_applicable(value))


def apply(value: str, operation: str, u_position: float, u_variant: float) -> str:
    """``value`` with one typo of ``operation`` at the place the draws pick."""
    if operation == "substitution":
        i = _pick(_substitutable(value), u_position)
        ch = _pick(NEIGHBOURS[value[i].lower()], u_variant)
        return value[:i] + (ch.upper() if value[i].isupper() else ch) + value[i + 1:]
    if operation == "transposition":
        i = _pick(_swappable(value), u_position)
        return value[:i] + value[i + 1] + value[i] + value[i + 2:]
    if operation == "deletion":
        i = _pick(_alnum(value), u_position)
        return value[:i] + value[i + 1:]
    if operation == "doubled_char":
        i = _pick(_alnum(value), u_position)
        return value[:i] + value[i] + value[i:]
    if operation == "ocr":
        i, source, target = _pick(_ocr_spots(value), u_position)
        return value[:i] + target + value[i + len(source):]
    raise ValueError(f"unknown typo operation {operation!r}")


def make_typos(rng: np.random.Generator, values: list[str]) -> tuple[list[str], list[str]]:
    """One typo per value; returns the new values and the operation used for each. A value
    no operation can change (no letter or digit) is returned unchanged with subtype ''."""
    n = len(values)
    u_operation, u_position, u_variant = rng.random(n), rng.random(n), rng.random(n)
    if n == 0:
        return [], []
    picked = choose(u_operation, np.array([_applicable(v) for v in values]), WEIGHTS)
    out, subtypes = [], []
    for value, k, up, uv in zip(values, picked, u_position, u_variant):
        if k < 0:
            out.append(value)
            subtypes.append("")
        else:
            out.append(apply(value, OPERATIONS[k], float(up), float(uv)))
            subtypes.append(OPERATIONS[k])
    return out, subtypes
