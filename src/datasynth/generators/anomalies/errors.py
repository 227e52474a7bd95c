"""Errors: honest mistakes in the books (domain study §8.1 ErrorType). Each keeps the entry
balanced except ``unbalanced_entry``.

Errors fall where people key, so every type draws its targets from all kinds of entry
(document type, process, source) in proportion to their share of the books, as far as a
kind has entries the error can alter coherently (error_docs.kind_weight): otherwise the kind
of entry alone would tell the labelled ones apart.

An amount, account or date changes on its own only where no subledger replays it: GL-only
entries whose lines are on no reconciled account (mutations.safe_for_amounts). Elsewhere the
document changes with the entry, as the posting is the document's in an ERP, so the AP and AR
subledgers (computed from the documents) still equal their control accounts at every period
end: a resized service or customer invoice, payment or receipt (error_docs), an invoice,
payment or receipt moved to another period with its document (process_moves), a duplicated
invoice or receipt with its document. Goods movements and asset purchases keep their amounts
and dates (the stock and fixed-asset replays follow their documents). What no subledger
replays may be wrong on any entry: an expense or revenue account, a cost center, a header
text, one line's amount. Cash and VAT lines may change: the VAT returns and the cash plan
are built after injection from the entries as altered.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies import error_docs as ed
from datasynth.generators.anomalies import process_moves
from datasynth.generators.accounts.catalog import GROUP_SUB_TYPES
from datasynth.generators.anomalies.context import RECONCILED, lines_of
from datasynth.generators.anomalies.error_docs import LineView
from datasynth.generators.anomalies.mutations import (
    safe_for_amounts,
    set_totals,
    swap_sides,
    transpose_digits,
)
from datasynth.generators.ledger.flows.postings import Block

# sub-types a wrong account may not move a line to or from: those reconciled to a subledger,
# and the accounts the treasury replays by number (the cash plan follows the operating
# account, the VAT return the VAT accounts), plus the suspense account (its own anomaly)
FIXED_SUB_TYPES = (*RECONCILED, "cash", "bank_clearing", "tax_receivable", "tax_payable",
                   "suspense", *GROUP_SUB_TYPES)
P_AND_L = ("revenue", "expense")
DAY = 86_400
WINDOW = 10         # a late posting lands in the first days of the next period


# ---- amounts ------------------------------------------------------------------------------
def _amount_pool(inj) -> tuple[np.ndarray, ed.Docs]:
    """Entries whose amounts may change: safe GL-only entries, and entries posting one
    invoice, payment or receipt that changes with them (error_docs.resizable)."""
    docs = ed.read_docs(inj)
    return safe_for_amounts(inj) | ed.resizable(inj, docs), docs


def _resize(inj, docs: ed.Docs, flat: np.ndarray, totals: np.ndarray) -> None:
    """Give each entry a new total: a GL entry, payment or receipt spread over its lines as
    before; an invoice as keyed with that gross (error_docs.set_invoice_total); documents
    follow."""
    table = docs.table[flat]
    invoice = np.isin(table, [ed.TABLES.index(ed.VI), ed.TABLES.index(ed.CI)])
    set_totals(inj, flat[~invoice], totals[~invoice])
    for f, total in zip(flat[invoice], totals[invoice]):
        ed.set_invoice_total(inj, docs, int(f), int(total))
    ed.sync_documents(inj, docs, flat[table >= 0])


def _label_altered(inj, docs: ed.Docs, anomaly: str, flat: np.ndarray,
                   impact: np.ndarray) -> None:
    """Label altered entries and flag and label their documents, one scheme each."""
    scheme = inj.new_schemes(len(flat))
    inj.label_entries(anomaly, flat, scheme, impact)
    ed.label_documents(inj, docs, flat, anomaly, scheme, impact)


def _pick_totals(inj, rng: np.random.Generator, eligible: np.ndarray, docs: ed.Docs,
                 count: int, new_totals) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick entries by the mix of kinds and give each ``new_totals(picked)``; an entry that
    cannot take its new total (the same amount, a line at zero) goes back and another is
    drawn. Returns the entries (sorted), their old and their new totals."""
    eligible = eligible.copy()
    weight = ed.kind_weight(inj, eligible)
    done, new_done = np.zeros(0, np.int64), np.zeros(0, np.int64)
    while len(done) < count:
        flat = inj.pick(rng, eligible, count - len(done), weight)
        if len(flat) == 0:
            break
        new = new_totals(flat)
        ok = (new != inj.amount[flat]) & ed.valid_totals(inj, docs, flat, new)
        inj.used[flat[~ok]] = False          # only looked at
        eligible[flat[~ok]] = False
        done, new_done = np.r_[done, flat[ok]], np.r_[new_done, new[ok]]
    order = np.argsort(done)
    done, new_done = done[order], new_done[order]
    return done, inj.amount[done].copy(), new_done


