"""Errors: honest mistakes in the books (domain study §8.1 ErrorType). Each keeps the entry
balanced except ``unbalanced_entry``.

Amounts, accounts and dates change only on "safe" entries (mutations.safe_for_amounts: no
document posts them and no line is on an account a subledger or a position check replays),
because a subledger is replayed from its documents and every period-end reconciliation
compares it with the ledger: an error there would have to change the documents too. What no
subledger replays widens the pool: a cost center or a header text may be wrong on any entry,
documents or not. Cash and VAT lines may change: the VAT returns and the cash plan are built
after injection from the entries as altered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.context import RECONCILED
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
                   "suspense")
P_AND_L = ("revenue", "expense")
DAY = 86_400


# ---- amounts ------------------------------------------------------------------------------
def decimal_shift(inj, rng: np.random.Generator, count: int) -> None:
    """An amount keyed with the decimal point in the wrong place: x10 or x100, or /10.
    Safe entries only."""
    flat = inj.pick(rng, safe_for_amounts(inj) & (inj.amount >= 1000), count)
    if len(flat) == 0:
        return
    factor = rng.choice(np.array([10.0, 100.0, 0.1]), len(flat), p=[0.6, 0.2, 0.2])
    old = inj.amount[flat].copy()
    new = np.maximum(np.rint(old * factor), 1).astype(np.int64)
    set_totals(inj, flat, new)
    inj.label_entries("decimal_shift", flat, inj.new_schemes(len(flat)), np.abs(new - old))


def reversed_sign(inj, rng: np.random.Generator, count: int) -> None:
    """Debits and credits of an entry swapped (the amount keyed with the wrong sign): each
    account moves by twice the amount the wrong way. Safe entries only."""
    flat = inj.pick(rng, safe_for_amounts(inj), count)
    if len(flat) == 0:
        return
    swap_sides(inj, flat)
    inj.label_entries("reversed_sign", flat, inj.new_schemes(len(flat)), 2 * inj.amount[flat])


def transposed_digits(inj, rng: np.random.Generator, count: int) -> None:
    """Two adjacent digits of the entry's total swapped (a keying slip: 1,524.00 for
    1,254.00), each side spread over its lines as before. Safe entries only; an amount with
    no swappable pair (1,111.00) is put back in the pool."""
    eligible = safe_for_amounts(inj) & (inj.amount >= 10)
    done = np.zeros(0, np.int64)
    new_done = np.zeros(0, np.int64)
    while len(done) < count:
        flat = inj.pick(rng, eligible, count - len(done))
        if len(flat) == 0:
            break
        new = transpose_digits(rng, inj.amount[flat])
        changed = new != inj.amount[flat]
        inj.used[flat[~changed]] = False          # only looked at
        eligible[flat[~changed]] = False
        done, new_done = np.r_[done, flat[changed]], np.r_[new_done, new[changed]]
    if len(done) == 0:
        return
    order = np.argsort(done)
    done, new_done = done[order], new_done[order]
    old = inj.amount[done].copy()
    set_totals(inj, done, new_done)
    inj.label_entries("transposed_digits", done, inj.new_schemes(len(done)),
                      np.abs(new_done - old))


def unbalanced_entry(inj, rng: np.random.Generator, count: int) -> None:
    """One line keyed with a different amount (two adjacent digits swapped, or one digit
    wrong), the other side left as it was: debits and credits differ. The ledger posts the
    difference to suspense (flows/company.py) as an ERP does, so the trial balance still
    balances; the journal shows the entry unbalanced. Safe entries only."""
    flat = inj.pick(rng, safe_for_amounts(inj), count)
    if len(flat) == 0:
        return
    view = _line_view(inj)
    line = _one_line_each(rng, view, view.amount > 0, flat)
    impact = np.zeros(len(flat), np.int64)
    for k, (f, at) in enumerate(zip(flat, line)):
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

    GL-only entries (safe entries): a second posting of a document's entry would post its
    receivable, payable or stock twice with one document behind them. The original moves to
    an injected block of its own and the entry in place becomes the copy (labelled), so the
    fit to ``target_count``, which may drop unlabelled template entries, never drops the
    original of a duplicate."""
    last_day = inj.books.end_day - 1
    room = (inj.posting_day < last_day) | (inj.seconds < DAY - 60)
    flat = inj.pick(rng, safe_for_amounts(inj) & room, count)
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
    originals = _copy_entries(inj, flat)
    references = _new_references(inj, flat)
    inj.add_block(originals)
    inj.set_entry(flat, "posting_day", new_day)
    inj.set_entry(flat, "seconds", new_seconds)
    _set_strings(inj, flat, "reference_id", references)
    inj.label_entries("duplicate_entry", flat, inj.new_schemes(n), inj.amount[flat])


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
            inj.first_ids[prefix] = _highest(inj.blocks, f"{prefix}-{code}-") + 1
        number = inj.first_ids[prefix]
        inj.first_ids[prefix] = number + 1
        out.append(f"{prefix}-{code}-{number:08d}")
    return out


