"""The documents behind the entries an error alters, and the kinds of entry errors fall on.

Keying errors happen wherever people key: an AP clerk keys a vendor invoice wrongly, a
billing clerk a customer invoice, a cashier a payment, as often as an accountant a GL
journal. So the error types draw their targets from every kind of entry (document type,
business process, source, reference type) in proportion to how common the kind is in the
books (:func:`kind_weight`), as far as the kind has entries the error can alter coherently;
an injector that picked only GL journals would be told apart by the kind of entry alone.

An entry that posts a document changes together with it, as in an ERP where the posting is
the document's: the subledgers are replayed from the documents and compared with their
control accounts at every period end. What keeps them equal:

* an invoice keyed with another gross amount (vendor invoice for services: expense, input
  VAT, payables; customer invoice: receivables, revenue, output VAT; cost of sales posts
  in the delivery's own entry) gets the new gross on its control line and on the document,
  the tax computed back from the gross at the invoice's rate (net + tax = gross exactly,
  as an ERP computes tax on a gross entry). The payments already made for the original
  amount stay, so the invoice is left under- or over-paid: gross - cleared = open;
* a payment or receipt keyed with another amount clears that amount: its document's cleared,
  discount, write-off and paid/received amounts are read back from the entry's lines;
* a stock invoice (GR/IR, price variance), an asset purchase (the fixed-asset subledger
  replays the acquisition), an opening item, a credit memo, a document that clears or is
  cleared by several, and a document another anomaly altered are never resized.

Loops run over the picked entries only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa

from datasynth.generators.anomalies.context import (
    GOODS,
    RECONCILED,
    FlatLines,
    read_only,
)
from datasynth.generators.anomalies.process_docs import (
    Rows,
    cached,
    flag,
    gather,
    lookup,
    set_values,
    take,
)
from datasynth.generators.ledger.flows.common import scale_to_total
from datasynth.generators.ledger.flows.postings import Block, DocTable

VI, CI, VP, CR = "vendor_invoices", "customer_invoices", "vendor_payments", "customer_receipts"
TABLES = (VI, CI, VP, CR)
KEY = {VI: "invoice_id", CI: "invoice_id", VP: "payment_id", CR: "receipt_id"}
INVOICES = {VI: (VP, "payables", "tax_receivable", "expense"),
            CI: (CR, "receivables", "tax_payable", "revenue")}
CLEARINGS = {VP: (VI, "payables"), CR: (CI, "receivables")}
CUSTOMER_DISCOUNT = 420000      # cash discount granted (flows/o2c.py)
MOVABLE_CONTROLS = ("payables", "receivables", "grir_clearing")


# ---- kinds of entry ---------------------------------------------------------------------------
KIND_FIELDS = ("document_type", "process", "source", "reference_type")


def kinds(inj) -> np.ndarray:
    """Per flat entry, a code of its kind: document type, business process, source and
    reference type."""
    return inj.memo("kinds", inj.fields(*KIND_FIELDS), lambda: read_only(
        ((inj.document_type * 8 + inj.process) * 8 + inj.source) * 64 + inj.reference_type))


def _kind_shares(inj) -> tuple[np.ndarray, np.ndarray]:
    """Per flat entry, the rank of its kind among the kinds of the books; per kind, its
    share of all entries."""
    key = kinds(inj)

    def build() -> tuple[np.ndarray, np.ndarray]:
        if len(key) == 0:
            return np.zeros(0, np.int64), np.zeros(0)
        low = int(key.min())                     # kinds are small numbers: rank by a table
        present = np.zeros(int(key.max()) - low + 1, bool)
        present[key - low] = True
        code = (np.cumsum(present) - 1)[key - low]
        share = np.bincount(code, minlength=int(code.max()) + 1) / max(len(code), 1)
        return read_only(code), read_only(share)

    return inj.memo("kind_shares", (key,), build)


def kind_weight(inj, eligible: np.ndarray) -> np.ndarray:
    """Weights for ``inj.pick`` under which the picks from ``eligible`` (unused) entries
    follow the books' mix of kinds: each kind gets its share of all entries, spread evenly
    over its eligible entries; kinds without any keep none (0 outside ``eligible``)."""
    code, share = _kind_shares(inj)
    pool = eligible & ~inj.used
    avail = np.bincount(code[pool], minlength=len(share))
    w = share[code] / np.maximum(avail[code], 1)
    return np.where(pool, w, 0.0)


def borrow_days(inj, rng: np.random.Generator, flat: np.ndarray, low: np.ndarray,
                high: np.ndarray) -> np.ndarray:
    """For each flat entry, the posting day of a random entry of its own kind posted between
    ``low`` and ``high`` (inclusive), so a moved entry lands on a day its kind is posted on
    (payment runs on working days, GL journals as the calendar has them); -1 where its kind
    has no entry in the window."""
    code, _ = _kind_shares(inj)
    day = inj.posting_day
    if len(day) == 0:
        return np.full(len(flat), -1, np.int64)
    # the entries in order of kind and posting day, counted per (kind, day) cell: a window
    # of one kind's days is a range of that order
    first, days = int(day.min()), int(day.max()) - int(day.min()) + 1
    before = np.r_[0, np.cumsum(np.bincount(code * days + (day - first),
                                            minlength=(int(code.max()) + 1) * days))]
    cell = code[flat] * days
    lo = before[cell + np.clip(np.asarray(low, np.int64) - first, 0, days)]
    hi = before[cell + np.clip(np.minimum(high, first + days - 1) - first + 1, 0, days)]
    at = lo + np.floor(rng.random(len(flat)) * (hi - lo)).astype(np.int64)
    # the day of the entry at position ``at`` of that order
    found = np.searchsorted(before, np.minimum(at, len(day) - 1), side="right") - 1
    return np.where(hi > lo, first + found % days, -1)


# ---- lines ------------------------------------------------------------------------------------
@dataclass
class LineView:
    """Every line of the indexed blocks: its flat entry, account and cost center; its block,
    position in the block's lines and amount (debit or credit) on demand."""

    flat: np.ndarray
    account: np.ndarray
    center: np.ndarray
    lines: FlatLines

    @property
    def block(self) -> np.ndarray:
        return self.lines.block

    @property
    def pos(self) -> np.ndarray:
        return self.lines.pos

    @cached_property
    def amount(self) -> np.ndarray:
        """As the lines have it at the first use."""
        return self.lines.debit + self.lines.credit


