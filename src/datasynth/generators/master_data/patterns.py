"""Identifiers from patterns: postal codes, tax numbers and IBANs, whole columns at a time.

A pattern is a template where ``#`` is a digit 0-9, ``%`` a digit 1-9, ``?`` a letter A-Z and
anything else literal (see :mod:`countries`). Each pattern yields a fixed-width byte matrix
that is turned into an Arrow string column without a Python loop over rows.

IBANs follow ISO 13616: country code, two check digits, then the national BBAN. The check
digits are ``98 - (BBAN + country + "00" as digits, letters A=10..Z=35) mod 97``, computed
column by column over the matrix (ISO 7064 MOD 97-10).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.master_data.common import fixed_width, per_group

_ZERO, _ONE, _A = ord("0"), ord("1"), ord("A")


def pattern_matrix(rng: np.random.Generator, pattern: str, size: int) -> np.ndarray:
    """A ``(size, width)`` uint8 matrix of ``pattern`` filled with random characters."""
    template = np.frombuffer(pattern.encode("utf-8"), dtype=np.uint8)
    out = np.empty((size, template.size), dtype=np.uint8)
    out[:] = template
    digits = template == ord("#")
    nonzero = template == ord("%")
    letters = template == ord("?")
    if digits.any():
        out[:, digits] = _ZERO + rng.integers(0, 10, (size, int(digits.sum())), dtype=np.uint8)
    if nonzero.any():
        out[:, nonzero] = _ONE + rng.integers(0, 9, (size, int(nonzero.sum())), dtype=np.uint8)
    if letters.any():
        out[:, letters] = _A + rng.integers(0, 26, (size, int(letters.sum())), dtype=np.uint8)
    return out


def pattern_strings(rng: np.random.Generator, pattern: str, size: int) -> pa.Array:
    return fixed_width(pattern_matrix(rng, pattern, size))


def patterns_by_country(rng: np.random.Generator, country_idx: np.ndarray,
                        countries: list[str], pattern_of) -> pa.Array:
    """One pattern per country (``pattern_of(code)``), rows grouped by country index."""
    return per_group(country_idx, countries,
                     lambda code, n: pattern_strings(rng, pattern_of(code), n))


def _mod97(matrix: np.ndarray) -> np.ndarray:
    """Remainder mod 97 of each row read as the IBAN digit string (letters as two digits)."""
    rem = np.zeros(matrix.shape[0], dtype=np.int64)
    for col in range(matrix.shape[1]):
        c = matrix[:, col].astype(np.int64)
        is_letter = c >= _A
        value = np.where(is_letter, c - _A + 10, c - _ZERO)
        rem = np.where(is_letter, rem * 100 + value, rem * 10 + value) % 97
    return rem


def iban_matrix(rng: np.random.Generator, country_code: str, bban: str,
                size: int) -> np.ndarray:
    """IBANs for one country as a byte matrix: ``CC`` + check digits + random BBAN."""
    body = pattern_matrix(rng, bban, size)
    cc = np.frombuffer(country_code.encode("ascii"), dtype=np.uint8)
    tail = np.empty((size, 4), dtype=np.uint8)
    tail[:, :2] = cc
    tail[:, 2:] = _ZERO
    check = 98 - _mod97(np.hstack([body, tail]))
    out = np.empty((size, 4 + body.shape[1]), dtype=np.uint8)
    out[:, :2] = cc
    out[:, 2] = _ZERO + check // 10
    out[:, 3] = _ZERO + check % 10
    out[:, 4:] = body
    return out


def ibans_by_country(rng: np.random.Generator, country_idx: np.ndarray, countries: list[str],
                     bban_of) -> pa.Array:
    return per_group(country_idx, countries,
                     lambda code, n: fixed_width(iban_matrix(rng, code, bban_of(code), n)))


def iban_is_valid(iban: str) -> bool:
    """Scalar check used by tests: the ISO 13616 mod-97 rule."""
    text = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in text)
    return int(digits) % 97 == 1
