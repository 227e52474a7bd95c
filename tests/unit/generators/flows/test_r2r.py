"""r2r.fit_to_target when the flows built more entries than the target: it drops single
template entries (bank charges, reclassifications) and nothing else. The other direction
(adding reclassifications) needs a company's books and is covered by test_entry_counts."""

from __future__ import annotations

import numpy as np
import pytest

from datasynth.generators.ledger.flows.r2r import fit_to_target
from tests.unit.generators.flows.sample_blocks import random_block

DAY = 19_800


def blocks():
    rng = np.random.default_rng(5)
    opening = random_block(rng, "OB", 1, DAY, 1)
    documents = random_block(rng, "DOC", 10, DAY, 30)
    singles = random_block(rng, "GL", 8, DAY, 30)
    accruals = random_block(rng, "ACC", 4, DAY, 30)
    return [opening, documents, singles, accruals], singles


@pytest.mark.parametrize("target, expected_singles", [(20, 6), (15, 1), (3, 0), (22, 8)])
def test_fit_drops_only_single_template_entries(target, expected_singles):
    before, singles = blocks()
    after = fit_to_target(None, np.random.default_rng(1), list(before), singles, target, 0, {})
    assert len(after) == len(before), "a block was added or removed"
    for i in (0, 1, 3):
        assert after[i] is before[i], f"block {i} is not a template block but was changed"
    kept = after[2]
    assert len(kept) == expected_singles, f"{len(kept)} single entries kept"
    assert sum(len(b) for b in after[1:]) == max(target, 14), \
        "business entries must equal the target unless only singles could be dropped"
    refs = kept.reference_id.to_pylist()
    assert set(refs) <= set(singles.reference_id.to_pylist()) and len(set(refs)) == len(refs)
    net = np.bincount(kept.line_entry, weights=kept.debit - kept.credit, minlength=len(kept))
    assert not net.any(), "kept entries no longer balance"