def _highest(blocks: list[Block], prefix: str) -> int:
    """The highest number of the ids starting with ``prefix`` in the blocks (0 if none)."""
    best = 0
    for b in blocks:
        ids = b.reference_id.cast(pa.string())
        match = ids.filter(pc.fill_null(pc.starts_with(ids, prefix), False))
        if len(match):
            numbers = pc.cast(pc.utf8_slice_codeunits(match, len(prefix)), pa.int64())
            best = max(best, int(pc.max(numbers).as_py()))
    return best


# ---- dates --------------------------------------------------------------------------------
def wrong_period(inj, rng: np.random.Generator, count: int) -> None:
    """An entry posted to the next period: its posting date falls in the first ten days of
    the following month (a late posting across the period end, drawn by the calendar's day
    weights), its document date and time of day stay. Safe entries only: a moved entry on a
    reconciled account would break that month's subledger reconciliation."""
    books = inj.books
    month = books.month_of(inj.posting_day)
    flat = inj.pick(rng, safe_for_amounts(inj) & (month + 1 < len(books.months)), count)
    if len(flat) == 0:
        return
    new_day = np.array([_draw_day(rng, books, int(m) + 1, first=10)
                        for m in books.month_of(inj.posting_day[flat])], np.int64)
    inj.set_entry(flat, "posting_day", new_day)
    inj.label_entries("wrong_period", flat, inj.new_schemes(len(flat)), inj.amount[flat])


def backdated_entry(inj, rng: np.random.Generator, count: int) -> None:
    """An entry dated into an earlier, closed period: posting date moved back one month
    (60 %), two (30 %) or three (10 %), to a day drawn by the calendar's day weights (they
    peak at the period end), the document date moved back with it; never before the run
    starts. Safe entries only (as for wrong_period)."""
    books = inj.books
    month = books.month_of(inj.posting_day)
    lead = inj.posting_day - np.minimum(inj.document_day, inj.posting_day)
    # the earlier month must have a day that keeps the document date inside the run
    last_of = np.array([d.max() for d in books.month_days])
    ok = (month >= 1) & (last_of[np.maximum(month - 1, 0)] - lead >= books.start_day)
    flat = inj.pick(rng, safe_for_amounts(inj) & ok, count)
    if len(flat) == 0:
        return
    new_day = np.zeros(len(flat), np.int64)
    for k, f in enumerate(flat):
        m = int(month[f])
        back = min(int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1])), m)
        while back > 1 and last_of[m - back] - lead[f] < books.start_day:
            back -= 1
        new_day[k] = _draw_day(rng, books, m - back, earliest=books.start_day + lead[f])
    shift = new_day - inj.posting_day[flat]
    inj.set_entry(flat, "document_day", inj.document_day[flat] + shift)
    inj.set_entry(flat, "posting_day", new_day)
    inj.label_entries("backdated_entry", flat, inj.new_schemes(len(flat)), inj.amount[flat])


