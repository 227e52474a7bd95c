"""What an injector works on: the blocks of one company's books, a flat view of their
entries to pick targets from, and the labels it writes.

Injection runs inside the company's books, after every flow is built and before the VAT
returns, financing and the fit to ``target_count``: so the VAT returns and the cash plan see
the entries as altered, every subledger and trial balance is computed from them, and the
number of business entries stays exact (the fit drops normal template entries to make room
for injected ones). A block records the label row of each labelled entry in
``Block.anomaly`` (-1 for normal entries).

Some forty injectors read the same books of up to millions of lines, so what they derive
from them is built once and kept for as long as it stays right (:meth:`Injection.memo`):
the lines are stored once for the whole flat view, and the blocks' line arrays become views
into that store, so a line an injector changes in place is changed in the view too
(:class:`LineStore`); Arrow arrays never change, so what is derived from one is kept until
a block holds another; per-entry facts of the lines are derived again only for the entries
whose lines changed (:meth:`Injection.entry_facts`); flat entry fields change only through
:meth:`Injection.set_entry`, which tells (:meth:`Injection.fields`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.catalog import TYPE_CODE, TYPES
from datasynth.generators.ledger.flows.postings import Block
from datasynth.generators.ledger.journal import DOC, sum_by

# accounts.sub_type whose balances a subledger or a position check replays: an amount or an
# account there cannot change without its document changing too
RECONCILED = ("receivables", "payables", "inventory", "fixed_assets",
              "accumulated_depreciation", "grir_clearing")
GOODS = (DOC["WE"], DOC["WA"], DOC["WL"])


@dataclass
class LabelRows:
    """Labels as arrays of parts. A labelled journal entry holds its label's row number in
    ``Block.anomaly``, so its document id is filled in after numbering."""

    count: int = 0

    type_code: list[np.ndarray] = field(default_factory=list)
    scheme: list[np.ndarray] = field(default_factory=list)
    table: list[np.ndarray] = field(default_factory=list)        # index into TABLES
    document_id: list[pa.Array] = field(default_factory=list)    # null for journal rows
    day: list[np.ndarray] = field(default_factory=list)
    impact: list[np.ndarray] = field(default_factory=list)


LINE_FIELDS = ("account", "debit", "credit", "cost_center")     # stored together


@dataclass(frozen=True)
class FlatLines:
    """Every line of the flat entries, in block order (so grouped by flat entry, ascending).
    Read-only: change lines through their blocks."""

    flat: np.ndarray        # flat entry of each line
    account: np.ndarray
    debit: np.ndarray
    credit: np.ndarray
    center: np.ndarray      # cost center, -1 for none
    blocks: np.ndarray      # the blocks of the lines, in order ...
    sizes: np.ndarray       # ... and how many lines each has

    @cached_property
    def block(self) -> np.ndarray:
        """The block index of each line."""
        return read_only(np.repeat(self.blocks, self.sizes))

    @cached_property
    def pos(self) -> np.ndarray:
        """The position of each line among its block's lines."""
        start = np.cumsum(self.sizes) - self.sizes
        return read_only(np.arange(len(self.flat), dtype=np.int64)
                         - np.repeat(start, self.sizes))