def line_view(inj) -> LineView:
    """The lines as they are now (``Injection.flat_lines``: the arrays follow later changes
    to the blocks)."""
    lines = inj.flat_lines()
    return LineView(lines.flat, lines.account, lines.center, lines)


def _per_entry(inj, view: LineView, mask: np.ndarray) -> np.ndarray:
    """Per flat entry, how many of its lines are in ``mask``."""
    return np.bincount(view.flat[mask], minlength=len(inj))


# ---- the documents entries post ---------------------------------------------------------------
@dataclass
class Docs:
    """The four tables whose rows an entry posts, and per flat entry the one row it posts
    (``table``: index into TABLES, -1 for none or several; ``row``: position in its Rows)."""

    rows: dict[str, Rows]
    table: np.ndarray
    row: np.ndarray
    posted: np.ndarray          # per flat entry: document rows it posts, in any table
    in_posted: np.ndarray       # ... of them in TABLES (= process_moves.POSTED)


def read_docs(inj) -> Docs:
    rows = {
        VI: gather(inj, VI, strings=("invoice_id", "invoice_type"),
                   money=("price_variance",), plain=("is_opening",)),
        CI: gather(inj, CI, strings=("invoice_id", "invoice_type"), plain=("is_opening",)),
        VP: gather(inj, VP, strings=("payment_id", "invoice_id"), money=("cleared_amount",)),
        CR: gather(inj, CR, strings=("receipt_id", "invoice_id"), money=("cleared_amount",))}
    n = len(inj)
    posted = _posted(inj)
    table, row = np.full(n, -1, np.int64), np.full(n, -1, np.int64)
    in_posted = np.zeros(n, np.int64)
    for t, name in enumerate(TABLES):
        r = rows[name]
        mine = np.flatnonzero(r.entry >= 0)
        in_posted += np.bincount(r.entry[mine], minlength=n)
        table[r.entry[mine]], row[r.entry[mine]] = t, mine
    single = posted == 1
    table[~single], row[~single] = -1, -1
    return Docs(rows, table, row, posted, in_posted)


def _posted(inj) -> np.ndarray:
    """Per flat entry, how many document rows it posts (in any table)."""
    docs = [(b, doc) for b in inj.in_view for doc in inj.blocks[b].tables.values()
            if isinstance(doc, DocTable) and doc.entry is not None]

    def build() -> np.ndarray:
        posted = np.zeros(len(inj), np.int64)
        for b, doc in docs:
            start, size = int(inj.start_of[b]), len(inj.blocks[b])
            posted[start:start + size] += np.bincount(np.asarray(doc.entry, np.int64),
                                                      minlength=size)
        return read_only(posted)

    return inj.memo("posted", tuple(doc.entry for _, doc in docs), build)


