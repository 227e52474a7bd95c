"""The parent's opening investment in its subsidiaries, worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from datasynth.config.models import CompanySettings, GroupRelationship
from datasynth.generators.intercompany.investments import investment_rows, net_assets
from datasynth.generators.ledger.opening import balances_table
from tests.unit.generators.intercompany.conftest import JAN, D, HandRates

START = dt.date(2024, 1, 1)


def opening(chart, rows: dict[str, dict[str, int]], exponent: int = 2) -> pa.Table:
    parts = []
    for company, accounts in rows.items():
        balances = np.zeros(len(chart), np.int64)
        for number, amount in accounts.items():
            balances[chart.of(number)] = amount
        parts.append(balances_table(company, chart, balances, START, exponent))
    return pa.concat_tables(parts).unify_dictionaries()


def test_the_investment_is_the_parents_share_of_net_assets_at_the_first_days_rate(chart):
    # S (EUR): share capital 1,000.00 + retained earnings 500.00 = net assets 1,500.00 EUR
    # (assets 1,800.00 - debt 300.00). At 1.20 USD/EUR that is 1,800.00 USD; P owns 80 %:
    # 1,440.00 USD on 140000, against 315000 Merger Reserve.
    table = opening(chart, {"S": {"100000": 180000, "260000": -30000, "300000": -100000,
                                  "320000": -50000},
                            "P": {"100000": 500000, "300000": -500000}})
    assert net_assets(table, "S", chart, 2) == 150000
    rows = investment_rows(
        table, [GroupRelationship(parent="P", subsidiary="S", ownership=0.8)],
        [CompanySettings(code="P", name="P", currency="USD"),
         CompanySettings(code="S", name="S", currency="EUR")],
        chart, HandRates({D(2024, 1, 1): "1.2"}, {JAN: "1.2"}), START).to_pylist()
    assert [(r["company_code"], r["gl_account"], float(r["balance"])) for r in rows] == [
        ("P", "140000", 1440.0), ("P", "315000", -1440.0)]
    assert all(r["balance_date"] == START for r in rows)


def test_no_relationship_adds_nothing(chart):
    table = opening(chart, {"P": {"100000": 500000, "300000": -500000}})
    assert investment_rows(table, [], [], chart, HandRates({D(2024, 1, 1): "1"}, {}),
                           START).num_rows == 0
