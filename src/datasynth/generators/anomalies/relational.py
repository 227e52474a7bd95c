"""Relational anomalies: unusual links between accounts, partners and users (domain study
§8.1 RelationalType).

"Unusual" is read off these books: a vendor the company never dealt with, an account no
business entry touches, a debit/credit pair no entry has, money that comes back to the bank
it left. Account changes go only to entries no subledger replays
(``mutations.safe_for_amounts``) and to accounts of the same type, so the subledgers, the
cash plan and the statements stay coherent.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.context import RECONCILED, doc_flags
from datasynth.generators.anomalies.mutations import safe_for_amounts
from datasynth.generators.anomalies.statistical import (
    close_days,
    line_view,
    persons,
)
from datasynth.generators.accounts.catalog import GROUP_SUB_TYPES
from datasynth.generators.ledger.flows.common import (
    block,
    doc_ids,
    line_set,
    null_strings,
)
from datasynth.generators.ledger.flows.postings import stack_lines
from datasynth.generators.ledger.journal import DOC, SRC
from datasynth.money import to_minor_units

# accounts an altered line never moves to: cash and clearing (the cash position), anything a
# subledger or position check replays, taxes (the VAT returns and the tax provision), debt
# (financing), equity, suspense, and the accounts other schemes use as their signature
# (intangibles: expense capitalisation; other receivables and deposits: circular flows)
FIXED_SUB_TYPES = RECONCILED + ("cash", "bank_clearing", "suspense", "tax_payable",
                                "tax_receivable", "tax_expense", "debt_short", "debt_long",
                                "share_capital", "reserves", "retained_earnings",
                                "intangibles", "other_receivables", "other_assets",
                                "depreciation", *GROUP_SUB_TYPES)
# a two-line entry whose accounts change leaves its old debit/credit pair to at least this
# many other two-line entries: no normal entry is left alone with a pair (it would look like
# an unusual pair), even after the fit to target_count drops some template entries
KEEP_PAIR = 4


# ---- new counterparty ------------------------------------------------------------------------

TOP_QUANTILE = (0.97, 0.995)     # of the books' service orders: a large first invoice
ID_COLUMN = {"purchase_requisitions": "requisition_id", "purchase_orders": "purchase_order_id",
             "vendor_invoices": "invoice_id", "vendor_payments": "payment_id"}
DAY_COLUMN = {"purchase_requisitions": "requisition_date", "purchase_orders": "order_date"}


def new_counterparty_large(inj, rng: np.random.Generator, count: int) -> None:
    """A service bought from a vendor the company has never used (one held back from normal
    business, plan.reserved) for an amount among the top few percent of its service orders,
    later in the run, through the ordinary purchase flow: requisition, order, invoice,
    payment (``p2p.non_stock_purchases``), so only the counterparty and the size stand out
    (ACFE: a new vendor's first large invoice is a classic red flag)."""
    from datasynth.config.models import DocumentFlowSettings
    from datasynth.generators.ledger.flows.p2p import non_stock_purchases

    books = inj.books
    spare = books.spare_vendors
    first = inj.reserved.fictitious_vendors
    if spare is None or len(spare.weight) <= first:
        return
    unused = np.arange(first, len(spare.weight))
    n = min(count, len(unused))
    orders = _service_orders(inj)
    if n == 0 or len(orders[0]) == 0:
        return
    net, day = orders
    month = books.month_of(day)
    months = len(books.months)
    later = np.arange(months) >= min(2, months - 1)       # not in the run's first months
    weight = np.bincount(month, minlength=months) * later + 1e-9 * later
    vendors = rng.choice(unused, n, replace=False)
    amounts = np.rint(np.quantile(net, rng.uniform(*TOP_QUANTILE, n))).astype(np.int64)
    settings = DocumentFlowSettings()   # the injection sees no flow settings: defaults
    for vendor, amount, scheme in zip(vendors, amounts, inj.new_schemes(n)):
        one = replace(books, vendors=_one_partner(spare, int(vendor)))
        blocks = non_stock_purchases(one, lambda _name: rng, settings,
                                     np.array([rng.choice(months, p=weight / weight.sum())]),
                                     np.array([amount]), "service", inj.first_ids)
        for b in blocks:
            for name, doc in b.tables.items():
                ids = doc.columns[ID_COLUMN[name]]
                doc.columns.update(doc_flags("new_counterparty_large", len(ids)))
                if doc.day is not None:
                    days = doc.day
                else:
                    days = doc.columns[DAY_COLUMN[name]].cast(pa.int32()).to_numpy(
                        zero_copy_only=False).astype(np.int64)
                inj.label_rows("new_counterparty_large", name, ids, days, scheme, amount)
            if len(b):
                inj.label_block("new_counterparty_large", inj.add_block(b), scheme, amount)
            else:
                b.anomaly = np.zeros(0, np.int64)
                inj.add_block(b)


def _one_partner(partners, i: int):
    """``partners`` reduced to its ``i``-th: the flows then draw that vendor every time."""
    take = [i]
    return replace(partners, ids=partners.ids.take(pa.array(take)), weight=np.ones(1),
                   terms_days=partners.terms_days[take],
                   discount_percent=partners.discount_percent[take],
                   discount_days=partners.discount_days[take],
                   control_account=partners.control_account[take],
                   credit_limit=partners.credit_limit[take], behavior=partners.behavior[take])


def _service_orders(inj) -> tuple[np.ndarray, np.ndarray]:
    """Net amount and order day of every normal service order line of the books."""
    nets, days = [], []
    for b in inj.blocks:
        doc = b.tables.get("purchase_orders")
        if doc is None or "is_anomaly" in doc.columns:
            continue
        cols = doc.columns
        service = pc.equal(cols["item_type"].cast(pa.string()), "service").to_numpy(
            zero_copy_only=False)
        if not service.any():
            continue
        nets.append(to_minor_units(cols["net_amount"], inj.books.exponent)[service])
        days.append(cols["order_date"].cast(pa.int32()).to_numpy(
            zero_copy_only=False).astype(np.int64)[service])
    if not nets:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(nets), np.concatenate(days)


# ---- dormant account -------------------------------------------------------------------------


def dormant_account(inj, rng: np.random.Generator, count: int) -> None:
    """One line of an ordinary entry posted to an account of the chart that nothing else
    touches in the whole run — no opening balance, no business entry — of the same sub-type
    as the account it replaces (else the same type): a posting to a dormant account, the way
    a forgotten account gets used to park or hide an amount. Each dormant account takes one
    posting, so it stays otherwise unused; fewer instances when the chart has fewer.

    Any entry can carry it, documents posted or not, as long as the line moves between
    accounts no subledger, position or tax return reads (``FIXED_SUB_TYPES``): an expense
    line of a vendor invoice, the revenue line of a customer invoice, the cost line of a
    delivery, a template entry. Amounts and documents stay as they were. (The period close
    may still accrue to a dormant expense account: it accrues now and then to any of
    them.)"""
    chart = inj.books.chart
    size = len(chart)
    used = np.zeros(size, bool)
    for b in inj.blocks:
        used[np.asarray(b.account, np.int64)] = True
    # and what the foreign-currency blocks, kept out of the injection, post to
    if inj.books.withheld_accounts is not None:
        used[inj.books.withheld_accounts] = True
    dormant = ~used & ~np.isin(chart.sub_types, FIXED_SUB_TYPES)
    if not dormant.any():
        return
    view = line_view(inj)
    movable = ~np.isin(chart.sub_types, FIXED_SUB_TYPES)
    _, pairs = pair_counts(inj, size, every_entry=False)
    d, c = np.maximum(view.debit_account, 0), np.maximum(view.credit_account, 0)
    two_line = view.two_line
    # candidates: unlabelled, and a two-line entry only while its pair stays common
    entries = view.normal & (~two_line | (pairs[d, c] > KEEP_PAIR))
    _, sub_code = np.unique(chart.sub_types.astype(str), return_inverse=True)
    _, type_code = np.unique(chart.account_types.astype(str), return_inverse=True)
    target, has_line = np.zeros(size, bool), np.zeros(len(inj), bool)
    altered, impact = [], []
    for _ in range(count):
        # accounts that may move: their sub-type (else their type) has a dormant account
        sub = (np.bincount(sub_code[dormant], minlength=size) > 0)[sub_code]
        kind = (np.bincount(type_code[dormant], minlength=size) > 0)[type_code]
        if not np.array_equal(movable & (sub | kind), target):
            target = movable & (sub | kind)
            # (lines changed below belong to entries already used)
            has_line = np.bincount(view.entry[target[view.account]], minlength=len(inj)) > 0
        flat = inj.pick(rng, has_line & entries, 1)
        if len(flat) == 0:
            break
        f = int(flat[0])
        b, sl = inj.line_slice(f)
        accounts = b.account[sl]
        ok = np.flatnonzero(target[accounts])
        line = sl.start + int(rng.choice(ok))
        old = int(b.account[line])
        same = dormant & (chart.sub_types == chart.sub_types[old])
        if not same.any():
            same = dormant & (chart.account_types == chart.account_types[old])
        new = int(rng.choice(np.flatnonzero(same)))
        b.account[line] = new
        if two_line[f]:
            pairs[d[f], c[f]] -= 1
            if pairs[d[f], c[f]] <= KEEP_PAIR:          # the pair is no longer common
                entries[two_line & (d == d[f]) & (c == c[f])] = False
        dormant[new] = False
        altered.append(f)
        impact.append(int(b.debit[line] + b.credit[line]))
        if not dormant.any():
            break
    if altered:                                   # a scheme each, in the order altered
        inj.label_entries("dormant_account", np.array(altered, np.int64),
                          inj.new_schemes(len(altered)), np.array(impact, np.int64))


# ---- unusual account pair --------------------------------------------------------------------


def unusual_account_pair(inj, rng: np.random.Generator, total: int) -> None:
    """A two-line entry whose debit or credit account is swapped for another account of the
    same type that the books do use, so that the debit/credit pair occurs in no other entry
    (a posting no chart-of-accounts mapping or normal process produces). Entries that post
    documents qualify by a side no subledger, position or tax return reads (the cost line of
    a delivery); entries that post none by either side. The pairs the
    period close will add (accruals of expenses against accrued liabilities) count as
    seen; each new pair is used once. The entry's old pair must stay common (``KEEP_PAIR``
    other entries keep it), so no normal entry is left alone with a pair."""
    chart = inj.books.chart
    size = len(chart)
    view = line_view(inj)
    every, count = pair_counts(inj, size)
    seen = every > 0                              # [debit account, credit account]
    opex = np.flatnonzero(chart.sub_types == "opex")
    accrued = np.flatnonzero(chart.sub_types == "accrued")
    seen[np.ix_(opex, accrued)] = True
    seen[np.ix_(accrued, opex)] = True
    active = np.zeros(size, bool)
    active[view.account[view.normal[view.entry]]] = True
    allowed = active & ~np.isin(chart.sub_types, FIXED_SUB_TYPES) \
        & (chart.sub_types != "accrued")
    types, type_of = np.unique(chart.account_types.astype(str), return_inverse=True)
    by_type = (type_of[None, :] == np.arange(len(types))[:, None]) & allowed[None, :]
    safe = safe_for_amounts(inj)
    movable = ~np.isin(chart.sub_types, FIXED_SUB_TYPES)
    base = np.flatnonzero(view.two_line & view.normal)
    d, c = np.maximum(view.debit_account[base], 0), np.maximum(view.credit_account[base], 0)
    # each entry's place in the flattened matrices: [debit, credit], [type of debit, credit]
    # and [debit, type of credit]
    at_pair, at_debit_type = d * size + c, type_of[d] * size + c
    at_credit_type = d * len(types) + type_of[c]
    debit_may, credit_may = safe[base] | movable[d], safe[base] | movable[c]
    placed = 0
    for _ in range(5):                            # a pick can lose its options to another
        if placed >= total:
            return
        # how many new debit (credit) accounts would make each entry's pair unseen
        unseen = ~seen.ravel()[at_pair]
        new_debit = (by_type.astype(np.int64) @ ~seen).ravel()[at_debit_type] \
            - (allowed[d] & unseen)
        new_credit = (~seen @ by_type.T.astype(np.int64)).ravel()[at_credit_type] \
            - (allowed[c] & unseen)
        common = count.ravel()[at_pair] >= KEEP_PAIR + 1  # its old pair stays common
        options = ((new_debit > 0) & debit_may) | ((new_credit > 0) & credit_may)
        eligible = np.zeros(len(inj), bool)
        eligible[base[common & options]] = True
        picked = inj.pick(rng, eligible, total - placed)
        if len(picked) == 0:
            return
        altered = []
        for f in picked:
            b, sl = inj.line_slice(int(f))
            lines = np.arange(sl.start, sl.stop)
            ends = (lines[b.debit[sl] > 0][0], lines[b.credit[sl] > 0][0])
            pair = (int(b.account[ends[0]]), int(b.account[ends[1]]))
            for side in rng.permutation(2) if count[pair] > KEEP_PAIR else ():
                line, other = ends[side], ends[1 - side]
                x, y = int(b.account[line]), int(b.account[other])
                if not (safe[f] or movable[x]):
                    continue
                free = ~seen[:, y] if side == 0 else ~seen[y, :]
                cand = np.flatnonzero(by_type[type_of[x]] & free)
                cand = cand[cand != x]
                if len(cand) == 0:
                    continue
                new = int(rng.choice(cand))
                b.account[line] = new
                count[pair] -= 1
                count[(new, y) if side == 0 else (y, new)] += 1
                seen[(new, y) if side == 0 else (y, new)] = True
                altered.append(int(f))
                placed += 1
                break
            else:
                inj.used[f] = False               # no unseen pair left for it
        if altered:                               # a scheme each, in the order altered
            altered = np.array(altered, np.int64)
            inj.label_entries("unusual_account_pair", altered, inj.new_schemes(len(altered)),
                              inj.amount[altered])


def pair_counts(inj, size: int, every_entry: bool = True) -> tuple[np.ndarray | None,
                                                                   np.ndarray]:
    """How many entries of the books (all business entries, injected ones included) have
    each (debit account, credit account) pair among their lines (None unless
    ``every_entry``), and how many entries of one debit and one credit line have it: size x
    size matrices."""
    every, two_lines, offset = [], [], 0
    for b in inj.blocks[1:]:
        if len(b) == 0:
            continue
        e = np.asarray(b.line_entry, np.int64)
        d = np.flatnonzero(b.debit > 0)
        c = np.flatnonzero(b.credit > 0)
        dn = np.bincount(e[d], minlength=len(b))
        keep = (dn == 1) & (np.bincount(e[c], minlength=len(b)) == 1) \
            & (np.bincount(e, minlength=len(b)) == 2)
        # one debit and one credit line: one pair an entry
        two_lines.append(b.account[d[keep[e[d]]]].astype(np.int64) * size
                         + b.account[c[keep[e[c]]]])
        if not every_entry:
            continue
        # each credit line against every debit line of its entry
        c = c[dn[e[c]] > 0]
        reps = dn[e[c]]
        c_rep = np.repeat(c, reps)
        d_sorted = d[np.argsort(e[d], kind="stable")]
        d_start = np.searchsorted(e[d_sorted], e[c_rep])
        within = np.arange(len(c_rep)) - np.repeat(np.cumsum(reps) - reps, reps)
        d_rep = d_sorted[d_start + within]
        pair = b.account[d_rep].astype(np.int64) * size + b.account[c_rep]
        # once an entry: the codes come in entry order, so the stable sort only orders the
        # few pairs of each entry
        code = np.sort((e[c_rep] + offset) * size * size + pair, kind="stable")
        once = np.ones(len(code), bool)
        np.not_equal(code[1:], code[:-1], out=once[1:])
        every.append(code[once] % (size * size))
        offset += len(b)

    def matrix(codes: list[np.ndarray]) -> np.ndarray:
        count = np.bincount(np.concatenate(codes), minlength=size * size) if codes else \
            np.zeros(size * size, np.int64)
        return count.reshape(size, size)

    return (matrix(every) if every_entry else None), matrix(two_lines)


# ---- circular flow ---------------------------------------------------------------------------

CIRCLE_TEXTS = ("Loan to related party", "Related-party loan converted to security deposit",
                "Refund of security deposit")


def circular_flow(inj, rng: np.random.Generator, count: int) -> None:
    """Money that leaves the bank and comes back within a week through accounts no
    subledger watches: a loan to a related party (Dr other receivables / Cr bank), turned
    into a security deposit (Dr deposits / Cr other receivables), refunded (Dr bank / Cr
    deposits) — three manual entries of one person for the same amount, the round trip of
    round-tripping and of window dressing the cash balance (ACFE financial-statement fraud;
    IAS 24 related-party transactions). The person, day, hour and amount are borrowed from
    one of their manual entries; the next steps follow on posting days 1-3 days apart."""
    books = inj.books
    chart = books.chart
    bank, loan, deposit = (_account(chart, 100000, "cash"),
                           _account(chart, 115000, "other_receivables"),
                           _account(chart, 180000, "other_assets"))
    if min(bank, loan, deposit) < 0:
        return
    view = line_view(inj)
    template = (inj.source == SRC["manual"]) & persons(inj)[inj.creator] \
        & (inj.document_type == DOC["SA"]) & ~close_days(inj.posting_day) \
        & (inj.posting_day + 7 < books.end_day) & view.normal & (inj.amount > 0)
    anchors = inj.pick(rng, template, count)
    inj.used[anchors] = False                        # only borrowed, not altered
    n = len(anchors)
    if n == 0:
        return
    amount = inj.amount[anchors]
    day1 = inj.posting_day[anchors]
    day2 = _later_day(books, rng, day1)
    day3 = _later_day(books, rng, day2)
    day = np.stack([day1, day2, day3], axis=1).ravel()
    seconds = np.clip(np.repeat(inj.seconds[anchors], 3) + rng.integers(-1800, 1800, 3 * n),
                      8 * 3600, 18 * 3600 - 1)
    idx = np.arange(3 * n)
    debit = np.tile([loan, deposit, bank], n)
    credit = np.tile([bank, loan, deposit], n)
    amt = np.repeat(amount, 3)
    lines = stack_lines([line_set(idx, debit, amt, np.zeros(3 * n)),
                         line_set(idx, credit, np.zeros(3 * n), amt)], 3 * n)
    start = inj.first_ids.get("GL", 1)
    inj.first_ids["GL"] = start + 3 * n
    b = block(books, posting_day=day, document_day=day, seconds=seconds, document_type="SA",
              process="R2R", source="manual",
              header_text=pa.array(list(CIRCLE_TEXTS) * n, pa.string()),
              reference_type="gl_template",
              reference_id=doc_ids("GL", books.code, start, 3 * n),
              partner_id=null_strings(3 * n), lines=lines, rng=rng)
    b.creator = np.repeat(inj.creator[anchors], 3)
    inj.label_block("circular_flow", inj.add_block(b), np.repeat(inj.new_schemes(n), 3), amt)


def _later_day(books, rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
    """A posting day 1-3 days after each of ``day``, drawn by the posting calendar's weights
    (weekends and holidays as rare as in the books)."""
    days = np.concatenate(books.month_days)
    weights = np.concatenate(books.month_weights).astype(np.float64)
    ahead = np.asarray(day, np.int64)[:, None] + np.arange(1, 4)[None, :]
    at = np.clip(np.searchsorted(days, ahead), 0, len(days) - 1)
    w = np.where(days[at] == ahead, weights[at], 0.0)
    w = np.where(w.sum(axis=1, keepdims=True) > 0, w, 1.0)
    pick = (rng.random(len(day))[:, None] > np.cumsum(w / w.sum(axis=1, keepdims=True),
                                                      axis=1)).sum(axis=1)
    return ahead[np.arange(len(day)), np.minimum(pick, 2)]


def _account(chart, number: int, sub_type: str) -> int:
    """The account ``number``, or the chart's first of ``sub_type`` (-1: none)."""
    if str(number) in chart.position:
        return chart.of(number)
    of = chart.of_sub_type(sub_type)
    return int(of[0]) if len(of) else -1


INJECTORS = {"new_counterparty_large": new_counterparty_large,
             "dormant_account": dormant_account,
             "unusual_account_pair": unusual_account_pair,
             "circular_flow": circular_flow}
