"""Statistical anomalies: amounts and activity that break an account's, a user's or a
recurring entry's usual pattern (domain study §8.1 StatisticalType).

Amounts change only on entries no subledger replays (``mutations.safe_for_amounts``): the
subledgers and period-end reconciliations stay as they were, and the cash plan and VAT
returns, built after injection, follow. "Usual" is measured on the books themselves — the
account's, the user's or the kind's own unlabelled entries — so an anomaly is unusual for
these books, not for some outside scale. Each injector loops over its few instances only;
everything over the ledger is vectorised (``line_view``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.context import read_only
from datasynth.generators.anomalies.mutations import safe_for_amounts, set_totals
from datasynth.generators.ledger.flows.common import doc_ids, scale_to_total
from datasynth.generators.ledger.flows.postings import Block
from datasynth.generators.ledger.journal import SRC

# ---- a vectorised view of the lines of the flat entries ----------------------------------------


@dataclass
class LineView:
    """Every line of the business entries the injection indexes (``Injection`` flat view),
    with per-entry facts derived from them. ``-1`` where an entry has no such line."""

    entry: np.ndarray           # flat entry of each line
    account: np.ndarray
    debit: np.ndarray
    credit: np.ndarray
    normal: np.ndarray          # per flat entry: no anomaly label yet
    debit_lines: np.ndarray     # per flat entry
    credit_lines: np.ndarray
    debit_account: np.ndarray   # per flat entry: account of its first debit line
    credit_account: np.ndarray  # per flat entry: account of its first credit line
    header: pa.Array            # per flat entry (strings)
    reference: pa.Array         # per flat entry (strings, nulls)
    partner: pa.Array           # per flat entry (strings, nulls)

    @property
    def two_line(self) -> np.ndarray:
        """One debit line and one credit line: the entry total is each line's amount."""
        return (self.debit_lines == 1) & (self.credit_lines == 1)


def line_view(inj) -> LineView:
    """The lines of the flat entries, read from the blocks as they are now (amounts and
    accounts an earlier injector changed included). The line arrays are the injection's
    own (``Injection.flat_lines``: they follow later changes to the blocks); the per-entry
    facts are those of this moment."""
    lines = inj.flat_lines()
    return LineView(lines.flat, lines.account, lines.debit, lines.credit, inj.normal(),
                    *inj.entry_facts("first lines", _first_lines),
                    inj.entry_strings("header_text"), inj.entry_strings("reference_id"),
                    inj.entry_strings("partner_id"))


def _first_lines(flat, account, debit, credit, n) -> tuple[np.ndarray, ...]:
    """Per entry: how many debit and credit lines, the accounts of the first of each."""
    debit_lines, debit_account = _first(flat, account, debit, n)
    credit_lines, credit_account = _first(flat, account, credit, n)
    return debit_lines, credit_lines, debit_account, credit_account


