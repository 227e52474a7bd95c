"""Encoding damage: each variant is a real change that its documented repair undoes."""

from __future__ import annotations

import html
from collections import Counter

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from datasynth.generators.quality import encoding

REPAIR = {"mojibake": lambda s: s.encode("latin-1").decode("utf-8"),
          "html_entity": html.unescape, "control_char": encoding.strip_control}


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
               min_size=1, max_size=30), st.floats(0, 1, exclude_max=True),
       st.floats(0, 1, exclude_max=True))
def test_each_applicable_variant_changes_and_repairs(value, up, uc):
    for k, variant in enumerate(encoding.VARIANTS):
        if encoding.applicable(value)[k]:
            out = encoding.apply(value, variant, up, uc)
            assert out != value
            assert REPAIR[variant](out) == value


def test_examples():
    assert encoding.mojibake("Ibérica") == "IbÃ©rica"
    assert encoding.html_entities("A & B Müller") == "A &amp; B M&#252;ller"
    assert not encoding.applicable("plain ascii")[:2].any()


def test_corrupt_reports_variants_that_fit_the_value():
    values = ["Ibérica S.A.", "Smith & Co", "Plain Name"] * 300
    out, used = encoding.corrupt(np.random.default_rng(3), values)
    assert all(o != v for o, v in zip(out, values))
    by_value = Counter(zip(values, used))
    assert by_value[("Plain Name", "control_char")] == 300
    assert by_value[("Smith & Co", "mojibake")] == 0
    assert by_value[("Ibérica S.A.", "mojibake")] > 100
    for value, new, variant in zip(values, out, used):
        assert REPAIR[variant](new) == value