def resizable(inj, docs: Docs) -> np.ndarray:
    """Per flat entry: it posts one invoice or clearing row whose amounts may change with
    the entry (module docstring): an unaltered invoice (not a credit memo nor an opening item,
    no price variance, no altered clearing) of one control line plus tax and P&L lines on
    their own side; or a payment or receipt of one control line, clearing an unaltered
    invoice."""
    ok = np.zeros(len(inj), bool)
    for name, (clearing, _, _, _) in INVOICES.items():
        r, c = docs.rows[name], docs.rows[clearing]
        good = r.equals("invoice_type", "invoice") & ~r["is_opening"].astype(bool) & ~r.flagged
        if name == VI:
            good &= r["price_variance"] == 0
        altered = lookup(c.strings("invoice_id").filter(c.flagged), r.strings("invoice_id")) >= 0
        _mark(ok, docs, name, r, good & ~altered)
    for name, (invoices, _) in CLEARINGS.items():
        r, i = docs.rows[name], docs.rows[invoices]
        invoice = cached(inj, lookup, i, "invoice_id", r, "invoice_id")
        _mark(ok, docs, name, r, ~r.flagged & (invoice >= 0) & ~take(i.flagged, invoice, True))
    fits, = inj.entry_facts("resizable lines", _lines_fit(inj.books.chart, docs.table),
                            key=docs.table)
    return ok & fits & (inj.amount > 0)


def _lines_fit(chart, table: np.ndarray):
    """``derive`` (``Injection.entry_facts``) of whether an entry's lines fit the single
    invoice or clearing row it posts (``table``: per entry, the table of that row): an
    invoice of one control line on the document's side, at most one tax line and P&L lines
    on the other side; a payment or receipt of one control line and no other reconciled
    line."""
    sub, kind = chart.sub_types, chart.account_types
    reconciled = np.isin(sub, RECONCILED)

    def derive(flat, account, debit, credit, n) -> tuple[np.ndarray]:
        fit = np.zeros(n, bool)
        table_of_line = table[flat]
        for name, (_, control, tax, pnl) in INVOICES.items():
            at = np.flatnonzero(table_of_line == TABLES.index(name))
            acc, side = account[at], debit[at]
            # the control line on the document's side, the rest on the other side
            control_side = side if name == CI else ~side
            is_control, is_tax = (sub == control)[acc], (sub == tax)[acc]
            line_ok = np.where(is_control, control_side,
                               (is_tax | ((kind == pnl) & ~reconciled)[acc]) & ~control_side)
            entry, (bad, controls, taxes) = _count_lines(flat[at], ~line_ok, is_control,
                                                         is_tax)
            fit[entry] = (bad == 0) & (controls == 1) & (taxes <= 1)
        for name, (_, control) in CLEARINGS.items():
            at = np.flatnonzero(table_of_line == TABLES.index(name))
            is_control = (sub == control)[account[at]]
            entry, (bad, controls) = _count_lines(flat[at], reconciled[account[at]]
                                                  & ~is_control, is_control)
            fit[entry] = (bad == 0) & (controls == 1)
        return (fit,)

    return derive


def _count_lines(entry: np.ndarray, *masks: np.ndarray) -> tuple[np.ndarray, list]:
    """For lines grouped by entry: the entries, and per mask how many of each one's lines
    are in it."""
    if len(entry) == 0:
        return entry, [np.zeros(0, np.int64) for _ in masks]
    first = np.flatnonzero(np.r_[True, entry[1:] != entry[:-1]])
    return entry[first], [np.add.reduceat(m.astype(np.int64), first) for m in masks]


def _is(docs: Docs, name: str) -> np.ndarray:
    return docs.table == TABLES.index(name)


def _mark(ok: np.ndarray, docs: Docs, name: str, rows: Rows, good: np.ndarray) -> None:
    """Set ``ok`` for the entries whose single row is one of ``rows`` where ``good``."""
    mine = np.flatnonzero(_is(docs, name))
    ok[mine] = good[docs.row[mine]]


