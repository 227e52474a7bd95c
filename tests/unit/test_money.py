"""Exact money conversion between minor units and decimal128(18, 2)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasynth.money import to_decimal, to_minor_units


@given(st.lists(st.integers(-10**15, 10**15), max_size=50))
def test_round_trip_is_exact(values):
    minor = np.array(values, dtype=np.int64)
    decimals = to_decimal(minor)
    assert decimals.to_pylist() == [Decimal(v).scaleb(-2) for v in values]
    assert np.array_equal(to_minor_units(decimals), minor)


def test_zero_decimal_currencies_are_whole_units():
    assert to_decimal(np.array([1500], dtype=np.int64), exponent=0).to_pylist() == \
        [Decimal("1500.00")]
    assert to_minor_units(to_decimal(np.array([7], dtype=np.int64), 0), 0).tolist() == [7]


def test_overflow_is_refused():
    with pytest.raises(OverflowError):
        to_decimal(np.array([10**18], dtype=np.int64))


def test_sliced_arrays_convert():
    decimals = to_decimal(np.arange(10, dtype=np.int64))
    assert to_minor_units(decimals.slice(3, 4)).tolist() == [3, 4, 5, 6]