class LineStore:
    """The lines of the flat view's blocks, one array per field (and the flat entry of each
    line), in block order. Each block's line arrays are made views into it, so a line an
    injector changes in place through its block is changed here too. A block given new
    line arrays (``process_docs.replace_lines``) is read again; the blocks after it move
    up within the room kept for that (else everything is stored anew)."""

    SPARE = 1 << 16          # lines the blocks may gain without storing everything anew

    def __init__(self, blocks: list[Block], starts: np.ndarray, indices: list[int]) -> None:
        self.blocks, self.starts, self.indices = blocks, np.asarray(starts, np.int64), indices
        self._store()

    def _store(self) -> None:
        sizes = np.array([len(b.line_entry) for b in self.blocks], np.int64)
        room = int(sizes.sum()) + self.SPARE
        self.arrays = {name: np.empty(room, np.int64) for name in ("flat", *LINE_FIELDS)}
        for i, (start, size) in enumerate(zip(np.cumsum(sizes) - sizes, sizes)):
            self._read(i, int(start), int(size))
        self._point(sizes)

    def _read(self, i: int, start: int, size: int) -> None:
        """Copy block ``i``'s own line arrays to the store at ``start``."""
        b, at = self.blocks[i], slice(start, start + size)
        for name in LINE_FIELDS:            # (NumPy copies through a buffer if they overlap)
            self.arrays[name][at] = getattr(b, name)
        self.arrays["flat"][at] = b.line_entry
        self.arrays["flat"][at] += self.starts[i]

    def _point(self, sizes: np.ndarray) -> None:
        """Make the blocks' line arrays views into the store (where their type allows;
        others are read again at every call) and expose the lines."""
        self.sizes, self.seen = sizes, []
        for b, start, size in zip(self.blocks, np.cumsum(sizes) - sizes, sizes):
            views = [self.arrays[name][start:start + size] for name in LINE_FIELDS]
            for name, view in zip(LINE_FIELDS, views):
                if np.asarray(getattr(b, name)).dtype == view.dtype:
                    setattr(b, name, view)
            self.seen.append([b.line_entry, *views])
        total = int(sizes.sum())
        self.flat_lines = FlatLines(*(read_only(self.arrays[name][:total])
                                      for name in ("flat", *LINE_FIELDS)),
                                    np.asarray(self.indices, np.int64), sizes)

    def lines(self) -> FlatLines:
        """The lines as the blocks have them now."""
        changed = [any(getattr(b, name) is not array for name, array in
                       zip(("line_entry", *LINE_FIELDS), seen))
                   for b, seen in zip(self.blocks, self.seen)]
        if not any(changed):
            return self.flat_lines
        sizes = np.array([len(b.line_entry) for b in self.blocks], np.int64)
        if (sizes < self.sizes).any() or int(sizes.sum()) > len(self.arrays["flat"]):
            self._store()
            return self.flat_lines
        # the blocks only grew: move each up to its new place, the last one first
        old, new = np.cumsum(self.sizes) - self.sizes, np.cumsum(sizes) - sizes
        for i in reversed(range(len(self.blocks))):
            if changed[i]:
                self._read(i, int(new[i]), int(sizes[i]))
            elif new[i] != old[i]:
                src = slice(int(old[i]), int(old[i] + sizes[i]))
                dst = slice(int(new[i]), int(new[i] + sizes[i]))
                for array in self.arrays.values():
                    array[dst] = array[src]
        self._point(sizes)
        return self.flat_lines


