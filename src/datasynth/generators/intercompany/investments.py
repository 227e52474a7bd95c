"""The parent's investments in its subsidiaries, in its opening balance sheet.

A group that was formed before the run carries, in the parent's books, the cost of each
subsidiary (IAS 27.10: separate financial statements at cost). We take the cost to be the
parent's share of the subsidiary's net assets on the first day, at that day's rate, so the
acquisition leaves no goodwill and the consolidation's investment elimination nets to a
rounding difference. The parent is taken to have paid in shares (a share-for-share
exchange), so the other side is 315000 Merger Reserve rather than cash: the opening balance
sheet still balances and no business cash is spent.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.currencies import CURRENCIES
from datasynth.config.models import CompanySettings, GroupRelationship
from datasynth.generators.fx.convert import RateBook, convert, div_half_even
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.opening import balances_table
from datasynth.money import to_minor_units

INVESTMENTS, MERGER_RESERVE = "140000", "315000"
EPOCH = dt.date(1970, 1, 1)


def net_assets(opening: pa.Table, company: str, chart: ChartIndex, exponent: int) -> int:
    """Opening equity of ``company`` (positive for positive net assets), minor units."""
    rows = opening.filter(pc.equal(opening["company_code"].cast(pa.string()), company))
    position = chart.positions(rows["gl_account"])
    balance = to_minor_units(rows["balance"].combine_chunks(), exponent)
    equity = chart.account_types[position] == "equity"
    return -int(balance[equity].sum())


def investment_rows(opening: pa.Table, relationships: list[GroupRelationship],
                    companies: list[CompanySettings], chart: ChartIndex, rates: RateBook,
                    start: dt.date) -> pa.Table:
    """The parent's opening rows on 140000 and 315000 (none without relationships)."""
    if not relationships:
        return opening.schema.empty_table()
    by_code = {c.code: c for c in companies}
    parent = by_code[relationships[0].parent]
    p_exp = CURRENCIES[parent.currency].exponent
    day = np.array([(start - EPOCH).days])
    total = 0
    for rel in relationships:
        sub = by_code[rel.subsidiary]
        s_exp = CURRENCIES[sub.currency].exponent
        rate = rates.cross_spot(day, sub.currency, parent.currency)
        in_parent = convert(np.array([net_assets(opening, sub.code, chart, s_exp)]), rate,
                            s_exp, p_exp)
        share = round(rel.ownership * 1_000_000)
        total += int(div_half_even(np.array([int(in_parent[0]) * share], dtype=object),
                                   1_000_000)[0])
    balances = np.zeros(len(chart), np.int64)
    balances[chart.of(INVESTMENTS)] = total
    balances[chart.of(MERGER_RESERVE)] = -total
    return balances_table(parent.code, chart, balances, start, p_exp)
