"""Format variations: each style is a real change and parses back to the clean value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasynth.generators.quality import formats


def test_date_styles_look_as_documented():
    day = pa.array([dt.date(2024, 3, 14)])
    written = {style: formats.pc.strftime(day, format=f, locale="C")[0].as_py()
               for style, f in formats.DATE_STYLES.items()}
    assert written == {"date_us": "03/14/2024", "date_eu": "14.03.2024",
                       "date_dd_mon_yyyy": "14-Mar-2024", "date_compact": "20240314"}


def test_varied_dates_parse_back_and_differ_from_iso():
    rng = np.random.default_rng(1)
    days = rng.integers(0, 30_000, 2_000).astype(np.int32)
    dates = pa.array(days).view(pa.date32())
    text, styles = formats.vary_dates(rng, dates)
    assert set(styles) == set(formats.DATE_STYLES)
    for value, style, clean in zip(text.to_pylist(), styles, dates.to_pylist()):
        assert value != clean.isoformat()
        assert formats.parse_date(value, style) == clean


@pytest.mark.parametrize("minor, style, text", [
    (123456, "amount_thousands", "1,234.56"), (123456789012, "amount_thousands",
                                               "1,234,567,890.12"),
    (100000, "amount_thousands", "1,000.00"), (-123456, "amount_thousands", "-1,234.56"),
    (123456, "amount_eu", "1.234,56"), (5, "amount_eu", "0,05"),
    (123456, "amount_currency", "$1234.56"), (-50, "amount_currency", "-$0.50"),
    (-123456, "amount_accounting", "(1234.56)"), (9200000, "amount_no_decimals", "92000"),
    (0, "amount_no_decimals", "0"),
])
def test_amount_styles_look_as_documented(minor, style, text):
    assert formats.render_amounts(np.array([minor]), 2, style)[0].as_py() == text
    assert formats.parse_amount(text, style) == Decimal(minor).scaleb(-2)


@given(st.lists(st.integers(-10**15, 10**15), min_size=1, max_size=50),
       st.sampled_from(["USD", "EUR", "CHF"]), st.integers(0, 2**32 - 1))
def test_varied_amounts_change_and_parse_back(minor, currency, seed):
    minor = np.array(minor, dtype=np.int64)
    text, styles = formats.vary_amounts(np.random.default_rng(seed), minor, 2, currency)
    for value, style, m in zip(text.to_pylist(), styles, minor):
        clean = Decimal(int(m)).scaleb(-2)
        assert value != str(clean)
        assert formats.parse_amount(value, style) == clean


def test_lossy_or_no_op_styles_are_not_drawn():
    minor = np.array([1234, 99, 100000, 5])      # 12.34, 0.99, 1000.00, 0.05
    applicable = formats.amount_styles_applicable(minor, 2)
    names = list(formats.AMOUNT_STYLES)
    assert applicable[:, names.index("amount_thousands")].tolist() == [False, False, True,
                                                                      False]
    assert applicable[:, names.index("amount_no_decimals")].tolist() == [False, False, True,
                                                                        False]
    assert not applicable[:, names.index("amount_accounting")].any()


def test_currency_prefix_is_the_symbol_or_the_code():
    assert formats.currency_prefix("EUR") == "€"
    assert formats.currency_prefix("CHF") == "CHF "