def _first(entry: np.ndarray, values: np.ndarray, mask: np.ndarray,
           n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per entry: how many lines are in ``mask``, and the value of the first of them (-1
    where none). Lines are grouped by entry, ascending."""
    idx = np.flatnonzero(mask)
    e = entry[idx]
    first = np.ones(len(idx), bool)
    np.not_equal(e[1:], e[:-1], out=first[1:])
    out = np.full(n, -1, np.int64)
    out[e[first]] = values[idx[first]]
    return np.bincount(e, minlength=n), out


def codes(inj, name: str) -> np.ndarray:
    """Integer codes of the flat entries' string field ``name`` (equal strings, equal codes,
    in order of first appearance; null -1)."""
    values = inj.entry_strings(name)
    return inj.memo(f"codes.{name}", (values,), lambda: read_only(
        pc.dictionary_encode(values).indices.fill_null(-1).to_numpy(zero_copy_only=False)
        .astype(np.int64)))


def has_twin(inj, among: np.ndarray) -> np.ndarray:
    """Entries (of those ``among``) sharing their reference with another entry (an accrual
    and its reversal, a payroll run and its payment): altering one alone would leave the
    other behind. Only the references of ``among`` are counted, over every entry."""
    reference = inj.entry_strings("reference_id")
    mine = np.flatnonzero(among)
    # every entry's reference: where it first is among those of ``among``
    at = np.asarray(pc.index_in(reference, value_set=reference.take(mine)).fill_null(-1)
                    .to_numpy(zero_copy_only=False), np.int64)
    counts = np.bincount(at[at >= 0], minlength=len(mine))
    out = np.zeros(len(inj), bool)
    valid = np.asarray(reference.is_valid().to_numpy(zero_copy_only=False), bool)
    out[mine] = valid[mine] & (at[mine] >= 0) & (counts[np.maximum(at[mine], 0)] > 1)
    return out


def persons(inj) -> np.ndarray:
    """Per user (``books.ledger.user_ids``): a person of the company, not a system user."""
    return pc.is_in(inj.books.ledger.user_ids, value_set=inj.books.employee_ids).to_numpy(
        zero_copy_only=False)


CLOSE_DAYS = 4     # days at each end of a month that belong to the close


def close_days(days: np.ndarray) -> np.ndarray:
    """The first and the last ``CLOSE_DAYS`` days of a month: the close (accruals at the
    last working day, reversals at the first), when finance posts in bulk anyway."""
    days = np.asarray(days, np.int64)
    if days.size == 0:
        return np.zeros(days.shape, bool)
    first = int(days.min())                         # one answer per calendar day, looked up
    d = np.arange(first, int(days.max()) + 1, dtype=np.int64).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    since_start = (d - month.astype("datetime64[D]")).astype(np.int64)
    to_end = ((month + 1).astype("datetime64[D]") - d).astype(np.int64)
    return ((since_start < CLOSE_DAYS) | (to_end <= CLOSE_DAYS))[days - first]


def fresh_ids(inj, prefix: str, count: int) -> pa.Array:
    """``count`` new ``<prefix>-<company>-<8 digits>`` ids: numbered after every id of the
    prefix the books hold and after ``inj.first_ids[prefix]`` (some flows number their own
    documents from 1 without ``first_ids``)."""
    code = inj.books.code
    top = inj.highest_id(f"{prefix}-{code}-")
    start = max(inj.first_ids.get(prefix, 1), top + 1)
    inj.first_ids[prefix] = start + count
    return doc_ids(prefix, code, start, count)


def account_quantile(view: LineView, q: float, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per account (chart position): the ``q`` quantile of the debit amounts of its lines on
    unlabelled entries, and how many there are (quantile 0 where none)."""
    keep = (view.debit > 0) & view.normal[view.entry]
    acc, amt = view.account[keep], view.debit[keep]
    count = np.bincount(acc, minlength=size)[:size]
    if len(amt) == 0:
        return np.zeros(size), count
    # amounts grouped by account (a stable sort of small integers is a radix sort); only the
    # two order statistics around each quantile are needed, so each group is partitioned
    small = acc.astype(np.int16) if size < 2 ** 15 else acc
    amt = amt[np.argsort(small, kind="stable")]
    start = np.cumsum(count) - count
    last = np.minimum(start + np.maximum(count - 1, 0), len(amt) - 1)
    pos = start + np.maximum(count - 1, 0) * q
    lo = np.minimum(np.floor(pos).astype(np.int64), last)
    hi = np.minimum(lo + 1, last)
    low, high = np.zeros(size), np.zeros(size)
    for a in np.flatnonzero(count):
        s, k = int(start[a]), [int(lo[a] - start[a]), int(hi[a] - start[a])]
        part = np.partition(amt[s:s + int(count[a])], k)
        low[a], high[a] = part[k[0]], part[k[1]]
    value = low + (high - low) * (pos - np.floor(pos))
    return np.where(count > 0, value, 0.0), count


class SameKey:
    """The flat entries grouped by debit account and user (``LineView.debit_account``,
    ``Injection.creator`` as they are now), each group in flat order."""

    def __init__(self, inj, view: LineView) -> None:
        users = len(inj.books.ledger.user_ids)
        self.key = view.debit_account * users + inj.creator
        low = -users                              # an entry without a debit line
        span = (len(inj.books.chart) + 1) * users
        # a stable sort of small integers is a radix sort
        small = (self.key - low).astype(np.int16 if span < 2 ** 15 else np.int64)
        self.order = np.argsort(small, kind="stable")
        self.sorted_key = self.key[self.order]

    def members(self, key: int) -> np.ndarray:
        """The flat entries of ``key``, ascending."""
        lo, hi = np.searchsorted(self.sorted_key, [key, key + 1])
        return self.order[lo:hi]


