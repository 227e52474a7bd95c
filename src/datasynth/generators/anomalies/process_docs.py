"""Document rows across a company's blocks, for the injectors that alter document chains.

A chain (requisition, order, receipt, invoice, payment) spans several blocks, each holding
its documents as :class:`DocTable` s. :func:`gather` reads one table from every block into
flat NumPy arrays that keep the way back (block, row, the flat entry posting the row), so an
injector selects with vectorised masks and joins on ids; :func:`set_values` and :func:`flag`
write the few altered rows back. Loops run over blocks and over altered rows only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.catalog import TYPES
from datasynth.generators.anomalies.context import read_only
from datasynth.generators.ledger.flows.postings import DocTable
from datasynth.money import to_decimal, to_minor_units

NULL_DAY = -1      # a null date among day numbers (no document is dated 1969-12-31)


@dataclass
class Rows:
    """One document table's rows from every block, in block order."""

    block: np.ndarray       # block index of each row
    row: np.ndarray         # row within that block's DocTable
    entry: np.ndarray       # flat entry (Injection view) posting the row, -1 if none
    flagged: np.ndarray     # already altered or injected by an anomaly
    values: dict[str, np.ndarray]
    arrow: dict[str, pa.Array] = field(default_factory=dict)   # string columns, as read
    objects: Callable[[str], np.ndarray] | None = None        # a string column as objects
    table: str = ""

    def __len__(self) -> int:
        return len(self.block)

    def __getitem__(self, column: str) -> np.ndarray:
        if column not in self.values and column in self.arrow:
            self.values[column] = self.objects(column)        # converted when first read
        return self.values[column]

    def strings(self, column: str) -> pa.Array:
        """String column ``column`` as Arrow strings (for :func:`lookup`, :func:`counts`)."""
        return self.arrow[column]

    def equals(self, column: str, *values: str) -> np.ndarray:
        """Per row: string column ``column`` is one of ``values`` (never where null)."""
        found = pc.is_in(self.arrow[column], value_set=pa.array(values, pa.string()))
        return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), bool)

    def texts(self, column: str, at: np.ndarray) -> np.ndarray:
        """String column ``column`` at rows ``at``, as Python strings (None for null)."""
        return np.asarray(self.arrow[column].take(np.asarray(at, np.int64)).to_numpy(
            zero_copy_only=False), dtype=object)


def gather(inj, table: str, strings=(), days=(), money=(), plain=()) -> Rows:
    """Rows of ``table`` from every block: ``strings`` as object arrays (None for null),
    ``days`` as day numbers (NULL_DAY for null), ``money`` in minor units, ``plain`` as NumPy;
    ``day`` (the posting day of documents that post) is always there, -1 if none.

    Columns are converted once and kept while the blocks hold the same Arrow arrays, so the
    requested columns are shared between calls and read-only; ``day`` and ``flagged``, which
    :func:`set_days` and :func:`flag` keep up to date, are each call's own."""
    docs = [(b, block.tables[table]) for b, block in enumerate(inj.blocks)
            if table in block.tables]
    if not docs:
        empty = np.zeros(0, np.int64)
        values = {k: np.zeros(0, object) for k in strings}
        values.update({k: empty for k in (*days, *money, *plain)})
        return Rows(empty, empty, empty, np.zeros(0, bool), {"day": empty, **values},
                    {name: pa.array([], pa.string()) for name in strings}, table=table)
    sizes = [len(next(iter(doc.columns.values()))) for _, doc in docs]
    in_view = set(inj.in_view)      # blocks added by injectors post no targets
    block = np.repeat(np.array([b for b, _ in docs], np.int64), sizes)
    row = np.arange(len(block), dtype=np.int64) - np.repeat(
        np.cumsum(sizes, dtype=np.int64) - sizes, sizes)
    entry, flagged, day = [], [], []
    for (b, doc), n in zip(docs, sizes):
        entry.append(inj.start_of[b] + np.asarray(doc.entry, np.int64)
                     if b in in_view and doc.entry is not None else np.full(n, -1, np.int64))
        flagged.append(_column(inj, table, b, doc, "is_anomaly", "flags", _flags)
                       if "is_anomaly" in doc.columns else np.zeros(n, bool))
        day.append(np.full(n, -1, np.int64) if doc.day is None
                   else np.asarray(doc.day, np.int64))
    entry, flagged, day = np.concatenate(entry), np.concatenate(flagged), np.concatenate(day)

    def merged(name: str, kind: str, convert):
        parts = tuple(_column(inj, table, b, doc, name, kind, convert) for b, doc in docs)
        return inj.memo(("gather", table, name, kind), parts,
                        lambda: read_only(np.concatenate(parts)))

    values = {"day": day}
    arrow, texts = {}, {}
    for name in strings:
        texts[name] = parts = tuple(_column(inj, table, b, doc, name, "strings", _text)
                                    for b, doc in docs)
        arrow[name] = inj.memo(("gather", table, name, "arrow"), parts,
                               lambda parts=parts: pa.concat_arrays(parts))

    def objects(name: str) -> np.ndarray:
        parts = texts[name]
        return inj.memo(("gather", table, name, "objects"), parts, lambda: read_only(
            np.concatenate([_objects(inj, table, b, name, text)
                            for (b, _), text in zip(docs, parts)])))

    for name in days:
        values[name] = merged(name, "days", _days)
    for name in money:
        values[name] = merged(name, "money", lambda c: to_minor_units(c, inj.books.exponent))
    for name in plain:
        values[name] = merged(name, "plain", lambda c: np.asarray(
            c.to_numpy(zero_copy_only=False)))
    return Rows(block, row, entry, flagged, values, arrow, objects, table)