def decimal_shift(inj, rng: np.random.Generator, count: int) -> None:
    """An amount keyed with the decimal point in the wrong place: x10 or x100, or /10. On a
    GL entry, a service or customer invoice (the gross keyed, the tax computed back), a
    payment or a receipt (error_docs)."""
    eligible, docs = _amount_pool(inj)

    def shifted(flat: np.ndarray) -> np.ndarray:
        factor = rng.choice(np.array([10.0, 100.0, 0.1]), len(flat), p=[0.6, 0.2, 0.2])
        return np.maximum(np.rint(inj.amount[flat] * factor), 1).astype(np.int64)

    flat, old, new = _pick_totals(inj, rng, eligible & (inj.amount >= 1000), docs, count,
                                  shifted)
    if len(flat) == 0:
        return
    _resize(inj, docs, flat, new)
    _label_altered(inj, docs, "decimal_shift", flat, np.abs(new - old))


def reversed_sign(inj, rng: np.random.Generator, count: int) -> None:
    """Debits and credits of an entry swapped (the amount keyed with the wrong sign): each
    account moves by twice the amount the wrong way. An invoice so keyed is a credit memo in
    all but name (negative amounts on its document), a payment or receipt a refund."""
    eligible, docs = _amount_pool(inj)
    flat = inj.pick(rng, eligible, count, ed.kind_weight(inj, eligible))
    if len(flat) == 0:
        return
    swap_sides(inj, flat)
    ed.sync_documents(inj, docs, flat[docs.table[flat] >= 0])
    _label_altered(inj, docs, "reversed_sign", flat, 2 * inj.amount[flat])


def transposed_digits(inj, rng: np.random.Generator, count: int) -> None:
    """Two adjacent digits of the entry's total swapped (a keying slip: 1,524.00 for
    1,254.00), each side spread over its lines as before (an invoice: its gross, the tax
    computed back). An amount with no swappable pair (1,111.00) is put back in the pool."""
    eligible, docs = _amount_pool(inj)
    flat, old, new = _pick_totals(inj, rng, eligible & (inj.amount >= 10), docs, count,
                                  lambda f: transpose_digits(rng, inj.amount[f]))
    if len(flat) == 0:
        return
    _resize(inj, docs, flat, new)
    _label_altered(inj, docs, "transposed_digits", flat, np.abs(new - old))


def unbalanced_entry(inj, rng: np.random.Generator, count: int) -> None:
    """One line keyed with a different amount (two adjacent digits swapped, or one digit
    wrong), the other side left as it was: debits and credits differ. The ledger posts the
    difference to suspense (flows/company.py) as an ERP does, so the trial balance still
    balances; the journal shows the entry unbalanced. Any entry with a line on an account no
    subledger replays (an expense, revenue, VAT or bank line): its documents keep their
    amounts, the ledger line is what was keyed wrong."""
    view = ed.line_view(inj)
    fixed = np.isin(inj.books.chart.sub_types, (*RECONCILED, "suspense"))
    candidate = (view.amount > 0) & ~fixed[view.account]
    has = np.bincount(view.flat[candidate], minlength=len(inj)) > 0
    flat = inj.pick(rng, has, count, ed.kind_weight(inj, has))
    if len(flat) == 0:
        return
    line = _one_line_each(rng, view, candidate, flat)
    impact = np.zeros(len(flat), np.int64)
    for k, at in enumerate(line):
        b = inj.blocks[view.block[at]]
        side = b.debit if b.debit[view.pos[at]] > 0 else b.credit
        old = int(side[view.pos[at]])
        new = _miskeyed(rng, old)
        side[view.pos[at]] = new
        impact[k] = abs(new - old)
    inj.label_entries("unbalanced_entry", flat, inj.new_schemes(len(flat)), impact)