def unrepeated(inj, same: SameKey, flat: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``new`` amounts of the entries ``flat``, each raised by a minor unit until no entry of
    the same debit account and user has it: an altered amount never lands on another's by
    chance (a run of equal amounts is an anomaly of its own, ``repeating_amount``)."""
    new = np.array(new, np.int64, copy=True)
    taken: dict[int, set[int]] = {}
    for i, f in enumerate(np.asarray(flat, np.int64)):
        k = int(same.key[f])
        if k not in taken:
            taken[k] = set(inj.amount[same.members(k)].tolist())
        seen = taken[k]
        while int(new[i]) in seen:
            new[i] += 1
        seen.add(int(new[i]))
    return new


# ---- unusual amounts --------------------------------------------------------------------------

MIN_SAMPLE = 30       # lines an account needs before its range means anything
LOW_FLOOR = 10        # currency units the 0.1th percentile needs, to leave room below it


def unusual_amount_high(inj, rng: np.random.Generator, count: int) -> None:
    """A two-line entry whose amount is 3-10 times the 99.9th percentile of its debit
    account's amounts in these books (ISA 520 analytical procedures: an amount far outside
    the account's expected range)."""
    view = line_view(inj)
    size = len(inj.books.chart)
    top, n = account_quantile(view, 0.999, size)
    acc = np.maximum(view.debit_account, 0)
    eligible = safe_for_amounts(inj) & view.two_line & (n[acc] >= MIN_SAMPLE) & (top[acc] > 0)
    flat = inj.pick(rng, eligible, count)
    if len(flat) == 0:
        return
    old = inj.amount[flat].copy()
    new = np.ceil(top[acc[flat]] * rng.uniform(3.0, 10.0, len(flat))).astype(np.int64)
    new = unrepeated(inj, SameKey(inj, view), flat, new)
    set_totals(inj, flat, new)
    inj.label_entries("unusual_amount_high", flat, inj.new_schemes(len(flat)), new - old)


def unusual_amount_low(inj, rng: np.random.Generator, count: int) -> None:
    """A two-line entry whose amount is a third to a tenth of the 0.1th percentile of its
    debit account's amounts (never zero): far below anything the account usually carries.
    Accounts whose smallest amounts are below ten currency units have too little room."""
    view = line_view(inj)
    size = len(inj.books.chart)
    bottom, n = account_quantile(view, 0.001, size)
    acc = np.maximum(view.debit_account, 0)
    eligible = safe_for_amounts(inj) & view.two_line & (n[acc] >= MIN_SAMPLE) \
        & (bottom[acc] >= LOW_FLOOR * 10 ** inj.books.exponent)
    flat = inj.pick(rng, eligible, count)
    if len(flat) == 0:
        return
    old = inj.amount[flat].copy()
    new = np.maximum(np.floor(bottom[acc[flat]] / rng.uniform(3.0, 10.0, len(flat))),
                     1).astype(np.int64)
    new = unrepeated(inj, SameKey(inj, view), flat, new)
    set_totals(inj, flat, new)
    inj.label_entries("unusual_amount_low", flat, inj.new_schemes(len(flat)), old - new)


# ---- Benford ----------------------------------------------------------------------------------

# leading digits 1-9 of fabricated amounts, the "statistically improbable" pattern of the
# domain study §8.2 (people inventing numbers favour the middle digits)
ANTI_BENFORD = np.array([0.05, 0.05, 0.05, 0.10, 0.25, 0.10, 0.20, 0.05, 0.15])
BENFORD_SIZE = (30, 46)      # entries of one scheme: enough for a first-digit test


def benford_violation(inj, rng: np.random.Generator, count: int) -> None:
    """One user keys made-up amounts on 30-45 of their manual entries: each amount keeps
    its order of magnitude but takes a leading digit drawn from the anti-Benford
    distribution (Nigrini, Benford's Law, 2012: first-digit tests find invented numbers).
    One scheme per user; users need twice the scheme's entries so the rest stay normal."""
    users = len(inj.books.ledger.user_ids)
    view = line_view(inj)
    eligible = safe_for_amounts(inj) & (inj.source == SRC["manual"]) \
        & persons(inj)[inj.creator] & (inj.amount >= 100)
    avail = np.bincount(inj.creator[eligible & ~inj.used], minlength=users)
    candidates = np.flatnonzero(avail >= 2 * BENFORD_SIZE[0])
    n = min(count, len(candidates))
    if n == 0:
        return
    chosen = rng.choice(candidates, n, replace=False,
                        p=avail[candidates] / avail[candidates].sum())
    same = SameKey(inj, view)
    for user, scheme in zip(chosen, inj.new_schemes(n)):
        size = min(int(rng.integers(*BENFORD_SIZE)), int(avail[user]) // 2)
        flat = inj.pick(rng, eligible & (inj.creator == user), size)
        old = inj.amount[flat].copy()
        magnitude = _magnitude(old)
        digit = rng.choice(9, len(flat), p=ANTI_BENFORD) + 1
        new = digit * magnitude + np.floor(rng.random(len(flat)) * magnitude).astype(np.int64)
        new = unrepeated(inj, same, flat, new)
        set_totals(inj, flat, new)
        inj.label_entries("benford_violation", flat, scheme, np.abs(new - old))


def _magnitude(amount: np.ndarray) -> np.ndarray:
    """10 ** (digits - 1) of each positive amount, exact (no float rounding at powers of 10)."""
    m = (10 ** np.floor(np.log10(np.maximum(amount, 1))).astype(np.int64)).astype(np.int64)
    m = np.where(m * 10 <= amount, m * 10, m)
    return np.where(m > amount, m // 10, m)


# ---- repeating amounts ------------------------------------------------------------------------

REPEAT_DAYS = 10     # members within this many days of the first one: a few weeks at most


def repeating_amount(inj, rng: np.random.Generator, count: int) -> None:
    """The same exact amount on 3-6 two-line entries of one user and debit account within
    three weeks (a copied figure, a split, or a fabricated recurring charge). The amount is
    new — near the members' own median, never an amount of that user and account — so every
    member changes and no other entry joins the repetition."""
    view = line_view(inj)
    eligible = safe_for_amounts(inj) & view.two_line & (inj.amount >= 10 ** inj.books.exponent)
    same_key = SameKey(inj, view)
    untried = eligible.copy()
    placed, attempts = 0, 0
    while placed < count and attempts < 4 * count + 20:
        attempts += 1
        anchor = inj.pick(rng, untried, 1)
        if len(anchor) == 0:
            break
        a = int(anchor[0])
        untried[a] = False
        same = same_key.members(int(same_key.key[a]))         # same user and debit account
        pool = same[eligible[same] & ~inj.used[same]
                    & (np.abs(inj.posting_day[same] - inj.posting_day[a]) <= REPEAT_DAYS)]
        if len(pool) < 2:
            inj.used[a] = False
            continue
        size = int(rng.integers(3, 7))
        others = rng.choice(pool, min(size - 1, len(pool)), replace=False)
        members = np.sort(np.r_[a, others])
        inj.used[members] = True
        old = inj.amount[members].copy()
        value = max(int(np.rint(np.median(old) * rng.uniform(0.9, 1.1))), 2)
        taken = set(inj.amount[same].tolist())              # no normal entry shares it
        while value in taken:
            value += 1
        set_totals(inj, members, np.full(len(members), value))
        inj.label_entries("repeating_amount", members, inj.new_schemes(1)[0],
                          np.abs(value - old))
        placed += 1


# ---- activity burst ---------------------------------------------------------------------------

BURST_SIZE = (5, 13)
HOUR = 3600


def activity_burst(inj, rng: np.random.Generator, count: int) -> None:
    """5-12 added entries by one person within one hour of an ordinary working day: copies
    of entries that person usually posts (their accounts, cost centers, texts and partner),
    amounts within -20 %/+25 % of the originals, new document numbers. The day and the hour
    are borrowed from one of the person's own entries; the close (the first and last days
    of a month) is left out, when finance posts in bulk anyway."""
    view = line_view(inj)
    template = safe_for_amounts(inj) & (inj.source == SRC["manual"]) \
        & persons(inj)[inj.creator] & ~close_days(inj.posting_day) \
        & np.asarray(pc.is_valid(view.reference).to_numpy(zero_copy_only=False), bool) \
        & view.normal
    template &= ~has_twin(inj, template)
    users = len(inj.books.ledger.user_ids)
    enough = np.bincount(inj.creator[template], minlength=users) >= BURST_SIZE[0]
    anchors = inj.pick(rng, template & enough[inj.creator], count)
    inj.used[anchors] = False                        # only borrowed, not altered
    # one burst a person and day: two would merge into one
    _, first = np.unique(inj.creator[anchors] * 1_000_000 + inj.posting_day[anchors],
                         return_index=True)
    anchors = anchors[np.sort(first)]
    if len(anchors) == 0:
        return
    sources, burst, seconds = [], [], []
    for i, a in enumerate(anchors):
        size = int(rng.integers(*BURST_SIZE))
        pool = np.flatnonzero(template & (inj.creator == inj.creator[a]))
        sources.append(np.sort(rng.choice(pool, size, replace=len(pool) < size)))
        burst.append(np.full(size, i))
        start = min(int(inj.seconds[a]), 86_400 - HOUR)
        seconds.append(start + np.sort(rng.integers(0, HOUR, size)))
    source, burst, seconds = np.concatenate(sources), np.concatenate(burst), \
        np.concatenate(seconds)
    b = _copies(inj, view, rng, source, inj.posting_day[anchors][burst], seconds,
                inj.creator[anchors][burst])
    schemes = inj.new_schemes(len(anchors))[burst]
    index = inj.add_block(b)
    inj.label_block("activity_burst", index, schemes, _totals(b))


def _copies(inj, view: LineView, rng, source: np.ndarray, day: np.ndarray,
            seconds: np.ndarray, creator: np.ndarray) -> Block:
    """A block of copies of the flat entries ``source`` (lines, texts, kinds, partners) at
    ``day``/``seconds`` by ``creator``, each amount scaled by 0.8-1.25, with new ids of the
    originals' own number range."""
    n = len(source)
    entry, account, debit, credit, center = [], [], [], [], []
    factor = rng.uniform(0.8, 1.25, n)
    for i, f in enumerate(source):
        b, sl = inj.line_slice(int(f))
        total = max(int(np.rint(inj.amount[f] * factor[i])), 2)
        d, c = b.debit[sl].copy(), b.credit[sl].copy()
        for side in (d, c):
            nz = np.flatnonzero(side)
            side[nz] = scale_to_total(side[nz].astype(np.float64), total)
        entry.append(np.full(sl.stop - sl.start, i))
        account.append(b.account[sl])
        debit.append(d)
        credit.append(c)
        center.append(b.cost_center[sl])
    prefix = np.array([(r or "GL").split("-")[0] for r in
                       view.reference.take(pa.array(source)).to_pylist()], dtype=object)
    reference = np.empty(n, dtype=object)
    for p in sorted(set(prefix)):
        mask = prefix == p
        reference[mask] = fresh_ids(inj, p, int(mask.sum())).to_numpy(zero_copy_only=False)
    lag = inj.posting_day[source] - inj.document_day[source]
    take = pa.array(source)
    return Block(posting_day=np.asarray(day, np.int64), seconds=np.asarray(seconds, np.int64),
                 document_day=np.asarray(day, np.int64) - lag,
                 document_type=inj.document_type[source].copy(),
                 process=inj.process[source].copy(), source=inj.source[source].copy(),
                 creator=np.asarray(creator, np.int64), header_text=view.header.take(take),
                 reference_type=inj.reference_type[source].copy(),
                 reference_id=pa.array(reference, pa.string()),
                 partner_id=view.partner.take(take), line_entry=np.concatenate(entry),
                 account=np.concatenate(account), debit=np.concatenate(debit),
                 credit=np.concatenate(credit), cost_center=np.concatenate(center))


def _totals(b: Block) -> np.ndarray:
    return np.bincount(b.line_entry, weights=b.debit, minlength=len(b)).astype(np.int64)


# ---- level shift ------------------------------------------------------------------------------

LEVEL_FACTOR = (1.5, 3.0)
LEVEL_Z = 4.0         # the shift is this many standard errors of the kind's usual level
MIN_KIND = 10         # entries a recurring kind needs (a level before and after the shift)


def level_shift(inj, rng: np.random.Generator, count: int) -> None:
    """From a date to the end of the run, every entry of one recurring kind (same text,
    debit and credit account: one account's bank charges, the monthly interest, a pair of
    accounts' reclassifications) is 1.5-3 times what it was — a price rise, a new
    arrangement, a changed formula (ISA 520: a change in level against prior periods).

    The shift has to show against the kind's own noise: the date is drawn late enough that
    the mean log amount after it stands at least four standard errors (two-sample, pooled
    spread) above the mean before (the factor is raised within 1.5-3 if it must; kinds
    that cannot show it are skipped). Entries that share a reference with another (an accrual and its reversal) are left
    out: shifting one alone would leave the other behind."""
    view = line_view(inj)
    size = len(inj.books.chart)
    base = safe_for_amounts(inj) & view.normal & (inj.amount >= 2) \
        & (view.debit_account >= 0) & (view.credit_account >= 0)
    base &= ~has_twin(inj, base)
    kind = (codes(inj, "header_text") * size + view.debit_account) * size + view.credit_account
    kind = np.where(base, kind, -1)
    # the entries of each kind, in flat order: a kind's are a slice of ``by_kind``
    by_kind = np.flatnonzero(kind >= 0)
    by_kind = by_kind[np.argsort(kind[by_kind], kind="stable")]
    kinds, first, sizes = np.unique(kind[by_kind], return_index=True, return_counts=True)
    big = sizes >= MIN_KIND
    kinds, first, sizes = kinds[big], first[big], sizes[big]
    same = SameKey(inj, view)
    placed = 0
    for at in rng.permutation(len(kinds)):
        if placed >= count:
            break
        members = by_kind[first[at]:first[at] + sizes[at]]
        members = members[~inj.used[members]]
        if len(members) < MIN_KIND:
            continue
        members = members[np.lexsort((inj.seconds[members], inj.posting_day[members]))]
        after, gap, se = _shift_point(inj, members, int(rng.integers(4, 9)))
        if after is None:
            continue
        factor = max(rng.uniform(*LEVEL_FACTOR), np.exp(LEVEL_Z * se - gap))
        old = inj.amount[after].copy()
        new = unrepeated(inj, same, after, np.maximum(np.rint(old * factor), 2).astype(np.int64))
        set_totals(inj, after, new)
        inj.label_entries("level_shift", after, inj.new_schemes(1)[0], new - old)
        placed += 1


def _shift_point(inj, members: np.ndarray, least: int):
    """The latest date leaving at least ``least`` entries after it (and as many before) at
    which a factor of at most 3 moves the kind's mean log amount ``LEVEL_Z`` standard errors.
    Returns the entries from that date on, the present gap of means after - before and the
    standard error; (None, 0, 0) when no date does."""
    day = inj.posting_day[members]
    logs = np.log(inj.amount[members].astype(np.float64))
    n = len(members)
    for want in range(least, n // 2 + 1):
        date = day[n - want]
        after = day >= date
        if int((~after).sum()) < max(want, 3):
            return None, 0.0, 0.0
        se = shift_se(logs, after)
        gap = float(logs[after].mean() - logs[~after].mean())
        if gap + np.log(LEVEL_FACTOR[1]) >= LEVEL_Z * se:
            return members[after], gap, se
    return None, 0.0, 0.0


def shift_se(logs: np.ndarray, after: np.ndarray) -> float:
    """Standard error of the difference of mean log amounts after and before a date, from
    the pooled spread within the two segments (a shift by a factor leaves it unchanged);
    at least 1 % (a constant series)."""
    na, nb = int(after.sum()), int((~after).sum())
    within = float(((logs[after] - logs[after].mean()) ** 2).sum()
                   + ((logs[~after] - logs[~after].mean()) ** 2).sum())
    sd = max(np.sqrt(within / max(na + nb - 2, 1)), 0.01)
    return float(sd * np.sqrt(1 / na + 1 / nb))


INJECTORS = {"unusual_amount_high": unusual_amount_high,
             "unusual_amount_low": unusual_amount_low,
             "benford_violation": benford_violation,
             "repeating_amount": repeating_amount,
             "activity_burst": activity_burst,
             "level_shift": level_shift}