def _column(inj, table: str, b: int, doc: DocTable, name: str, kind: str, convert):
    """Column ``name`` of block ``b``'s ``table`` converted by ``convert``, kept while the
    block holds the same Arrow array."""
    column = doc.columns[name]
    return inj.memo(("column", table, b, name, kind), (column,), lambda: convert(column))


def _flags(column) -> np.ndarray:
    return np.asarray(column.to_numpy(zero_copy_only=False), bool)


def _text(column) -> pa.Array:
    text = column.cast(pa.string())
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def _objects(inj, table: str, b: int, name: str, text: pa.Array) -> np.ndarray:
    """Block ``b``'s string column ``name`` (``text``: as :func:`_text` reads it) as Python
    strings."""
    return inj.memo(("column", table, b, name, "objects"), (text,), lambda: np.asarray(
        text.to_numpy(zero_copy_only=False), dtype=object))


def _days(column) -> np.ndarray:
    return np.asarray(column.cast(pa.int32()).fill_null(NULL_DAY).to_numpy(
        zero_copy_only=False), np.int64)


def as_strings(values) -> pa.Array:
    """Values (Arrow, or an object array with None for null) as Arrow strings."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.cast(pa.string())
    return pa.array(np.asarray(values, dtype=object), pa.string())


def lookup(keys, values) -> np.ndarray:
    """Position in ``keys`` of each of ``values`` (first occurrence), -1 where absent or
    null (an Arrow hash lookup)."""
    found = pc.index_in(as_strings(values), value_set=as_strings(keys))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), np.int64)


def cached(inj, how, keys: Rows, key_column: str, values: Rows,
           value_column: str) -> np.ndarray:
    """``how`` (:func:`lookup`, :func:`counts`) of string column ``key_column`` of ``keys``
    and ``value_column`` of ``values``, kept while the blocks hold the same columns
    (read-only)."""
    k, v = keys.strings(key_column), values.strings(value_column)
    return inj.memo((how, keys.table, key_column, values.table, value_column), (k, v),
                    lambda: read_only(how(k, v)))


def take(values: np.ndarray, index: np.ndarray, fill) -> np.ndarray:
    """``values[index]``, ``fill`` where the index is -1 (also when ``values`` is empty)."""
    index = np.asarray(index, np.int64)
    if len(values) == 0:
        return np.full(len(index), fill, dtype=np.asarray(values).dtype)
    return np.where(index >= 0, np.asarray(values)[np.maximum(index, 0)], fill)


def counts(keys, values) -> np.ndarray:
    """How many times each of ``values`` occurs in ``keys``."""
    tally = pc.value_counts(as_strings(keys))
    return take(np.asarray(tally.field("counts").to_numpy(zero_copy_only=False), np.int64),
                lookup(tally.field("values"), values), 0)


def set_values(inj, table: str, rows: Rows, which: np.ndarray, column: str,
               values) -> None:
    """Give rows ``which`` (positions in ``rows``) of ``table`` new values of ``column``
    (a NumPy array; day numbers for date columns, minor units for money)."""
    which = np.asarray(which, np.int64)
    values = np.broadcast_to(np.asarray(values), which.shape)
    for b in np.unique(rows.block[which]):
        doc = inj.blocks[int(b)].tables[table]
        mask = rows.block[which] == b
        old = doc.columns[column]
        doc.columns[column] = _replaced(old, rows.row[which[mask]], values[mask],
                                        inj.books.exponent)


def set_days(inj, table: str, rows: Rows, which: np.ndarray, days) -> None:
    """Move the posting day (fiscal period) of rows ``which``."""
    which = np.asarray(which, np.int64)
    days = np.broadcast_to(np.asarray(days, np.int64), which.shape)
    for b in np.unique(rows.block[which]):
        doc = inj.blocks[int(b)].tables[table]
        mask = rows.block[which] == b
        day = np.array(doc.day, np.int64, copy=True)
        day[rows.row[which[mask]]] = days[mask]
        doc.day = day
    rows["day"][which] = days


def _replaced(old: pa.Array, at: np.ndarray, values: np.ndarray, exponent: int) -> pa.Array:
    """``old`` with positions ``at`` replaced: concatenated with the new values, then taken
    (works for every Arrow type; dictionaries are decoded, the schema cast re-encodes)."""
    if isinstance(old, pa.ChunkedArray):
        old = old.combine_chunks()
    if pa.types.is_dictionary(old.type):
        old = old.cast(old.type.value_type)
    if pa.types.is_decimal(old.type):
        new = to_decimal(np.asarray(values, np.int64), exponent).cast(old.type)
    elif pa.types.is_date(old.type):            # day numbers, NULL_DAY for null
        days = np.asarray(values, np.int64)
        new = pa.array(days.astype(np.int32), mask=days == NULL_DAY).cast(old.type)
    else:
        new = pa.array(list(values), old.type)
    index = np.arange(len(old), dtype=np.int64)
    index[at] = len(old) + np.arange(len(at))
    return pa.concat_arrays([old, new]).take(pa.array(index))


def replace_lines(inj, flat: int, account, debit, credit, center) -> None:
    """Give entry ``flat`` new lines (in this order), keeping its block's lines grouped by
    entry; the flat view's line count and amount follow."""
    b, sl = inj.line_slice(int(flat))
    n = len(account)
    new = (np.full(n, inj.entry_of[flat]), account, debit, credit, center)
    for name, values in zip(("line_entry", "account", "debit", "credit", "cost_center"), new):
        old = np.asarray(getattr(b, name))
        setattr(b, name, np.concatenate([old[:sl.start], np.asarray(values, old.dtype),
                                         old[sl.stop:]]))
    inj.lines[flat] = n
    inj.amount[flat] = int(np.sum(debit))