def _miskeyed(rng: np.random.Generator, amount: int) -> int:
    """``amount`` with two adjacent digits swapped, or else one digit one higher or lower;
    never the same, never zero."""
    swapped = int(transpose_digits(rng, np.array([amount]))[0])
    if swapped != amount:
        return swapped
    place = 10 ** int(rng.integers(0, len(str(amount))))
    return amount + place if amount - place <= 0 or rng.random() < 0.5 else amount - place


# ---- duplicates ---------------------------------------------------------------------------
def duplicate_entry(inj, rng: np.random.Generator, count: int) -> None:
    """A journal entry posted twice: the same user keys the same entry again later the same
    day or on the next (the next day as likely as its calendar weight says), with the same
    document date, accounts, amounts, cost centers and text, under a new reference number
    of the original's number range (``inj.first_ids``). Only the copy is labelled.

    A GL entry, or a service or customer invoice or a receipt entered twice: the copy
    carries a copy of its document under the new number (a vendor invoice keeps the
    vendor's reference and dates: the same paper keyed again), so the subledger holds the
    duplicate item the ledger posts, open (an invoice) or over-clearing its invoice (a
    receipt). Payments are left out: a payment made twice is the fraud type
    duplicate_payment. A GL original moves to an injected block of its own and the entry
    in place becomes the copy (labelled), so the fit to ``target_count``, which may drop
    unlabelled template entries, never drops the original of a duplicate; a document's
    entry is never dropped, so its copy is an injected block."""
    last_day = inj.books.end_day - 1
    room = (inj.posting_day < last_day) | (inj.seconds < DAY - 60)
    eligible, docs = _amount_pool(inj)
    copyable = (docs.table < 0) | np.isin(docs.table, [ed.TABLES.index(t)
                                                        for t in (ed.VI, ed.CI, ed.CR)])
    eligible &= copyable & room
    flat = inj.pick(rng, eligible, count, ed.kind_weight(inj, eligible))
    n = len(flat)
    if n == 0:
        return
    day, seconds = inj.posting_day[flat], inj.seconds[flat]
    weight = _day_weights(inj.books)
    w_same, w_next = 0.7 * weight(day), 0.3 * weight(day + 1)
    p_next = np.divide(w_next, w_same + w_next, out=np.zeros(n), where=w_same + w_next > 0)
    next_day = (rng.random(n) < p_next) & (day < last_day)
    later = seconds + rng.integers(120, 3 * 3600, n)          # keyed again hours later
    jitter = np.clip(seconds + rng.integers(-3600, 3600, n), 0, DAY - 1)
    new_day = np.where(next_day, day + 1, np.where((later >= DAY) & (day < last_day),
                                                   day + 1, day))
    new_seconds = np.where(next_day, jitter, np.where(
        later >= DAY, np.where(day < last_day, later - DAY, DAY - 1), later))
    references = np.array(_new_references(inj, flat), dtype=object)
    scheme = inj.new_schemes(n)
    gl = docs.table[flat] < 0
    if gl.any():
        f = flat[gl]
        inj.add_block(_copy_entries(inj, f))
        inj.set_entry(f, "posting_day", new_day[gl])
        inj.set_entry(f, "seconds", new_seconds[gl])
        _set_strings(inj, f, "reference_id", list(references[gl]))
        inj.label_entries("duplicate_entry", f, scheme[gl], inj.amount[f])
    if (~gl).any():
        f = flat[~gl]
        copies = _copy_entries(inj, f)
        copies.posting_day, copies.seconds = new_day[~gl], new_seconds[~gl]
        copies.reference_id = pa.array(list(references[~gl]), pa.string())
        copies.tables = ed.copy_documents(inj, docs, f, list(references[~gl]), new_day[~gl])
        impact = inj.amount[f]
        inj.label_block("duplicate_entry", inj.add_block(copies), scheme[~gl], impact)
        for name, doc in copies.tables.items():
            inj.label_rows("duplicate_entry", name, doc.columns[ed.KEY[name]], doc.day,
                           scheme[~gl][doc.entry], impact[doc.entry])


