"""Typos: each operation is a real change within two edits, of the kind it claims."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasynth.generators.quality import typos
from tests.unit.generators.quality.edits import distance

WORDS = ["Bluewater Events Corp.", "Dorfstraße 11", "DE937552708", "Memphis", "rn-Modern 105",
         "US803833435984740200726", "O'Neil & Sons", "Service Kit S50"]


@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")),
               min_size=3, max_size=40).filter(lambda s: any(ch.isalnum() for ch in s)),
       st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True))
def test_every_applicable_operation_changes_the_value_within_two_edits(value, up, uv):
    for k, op in enumerate(typos.OPERATIONS):
        if typos.applicable(value)[k]:
            out = typos.apply(value, op, up, uv)
            assert out != value
            assert distance(value, out) <= 2, (op, value, out)


def test_substitution_uses_a_keyboard_neighbour_and_keeps_case():
    for u in np.linspace(0, 0.999, 40):
        out = typos.apply("Memphis", "substitution", u, 0.5)
        i = next(i for i, (a, b) in enumerate(zip("Memphis", out)) if a != b)
        assert out[i].lower() in typos.NEIGHBOURS["Memphis"[i].lower()]
        assert out[i].isupper() == "Memphis"[i].isupper()
    assert typos.apply("1234", "substitution", 0.0, 0.0) in {"2234"}


def test_ocr_swaps_look_alike_characters():
    assert typos.apply("rn", "ocr", 0.0, 0.0) == "m"
    assert typos.apply("S50", "ocr", 0.0, 0.0) == "550"
    seen = {typos.apply("10", "ocr", u, 0.0) for u in (0.0, 0.99)}
    assert seen == {"l0", "1O"}
    assert not typos.applicable("xyz")[typos.OPERATIONS.index("ocr")]


def test_make_typos_mixes_operations_and_reports_them():
    rng = np.random.default_rng(5)
    values = WORDS * 500
    out, used = typos.make_typos(rng, values)
    assert all(o != v for o, v in zip(out, values))
    counts = Counter(used)
    assert set(counts) == set(typos.OPERATIONS)
    assert counts["substitution"] / len(values) == pytest.approx(0.30, abs=0.05)
    for value, new, op in list(zip(values, out, used))[:400]:
        if op == "deletion":
            assert len(new) == len(value) - 1
        elif op == "doubled_char":
            assert len(new) == len(value) + 1
        elif op == "transposition":
            assert sorted(new) == sorted(value) and distance(value, new) == 1


def test_same_draws_same_typos():
    a = typos.make_typos(np.random.default_rng(9), WORDS)
    b = typos.make_typos(np.random.default_rng(9), WORDS)
    assert a == b