def flag(inj, table: str, rows: Rows, which: np.ndarray, anomaly: str) -> None:
    """Set the anomaly flags of rows ``which`` of ``table`` (other rows keep theirs)."""
    which = np.asarray(which, np.int64)
    for b in np.unique(rows.block[which]):
        flag_table(inj.blocks[int(b)].tables[table], rows.row[which[rows.block[which] == b]],
                   anomaly)
    rows.flagged[which] = True


def flag_table(doc: DocTable, at: np.ndarray, anomaly: str) -> None:
    """Flag rows ``at`` of one DocTable as ``anomaly``."""
    cols = doc.columns
    n = len(next(iter(cols.values())))
    if "is_anomaly" in cols:
        is_anomaly = np.asarray(cols["is_anomaly"].to_numpy(zero_copy_only=False), bool)
        is_fraud = np.asarray(cols["is_fraud"].to_numpy(zero_copy_only=False), bool)
        kind = cols["anomaly_type"]
    else:
        is_anomaly, is_fraud = np.zeros(n, bool), np.zeros(n, bool)
        kind = pa.nulls(n, pa.string())
    is_anomaly[at], is_fraud[at] = True, TYPES[anomaly].is_fraud
    cols["is_anomaly"], cols["is_fraud"] = pa.array(is_anomaly), pa.array(is_fraud)
    cols["anomaly_type"] = with_kind(kind, at, anomaly)


def with_kind(kind: pa.Array, at: np.ndarray, anomaly: str) -> pa.Array:
    """An ``anomaly_type`` column (dictionary-encoded strings, in order of first
    appearance) with rows ``at`` set to ``anomaly``."""
    if isinstance(kind, pa.ChunkedArray):
        kind = kind.combine_chunks()
    mask = np.zeros(len(kind), bool)
    mask[at] = True
    kind = pc.replace_with_mask(kind.cast(pa.string()), pa.array(mask),
                                pa.array([anomaly] * int(mask.sum()), pa.string()))
    return kind.dictionary_encode()


def flag_all(block, anomaly: str) -> None:
    """Flag every document row of an injected block."""
    for doc in block.tables.values():
        n = len(next(iter(doc.columns.values())))
        flag_table(doc, np.arange(n), anomaly)
