"""Exact money: integer minor units inside, ``decimal128(18, 2)`` outside, never float.

Amounts live as ``int64`` minor units of their currency (cents; whole yen for JPY). Converting
to the output type writes the 128-bit unscaled integers straight into an Arrow buffer, so no
float and no per-row Python object is ever involved.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.schemas.base import MONEY
from datasynth.schemas.fx import RATE

RATE_SCALE = 10 ** RATE.scale   # rates are int64 units of 1e-10 inside

OUTPUT_SCALE = MONEY.scale  # 2 decimal places in every output
_MAX_UNSCALED = 10 ** MONEY.precision - 1


def to_decimal(minor_units: np.ndarray, exponent: int = 2) -> pa.Array:
    """int64 minor units of a currency with ``exponent`` decimals -> ``decimal128(18, 2)``."""
    values = np.ascontiguousarray(minor_units, dtype=np.int64)
    if exponent != OUTPUT_SCALE:
        if exponent > OUTPUT_SCALE:
            raise ValueError(f"currencies with {exponent} decimals do not fit decimal(18, 2)")
        values = values * np.int64(10 ** (OUTPUT_SCALE - exponent))
    if values.size and int(np.abs(values).max()) > _MAX_UNSCALED:
        raise OverflowError("amount does not fit decimal(18, 2)")
    words = np.empty((values.size, 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63          # sign extension into the high 64 bits
    return pa.Array.from_buffers(MONEY, values.size, [None, pa.py_buffer(words)])


def to_decimal_each(minor_units: np.ndarray, exponents: np.ndarray) -> pa.Array:
    """Minor units of mixed currencies -> ``decimal128(18, 2)``, each value by its own
    currency's exponent (transaction amounts of several currencies in one column)."""
    exponents = np.asarray(exponents, dtype=np.int64)
    if exponents.size and exponents.max() > OUTPUT_SCALE:
        raise ValueError(f"currencies with more than {OUTPUT_SCALE} decimals do not fit "
                         "decimal(18, 2)")
    shift = (10 ** (OUTPUT_SCALE - exponents)).astype(np.int64)
    return to_decimal(np.asarray(minor_units, dtype=np.int64) * shift, OUTPUT_SCALE)


def to_minor_units(decimals: pa.Array, exponent: int = 2) -> np.ndarray:
    """``decimal128(18, 2)`` -> int64 minor units (the inverse of :func:`to_decimal`)."""
    decimals = decimals.combine_chunks() if isinstance(decimals, pa.ChunkedArray) else decimals
    if decimals.null_count:
        raise ValueError("null amounts cannot be converted to minor units")
    buffer = decimals.buffers()[1]
    words = np.frombuffer(buffer, dtype=np.int64, count=2 * (len(decimals) + decimals.offset))
    unscaled = words[2 * decimals.offset::2].copy()
    if exponent != OUTPUT_SCALE:
        unscaled //= np.int64(10 ** (OUTPUT_SCALE - exponent))
    return unscaled


def to_rate_decimal(scaled: np.ndarray) -> pa.Array:
    """int64 rates in units of 1e-10 -> ``decimal128(18, 10)`` (schemas/fx.RATE)."""
    values = np.ascontiguousarray(scaled, dtype=np.int64)
    words = np.empty((values.size, 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63
    return pa.Array.from_buffers(RATE, values.size, [None, pa.py_buffer(words)])


def minor_per_usd(exponent: int, usd_per_unit: float) -> float:
    """How many minor units of a currency one US dollar buys (scales amount draws)."""
    return (10 ** exponent) / usd_per_unit