def valid_totals(inj, docs: Docs, flat: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Whether each entry can take its new total with no line at zero: every line of a side
    keeps at least one minor unit; an invoice's tax computed back from the gross stays
    positive where it had tax."""
    out = np.zeros(len(flat), bool)
    vat = inj.books.vat
    for k, (f, total) in enumerate(zip(flat, totals)):
        b, sl = inj.line_slice(int(f))
        debit, credit = b.debit[sl] > 0, b.credit[sl] > 0
        t = docs.table[f]
        if t >= 0 and TABLES[t] in INVOICES:
            tax_lines, rest = _invoice_lines(inj, TABLES[t], b, sl)
            net = int(np.rint(total / (1 + vat))) if tax_lines.any() else int(total)
            out[k] = net >= rest.sum() and (not tax_lines.any() or total - net >= 1)
        else:
            out[k] = total >= max(debit.sum(), credit.sum(), 1)
    return out


def _invoice_lines(inj, name: str, b: Block, sl: slice) -> tuple[np.ndarray, np.ndarray]:
    """The tax lines and the P&L lines (masks over the slice) of an invoice entry."""
    _, control, tax, _ = INVOICES[name]
    sub = inj.books.chart.sub_types.astype(str)[b.account[sl]]
    return sub == tax, (sub != tax) & (sub != control)


def set_invoice_total(inj, docs: Docs, flat: int, total: int) -> None:
    """An invoice keyed with gross ``total``: the control line takes it, the tax is computed
    back from the gross at the books' rate (the rate the invoice was taxed at) and the P&L
    lines share the net as they shared the old one."""
    name = TABLES[docs.table[flat]]
    b, sl = inj.line_slice(int(flat))
    tax_lines, rest = _invoice_lines(inj, name, b, sl)
    control = ~tax_lines & ~rest
    has_tax = tax_lines.any()
    net = int(np.rint(total / (1 + inj.books.vat))) if has_tax else int(total)
    gross_side, other_side = (b.debit, b.credit) if name == CI else (b.credit, b.debit)
    g, o = gross_side[sl].copy(), other_side[sl].copy()
    g[control] = total
    o[tax_lines] = 0
    o[np.flatnonzero(tax_lines)[:1]] = total - net
    o[rest] = scale_to_total(o[rest].astype(np.float64), net)
    gross_side[sl], other_side[sl] = g, o
    inj.amount[flat] = total


def sync_documents(inj, docs: Docs, flat: np.ndarray) -> dict[str, np.ndarray]:
    """Read the amounts of each entry's document row back from its lines (signed, so a
    reversed entry gives negative amounts); returns the positions written per table."""
    chart = inj.books.chart
    sub = chart.sub_types.astype(str)
    discount_account = inj.books.account(CUSTOMER_DISCOUNT)
    values: dict[str, dict[str, list[int]]] = {name: {} for name in TABLES}
    at: dict[str, list[int]] = {name: [] for name in TABLES}
    for f in np.asarray(flat, np.int64):
        name = TABLES[docs.table[f]]
        b, sl = inj.line_slice(int(f))
        s = sub[b.account[sl]]
        signed = b.debit[sl].astype(np.int64) - b.credit[sl].astype(np.int64)
        cash = s == "cash"
        if name in INVOICES:
            _, control, tax_sub, _ = INVOICES[name]
            sign = 1 if name == CI else -1            # a customer invoice debits its control
            gross = sign * int(signed[s == control].sum())
            tax = -sign * int(signed[s == tax_sub].sum())
            row = {"net_amount": gross - tax, "tax_amount": tax, "gross_amount": gross}
        elif name == VP:
            cleared = int(signed[s == "payables"].sum())
            paid = -int(signed[cash].sum())
            row = {"cleared_amount": cleared, "discount_amount": cleared - paid,
                   "paid_amount": paid}
        else:
            cleared = -int(signed[s == "receivables"].sum())
            received = int(signed[cash].sum())
            discount = int(signed[b.account[sl] == discount_account].sum())
            row = {"cleared_amount": cleared, "discount_amount": discount,
                   "write_off_amount": cleared - received - discount,
                   "received_amount": received}
        at[name].append(int(docs.row[f]))
        for column, v in row.items():
            values[name].setdefault(column, []).append(v)
    out = {}
    for name in TABLES:
        if not at[name]:
            continue
        which = np.array(at[name], np.int64)
        for column, v in values[name].items():
            set_values(inj, name, docs.rows[name], which, column, np.array(v, np.int64))
        out[name] = which
    return out


def label_documents(inj, docs: Docs, flat: np.ndarray, anomaly: str, scheme: np.ndarray,
                    impact: np.ndarray) -> None:
    """Flag and label the document row of each flat entry (those that post one), under the
    entry's scheme."""
    flat = np.asarray(flat, np.int64)
    scheme = np.broadcast_to(np.asarray(scheme, np.int64), flat.shape)
    impact = np.broadcast_to(np.asarray(impact, np.int64), flat.shape)
    for t, name in enumerate(TABLES):
        mine = docs.table[flat] == t
        if not mine.any():
            continue
        which = docs.row[flat[mine]]
        r = docs.rows[name]
        flag(inj, name, r, which, anomaly)
        inj.label_rows(anomaly, name, r.strings(KEY[name]).take(which),
                       r["day"][which], scheme[mine], impact[mine])


