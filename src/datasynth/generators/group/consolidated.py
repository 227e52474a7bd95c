"""The group's books: translate every member, eliminate, add up (IFRS 10 B86).

:func:`consolidate` is the whole consolidation as a pure function of the ledger and
intercompany activity, the intercompany pairs (for what is in transit at a month end), the
exchange rates and the group structure. The consolidated trial
balance is, per month end and account, the sum of the translated balances plus the sum of
the elimination lines. Each translated trial balance sums to zero (its translation reserve)
and each elimination balances, so the consolidated trial balance sums to zero too: the
consolidated balance sheet balances with the profit of the year so far.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.currencies import CURRENCIES
from datasynth.generators.common.arrow import constant_dictionary, dictionary
from datasynth.generators.fx.convert import RateBook
from datasynth.generators.group.eliminations import (
    Elimination,
    GroupStructure,
    eliminations,
)
from datasynth.generators.group.partners import (
    PartnerFigures,
    partner_grid,
    translate_partners,
)
from datasynth.generators.group.transit import in_transit
from datasynth.generators.group.translation import (
    Rates,
    Translation,
    local_books,
    translate,
    translated_table,
    type_column,
)
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.close import run_months
from datasynth.money import to_decimal
from datasynth.schemas.group import CONSOLIDATED_TRIAL_BALANCES, CONSOLIDATION_ELIMINATIONS


@dataclass(frozen=True)
class Consolidation:
    translated: list[pa.Table]       # one per member, parent first
    eliminations: pa.Table
    consolidated: pa.Table


def consolidate(ledger_activity: pa.Table, intercompany_activity: pa.Table, rates: RateBook,
                chart: ChartIndex, group: GroupStructure, currencies: dict[str, str],
                start_day: int, end_day: int,
                intercompany_pairs: pa.Table | None = None) -> Consolidation:
    """The three consolidation tables for the run ``[start_day, end_day)`` (days since the
    epoch); ``currencies`` maps every member to its currency. Without
    ``intercompany_pairs`` nothing is taken to be in transit."""
    first_month, months = run_months(start_day, end_day)
    members = (group.parent, *(s.code for s in group.subsidiaries))
    exponent = {c: CURRENCIES[currencies[c]].exponent for c in members}
    group_exponent = CURRENCIES[rates.group].exponent
    translations: dict[str, Translation] = {}
    figures: dict[str, np.ndarray] = {}
    member_rates: dict[str, Rates] = {}
    for code in members:
        local = member_rates[code] = Rates.of(rates, currencies[code], first_month, months,
                                              start_day)
        books = local_books(ledger_activity, code, chart, first_month, months)
        translations[code] = translate(books, code, currencies[code], chart, local,
                                       exponent[code], group_exponent)
        grid = partner_grid(intercompany_activity, code, members, first_month, months)
        figures[code] = translate_partners(grid, local, books.closed, exponent[code],
                                           group_exponent)
    transit = in_transit(intercompany_pairs, members, member_rates, exponent, group_exponent,
                         first_month, months)
    entries = eliminations(group, translations, PartnerFigures(members, figures), chart,
                           transit)
    return Consolidation(
        [translated_table(translations[c], chart, first_month, rates.group, exponent[c],
                          group_exponent) for c in members],
        eliminations_table(entries, first_month, months, group_exponent),
        consolidated_table(list(translations.values()), entries, chart, first_month,
                           rates.group, group_exponent))


def eliminations_table(entries: list[Elimination], first_month: int, months: int,
                       exponent: int) -> pa.Table:
    """``consolidation_eliminations``: per month, every elimination with a line that is not
    zero, numbered in the order given; zero lines are left out."""
    lines = [(k, line) for k, entry in enumerate(entries) for line in entry.lines]
    amounts = (np.stack([line.amount for _, line in lines]) if lines
               else np.zeros((0, months), np.int64))
    entry_of = np.array([k for k, _ in lines], np.int64)
    month, line = np.nonzero(amounts.T)          # month first, then line (entry) order
    key = month * max(len(entries), 1) + entry_of[line]
    new_entry = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, bool)
    starts, entry_no = np.flatnonzero(new_entry), np.cumsum(new_entry) - 1
    first_month_entry = np.searchsorted(month[starts], month[starts])
    sequence = (np.arange(len(starts)) - first_month_entry + 1)[entry_no]
    line_number = np.arange(len(key)) - starts[entry_no] + 1
    run_month = first_month + month
    year = pa.array((run_month // 12 + 1970).astype(np.int16))
    period = pa.array((run_month % 12 + 1).astype(np.int8))
    ids = pc.binary_join_element_wise(
        "ELIM", year.cast(pa.string()), pc.utf8_lpad(period.cast(pa.string()), 2, "0"),
        pc.utf8_lpad(pa.array(sequence, pa.int64()).cast(pa.string()), 4, "0"), "-")
    signed = amounts[line, month]
    take = pa.array(line, pa.int64())

    def column(values: list) -> pa.Array:
        return pa.array(values, pa.string()).take(take).dictionary_encode()

    return pa.Table.from_arrays([
        ids, year, period,
        column([entries[k].kind for k, _ in lines]),
        pa.array(line_number.astype(np.int32)),
        column([x.company for _, x in lines]),
        column([x.partner for _, x in lines]),
        column([x.account for _, x in lines]),
        to_decimal(np.maximum(signed, 0), exponent),
        to_decimal(np.maximum(-signed, 0), exponent),
        column([x.text for _, x in lines]),
    ], schema=CONSOLIDATION_ELIMINATIONS.schema)


def consolidated_table(translations: list[Translation], entries: list[Elimination],
                       chart: ChartIndex, first_month: int, currency: str,
                       exponent: int) -> pa.Table:
    """``consolidated_trial_balances``: every account any member or elimination carries,
    at every month end."""
    months = len(translations[0].closed)
    aggregated = np.zeros((months, len(chart)), np.int64)
    for tr in translations:
        aggregated[:, tr.accounts] += tr.translated
    eliminated = np.zeros((months, len(chart)), np.int64)
    for line in (x for entry in entries for x in entry.lines):
        eliminated[:, chart.of(line.account)] += line.amount
    used = np.union1d(np.concatenate([tr.accounts for tr in translations]),
                      np.flatnonzero(np.any(eliminated != 0, axis=0))).astype(np.int64)
    n = months * len(used)
    month = np.repeat(first_month + np.arange(months, dtype=np.int64), len(used))
    account = np.tile(used, months)
    return pa.Table.from_arrays([
        pa.array((month // 12 + 1970).astype(np.int16)),
        pa.array((month % 12 + 1).astype(np.int8)),
        dictionary(account, chart.numbers),
        type_column(chart, account),
        constant_dictionary(currency, n),
        to_decimal(aggregated[:, used].reshape(-1), exponent),
        to_decimal(eliminated[:, used].reshape(-1), exponent),
        to_decimal((aggregated + eliminated)[:, used].reshape(-1), exponent),
    ], schema=CONSOLIDATED_TRIAL_BALANCES.schema)
