"""Translation of one company's trial balance into the group currency (IAS 21.39-48).

The current-rate method of IAS 21.39, at every run month end, on cumulative balances:

- assets and liabilities at the closing rate of the month (IAS 21.39(a));
- income and expenses at the average rate of the month they were posted in (IAS 21.39(b),
  21.40), summed over the fiscal year so far; the year-end close brings them to zero in the
  group currency too;
- equity at historical rates (IAS 21.48 and its basis, the rates of the transactions): the
  opening balance sheet at the spot rate of the run's first day, later movements at the
  average rate of their month, and the year-end close at exactly the translated income and
  expenses it closes, so retained earnings receive the translated profit of the year;
- 330000 Currency Translation Reserve: whatever makes the translated trial balance sum to
  zero (IAS 21.39(c), 21.41: the exchange differences go to other comprehensive income).

Every translated amount is rounded half-even once (``fx.convert``), so the only rounding is in
the reserve, which absorbs it. Pure functions of NumPy arrays: no runtime context.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.errors import GenerationError
from datasynth.generators.common.arrow import constant_dictionary, dictionary
from datasynth.generators.fx.convert import RateBook, convert
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.close import activity_matrix
from datasynth.money import to_decimal
from datasynth.schemas.group import TRANSLATED_TRIAL_BALANCES

RESERVE, RETAINED_EARNINGS = "330000", "320000"
RATE_TYPES = ("closing", "average", "historical", "reserve")


@dataclass(frozen=True)
class Rates:
    """One currency's rates for the run months (int64, 1e-10 group units per unit)."""

    closing: np.ndarray          # (months,)
    average: np.ndarray          # (months,)
    historical: int              # spot of the run's first day: the opening balance sheet

    @classmethod
    def of(cls, book: RateBook, currency: str, first_month: int, months: int,
           start_day: int) -> Rates:
        run = first_month + np.arange(months, dtype=np.int64)
        return cls(book.closing(run, currency), book.average(run, currency),
                   int(book.spot(np.array([start_day]), currency)[0]))


@dataclass(frozen=True)
class LocalBooks:
    """A company's ledger activity by run month and chart position, split by origin."""

    brought: np.ndarray          # (accounts,) the opening balance sheet (balance forward)
    movement: np.ndarray         # (months, accounts) business and close activity
    year_end: np.ndarray         # (months, accounts) closing of income and expenses
    used: np.ndarray             # chart positions with any posting in the run

    @property
    def closed(self) -> np.ndarray:
        """(months,) bool: the year-end close posted in that month."""
        return np.any(self.year_end != 0, axis=1)


@dataclass(frozen=True)
class Translation:
    """One company's translated trial balance: ``accounts`` are chart positions (chart
    order, the reserve included), the grids are (months, accounts)."""

    company: str
    currency: str
    accounts: np.ndarray
    rate_type: np.ndarray        # (accounts,) index into RATE_TYPES
    local: np.ndarray
    translated: np.ndarray
    opening: np.ndarray          # (accounts,) balance brought forward, historical rate
    closed: np.ndarray           # (months,) the year-end close posted in that month

    def balance(self, position: int) -> np.ndarray:
        """Translated balance of one chart position per month (zeros when unused)."""
        at = np.flatnonzero(self.accounts == position)
        return (self.translated[:, at[0]].copy() if len(at)
                else np.zeros(len(self.closed), np.int64))


def local_books(activity: pa.Table, company: str, chart: ChartIndex, first_month: int,
                months: int) -> LocalBooks:
    """Split ``ledger_activity`` rows of ``company`` by origin (journal.ORIGINS): the
    opening is the balance brought forward, as in ledger/trial_balance.py."""
    rows = activity.filter(pc.equal(activity["company_code"].cast(pa.string()), company))
    origin = rows["origin"].cast(pa.string())
    opening, year_end = pc.equal(origin, "opening"), pc.equal(origin, "year_end")
    other = pc.invert(pc.or_(opening, year_end))

    def grid(mask: pa.ChunkedArray) -> np.ndarray:
        return activity_matrix(rows.filter(mask), company, chart, first_month, months)

    posted = rows.filter(pc.or_(pc.not_equal(rows["debit"], 0),
                                pc.not_equal(rows["credit"], 0)))
    used = np.unique(chart.positions(posted["gl_account"]))
    return LocalBooks(grid(opening).sum(axis=0), grid(other), grid(year_end),
                      used[used >= 0])


