"""Missing values: MCAR everywhere unprotected, MAR more often where the rule's condition
holds — the dependency a model should be able to find."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.generators.quality import PROFILES, Rates, degrade
from datasynth.generators.quality.missing import MAR_RULES, dependent_mask, foreign
from datasynth.schemas.registry import table_spec
from tests.unit.generators.quality.samples import journal, master, settings, streams


def _missing_share(table, profile, rates, field, condition):
    rows = table.select(list(profile.inputs))
    done = degrade(rows, profile, table_spec(profile.degraded).schema, settings(rates),
                   streams())
    was = pc.is_valid(done.clean[field]).to_numpy(zero_copy_only=False)
    lost = pc.is_null(done.degraded[field]).to_numpy(zero_copy_only=False) & was
    subtypes = {(int(r), s) for r, f, s in zip(done.issues.rows, done.issues.field.to_pylist(),
                                              done.issues.subtype.to_pylist()) if f == field}
    mar_rows = {r for r, s in subtypes if s == "mar"}
    assert mar_rows <= set(np.flatnonzero(condition))
    return lost[condition & was].mean(), lost[~condition & was].mean()


def test_foreign_vendors_lose_their_tax_id_more_often():
    vendors = master("vendors", 6000)
    condition = foreign(vendors, "US")
    assert 0.1 < condition.mean() < 0.9
    rates = Rates(missing=0.02, missing_dependent=0.10)
    with_rule, without = _missing_share(vendors, PROFILES["vendors"], rates, "tax_id",
                                        condition)
    assert with_rule == pytest.approx(0.12, abs=0.025)
    assert without == pytest.approx(0.02, abs=0.01)


def test_manual_journal_lines_lose_their_text_more_often():
    lines = journal(10_000)
    condition = pc.equal(lines["source"], "manual").to_numpy(zero_copy_only=False)
    rates = Rates(missing=0.01, missing_dependent=0.08)
    with_rule, without = _missing_share(lines, PROFILES["journal_entries"], rates,
                                        "line_text", condition)
    assert with_rule == pytest.approx(0.09, abs=0.015)
    assert without == pytest.approx(0.01, abs=0.005)


def test_every_rule_names_a_damageable_column_and_readable_condition_columns():
    for table, rules in MAR_RULES.items():
        profile = PROFILES[table]
        for rule in rules:
            assert rule.field in profile.columns and rule.field not in profile.protected
            assert set(rule.needs) <= set(profile.inputs)


def test_dependent_mask_only_for_the_rule_field():
    rows = pa.table({"country": pa.array(["US", "DE", None])})
    assert dependent_mask("vendors", "tax_id", rows, "US").tolist() == [False, True, False]
    assert not dependent_mask("vendors", "name", rows, "US").any()