def _copy_entries(inj, flat: np.ndarray) -> Block:
    """A block holding an exact copy of each flat entry (lines included), unlabelled."""
    numbers = ("posting_day", "seconds", "document_day", "document_type", "process", "source",
               "creator", "reference_type")
    texts = ("header_text", "reference_id", "partner_id")
    line_fields = ("account", "debit", "credit", "cost_center")
    entry = {name: [] for name in numbers + texts}
    lines = {name: [] for name in ("line_entry", *line_fields)}
    for k, f in enumerate(flat):
        b, sl = inj.line_slice(int(f))
        e = int(inj.entry_of[f])
        for name in numbers:
            entry[name].append(int(np.asarray(getattr(b, name))[e]))
        for name in texts:
            entry[name].append(getattr(b, name)[e].as_py())
        lines["line_entry"].append(np.full(sl.stop - sl.start, k, np.int64))
        for name in line_fields:
            lines[name].append(np.array(getattr(b, name)[sl], np.int64))
    return Block(**{name: np.array(entry[name], np.int64) for name in numbers},
                 **{name: pa.array(entry[name], pa.string()) for name in texts},
                 **{name: np.concatenate(parts) for name, parts in lines.items()},
                 anomaly=np.full(len(flat), -1, np.int64))


def _new_references(inj, flat: np.ndarray) -> list[str]:
    """The next free number of each entry's reference range (``<prefix>-<company>-<8
    digits>``; GL for any other form), taken from ``inj.first_ids`` like every id. A range
    the flows numbered locally (interest, expense claims, payroll) starts after its highest
    number in the books."""
    code = inj.books.code
    out = []
    for f in flat:
        b = inj.blocks[inj.block_of[f]]
        old = b.reference_id[int(inj.entry_of[f])].as_py() or ""
        parts = old.split("-")
        prefix = parts[0] if (len(parts) == 3 and parts[1] == code and parts[2].isdigit()
                              and len(parts[2]) == 8) else "GL"
        if prefix not in inj.first_ids:
            inj.first_ids[prefix] = inj.highest_id(f"{prefix}-{code}-") + 1
        number = inj.first_ids[prefix]
        inj.first_ids[prefix] = number + 1
        out.append(f"{prefix}-{code}-{number:08d}")
    return out


# ---- dates --------------------------------------------------------------------------------
def wrong_period(inj, rng: np.random.Generator, count: int) -> None:
    """An entry posted to the next period: its posting date falls in the first ten days of
    the following month, on a day entries of its kind are posted (error_docs.borrow_days;
    the calendar's day weights where none is), its document date and time of day stay. A
    GL-only entry, or an entry whose documents move with it (an invoice, payment or
    receipt: process_moves), never past a document that follows its own (an invoice not
    after its payment, a payment not after its discount deadline)."""
    books = inj.books
    month = books.month_of(inj.posting_day)
    later = month + 1 < len(books.months)
    first_of = np.array([d.min() for d in books.month_days] + [books.end_day], np.int64)
    docs, posted = ed.read_docs(inj), process_moves.read(inj)
    latest = process_moves.latest_days(inj, posted)
    next_first = first_of[np.minimum(month + 1, len(books.months))]
    with_docs = ed.movable(inj, docs, ed.line_view(inj)) & (latest >= next_first)
    eligible = later & (safe_for_amounts(inj) | with_docs)
    flat = inj.pick(rng, eligible, count, ed.kind_weight(inj, eligible))
    if len(flat) == 0:
        return
    low = next_first[flat]
    high = np.minimum(low + WINDOW - 1, latest[flat])
    new_day = ed.borrow_days(inj, rng, flat, low, high)
    for k in np.flatnonzero(new_day < 0):
        new_day[k] = _draw_day(rng, books, int(month[flat[k]]) + 1, first=WINDOW,
                               latest=int(high[k]))
    old = inj.posting_day[flat].copy()
    scheme = inj.new_schemes(len(flat))
    inj.set_entry(flat, "posting_day", new_day)
    _follow(inj, docs, posted, flat, old, new_day, scheme, "wrong_period")
    inj.label_entries("wrong_period", flat, scheme, inj.amount[flat])


