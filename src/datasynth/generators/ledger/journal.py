"""Assemble journal entries from per-entry and per-line arrays, and sum them into activity.

Every generator that posts (opening balances, document flows, payroll, the period close)
describes its entries as NumPy arrays — one row per entry in :class:`Entries`, one row per
line in :class:`Lines` — and this module turns them into the ``journal_entries`` batch. It
refuses unbalanced entries, so no generator can write books that do not add up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datasynth.errors import GenerationError
from datasynth.generators.anomalies.catalog import TYPE_CODE, TYPE_NAMES, TYPES
from datasynth.generators.common.arrow import (
    constant_dictionary,
    dates,
    dictionary,
    padded_ids,
    timestamps_us,
)
from datasynth.money import RATE_SCALE, to_decimal, to_decimal_each, to_rate_decimal
from datasynth.schemas.journal_entries import JOURNAL_ENTRIES
from datasynth.schemas.ledgers import LEDGER_ACTIVITY

# SAP-style document types (reference domain §3): what kind of posting an entry is.
DOCUMENT_TYPES = ("SA", "KR", "KG", "KZ", "DR", "DG", "DZ", "WE", "WA", "WL", "HR", "AA",
                  "AF", "AB", "OB", "CL", "TX")
DOC = {code: i for i, code in enumerate(DOCUMENT_TYPES)}
PROCESSES = ("O2C", "P2P", "R2R", "H2R", "A2R")
PROC = {code: i for i, code in enumerate(PROCESSES)}
SOURCES = ("manual", "automated", "recurring", "adjustment")
SRC = {code: i for i, code in enumerate(SOURCES)}
# Tables (or internal runs) a journal entry can reference.
REFERENCE_TYPES = ("purchase_order", "goods_receipt", "vendor_invoice", "vendor_payment",
                   "sales_order", "delivery", "customer_invoice", "customer_receipt",
                   "payroll_run", "expense_claim", "asset_acquisition", "depreciation_run",
                   "accrual", "opening_balance", "tax_provision", "year_end_close",
                   "financing", "vat_return", "gl_template", "intercompany_pair",
                   "fx_revaluation")
REF = {code: i for i, code in enumerate(REFERENCE_TYPES)}
UNBALANCED = TYPE_CODE["unbalanced_entry"]
FRAUD = np.array([TYPES[name].is_fraud for name in TYPE_NAMES])
# ``year_end``: the closing of the nominal accounts into retained earnings, apart from the
# rest of the close so that consolidation can translate it at the rates of what it closes
ORIGINS = ("opening", "business", "close", "year_end")
SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class LedgerContext:
    """What is fixed for one company: its code and currency, and the lookup values."""

    company_code: str
    currency: str
    exponent: int
    account_numbers: pa.Array      # accounts.gl_account, chart order
    account_names: pa.Array
    user_ids: pa.Array             # employees.employee_id of the company
    cost_center_ids: pa.Array      # cost_centers.cost_center of the company
    currencies: tuple[str, ...] = ()    # transaction currencies Entries.currency indexes
    exponents: tuple[int, ...] = ()     # their minor-unit exponents
    companies: tuple[str, ...] = ()     # group companies Entries.trading_partner indexes


@dataclass
class Entries:
    """One row per journal entry (headers)."""

    document_id: pa.Array          # strings
    posting_day: np.ndarray        # days since 1970-01-01
    document_day: np.ndarray
    seconds: np.ndarray            # time of day the entry was created, seconds
    document_type: np.ndarray      # index into DOCUMENT_TYPES
    process: np.ndarray            # index into PROCESSES
    source: np.ndarray             # index into SOURCES
    creator: np.ndarray            # index into LedgerContext.user_ids
    header_text: pa.Array          # strings
    reference_type: np.ndarray     # index into REFERENCE_TYPES, -1 for none
    reference_id: pa.Array         # strings, null for none
    partner_id: pa.Array           # strings, null for none
    anomaly: np.ndarray | None = None   # catalog type code of the entry's anomaly, -1 none
    split: np.ndarray | None = None     # index into SPLITS, -1 none
    # foreign-currency documents (None: every entry in the company currency)
    currency: np.ndarray | None = None  # index into LedgerContext.currencies
    trading_partner: np.ndarray | None = None   # index into LedgerContext.companies, -1 none

    def __len__(self) -> int:
        return len(self.posting_day)


@dataclass
class Lines:
    """One row per journal line, grouped by entry in ascending entry order."""

    entry: np.ndarray              # index into Entries
    account: np.ndarray            # index into the chart
    debit: np.ndarray              # int64 minor units, >= 0
    credit: np.ndarray             # int64 minor units, >= 0
    cost_center: np.ndarray        # index into LedgerContext.cost_center_ids, -1 for none
    # foreign-currency lines (None: the local amounts): amount in the entry's transaction
    # currency (int64 minor units, >= 0) and the rate it was converted at (units of 1e-10)
    transaction_amount: np.ndarray | None = None
    rate: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.entry)


def fiscal_year_period(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar year and month of days since the epoch (fiscal year = calendar year)."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    months = d.astype("datetime64[M]").astype(np.int64)
    return (months // 12 + 1970).astype(np.int16), (months % 12 + 1).astype(np.int8)


def entry_ids(company: str, years: np.ndarray, sequence: np.ndarray) -> pa.Array:
    """``<company>-<year>-<10-digit sequence>``: number ranges run per company and year."""
    years = np.asarray(years, dtype=np.int64)
    if len(years) and np.all(years == years[0]):
        return padded_ids(f"{company}-{int(years[0])}-", sequence, 10)
    out = np.empty(len(years), dtype=object)
    for year in np.unique(years):
        mask = years == year
        out[mask] = padded_ids(f"{company}-{int(year)}-", sequence[mask], 10).to_numpy(
            zero_copy_only=False)
    return pa.array(out, pa.string())


def assemble(ctx: LedgerContext, entries: Entries, lines: Lines) -> pa.RecordBatch:
    """The ``journal_entries`` batch of these entries; raises if any entry is unbalanced."""
    count, n = len(entries), len(lines)
    debit = np.asarray(lines.debit, dtype=np.int64)
    credit = np.asarray(lines.credit, dtype=np.int64)
    if n and (debit.min() < 0 or credit.min() < 0):
        raise GenerationError(f"{ctx.company_code}: negative amount on a journal line")
    net = sum_by(lines.entry, debit - credit, count)
    anomaly = entries.anomaly if entries.anomaly is not None else np.full(count, -1)
    # an injected unbalanced entry (labelled) is written as it is; nothing else may be
    unbalanced = (net != 0) & (anomaly != UNBALANCED)
    if np.any(unbalanced):
        bad = int(np.flatnonzero(unbalanced)[0])
        raise GenerationError(f"{ctx.company_code}: journal entry "
                              f"{entries.document_id[bad].as_py()} does not balance "
                              f"(debit - credit = {int(net[bad])} minor units)")
    if n and np.any(np.diff(lines.entry) < 0):
        raise GenerationError("journal lines must be grouped by entry")
    starts = np.searchsorted(lines.entry, np.arange(count))
    position = np.arange(n) - starts[lines.entry]
    e = lines.entry
    year, period = fiscal_year_period(entries.posting_day)
    created = (entries.posting_day.astype(np.int64) * 86_400
               + entries.seconds.astype(np.int64)) * 1_000_000
    idx = pa.array(e)
    ref = entries.reference_type[e]
    center = lines.cost_center
    return pa.RecordBatch.from_arrays([
        entries.document_id.take(idx),
        constant_dictionary(ctx.company_code, n),
        pa.array(year[e]),
        pa.array(period[e]),
        dates(entries.posting_day[e]),
        dates(entries.document_day[e]),
        timestamps_us(created[e]),
        dictionary(entries.document_type[e], DOCUMENT_TYPES),
        dictionary(entries.process[e], PROCESSES),
        dictionary(entries.source[e], SOURCES),
        dictionary(entries.creator[e], ctx.user_ids),
        constant_dictionary(ctx.currency, n),
        _header_texts(entries.header_text, idx),
        pa.array((position + 1).astype(np.int32)),
        dictionary(lines.account, ctx.account_numbers),
        to_decimal(debit, ctx.exponent),
        to_decimal(credit, ctx.exponent),
        *_transaction_columns(ctx, entries, lines, debit + credit),
        dictionary(np.maximum(center, 0), ctx.cost_center_ids, mask=center < 0),
        dictionary(lines.account, ctx.account_names),
        dictionary(np.maximum(ref, 0), REFERENCE_TYPES, mask=ref < 0),
        entries.reference_id.take(idx),
        entries.partner_id.take(idx),
        _trading_partners(ctx, entries.trading_partner, e, n),
        *_flags(anomaly[e]),
        _splits(entries.split, e, n),
    ], schema=JOURNAL_ENTRIES.schema)


def local_currency_columns(currency: str, amount: np.ndarray, exponent: int) -> list[pa.Array]:
    """transaction_currency, transaction_amount and exchange_rate of lines in the company
    currency: the same amounts at rate 1."""
    n = len(amount)
    return [constant_dictionary(currency, n), to_decimal(amount, exponent),
            to_rate_decimal(np.full(n, RATE_SCALE, dtype=np.int64))]


def _transaction_columns(ctx: LedgerContext, entries: Entries, lines: Lines,
                         local: np.ndarray) -> list[pa.Array]:
    if entries.currency is None:
        return local_currency_columns(ctx.currency, local, ctx.exponent)
    code = entries.currency[lines.entry]
    amount = np.asarray(lines.transaction_amount, dtype=np.int64)
    return [dictionary(code, list(ctx.currencies)),
            to_decimal_each(amount, np.asarray(ctx.exponents, np.int64)[code]),
            to_rate_decimal(np.asarray(lines.rate, dtype=np.int64))]


def _trading_partners(ctx: LedgerContext, partner: np.ndarray | None, e: np.ndarray,
                      n: int) -> pa.Array:
    if partner is None:
        return pa.nulls(n, JOURNAL_ENTRIES.schema.field("trading_partner").type)
    p = partner[e]
    return dictionary(np.maximum(p, 0), list(ctx.companies), mask=p < 0)


def _flags(code: np.ndarray) -> list[pa.Array]:
    """is_anomaly, is_fraud and anomaly_type of lines whose entries carry ``code``."""
    flagged = code >= 0
    return [pa.array(flagged), pa.array(flagged & FRAUD[np.maximum(code, 0)]),
            dictionary(np.maximum(code, 0), TYPE_NAMES, mask=~flagged)]


def _splits(split: np.ndarray | None, e: np.ndarray, n: int) -> pa.Array:
    if split is None:
        return pa.nulls(n, JOURNAL_ENTRIES.schema.field("split").type)
    s = split[e]
    return dictionary(np.maximum(s, 0), SPLITS, mask=s < 0)


def _header_texts(per_entry: pa.Array, line_entry: pa.Array) -> pa.DictionaryArray:
    """Each line's entry header text, dictionary-encoded over the distinct texts in order of
    first use: the same values give the same dictionary, so the same bytes on disk."""
    encoded = per_entry.dictionary_encode()
    return pa.DictionaryArray.from_arrays(encoded.indices.take(line_entry), encoded.dictionary)


def sum_by(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact integer sums per group (np.bincount would go through float64)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, groups, values) if len(groups) < 4096 else _sorted_sum(groups, values, out)
    return out


def _sorted_sum(groups: np.ndarray, values: np.ndarray, out: np.ndarray) -> None:
    order = np.argsort(groups, kind="stable")
    g, v = groups[order], values[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    out[g[starts]] = np.add.reduceat(v, starts)


def activity(ctx: LedgerContext, origin: str, posting_day: np.ndarray, account: np.ndarray,
             debit: np.ndarray, credit: np.ndarray) -> pa.Table:
    """``ledger_activity`` rows: debit and credit totals per fiscal period and account."""
    year, period = fiscal_year_period(posting_day)
    accounts = len(ctx.account_numbers)
    key = ((year.astype(np.int64) * 13 + period) * accounts + account.astype(np.int64))
    unique, inverse = np.unique(key, return_inverse=True)
    debits = sum_by(inverse, np.asarray(debit, np.int64), len(unique))
    credits = sum_by(inverse, np.asarray(credit, np.int64), len(unique))
    acc = unique % accounts
    yp = unique // accounts
    n = len(unique)
    return pa.Table.from_arrays([
        constant_dictionary(ctx.company_code, n),
        pa.array((yp // 13).astype(np.int16)),
        pa.array((yp % 13).astype(np.int8)),
        dictionary(acc, ctx.account_numbers),
        dictionary(np.full(n, ORIGINS.index(origin)), ORIGINS),
        pa.array(debits),
        pa.array(credits),
    ], schema=LEDGER_ACTIVITY.schema)


def lines_activity(ctx: LedgerContext, origin: str, entries: Entries, lines: Lines) -> pa.Table:
    return activity(ctx, origin, entries.posting_day[lines.entry], lines.account, lines.debit,
                    lines.credit)
