"""Trial balances of one company: every account with activity, for every period of the run.

A trial balance lists, per account, the balance brought forward, the period's debits and
credits and the balance carried forward (opening + debit - credit = closing, debit
positive). It is the double-entry check: because every journal entry balances, the
closing balances of a company sum to zero in every period.

The opening entry is the balance brought forward from the books before the run, not
activity of the first period, so rows of origin ``opening`` go into the first period's
opening balance; every later period opens with the previous closing. Nominal accounts are
not reset at a year start here: the year-end close has already brought them to zero.
Everything is summed in int64 minor units over a dense (periods x accounts) grid.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.errors import GenerationError
from datasynth.generators.common.arrow import constant_dictionary, dictionary
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.money import to_decimal
from datasynth.schemas.ledgers import TRIAL_BALANCES


def trial_balance(activity: pa.Table, company: str, chart: ChartIndex, first_month: int,
                  months: int, exponent: int) -> pa.Table:
    """The ``trial_balances`` rows of ``company`` for run months ``first_month`` (months
    since 1970-01) onwards; ``activity`` holds ``ledger_activity`` rows (any companies)."""
    rows = activity.filter(pc.equal(activity["company_code"].cast(pa.string()), company))
    month = ((rows["fiscal_year"].to_numpy().astype(np.int64) - 1970) * 12
             + rows["fiscal_period"].to_numpy().astype(np.int64) - 1 - first_month)
    account = chart.positions(rows["gl_account"])
    opening = pc.equal(rows["origin"].cast(pa.string()), "opening").to_numpy(
        zero_copy_only=False)
    debit = rows["debit"].to_numpy().astype(np.int64)
    credit = rows["credit"].to_numpy().astype(np.int64)
    if np.any(account < 0):
        raise GenerationError(f"{company}: ledger activity on an account not in the chart")
    if np.any((month < 0) | (month >= months)):
        raise GenerationError(f"{company}: ledger activity outside the run's fiscal periods")
    accounts = len(chart)
    brought = np.zeros(accounts, dtype=np.int64)
    np.add.at(brought, account[opening], debit[opening] - credit[opening])
    debits = np.zeros((months, accounts), dtype=np.int64)
    credits = np.zeros((months, accounts), dtype=np.int64)
    moving = ~opening
    np.add.at(debits, (month[moving], account[moving]), debit[moving])
    np.add.at(credits, (month[moving], account[moving]), credit[moving])
    closing = brought + np.cumsum(debits - credits, axis=0)
    opening_balance = closing - (debits - credits)
    # Accounts with any posting in the run, in chart order (rows with zero totals add none).
    used = np.flatnonzero(np.isin(np.arange(accounts), account[(debit != 0) | (credit != 0)]))
    return _table(company, chart, first_month, months, used, exponent,
                  opening_balance[:, used], debits[:, used], credits[:, used], closing[:, used])


def _table(company: str, chart: ChartIndex, first_month: int, months: int, used: np.ndarray,
           exponent: int, *grids: np.ndarray) -> pa.Table:
    n = months * len(used)
    month = np.repeat(first_month + np.arange(months, dtype=np.int64), len(used))
    account = np.tile(used, months)
    types = sorted(set(chart.account_types.tolist()))
    type_index = np.array([types.index(t) for t in chart.account_types], np.int64)[account]
    return pa.Table.from_arrays([
        constant_dictionary(company, n),
        pa.array((month // 12 + 1970).astype(np.int16)),
        pa.array((month % 12 + 1).astype(np.int8)),
        dictionary(account, chart.numbers),
        dictionary(type_index, types),
        *(to_decimal(grid.reshape(-1), exponent) for grid in grids),
    ], schema=TRIAL_BALANCES.schema)