# ---- copies of documents (a duplicate posting) -----------------------------------------------
def copy_documents(inj, docs: Docs, flat: np.ndarray, ids: list[str],
                   new_day: np.ndarray) -> dict[str, DocTable]:
    """The document rows of a duplicate posting of each flat entry (positions 0.. in the
    order of ``flat``, which the copies' block keeps): the row of the original with the new
    id, posted on ``new_day``. A vendor invoice keeps the vendor's reference, invoice date
    and terms (the same paper entered twice); a customer invoice's due date and a receipt's
    days late count from the new posting."""
    from datasynth.generators.anomalies.context import doc_flags
    from datasynth.generators.common.arrow import dates

    out: dict[str, DocTable] = {}
    flat = np.asarray(flat, np.int64)
    for t, name in enumerate(TABLES):
        mine = np.flatnonzero(docs.table[flat] == t)
        if len(mine) == 0:
            continue
        r = docs.rows[name]
        which = docs.row[flat[mine]]
        parts, plain = [], {}
        for k in which:
            b = int(r.block[k])
            if b not in plain:                      # decode each block's columns once
                plain[b] = {c: _plain(a) for c, a in inj.blocks[b].tables[name].columns.items()}
            parts.append({c: a.slice(int(r.row[k]), 1) for c, a in plain[b].items()})
        columns = {c: pa.concat_arrays([p[c] for p in parts]) for c in parts[0]}
        day = np.asarray(new_day, np.int64)[mine]
        shift = day - r["day"][which]
        columns[KEY[name]] = pa.array([ids[i] for i in mine], pa.string())
        if name == VI:
            columns["posting_date"] = dates(day)
        elif name == CI:
            columns["invoice_date"] = dates(day)
            columns["due_date"] = _shifted(columns["due_date"], shift)
        elif name == CR:
            columns["receipt_date"] = dates(day)
            late = np.asarray(columns["days_late"].to_numpy(zero_copy_only=False), np.int64)
            columns["days_late"] = pa.array(np.clip(late + shift, -32768, 32767)
                                            .astype(np.int16))
        columns.update(doc_flags("duplicate_entry", len(mine)))
        out[name] = DocTable(columns, entry=mine.astype(np.int64), day=day)
    return out


def _plain(array) -> pa.Array:
    """A contiguous array with dictionaries decoded (copies from several blocks concatenate;
    the schema cast on writing encodes them again)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    return array


def _shifted(column: pa.Array, shift: np.ndarray) -> pa.Array:
    days = np.asarray(column.cast(pa.int32()).to_numpy(zero_copy_only=False), np.int64)
    return pa.array((days + shift).astype(np.int32)).cast(pa.date32())


# ---- date moves ---------------------------------------------------------------------------------
def movable(inj, docs: Docs, view: LineView) -> np.ndarray:
    """Per flat entry: it posts documents, all of them in the tables whose date follows the
    entry (process_moves.POSTED: invoices, payments, receipts), and touches no subledger
    that other documents replay (stock, fixed assets: a goods movement or an asset purchase
    keeps its date); its documents move with it, so the AP and AR subledgers follow."""
    sub = inj.books.chart.sub_types
    other = (np.isin(sub, RECONCILED) & ~np.isin(sub, MOVABLE_CONTROLS))[view.account]
    return (docs.posted > 0) & (docs.posted == docs.in_posted) \
        & (_per_entry(inj, view, other) == 0) & ~np.isin(inj.document_type, GOODS)


def clearing_earliest(inj, docs: Docs) -> np.ndarray:
    """Per flat entry that posts only payments or receipts, the first day it may be posted
    on: not before any document it clears (an invoice, or a credit memo it nets), nor before
    the run; other entries get -1 (no such limit known, so never moved back)."""
    n = len(inj)
    earliest = np.full(n, -1, np.int64)
    only = np.zeros(n, np.int64)
    for name, (invoices, _) in CLEARINGS.items():
        r, i = docs.rows[name], docs.rows[invoices]
        mine = np.flatnonzero(r.entry >= 0)
        at = cached(inj, lookup, i, "invoice_id", r, "invoice_id")[mine]
        day = np.where(at >= 0, np.maximum(take(i["day"], at, -1), inj.books.start_day),
                       np.iinfo(np.int64).max)       # an unknown document: never
        np.maximum.at(earliest, r.entry[mine], day)
        only += np.bincount(r.entry[mine], minlength=n)
    return np.where((only > 0) & (only == docs.posted), earliest, -1)

