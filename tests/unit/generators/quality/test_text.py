"""The clean extract: one canonical text per value, and the integers behind decimals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from datasynth.generators.quality.text import as_text, replace_at, unscaled, usable


def test_canonical_text_of_each_type():
    assert as_text(pa.array([dt.date(2024, 3, 14), None])).to_pylist() == ["2024-03-14", None]
    money = pa.array([Decimal("1234.56"), Decimal("-0.50"), Decimal("0.00")],
                     pa.decimal128(18, 2))
    assert as_text(money).to_pylist() == ["1234.56", "-0.50", "0.00"]
    assert as_text(pa.array([True, False])).to_pylist() == ["true", "false"]
    assert as_text(pa.array([30, 7], pa.int16())).to_pylist() == ["30", "7"]
    codes = pa.chunked_array([pa.array(["NET30"]).dictionary_encode(),
                              pa.array(["NET60", None]).dictionary_encode()])
    assert as_text(codes).to_pylist() == ["NET30", "NET60", None]


@given(st.lists(st.decimals(min_value=Decimal("-99999999999.99"),
                            max_value=Decimal("99999999999.99"), places=2), min_size=1),
       st.integers(0, 5))
def test_unscaled_reads_the_decimal_buffer(values, offset):
    array = pa.array([Decimal(0)] * offset + values, pa.decimal128(18, 2)).slice(offset)
    assert unscaled(array).tolist() == [int(v.scaleb(2)) for v in values]


def test_usable_means_present_and_not_blank():
    assert usable(pa.array(["a", "", "  ", None, " b "])).tolist() == [True, False, False,
                                                                         False, True]


def test_replace_at_changes_only_the_given_rows():
    text = pa.array(["a", "b", "c", "d"])
    out = replace_at(text, np.array([1, 3]), ["B", None])
    assert out.to_pylist() == ["a", "B", "c", None]
    assert replace_at(text, np.array([], dtype=np.int64), []).equals(text)