def lines_of(line_entry: np.ndarray, entries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lines of ``entries`` (distinct), given the entry of every line (grouped by entry,
    ascending): their indices, entry by entry, and the position in ``entries`` of each
    one's entry."""
    lo = np.searchsorted(line_entry, entries, side="left")
    size = np.searchsorted(line_entry, entries, side="right") - lo
    owner = np.repeat(np.arange(len(entries)), size)
    return np.repeat(lo - (np.cumsum(size) - size), size) + np.arange(len(owner)), owner


def read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


LABELLED_TABLES = ("journal_entries", "vendors", "employees", "purchase_requisitions",
                   "purchase_orders", "goods_receipts", "vendor_invoices", "vendor_payments",
                   "sales_orders", "deliveries", "customer_invoices", "customer_receipts")


class Injection:
    """One company's blocks, open to injectors. ``blocks[0]`` (the opening entry) is never
    a target."""

    def __init__(self, books, blocks: list[Block], settings, first_ids: dict[str, int],
                 reserved) -> None:
        self.books = books
        self.blocks = blocks
        self.settings = settings
        self.first_ids = first_ids
        self.reserved = reserved
        self.labels = LabelRows()
        self._schemes = 0
        for b in blocks:
            if b.anomaly is None:
                b.anomaly = np.full(len(b), -1, np.int64)
        self._memo: dict[Hashable, tuple[tuple, object]] = {}
        self._lines: LineStore | None = None
        self._weight: np.ndarray | None = None     # period-end weight of every flat entry
        self._sides: tuple | None = None           # the lines' accounts and sides, as seen
        self._side_version, self._side_log = 0, []
        self._facts: dict[Hashable, tuple] = {}
        self._fields: dict[str, object] = {}    # a token per entry field set_entry replaces
        self._index()

    # ---- the flat view of every business entry ---------------------------------------------
    def _index(self) -> None:
        blocks = self.blocks
        sizes = np.array([len(b) for b in blocks])
        sizes[0] = 0                                      # the opening entry is not a target
        self.block_of = np.repeat(np.arange(len(blocks)), sizes)
        self.entry_of = np.concatenate([np.arange(n) for n in sizes])
        self.in_view = [int(i) for i in np.flatnonzero(sizes)]    # blocks of flat entries
        self.start_of = np.searchsorted(self.block_of, np.arange(len(blocks)))

        starts = np.cumsum(sizes) - sizes

        def flat(name: str) -> np.ndarray:
            out = np.concatenate([np.asarray(getattr(b, name))[:sizes[i]]
                                  for i, b in enumerate(blocks)]).astype(np.int64, copy=False)
            # the blocks' arrays become views into the flat one, as the line store does for
            # lines: one copy of each field, not two. Nothing writes to them in place;
            # set_entry gives a block a copy before it writes the flat field.
            for i, b in enumerate(blocks):
                if sizes[i] and np.asarray(getattr(b, name)).dtype == out.dtype:
                    setattr(b, name, out[starts[i]:starts[i] + sizes[i]])
            return out

        self.posting_day, self.seconds = flat("posting_day"), flat("seconds")
        self.document_day = flat("document_day")
        self.document_type, self.process = flat("document_type"), flat("process")
        self.source, self.creator = flat("source"), flat("creator")
        self.reference_type = flat("reference_type")
        self.has_documents = np.repeat([bool(b.tables) for b in blocks], sizes)
        sub_types = self.books.chart.sub_types
        reconciled = np.isin(sub_types, RECONCILED)
        cash = sub_types == "cash"
        n = len(self.block_of)
        self.lines = np.zeros(n, np.int64)
        self.amount = np.zeros(n, np.int64)
        self.reconciled = np.zeros(n, bool)
        self.cash = np.zeros(n, bool)
        offset = 0
        for i, b in enumerate(blocks):
            if i == 0 or len(b) == 0:
                continue
            m = len(b)
            e = b.line_entry
            self.lines[offset:offset + m] = np.bincount(e, minlength=m)
            self.amount[offset:offset + m] = sum_by(e, b.debit, m)
            self.reconciled[offset:offset + m] = np.bincount(
                e, weights=reconciled[b.account], minlength=m) > 0
            self.cash[offset:offset + m] = np.bincount(e, weights=cash[b.account],
                                                       minlength=m) > 0
            offset += m
        self.used = np.zeros(n, bool)

    def __len__(self) -> int:
        return len(self.block_of)

    def release(self) -> None:
        """Keep only the labels. Called when injection is over: the flat view, the line
        store's flat entries and every memo and fact (some of them whole-line copies, and
        Arrow arrays a block no longer holds) were about a third of the company shard's
        memory and would otherwise live until its tables are written. The blocks keep
        their line arrays (views into the store's arrays, which they keep alive)."""
        labels = self.labels
        self.__dict__.clear()
        self.labels = labels

    # ---- views derived from the blocks, kept while their sources stay ------------------------
    def memo(self, name: Hashable, sources: tuple, build):
        """``build()``, kept under ``name`` until one of ``sources`` is another object
        (compared by identity: pass things that are replaced, never changed in place, such
        as Arrow arrays, ``Block.anomaly``, :meth:`fields` or :meth:`flat_lines`)."""
        hit = self._memo.get(name)
        if hit is not None and len(hit[0]) == len(sources) \
                and all(a is b for a, b in zip(hit[0], sources)):
            return hit[1]
        value = build()
        self._memo[name] = (sources, value)
        return value

    def fields(self, *names: str) -> tuple:
        """Tokens of the flat entry fields ``names``: each is replaced when
        :meth:`set_entry` changes its field (sources for :meth:`memo`)."""
        return tuple(self._fields.setdefault(name, object()) for name in names)

    def flat_lines(self) -> FlatLines:
        """The lines of the flat entries (:class:`LineStore`: lines an injector changes in
        place through its block are changed here too; after a block was given new line
        arrays, a new object)."""
        if self._lines is None:
            self._lines = LineStore([self.blocks[i] for i in self.in_view],
                                    self.start_of[self.in_view], self.in_view)
        return self._lines.lines()

    def line_changes(self, since: int) -> tuple[int, np.ndarray | None]:
        """The version of the lines' accounts and sides now, and the flat entries whose
        lines have changed account or side since version ``since`` (None when the lines
        have been stored again since, so any may have). Changes are found by comparing the
        lines with a copy of them taken at the last call."""
        lines = self.flat_lines()
        debit, credit = lines.debit > 0, lines.credit > 0
        if self._sides is None or self._sides[0] is not lines:
            self._sides = (lines, lines.account.copy(), debit, credit)
            self._side_version += 1
            self._side_log = [(self._side_version, None)]
        else:
            _, account, was_debit, was_credit = self._sides
            changed = np.flatnonzero((lines.account != account) | (debit != was_debit)
                                     | (credit != was_credit))
            if len(changed):
                account[changed] = lines.account[changed]
                was_debit[changed], was_credit[changed] = debit[changed], credit[changed]
                self._side_version += 1
                self._side_log.append((self._side_version, np.unique(lines.flat[changed])))
        later = [entries for version, entries in self._side_log if version > since]
        if any(entries is None for entries in later):
            return self._side_version, None
        return self._side_version, (np.unique(np.concatenate(later)) if later
                                    else np.zeros(0, np.int64))

    def entry_facts(self, name: Hashable, derive, key=None) -> tuple[np.ndarray, ...]:
        """Per flat entry, facts that depend only on the accounts and sides of its lines:
        ``derive(flat, account, debit, credit, n)`` (over the lines of some entries, grouped
        by entry; ``debit``/``credit``: the line is on that side) gives arrays of length
        ``n`` right for those entries. Derived for every entry once, then again only for
        the entries whose lines have changed (:meth:`line_changes`); ``key`` (an array the
        facts also depend on) starts over when its values change. Read-only."""
        hit = self._facts.get(name)
        version, entries = self.line_changes(-1 if hit is None else hit[0])
        if hit is not None and key is not None and not np.array_equal(hit[2], key):
            entries = None
        if hit is not None and entries is not None and len(entries) == 0:
            self._facts[name] = (version, hit[1], hit[2])
            return hit[1]
        lines = self.flat_lines()
        at = None if hit is None or entries is None else lines_of(lines.flat, entries)[0]

        def part(a: np.ndarray) -> np.ndarray:
            return a if at is None else a[at]

        new = derive(part(lines.flat), part(lines.account), part(lines.debit > 0),
                     part(lines.credit > 0), len(self))
        if at is not None:                 # the old facts given out stay as they were
            patched = [old.copy() for old in hit[1]]
            for value, changed in zip(patched, new):
                value[entries] = changed[entries]
            new = patched
        facts = tuple(read_only(np.asarray(a)) for a in new)
        self._facts[name] = (version, facts, None if key is None else np.array(key, copy=True))
        return facts

    def highest_id(self, head: str) -> int:
        """The highest number of the entry reference ids ``<head><number>`` of all blocks
        (0 if none); each block's kept while it holds the same ids."""
        def highest(ids) -> int:
            ids = ids.cast(pa.string())
            mine = ids.filter(pc.fill_null(pc.starts_with(ids, head), False))
            if len(mine) == 0:
                return 0
            return int(pc.max(pc.cast(pc.utf8_slice_codeunits(mine, len(head)),
                                      pa.int64())).as_py())

        return max((self.memo(("highest id", head, i), (b.reference_id,),
                              lambda ids=b.reference_id: highest(ids))
                    for i, b in enumerate(self.blocks)), default=0)

    def entry_strings(self, name: str) -> pa.Array:
        """String field ``name`` (``header_text``, ``reference_id``, ``partner_id``) of every
        flat entry."""
        sources = tuple(getattr(self.blocks[i], name) for i in self.in_view)
        return self.memo(f"strings.{name}", sources, lambda: pa.concat_arrays(
            [s.cast(pa.string()) for s in sources]) if sources else pa.array([], pa.string()))

    def normal(self) -> np.ndarray:
        """Per flat entry: no anomaly has labelled it yet."""
        sources = tuple(self.blocks[i].anomaly for i in self.in_view)
        return self.memo("normal", sources, lambda: read_only(np.concatenate(
            [np.asarray(a) < 0 for a in sources]) if sources else np.zeros(0, bool)))

    # ---- picking targets ------------------------------------------------------------------
    def period_end_weight(self, days: np.ndarray) -> np.ndarray:
        """Period-end intensification: the configured multiplier for entries in the last
        ``days`` days of a month, quarter or year (the largest applies)."""
        days = np.asarray(days, np.int64)
        if days.size == 0:
            return np.zeros(days.shape)
        first = int(days.min())                     # one weight per calendar day, looked up
        return self._day_weights(first, int(days.max()))[days - first]

    def _day_weights(self, first: int, last: int) -> np.ndarray:
        p = self.settings.period_end
        d = np.arange(first, last + 1, dtype=np.int64).astype("datetime64[D]")
        month = d.astype("datetime64[M]")
        to_end = ((month + 1).astype("datetime64[D]") - d).astype(np.int64)   # 1 = last day
        near = to_end <= p.days
        m = month.astype(np.int64) % 12 + 1
        return np.where(near & (m == 12), p.year_end, np.where(
            near & (m % 3 == 0), p.quarter_end, np.where(near, p.month_end, 1.0)))

    def pick(self, rng: np.random.Generator, eligible: np.ndarray, count: int,
             weight: np.ndarray | None = None) -> np.ndarray:
        """Up to ``count`` distinct unused flat entries where ``eligible``, drawn with the
        period-end intensity (times ``weight``); marked used."""
        pool = np.flatnonzero(eligible & ~self.used)
        if len(pool) == 0 or count <= 0:
            return np.zeros(0, np.int64)
        if self._weight is None:
            self._weight = self.period_end_weight(self.posting_day)
        w = self._weight[pool]
        if weight is not None:
            w *= weight[pool]
        w /= w.sum()
        chosen = rng.choice(pool, min(count, len(pool)), replace=False, p=w)
        chosen = np.sort(chosen)
        self.used[chosen] = True
        return chosen

    # ---- reading and changing entries -----------------------------------------------------
    def line_slice(self, flat: int) -> tuple[Block, slice]:
        """The block of flat entry ``flat`` and the slice of its lines there."""
        b = self.blocks[self.block_of[flat]]
        e = self.entry_of[flat]
        start = int(np.searchsorted(b.line_entry, e, side="left"))
        stop = int(np.searchsorted(b.line_entry, e, side="right"))
        return b, slice(start, stop)

    def set_entry(self, flat: np.ndarray, name: str, values) -> None:
        """Set an entry field (``posting_day``, ``seconds``, ``creator``, ...) of flat entries."""
        flat = np.asarray(flat, np.int64)
        values = np.broadcast_to(np.asarray(values), flat.shape)
        for block_index in np.unique(self.block_of[flat]):
            mask = self.block_of[flat] == block_index
            b = self.blocks[block_index]
            array = np.array(getattr(b, name), copy=True)
            array[self.entry_of[flat[mask]]] = values[mask]
            setattr(b, name, array)
        if hasattr(self, name) and isinstance(getattr(self, name), np.ndarray):
            getattr(self, name)[flat] = values
        self._fields[name] = object()
        if name == "posting_day":
            self._weight = None

    def new_schemes(self, count: int) -> np.ndarray:
        out = np.arange(self._schemes, self._schemes + count, dtype=np.int64)
        self._schemes += count
        return out

    def add_block(self, block: Block) -> int:
        """Add a block of injected entries (its ``anomaly`` must be set); returns its index."""
        self.blocks.append(block)
        return len(self.blocks) - 1

    # ---- labels ---------------------------------------------------------------------------
    def label_entries(self, anomaly: str, flat: np.ndarray, scheme: np.ndarray,
                      impact: np.ndarray | int = 0) -> None:
        """Label existing (flat) entries as altered by ``anomaly``."""
        flat = np.asarray(flat, np.int64)
        self.used[flat] = True
        rows = self._add(TYPE_CODE[anomaly], scheme, 0, pa.nulls(len(flat), pa.string()),
                         self.posting_day[flat], impact)
        for block_index in np.unique(self.block_of[flat]):
            mask = self.block_of[flat] == block_index
            b = self.blocks[block_index]
            b.anomaly = np.array(b.anomaly, copy=True)
            b.anomaly[self.entry_of[flat[mask]]] = rows[mask]

    def label_block(self, anomaly: str, block_index: int, scheme: np.ndarray,
                    impact: np.ndarray | int = 0) -> None:
        """Label every entry of an injected block."""
        b = self.blocks[block_index]
        n = len(b)
        b.anomaly = self._add(TYPE_CODE[anomaly], scheme, 0, pa.nulls(n, pa.string()),
                              b.posting_day, impact)

    def label_rows(self, anomaly: str, table: str, ids: pa.Array, day: np.ndarray,
                   scheme: np.ndarray, impact: np.ndarray | int = 0) -> None:
        """Label document or master-data rows by their key."""
        self._add(TYPE_CODE[anomaly], scheme, LABELLED_TABLES.index(table),
                  ids.cast(pa.string()), day, impact)

    def _add(self, code, scheme, table, ids, day, impact) -> np.ndarray:
        """Append ``len(ids)`` label rows; returns their row numbers."""
        n = len(ids)
        lb = self.labels
        rows = np.arange(lb.count, lb.count + n, dtype=np.int64)
        lb.count += n
        lb.type_code.append(np.full(n, code, np.int64))
        lb.scheme.append(np.broadcast_to(np.asarray(scheme, np.int64), (n,)).copy())
        lb.table.append(np.full(n, table, np.int64))
        lb.document_id.append(ids)
        lb.day.append(np.broadcast_to(np.asarray(day, np.int64), (n,)).copy())
        lb.impact.append(np.broadcast_to(np.asarray(impact, np.int64), (n,)).copy())
        return rows


def doc_flags(anomaly: str | None, count: int) -> dict[str, pa.Array]:
    """The flag columns of ``count`` document rows: all of ``anomaly``, or all normal."""
    from datasynth.generators.common.arrow import constant_dictionary

    if anomaly is None:
        return {"is_anomaly": pa.array(np.zeros(count, bool)),
                "is_fraud": pa.array(np.zeros(count, bool)),
                "anomaly_type": pa.nulls(count, pa.dictionary(pa.int32(), pa.string()))}
    return {"is_anomaly": pa.array(np.ones(count, bool)),
            "is_fraud": pa.array(np.full(count, TYPES[anomaly].is_fraud)),
            "anomaly_type": constant_dictionary(anomaly, count)}
