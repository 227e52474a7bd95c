"""Intercompany figures by trading partner, in the group currency, for the eliminations.

``intercompany_activity`` holds the intercompany phase's postings per company, month, account
and trading partner. The eliminations need, per company and partner, the balances of the
intercompany accounts at each month end (at the closing rate) and the income and expenses of
the fiscal year so far (each month at its average rate, restarted by the year-end close),
translated exactly as the company's trial balance translates the whole account.

A company's account is translated once in total; its partners' shares are translated by
cumulative rounding (the share of the first k partners is the translation of their sum), so
the shares add up to the translated account to the cent and an elimination that matches
leaves nothing on the consolidated account.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.fx.convert import convert
from datasynth.generators.group.translation import Rates, since_close

BALANCE_ACCOUNTS = ("119000", "119100", "125000", "219000", "219100")
INCOME_ACCOUNTS = ("460000", "460100", "460200", "495000", "745500", "805000")
ACCOUNTS = BALANCE_ACCOUNTS + INCOME_ACCOUNTS


@dataclass(frozen=True)
class PartnerFigures:
    """Translated figures per company: (months, ACCOUNTS, partners) with the partners in
    ``companies`` order; balance accounts cumulative, income accounts year to date."""

    companies: tuple[str, ...]
    values: dict[str, np.ndarray]

    def get(self, company: str, account: str, partner: str) -> np.ndarray:
        return self.values[company][:, ACCOUNTS.index(account),
                                    self.companies.index(partner)]


def split_convert(amounts: np.ndarray, rate: np.ndarray, exponent: int,
                  group_exponent: int) -> np.ndarray:
    """Translate along the last axis by cumulative rounding: the results add up to the
    translation of the total."""
    running = convert(np.cumsum(amounts, axis=-1), rate, exponent, group_exponent)
    return np.diff(running, axis=-1, prepend=0)


def partner_grid(activity: pa.Table, company: str, companies: tuple[str, ...],
                 first_month: int, months: int) -> np.ndarray:
    """Net intercompany activity (debit - credit) of ``company``: (months, ACCOUNTS,
    partners). Rows on other accounts (cash, cost of sales, FX) are not eliminated."""
    rows = activity.filter(pc.equal(activity["company_code"].cast(pa.string()), company))
    month = ((rows["fiscal_year"].to_numpy().astype(np.int64) - 1970) * 12
             + rows["fiscal_period"].to_numpy().astype(np.int64) - 1 - first_month)
    account = pc.index_in(rows["gl_account"].cast(pa.string()),
                          value_set=pa.array(ACCOUNTS)).fill_null(-1)
    partner = pc.index_in(rows["trading_partner"].cast(pa.string()),
                          value_set=pa.array(companies)).fill_null(-1)
    account = account.to_numpy(zero_copy_only=False).astype(np.int64)
    partner = partner.to_numpy(zero_copy_only=False).astype(np.int64)
    net = rows["debit"].to_numpy().astype(np.int64) - rows["credit"].to_numpy().astype(np.int64)
    keep = (month >= 0) & (month < months) & (account >= 0) & (partner >= 0)
    grid = np.zeros((months, len(ACCOUNTS), len(companies)), np.int64)
    np.add.at(grid, (month[keep], account[keep], partner[keep]), net[keep])
    return grid


def translate_partners(grid: np.ndarray, rates: Rates, closed: np.ndarray, exponent: int,
                       group_exponent: int) -> np.ndarray:
    """Balances at the closing rate, income and expenses year to date at the averages
    (``closed``: the company's year-end close months, as in its translation)."""
    nb = len(BALANCE_ACCOUNTS)
    out = np.zeros(grid.shape, np.int64)
    out[:, :nb] = split_convert(np.cumsum(grid[:, :nb], axis=0),
                                rates.closing[:, None, None], exponent, group_exponent)
    monthly = split_convert(grid[:, nb:], rates.average[:, None, None], exponent,
                            group_exponent)
    out[:, nb:] = since_close(np.cumsum(monthly, axis=0), closed)
    return out
