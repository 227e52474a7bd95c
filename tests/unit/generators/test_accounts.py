"""The chart of accounts: sizes, uniqueness, and the accounts the posting rules need."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest

from datasynth.generators.accounts.catalog import GROUP_SUB_TYPES

from datasynth.config import COMPLEXITIES, INDUSTRIES
from datasynth.generators.accounts import TARGET_SIZE, build_chart
from datasynth.generators.journal_entries.postings import RULES, build_posting_model
from datasynth.runtime.seeding import stream
from datasynth.schemas.accounts import ACCOUNTS


@pytest.mark.parametrize("industry", INDUSTRIES)
@pytest.mark.parametrize("complexity", COMPLEXITIES)
def test_size_schema_and_uniqueness(industry, complexity):
    chart = build_chart(industry, complexity)
    assert chart.schema.equals(ACCOUNTS.schema)
    # the group accounts (intercompany, consolidation) come on top of the size
    group = sum(s in GROUP_SUB_TYPES for s in chart["sub_type"].to_pylist())
    assert group == len(GROUP_SUB_TYPES) + 3     # ic_revenue has 3 accounts, ic_cogs 2
    size = chart.num_rows - group
    assert abs(size - TARGET_SIZE[complexity]) <= 0.1 * TARGET_SIZE[complexity]
    numbers = chart["gl_account"].to_pylist()
    assert len(set(numbers)) == len(numbers)
    assert len(set(chart["name"].to_pylist())) == chart.num_rows
    assert numbers == sorted(numbers)


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_every_posting_rule_resolves(industry):
    chart = build_chart(industry, "small")
    model = build_posting_model(chart, stream(1, "t", 0, "p"))
    assert len(model.rules) == len(RULES)


def test_normal_balances_follow_account_types():
    chart = build_chart("manufacturing", "medium").to_pylist()
    for row in chart:
        expected = "debit" if row["account_type"] in ("asset", "expense") else "credit"
        if row["is_contra_account"]:
            expected = "credit" if expected == "debit" else "debit"
        assert row["normal_balance"] == expected, row


def test_industry_shapes_the_chart():
    manufacturing = set(build_chart("manufacturing", "small")["name"].to_pylist())
    retail = set(build_chart("retail", "small")["name"].to_pylist())
    assert "Inventory - Work in Progress" in manufacturing
    assert "Inventory Shrinkage" in retail and "Inventory Shrinkage" not in manufacturing


def test_control_accounts_are_flagged():
    chart = build_chart("manufacturing", "small")
    controls = set(pc.unique(chart.filter(chart["is_control_account"])["sub_type"]
                             .cast("string")).to_pylist())
    assert {"receivables", "payables", "inventory", "fixed_assets"} <= controls
