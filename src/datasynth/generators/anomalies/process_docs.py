"""Document rows across a company's blocks, for the injectors that alter document chains.

A chain (requisition, order, receipt, invoice, payment) spans several blocks, each holding
its documents as :class:`DocTable` s. :func:`gather` reads one table from every block into
flat NumPy arrays that keep the way back (block, row, the flat entry posting the row), so an
injector selects with vectorised masks and joins on ids; :func:`set_values` and :func:`flag`
write the few altered rows back. Loops run over blocks and over altered rows only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.catalog import TYPES
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

    def __len__(self) -> int:
        return len(self.block)

    def __getitem__(self, column: str) -> np.ndarray:
        return self.values[column]


def gather(inj, table: str, strings=(), days=(), money=(), plain=()) -> Rows:
    """Rows of ``table`` from every block: ``strings`` as object arrays (None for null),
    ``days`` as day numbers (NULL_DAY for null), ``money`` in minor units, ``plain`` as NumPy;
    ``day`` (the posting day of documents that post) is always there, -1 if none."""
    starts = np.searchsorted(inj.block_of, np.arange(len(inj.blocks)))
    # blocks added by injectors are not in the flat view: their entries are no targets
    sizes = np.bincount(inj.block_of, minlength=len(inj.blocks))
    parts: list[dict[str, np.ndarray]] = []
    for b, block in enumerate(inj.blocks):
        doc = block.tables.get(table)
        if doc is None:
            continue
        cols = doc.columns
        n = len(next(iter(cols.values())))
        part = {"block": np.full(n, b, np.int64), "row": np.arange(n, dtype=np.int64)}
        in_view = b > 0 and doc.entry is not None and 0 < sizes[b] == len(block)
        part["entry"] = (starts[b] + np.asarray(doc.entry, np.int64)) if in_view \
            else np.full(n, -1, np.int64)
        flags = cols.get("is_anomaly")
        part["flagged"] = np.zeros(n, bool) if flags is None else \
            np.asarray(flags.to_numpy(zero_copy_only=False), bool)
        part["day"] = np.full(n, -1, np.int64) if doc.day is None \
            else np.asarray(doc.day, np.int64)
        for name in strings:
            part[name] = np.asarray(cols[name].cast(pa.string()).to_numpy(
                zero_copy_only=False), dtype=object)
        for name in days:
            part[name] = np.asarray(cols[name].cast(pa.int32()).fill_null(NULL_DAY)
                                    .to_numpy(zero_copy_only=False), np.int64)
        for name in money:
            part[name] = to_minor_units(cols[name], inj.books.exponent)
        for name in plain:
            part[name] = np.asarray(cols[name].to_numpy(zero_copy_only=False))
        parts.append(part)
    keys = ["block", "row", "entry", "flagged", "day", *strings, *days, *money, *plain]
    if not parts:
        empty = {k: np.zeros(0, object if k in strings else np.int64) for k in keys}
        empty["flagged"] = np.zeros(0, bool)
        parts = [empty]
    merged = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    return Rows(merged.pop("block"), merged.pop("row"), merged.pop("entry"),
                merged.pop("flagged"), merged)


def _strings(values) -> pa.Array:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.cast(pa.string())
    return pa.array(np.asarray(values, dtype=object), pa.string())


def lookup(keys, values) -> np.ndarray:
    """Position in ``keys`` of each of ``values`` (first occurrence), -1 where absent or
    null (an Arrow hash lookup)."""
    found = pc.index_in(_strings(values), value_set=_strings(keys))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), np.int64)


def take(values: np.ndarray, index: np.ndarray, fill) -> np.ndarray:
    """``values[index]``, ``fill`` where the index is -1 (also when ``values`` is empty)."""
    index = np.asarray(index, np.int64)
    if len(values) == 0:
        return np.full(len(index), fill, dtype=np.asarray(values).dtype)
    return np.where(index >= 0, np.asarray(values)[np.maximum(index, 0)], fill)


def counts(keys, values) -> np.ndarray:
    """How many times each of ``values`` occurs in ``keys``."""
    tally = pc.value_counts(_strings(keys))
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
        kind = np.asarray(cols["anomaly_type"].cast(pa.string()).to_numpy(
            zero_copy_only=False), dtype=object)
    else:
        is_anomaly, is_fraud = np.zeros(n, bool), np.zeros(n, bool)
        kind = np.full(n, None, dtype=object)
    is_anomaly[at], is_fraud[at], kind[at] = True, TYPES[anomaly].is_fraud, anomaly
    cols["is_anomaly"], cols["is_fraud"] = pa.array(is_anomaly), pa.array(is_fraud)
    cols["anomaly_type"] = pa.array(list(kind), pa.string()).dictionary_encode()


def flag_all(block, anomaly: str) -> None:
    """Flag every document row of an injected block."""
    for doc in block.tables.values():
        n = len(next(iter(doc.columns.values())))
        flag_table(doc, np.arange(n), anomaly)