def _draw_day(rng: np.random.Generator, books, month: int, first: int | None = None,
              earliest: int | None = None) -> int:
    """A day of run month ``month`` drawn by the calendar weights (only its first ``first``
    days, only days from ``earliest`` on)."""
    days, weights = books.month_days[month], books.month_weights[month]
    keep = np.ones(len(days), bool)
    if first is not None:
        keep &= days < days.min() + first
    if earliest is not None:
        keep &= days >= earliest
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
    dormant one). Safe entries only; accounts reconciled to a subledger or replayed by the
    treasury (cash, VAT) and the suspense account are never moved to or from."""
    chart = inj.books.chart
    view = _line_view(inj)
    sub, sub_code = np.unique(chart.sub_types.astype(str), return_inverse=True)
    usage = np.bincount(view.account, minlength=len(chart)).astype(np.float64)
    movable = ~np.isin(chart.sub_types, FIXED_SUB_TYPES) & (usage > 0)
    # a line can move when its sub-type has a used account its entry does not use yet
    siblings = np.bincount(sub_code[movable], minlength=len(sub))[sub_code[view.account]]
    taken = _sub_type_accounts_in_entry(view, sub_code, movable[view.account])
    candidate = movable[view.account] & (siblings > taken) & (view.amount > 0)
    has = np.bincount(view.flat[candidate], minlength=len(inj)) > 0
    flat = inj.pick(rng, safe_for_amounts(inj) & has, count)
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
    view = _line_view(inj)
    other = centers[:, None] != centers[None, :]          # [from, to]: other department
    has_other = other.any(axis=1)
    candidate = (view.center >= 0) & np.isin(inj.books.chart.account_types[view.account],
                                             P_AND_L)
    candidate[candidate] = has_other[view.center[candidate]]
    has = np.bincount(view.flat[candidate], minlength=len(inj)) > 0
    flat = inj.pick(rng, has, count)
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
    """For each line, how many distinct accounts (of the lines where ``mask``) of its own
    account's sub-type its entry uses."""
    size, n_sub = len(sub_code), int(sub_code.max()) + 1
    pairs = np.unique(view.flat[mask] * size + view.account[mask])
    keys, counts = np.unique(pairs // size * n_sub + sub_code[pairs % size],
                             return_counts=True)
    key = view.flat * n_sub + sub_code[view.account]
    at = np.searchsorted(keys, key)
    found = at < len(keys)
    found[found] = keys[at[found]] == key[found]
    out = np.zeros(len(key), np.int64)
    out[found] = counts[at[found]]
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
    not: neither field is replayed by a subledger."""
    view = _line_view(inj)
    account_type = inj.books.chart.account_types
    center_line = (view.center >= 0) & np.isin(account_type[view.account], P_AND_L)
    has_center = np.bincount(view.flat[center_line], minlength=len(inj)) > 0
    has_text = _has_header_text(inj)
    headers = int(rng.binomial(count, 0.5))
    first = inj.pick(rng, has_text, headers)
    second = inj.pick(rng, has_center, count - len(first))     # takes up a shortfall
    first = np.r_[first, inj.pick(rng, has_text, count - len(first) - len(second))]
    if len(first):
        first = np.sort(first)
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
@dataclass
class LineView:
    """Every line of the indexed blocks: its flat entry, block, position in the block's
    lines, account, cost center and amount (debit or credit)."""

    flat: np.ndarray
    block: np.ndarray
    pos: np.ndarray
    account: np.ndarray
    center: np.ndarray
    amount: np.ndarray


def _line_view(inj) -> LineView:
    parts = []
    offset = 0
    blocks = inj.blocks[:int(inj.block_of.max()) + 1] if len(inj) else []
    for i, b in enumerate(blocks):
        if i == 0:
            continue
        n = len(b.line_entry)
        parts.append((offset + np.asarray(b.line_entry, np.int64), np.full(n, i, np.int64),
                      np.arange(n, dtype=np.int64), np.asarray(b.account, np.int64),
                      np.asarray(b.cost_center, np.int64),
                      np.asarray(b.debit, np.int64) + np.asarray(b.credit, np.int64)))
        offset += len(b)
    if not parts:
        empty = np.zeros(0, np.int64)
        return LineView(empty, empty, empty, empty, empty, empty)
    return LineView(*(np.concatenate([p[k] for p in parts]) for k in range(6)))


def _one_line_each(rng: np.random.Generator, view: LineView, candidate: np.ndarray,
                   flat: np.ndarray) -> np.ndarray:
    """For each of the (sorted) flat entries, one of its candidate lines at random (indices
    into the view)."""
    idx = np.flatnonzero(candidate & np.isin(view.flat, flat))
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
