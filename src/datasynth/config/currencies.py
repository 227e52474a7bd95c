"""Currencies datasynth can book in: ISO 4217 code, minor-unit exponent, indicative USD rate.

The exponent follows ISO 4217 (JPY and KRW have no minor unit, most others two). Currencies
with three minor digits (KWD, BHD, ...) are not supported because money columns are written as
``decimal128(18, 2)``. The USD rate (USD per unit, late-2020s levels) only scales amount
distributions so that a yen ledger carries yen-sized amounts; it is not an FX model.
"""

from __future__ import annotations

from typing import NamedTuple


class Currency(NamedTuple):
    code: str
    exponent: int
    usd_per_unit: float
    name: str


_TABLE = [
    ("USD", 2, 1.0, "US dollar"),
    ("EUR", 2, 1.10, "Euro"),
    ("GBP", 2, 1.27, "Pound sterling"),
    ("JPY", 0, 0.0067, "Japanese yen"),
    ("CHF", 2, 1.13, "Swiss franc"),
    ("CAD", 2, 0.74, "Canadian dollar"),
    ("AUD", 2, 0.65, "Australian dollar"),
    ("NZD", 2, 0.60, "New Zealand dollar"),
    ("CNY", 2, 0.14, "Chinese yuan"),
    ("HKD", 2, 0.128, "Hong Kong dollar"),
    ("SGD", 2, 0.75, "Singapore dollar"),
    ("INR", 2, 0.012, "Indian rupee"),
    ("KRW", 0, 0.00075, "South Korean won"),
    ("BRL", 2, 0.20, "Brazilian real"),
    ("MXN", 2, 0.058, "Mexican peso"),
    ("SEK", 2, 0.095, "Swedish krona"),
    ("NOK", 2, 0.093, "Norwegian krone"),
    ("DKK", 2, 0.147, "Danish krone"),
    ("PLN", 2, 0.25, "Polish zloty"),
    ("CZK", 2, 0.044, "Czech koruna"),
    ("HUF", 2, 0.0028, "Hungarian forint"),
    ("ZAR", 2, 0.053, "South African rand"),
    ("THB", 2, 0.028, "Thai baht"),
    ("MYR", 2, 0.21, "Malaysian ringgit"),
    ("IDR", 2, 0.000063, "Indonesian rupiah"),
    ("PHP", 2, 0.018, "Philippine peso"),
    ("TRY", 2, 0.031, "Turkish lira"),
    ("AED", 2, 0.272, "UAE dirham"),
    ("SAR", 2, 0.267, "Saudi riyal"),
    ("ILS", 2, 0.27, "Israeli new shekel"),
    ("CLP", 0, 0.0011, "Chilean peso"),
    ("COP", 2, 0.00025, "Colombian peso"),
    ("ARS", 2, 0.0011, "Argentine peso"),
]

CURRENCIES: dict[str, Currency] = {row[0]: Currency(*row) for row in _TABLE}

#: Currencies with three minor digits: known to ISO 4217, refused with a specific message.
THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})


def currency(code: str) -> Currency:
    """Return the currency for an ISO code (``KeyError`` if unsupported)."""
    return CURRENCIES[code]