def backdated_entry(inj, rng: np.random.Generator, count: int) -> None:
    """An entry dated into an earlier, closed period: posting date moved back one month
    (60 %), two (30 %) or three (10 %), to a day entries of its kind are posted on
    (error_docs.borrow_days; the calendar's weights where none is), the document date moved
    back with it; never before the run starts. A GL-only entry, or a payment or receipt
    whose document moves with it (process_moves), never before what it clears. Invoices are
    left out: one month back would date them before their order, receipt or delivery."""
    books = inj.books
    month = books.month_of(inj.posting_day)
    lead = inj.posting_day - np.minimum(inj.document_day, inj.posting_day)
    first_of = np.array([d.min() for d in books.month_days], np.int64)
    last_of = np.array([d.max() for d in books.month_days], np.int64)
    docs, posted = ed.read_docs(inj), process_moves.read(inj)
    earliest = ed.clearing_earliest(inj, docs)
    with_docs = ed.movable(inj, docs, ed.line_view(inj)) & (earliest >= 0) \
        & (process_moves.latest_days(inj, posted) >= 0)
    low = np.maximum(books.start_day + lead, np.where(with_docs, earliest, 0))
    # the earlier month must have a day that keeps the documents' order and the run
    ok = (month >= 1) & (last_of[np.maximum(month - 1, 0)] >= low)
    eligible = ok & (safe_for_amounts(inj) | with_docs)
    flat = inj.pick(rng, eligible, count, ed.kind_weight(inj, eligible))
    if len(flat) == 0:
        return
    target = np.zeros(len(flat), np.int64)
    for k, f in enumerate(flat):
        m = int(month[f])
        back = min(int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1])), m)
        while back > 1 and last_of[m - back] < low[f]:
            back -= 1
        target[k] = m - back
    start = np.maximum(first_of[target], low[flat])
    new_day = ed.borrow_days(inj, rng, flat, start, last_of[target])
    for k in np.flatnonzero(new_day < 0):
        new_day[k] = _draw_day(rng, books, int(target[k]), earliest=int(start[k]))
    old = inj.posting_day[flat].copy()
    scheme = inj.new_schemes(len(flat))
    inj.set_entry(flat, "document_day", inj.document_day[flat] + new_day - old)
    inj.set_entry(flat, "posting_day", new_day)
    _follow(inj, docs, posted, flat, old, new_day, scheme, "backdated_entry")
    inj.label_entries("backdated_entry", flat, scheme, inj.amount[flat])


def _follow(inj, docs: ed.Docs, posted, flat: np.ndarray, old: np.ndarray, new: np.ndarray,
            scheme: np.ndarray, anomaly: str) -> None:
    """Move the documents of the moved entries that post any (process_moves.follow)."""
    has = docs.posted[flat] > 0
    if has.any():
        process_moves.follow(inj, posted, flat[has], old[has], new[has], scheme[has],
                             anomaly)


def _draw_day(rng: np.random.Generator, books, month: int, first: int | None = None,
              earliest: int | None = None, latest: int | None = None) -> int:
    """A day of run month ``month`` drawn by the calendar weights (only its first ``first``
    days, only days from ``earliest`` to ``latest``)."""
    days, weights = books.month_days[month], books.month_weights[month]
    keep = np.ones(len(days), bool)
    if first is not None:
        keep &= days < days.min() + first
    if earliest is not None:
        keep &= days >= earliest
    if latest is not None:
        keep &= days <= latest
    days, weights = days[keep], weights[keep]
    if weights.sum() <= 0:                          # only days the calendar weighs at zero
        weights = np.ones(len(days))
    return int(rng.choice(days, p=weights / weights.sum()))


def _day_weights(books):
    """Calendar weight of any day of the run (0 outside it)."""
    days = np.concatenate(books.month_days)
    weights = np.concatenate(books.month_weights)

    def weight(d: np.ndarray) -> np.ndarray:
        at = np.clip(np.searchsorted(days, d), 0, len(days) - 1)
        return np.where(days[at] == d, weights[at], 0.0)

    return weight


