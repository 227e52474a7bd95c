"""Which value gets which damage: at most one kind per value, each at its rate."""

from __future__ import annotations

import numpy as np
import pytest

from datasynth.generators.quality import cells
from datasynth.generators.quality.cells import Eligible, Rates, assign, choose

N = 200_000
RATES = Rates(missing=0.02, missing_dependent=0.05, typo=0.03, format_variation=0.10,
              encoding=0.01)


def _eligible(rng, **masks):
    base = {k: np.ones(N, dtype=bool) for k in ("missing", "dependent", "typo", "format",
                                                 "encoding")}
    base.update(masks)
    return Eligible(**base)


def test_each_kind_lands_at_its_rate_among_eligible_values():
    rng = np.random.default_rng(1)
    dependent = rng.random(N) < 0.3
    text = rng.random(N) < 0.5
    kinds = assign(rng.random(N), _eligible(rng, dependent=dependent, typo=text,
                                            encoding=text, format=~text), RATES)
    share = lambda kind, mask: np.mean(kinds[mask] == kind)
    assert share(cells.MCAR, np.ones(N, bool)) == pytest.approx(0.02, abs=0.002)
    assert share(cells.MAR, dependent) == pytest.approx(0.05, abs=0.004)
    assert share(cells.MAR, ~dependent) == 0
    assert share(cells.TYPO, text) == pytest.approx(0.03, abs=0.003)
    assert share(cells.TYPO, ~text) == 0
    assert share(cells.FORMAT, ~text) == pytest.approx(0.10, abs=0.004)
    assert share(cells.FORMAT, text) == 0
    assert share(cells.ENCODING, text) == pytest.approx(0.01, abs=0.002)


def test_ineligible_values_are_never_damaged():
    rng = np.random.default_rng(2)
    kinds = assign(rng.random(N), _eligible(rng, missing=np.zeros(N, bool)), RATES)
    assert not np.isin(kinds, [cells.MCAR, cells.MAR]).any()
    assert (kinds != cells.NONE).any()


def test_choose_picks_only_applicable_variants_by_weight():
    rng = np.random.default_rng(3)
    applicable = np.array([[True, False, True]] * 50_000 + [[False, False, False]])
    picked = choose(rng.random(len(applicable)), applicable, np.array([1.0, 5.0, 3.0]))
    assert picked[-1] == -1
    assert set(np.unique(picked[:-1])) == {0, 2}
    assert np.mean(picked[:-1] == 2) == pytest.approx(0.75, abs=0.01)