def since_close(running: np.ndarray, closed: np.ndarray,
                left: np.ndarray | None = None) -> np.ndarray:
    """Running totals (months first) restarted by each year-end close: from a close month
    on, the total since it plus ``left`` of that month (the balance the close leaves,
    default 0)."""
    last = np.maximum.accumulate(np.where(closed, np.arange(len(closed)), -1))
    at = np.maximum(last, 0)
    base = running[at] - (0 if left is None else left[at])
    after_a_close = (last >= 0).reshape(-1, *[1] * (running.ndim - 1))
    return running - np.where(after_a_close, base, 0)


def type_column(chart: ChartIndex, positions: np.ndarray) -> pa.DictionaryArray:
    """``account_type`` of chart positions, dictionary-encoded."""
    types = sorted(set(chart.account_types.tolist()))
    index = np.array([types.index(t) for t in chart.account_types], np.int64)
    return dictionary(index[positions], types)


def translate(books: LocalBooks, company: str, currency: str, chart: ChartIndex,
              rates: Rates, exponent: int, group_exponent: int) -> Translation:
    """The translated trial balance of one company at every run month end."""
    closed = books.closed
    reserve, earnings = chart.of(RESERVE), chart.of(RETAINED_EARNINGS)
    extra = [reserve] + ([earnings] if closed.any() else [])
    accounts = np.union1d(books.used, extra).astype(np.int64)
    kinds = chart.account_types[accounts]
    local_all = books.brought + np.cumsum(books.movement + books.year_end, axis=0)
    local = local_all[:, accounts]
    closing = np.isin(kinds, ("asset", "liability"))
    average = np.isin(kinds, ("revenue", "expense"))
    historical = (kinds == "equity") & (accounts != reserve)
    wrong = np.flatnonzero(np.any(books.year_end[:, accounts[historical]] != 0, axis=0))
    if np.any(accounts[historical][wrong] != earnings):
        raise GenerationError(f"{company}: year-end close into an equity account other than "
                              f"{RETAINED_EARNINGS}")

    def conv(amount: np.ndarray, rate: np.ndarray | int) -> np.ndarray:
        return convert(amount, rate, exponent, group_exponent)

    out = np.zeros(local.shape, np.int64)
    opening = conv(books.brought[accounts], rates.historical)
    out[:, closing] = conv(local[:, closing], rates.closing[:, None])
    # income and expenses: each month at its average, restarted by the close at the
    # translated balance it leaves (zero when the close empties the account, as it does)
    monthly = conv(books.movement[:, accounts[average]], rates.average[:, None])
    left = np.zeros(monthly.shape, np.int64)
    left[closed] = conv(local[closed][:, average], rates.average[closed, None])
    run = opening[average] + np.cumsum(monthly, axis=0)
    out[:, average] = since_close(run, closed, left)
    before = np.vstack([opening[average][None, :], out[:-1, average]])
    closed_out = np.where(closed[:, None], out[:, average] - before - monthly, 0).sum(axis=1)
    # equity: opening at the historical rate, movements at their month's average, and the
    # year-end close at the translated profit it carries into retained earnings
    moves = conv(books.movement[:, accounts[historical]], rates.average[:, None])
    moves[:, accounts[historical] == earnings] -= closed_out[:, None]
    out[:, historical] = opening[historical] + np.cumsum(moves, axis=0)
    at_reserve = accounts == reserve
    out[:, at_reserve] = -out[:, ~at_reserve].sum(axis=1, keepdims=True)
    rate_type = np.select([closing, average, historical], [0, 1, 2], 3)
    return Translation(company, currency, accounts, rate_type, local, out, opening, closed)


def translated_table(tr: Translation, chart: ChartIndex, first_month: int, group: str,
                     exponent: int, group_exponent: int) -> pa.Table:
    """``translated_trial_balances`` rows of one company: every month x account."""
    months, n = tr.translated.shape
    month = np.repeat(first_month + np.arange(months, dtype=np.int64), n)
    account = np.tile(tr.accounts, months)
    return pa.Table.from_arrays([
        constant_dictionary(tr.company, months * n),
        pa.array((month // 12 + 1970).astype(np.int16)),
        pa.array((month % 12 + 1).astype(np.int8)),
        dictionary(account, chart.numbers),
        type_column(chart, account),
        constant_dictionary(tr.currency, months * n),
        to_decimal(tr.local.reshape(-1), exponent),
        dictionary(np.tile(tr.rate_type, months), RATE_TYPES),
        constant_dictionary(group, months * n),
        to_decimal(tr.translated.reshape(-1), group_exponent),
    ], schema=TRANSLATED_TRIAL_BALANCES.schema)