# ---- accounts and cost centers --------------------------------------------------------------
def wrong_account(inj, rng: np.random.Generator, count: int) -> None:
    """A line posted to another account of the same sub-type (one expense account for
    another, one accrual for another) that the entry does not already use, drawn by how
    often the books use each account, so the wrong account is an ordinary one (never a
    dormant one). Any entry with such a line (a GL journal's, an invoice's expense or
    revenue line, a receipt's discount): accounts reconciled to a subledger or replayed by
    the treasury (cash, VAT) and the suspense account are never moved to or from, and no
    document names the account of such a line (a purchase order's account is the order's;
    the posting is what went wrong), so documents stay as they are."""
    chart = inj.books.chart
    view = ed.line_view(inj)
    sub, sub_code = np.unique(chart.sub_types.astype(str), return_inverse=True)
    usage = np.bincount(view.account, minlength=len(chart)).astype(np.float64)
    movable = ~np.isin(chart.sub_types, FIXED_SUB_TYPES) & (usage > 0)
    # a line can move when its sub-type has a used account its entry does not use yet
    siblings = np.bincount(sub_code[movable], minlength=len(sub))[sub_code[view.account]]
    taken = _sub_type_accounts_in_entry(view, sub_code, movable[view.account])
    candidate = movable[view.account] & (siblings > taken) & (view.amount > 0)
    has = np.bincount(view.flat[candidate], minlength=len(inj)) > 0
    flat = inj.pick(rng, has, count, ed.kind_weight(inj, has))
    if len(flat) == 0:
        return
    line = _one_line_each(rng, view, candidate, flat)
    impact = view.amount[line]
    for f, at_line in zip(flat, line):
        b, sl = inj.line_slice(int(f))
        old = int(view.account[at_line])
        options = np.flatnonzero(movable & (sub_code == sub_code[old]))
        options = options[~np.isin(options, b.account[sl])]
        w = usage[options]
        b.account[view.pos[at_line]] = rng.choice(options, p=w / w.sum())
    inj.label_entries("wrong_account", flat, inj.new_schemes(len(flat)), impact)


def wrong_cost_center(inj, rng: np.random.Generator, count: int) -> None:
    """A line charged to another department's cost center, drawn by how often the lines of
    the entry's process use each cost center (all lines when the process uses no other
    department's). Any entry with a cost-center line: no subledger or document total
    replays cost centers, so entries that post documents are candidates too."""
    centers = _center_departments(inj.books)
    if len(centers) < 2:
        return
    view = ed.line_view(inj)
    other = centers[:, None] != centers[None, :]          # [from, to]: other department
    has_other = other.any(axis=1)
    candidate = (view.center >= 0) & np.isin(inj.books.chart.account_types,
                                             P_AND_L)[view.account]
    candidate[candidate] = has_other[view.center[candidate]]
    has = np.bincount(view.flat[candidate], minlength=len(inj)) > 0
    flat = inj.pick(rng, has, count, ed.kind_weight(inj, has))
    if len(flat) == 0:
        return
    used = view.center >= 0
    process = inj.process[view.flat[used]]
    n_proc = int(max(inj.process.max(), 0)) + 1
    usage = np.bincount(process * len(centers) + view.center[used],
                        minlength=n_proc * len(centers)).reshape(n_proc, len(centers))
    overall = usage.sum(axis=0).astype(np.float64)
    line = _one_line_each(rng, view, candidate, flat)
    for f, at_line in zip(flat, line):
        old = int(view.center[at_line])
        w = np.where(other[old], usage[inj.process[f]], 0).astype(np.float64)
        if w.sum() <= 0:
            w = np.where(other[old], overall, 0.0)
        if w.sum() <= 0:
            w = other[old].astype(np.float64)
        inj.blocks[view.block[at_line]].cost_center[view.pos[at_line]] = \
            rng.choice(len(centers), p=w / w.sum())
    inj.label_entries("wrong_cost_center", flat, inj.new_schemes(len(flat)),
                      view.amount[line])


def _sub_type_accounts_in_entry(view: LineView, sub_code: np.ndarray,
                                mask: np.ndarray) -> np.ndarray:
    """For each line where ``mask``, how many distinct accounts (of the lines where
    ``mask``) of its own account's sub-type its entry uses; 0 for the other lines."""
    size, n_sub = len(sub_code), int(sub_code.max()) + 1
    at = np.flatnonzero(mask)
    out = np.zeros(len(view.flat), np.int64)
    if len(at) == 0:
        return out
    # (entry, sub-type, account) of each masked line, sorted: lines are grouped by entry
    # already, so the stable sort only orders each entry's few lines
    group = view.flat[at] * n_sub + sub_code[view.account[at]]
    order = np.argsort(group * size + view.account[at], kind="stable")
    group, account = group[order], view.account[at][order]
    new_group = np.r_[True, group[1:] != group[:-1]]
    new_account = new_group | np.r_[True, account[1:] != account[:-1]]
    distinct = np.add.reduceat(new_account.astype(np.int64), np.flatnonzero(new_group))
    out[at[order]] = distinct[np.cumsum(new_group) - 1]
    return out


