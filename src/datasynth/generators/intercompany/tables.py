"""The intercompany tables: pairs, the open-item subledger and the activity by partner."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.common.arrow import dates, dictionary
from datasynth.generators.intercompany.period_end import (
    Items,
    closing_rates,
    month_ends,
    revalue,
)
from datasynth.generators.intercompany.plan import ACTIVITIES, STATUSES, Transactions
from datasynth.generators.intercompany.postings import Company, Posted
from datasynth.generators.fx.convert import RateBook
from datasynth.generators.ledger.journal import Lines, Entries, fiscal_year_period, sum_by
from datasynth.money import to_decimal_each, to_rate_decimal
from datasynth.schemas.group import (
    INTERCOMPANY_ACTIVITY,
    INTERCOMPANY_OPEN_ITEMS,
    INTERCOMPANY_PAIRS,
)


def pair_ids(tx: Transactions, codes: list[str]) -> list[str]:
    """IC-<seller>-<buyer>-<year>-<sequence>, numbered per company pair and year in the
    order of the transactions (the seller's day)."""
    years, _ = fiscal_year_period(tx.seller_day)
    seen: dict[tuple[int, int, int], int] = {}
    out = []
    for s, b, y in zip(tx.seller.tolist(), tx.buyer.tolist(), years.tolist()):
        seen[(s, b, y)] = seen.get((s, b, y), 0) + 1
        out.append(f"IC-{codes[s]}-{codes[b]}-{y}-{seen[(s, b, y)]:06d}")
    return out


def pairs_table(tx: Transactions, ids: list[str], posted: Posted, document_ids: list[pa.Array],
                companies: list[Company], currencies: list[str]) -> pa.Table:
    codes = [c.code for c in companies]
    currency_of = np.array([c.currency for c in companies], np.int64)
    exponent_of = np.array([c.exponent for c in companies], np.int64)
    seller_docs = [document_ids[int(s)][int(e)].as_py()
                   for s, e in zip(tx.seller, posted.seller_entry)]
    buyer_docs = [document_ids[int(b)][int(e)].as_py()
                  for b, e in zip(tx.buyer, posted.buyer_entry)]
    s_exp, b_exp = exponent_of[tx.seller], exponent_of[tx.buyer]
    settle = tx.settle_day
    return pa.Table.from_arrays([
        pa.array(ids, pa.string()),
        dictionary(tx.activity, list(ACTIVITIES)),
        dictionary(tx.seller, codes),
        dictionary(tx.buyer, codes),
        pa.array(seller_docs, pa.string()),
        pa.array(buyer_docs, pa.string()),
        dates(tx.seller_day),
        dates(tx.buyer_day),
        dictionary(currency_of[tx.seller], currencies),
        to_decimal_each(tx.amount, s_exp),
        dictionary(currency_of[tx.seller], currencies),
        to_decimal_each(posted.seller_local, s_exp),
        dictionary(currency_of[tx.buyer], currencies),
        to_decimal_each(tx.buyer_amount, s_exp),
        to_decimal_each(posted.buyer_local, b_exp),
        to_rate_decimal(posted.buyer_rate),
        pa.array(np.where(settle >= 0, settle, 0).astype(np.int32), pa.int32(),
                 mask=settle < 0).cast(pa.date32()),
        dictionary(tx.status, list(STATUSES)),
        pa.array(tx.status == 2),
    ], schema=INTERCOMPANY_PAIRS.schema)


def open_items_table(items: Items, ids: list[str], document_ids: list[pa.Array],
                     entries: np.ndarray, companies: list[Company], currencies: list[str],
                     rates: RateBook, months: np.ndarray, end_day: int,
                     account_numbers: pa.Array) -> pa.Table:
    """Every item open at every month end, revalued as the month-end revaluation did."""
    parts = []
    exponent_of = np.array([c.exponent for c in companies], np.int64)
    currency_exp = {c.currency: c.exponent for c in companies}
    for month, day in zip(months.tolist(), month_ends(months, end_day).tolist()):
        mask = items.open_at(day)
        closing = closing_rates(items, companies, currencies, rates, month)
        revalued = revalue(items, mask, closing, companies)
        idx = np.flatnonzero(mask)
        parts.append((np.full(len(idx), month), idx, closing[idx], revalued[idx]))
    month = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    idx = np.concatenate([p[1] for p in parts]).astype(np.int64) if parts else month
    closing = np.concatenate([p[2] for p in parts]) if parts else month
    revalued = np.concatenate([p[3] for p in parts]) if parts else month
    company = items.company[idx]
    codes = [c.code for c in companies]
    docs = [document_ids[int(c)][int(e)].as_py()
            for c, e in zip(company, entries[idx])]
    local_exp = exponent_of[company]
    txn_exp = np.array([currency_exp[int(c)] for c in items.currency[idx]], np.int64)
    table = pa.Table.from_arrays([
        dictionary(company, codes),
        pa.array((month // 12 + 1970).astype(np.int16)),
        pa.array((month % 12 + 1).astype(np.int8)),
        dictionary(items.partner[idx], codes),
        pa.array([ids[int(t)] for t in items.transaction[idx]], pa.string()),
        pa.array(docs, pa.string()),
        dictionary(items.account[idx], account_numbers),
        dictionary(items.currency[idx], currencies),
        to_decimal_each(items.amount[idx], txn_exp),
        to_decimal_each(items.booked[idx], local_exp),
        to_rate_decimal(closing),
        to_decimal_each(revalued, local_exp),
        to_decimal_each(revalued - items.booked[idx], local_exp),
    ], schema=INTERCOMPANY_OPEN_ITEMS.schema)
    return table


def activity_by_partner(code: str, entries: Entries, lines: Lines, codes: list[str],
                        account_numbers: pa.Array) -> pa.Table:
    """``intercompany_activity`` rows of one company's intercompany entries (those with a
    trading partner: the cash pool's financing with the bank has none)."""
    partnered = entries.trading_partner[lines.entry] >= 0
    year, period = fiscal_year_period(entries.posting_day[lines.entry[partnered]])
    partner = entries.trading_partner[lines.entry[partnered]]
    accounts, partners = len(account_numbers), len(codes)
    key = (((year.astype(np.int64) * 13 + period) * accounts + lines.account[partnered])
           * partners + partner)
    unique, inverse = np.unique(key, return_inverse=True)
    debit = sum_by(inverse, lines.debit[partnered], len(unique))
    credit = sum_by(inverse, lines.credit[partnered], len(unique))
    p = unique % partners
    rest = unique // partners
    acc, yp = rest % accounts, rest // accounts
    n = len(unique)
    return pa.Table.from_arrays([
        dictionary(np.zeros(n, np.int64), [code]),
        pa.array((yp // 13).astype(np.int16)),
        pa.array((yp % 13).astype(np.int8)),
        dictionary(acc, account_numbers),
        dictionary(p, codes),
        pa.array(debit), pa.array(credit),
    ], schema=INTERCOMPANY_ACTIVITY.schema)
