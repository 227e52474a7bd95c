"""Format variations: the same date or amount written the way another system or locale writes
it. Nothing is lost — every variation parses back to the clean value (``parse_date``,
``parse_amount``), which is what makes it a format issue rather than a wrong value.

Dates (clean form ISO ``2024-03-14``): ``date_us`` 03/14/2024, ``date_eu`` 14.03.2024,
``date_dd_mon_yyyy`` 14-Mar-2024, ``date_compact`` 20240314.
Amounts (clean form ``1234.56``): ``amount_thousands`` 1,234.56, ``amount_eu`` 1.234,56,
``amount_currency`` $1234.56 (the company currency's symbol, else its code), ``amount_accounting``
(1234.56) for negatives, ``amount_no_decimals`` 1234 for whole amounts. A style is drawn only
among those that change the value (1,234.56 needs four integer digits, parentheses a negative).
All rendering is vectorised with Arrow compute, one pass per style.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.quality.cells import choose

DATE_STYLES = {"date_us": "%m/%d/%Y", "date_eu": "%d.%m.%Y", "date_dd_mon_yyyy": "%d-%b-%Y",
               "date_compact": "%Y%m%d"}
AMOUNT_STYLES = ("amount_thousands", "amount_eu", "amount_currency", "amount_accounting",
                 "amount_no_decimals")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩"}


def currency_prefix(currency: str) -> str:
    return SYMBOLS.get(currency, f"{currency} ")


def _scatter(parts: list[tuple[np.ndarray, pa.Array]], n: int) -> pa.StringArray:
    """Values computed per style, put back into the order of the n input values."""
    parts = [(rows, values) for rows, values in parts if len(rows)]
    if not parts:
        return pa.array([], pa.string())
    order = np.concatenate([rows for rows, _ in parts])
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return pa.concat_arrays([values for _, values in parts]).take(pa.array(inverse))


def vary_dates(rng: np.random.Generator, dates: pa.Array) -> tuple[pa.StringArray, np.ndarray]:
    """Each (non-null) ``date32`` value in one of the date styles; the styles used."""
    styles = list(DATE_STYLES)
    picked = choose(rng.random(len(dates)), np.ones((len(dates), len(styles)), dtype=bool))
    parts = []
    for k, style in enumerate(styles):
        rows = np.flatnonzero(picked == k)
        parts.append((rows, pc.strftime(dates.take(pa.array(rows)), format=DATE_STYLES[style],
                                        locale="C")))
    return _scatter(parts, len(dates)), np.array(styles, dtype=object)[picked]


def _text(ints: np.ndarray) -> pa.StringArray:
    return pc.cast(pa.array(ints, pa.int64()), pa.string())


def _grouped(whole: np.ndarray, separator: str) -> pa.StringArray:
    """Non-negative integers with a separator every three digits (1234567 -> 1,234,567)."""
    out = pc.utf8_lpad(_text(whole % 1000), 3, "0")
    power = 1000
    while (big := whole >= power).any():
        group = pc.utf8_lpad(_text((whole // power) % 1000), 3, "0")
        out = pc.if_else(pa.array(big), pc.binary_join_element_wise(group, out, separator), out)
        power *= 1000
    out = pc.utf8_ltrim(out, "0")
    return pc.if_else(pa.array(whole == 0), pa.scalar("0"), out)


def render_amounts(minor: np.ndarray, scale: int, style: str, prefix: str = "$"
                   ) -> pa.StringArray:
    """Unscaled integers (``123456`` at scale 2 = 1234.56) written in ``style``."""
    unit = 10 ** scale
    whole, cents = np.abs(minor) // unit, np.abs(minor) % unit
    sign = pa.array(np.where(minor < 0, "-", ""), pa.string())
    fraction = pc.utf8_lpad(_text(cents), scale, "0")
    join = pc.binary_join_element_wise
    if style == "amount_thousands":
        return join(sign, _grouped(whole, ","), ".", fraction, "")
    if style == "amount_eu":
        return join(sign, _grouped(whole, "."), ",", fraction, "")
    if style == "amount_currency":
        return join(sign, prefix, _text(whole), ".", fraction, "")
    if style == "amount_accounting":
        return join("(", _text(whole), ".", fraction, ")", "")
    if style == "amount_no_decimals":
        return join(sign, _text(whole), "")
    raise ValueError(f"unknown amount style {style!r}")


def amount_styles_applicable(minor: np.ndarray, scale: int) -> np.ndarray:
    """values x AMOUNT_STYLES: which styles change the clean text of each value."""
    unit = 10 ** scale
    whole = np.abs(minor) // unit
    return np.column_stack([whole >= 1000, np.full(len(minor), scale > 0),
                            np.ones(len(minor), dtype=bool), minor < 0,
                            (minor % unit == 0) & (scale > 0)])


def vary_amounts(rng: np.random.Generator, minor: np.ndarray, scale: int, currency: str
                 ) -> tuple[pa.StringArray, np.ndarray]:
    """Each amount in one of the amount styles that change it; the styles used."""
    picked = choose(rng.random(len(minor)), amount_styles_applicable(minor, scale))
    parts = []
    for k, style in enumerate(AMOUNT_STYLES):
        rows = np.flatnonzero(picked == k)
        parts.append((rows, render_amounts(minor[rows], scale, style,
                                           currency_prefix(currency))))
    return _scatter(parts, len(minor)), np.array(AMOUNT_STYLES, dtype=object)[picked]


def parse_date(text: str, style: str) -> dt.date:
    """The date a varied value means (the inverse of ``vary_dates`` for one value)."""
    return dt.datetime.strptime(text, DATE_STYLES[style]).date()


def parse_amount(text: str, style: str) -> Decimal:
    """The amount a varied value means (the inverse of ``render_amounts``)."""
    if style == "amount_thousands":
        return Decimal(text.replace(",", ""))
    if style == "amount_eu":
        return Decimal(text.replace(".", "").replace(",", "."))
    if style == "amount_currency":
        negative = text.startswith("-")
        value = Decimal(re.sub(r"^[^\d]+", "", text.lstrip("-")))
        return -value if negative else value
    if style == "amount_accounting":
        return -Decimal(text.strip("()"))
    if style == "amount_no_decimals":
        return Decimal(text)
    raise ValueError(f"unknown amount style {style!r}")