def _center_departments(books) -> np.ndarray:
    """The department of each cost center of the company: ids are
    ``CC-<company>-<department>[-<sub-center>]`` (master_data/cost_centers.py)."""
    ids = books.ledger.cost_center_ids.cast(pa.string()).to_pylist()
    prefix = f"CC-{books.code}-"
    return np.array([c[len(prefix):].split("-")[0] if c.startswith(prefix) else c
                     for c in ids], dtype=object)


# ---- missing fields -----------------------------------------------------------------------
def missing_field(inj, rng: np.random.Generator, count: int) -> None:
    """A required field left empty: the header text (half of the cases; an empty string,
    as the column is not nullable) or the cost center of a P&L line that carries one (the
    flows put one on every line of an account that requires it). Any entry, documents or
    not: neither field is replayed by a subledger. Entries are drawn by the mix of kinds
    first; which field goes is drawn after (a payment has no cost center to lose, so an
    entry with both loses its cost center a little more often to keep the halves even)."""
    view = ed.line_view(inj)
    account_type = inj.books.chart.account_types
    center_line = (view.center >= 0) & np.isin(account_type, P_AND_L)[view.account]
    has_center = np.bincount(view.flat[center_line], minlength=len(inj)) > 0
    has_text = _has_header_text(inj)
    eligible = has_text | has_center
    flat = inj.pick(rng, eligible, count, ed.kind_weight(inj, eligible))
    if len(flat) == 0:
        return
    only_center = has_center[flat] & ~has_text[flat]
    both = has_center[flat] & has_text[flat]
    share = np.clip((0.5 * len(flat) - only_center.sum()) / max(both.sum(), 1), 0.0, 1.0)
    center = only_center | (both & (rng.random(len(flat)) < share))
    first, second = flat[~center], flat[center]
    if len(first):
        _set_strings(inj, first, "header_text", [""] * len(first))
        inj.label_entries("missing_field", first, inj.new_schemes(len(first)))
    if len(second):
        line = _one_line_each(rng, view, center_line, second)
        for at_line in line:
            inj.blocks[view.block[at_line]].cost_center[view.pos[at_line]] = -1
        inj.label_entries("missing_field", second, inj.new_schemes(len(second)))


def _has_header_text(inj) -> np.ndarray:
    """Per flat entry: its header text is not empty."""
    parts = []
    for i, b in enumerate(inj.blocks[:int(inj.block_of.max()) + 1] if len(inj) else []):
        if i == 0:
            continue
        text = b.header_text.cast(pa.string())
        parts.append(pc.fill_null(pc.greater(pc.utf8_length(text), 0), False)
                     .to_numpy(zero_copy_only=False))
    return np.concatenate(parts) if parts else np.zeros(0, bool)


# ---- shared helpers -----------------------------------------------------------------------
def _one_line_each(rng: np.random.Generator, view: LineView, candidate: np.ndarray,
                   flat: np.ndarray) -> np.ndarray:
    """For each of the (sorted) flat entries, one of its candidate lines at random (indices
    into the view)."""
    lines, _ = lines_of(view.flat, np.unique(flat))
    idx = lines[candidate[lines]]
    order = np.lexsort((rng.random(len(idx)), view.flat[idx]))
    idx = idx[order]
    first = np.r_[True, view.flat[idx][1:] != view.flat[idx][:-1]]
    return idx[first]


def _set_strings(inj, flat: np.ndarray, name: str, values: list[str]) -> None:
    """Set a string field (``header_text``, ``reference_id``) of flat entries."""
    flat = np.asarray(flat, np.int64)
    values = np.asarray(values, dtype=object)
    for block_index in np.unique(inj.block_of[flat]):
        mask = inj.block_of[flat] == block_index
        b = inj.blocks[block_index]
        at = inj.entry_of[flat[mask]]
        order = np.argsort(at)                      # replacements in row order
        where = np.zeros(len(b), bool)
        where[at] = True
        setattr(b, name, pc.replace_with_mask(getattr(b, name).cast(pa.string()),
                                              pa.array(where),
                                              pa.array(values[mask][order], pa.string())))


INJECTORS = {
    "duplicate_entry": duplicate_entry,
    "reversed_sign": reversed_sign,
    "transposed_digits": transposed_digits,
    "decimal_shift": decimal_shift,
    "wrong_period": wrong_period,
    "wrong_account": wrong_account,
    "wrong_cost_center": wrong_cost_center,
    "backdated_entry": backdated_entry,
    "missing_field": missing_field,
    "unbalanced_entry": unbalanced_entry,
}
