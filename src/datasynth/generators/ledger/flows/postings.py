"""A block of journal entries built by one flow, and the numbering of all blocks together.

Each flow (sales, purchasing, payroll, ...) returns a :class:`Block`: its entries and lines
in local numbering, plus the ids of the documents each entry posts. :func:`number_blocks`
merges the blocks of a company, orders every entry by posting time (document numbers run per
company and fiscal year in posting order, like an ERP's number ranges) and hands back the
journal-entry id of each block's entries, so documents can reference the entry they posted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from datasynth.money import RATE_SCALE
from datasynth.generators.ledger.journal import (
    Entries,
    Lines,
    entry_ids,
    fiscal_year_period,
)


def _i64(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


@dataclass
class Block:
    """Entries of one flow. ``reference_id``/``partner_id`` are string arrays (nulls allowed);
    line arrays are grouped by ``line_entry`` ascending."""

    posting_day: np.ndarray
    seconds: np.ndarray
    document_day: np.ndarray
    document_type: np.ndarray
    process: np.ndarray
    source: np.ndarray
    creator: np.ndarray
    header_text: pa.Array
    reference_type: np.ndarray
    reference_id: pa.Array
    partner_id: pa.Array
    line_entry: np.ndarray
    account: np.ndarray
    debit: np.ndarray
    credit: np.ndarray
    cost_center: np.ndarray
    tables: dict[str, pa.Table] = field(default_factory=dict)   # documents, without JE ids
    anomaly: np.ndarray | None = None   # per entry: catalog type code of its anomaly, or -1
    # foreign-currency entries (flows/foreign_payables.py; None: company currency): per
    # entry the index into LedgerContext.currencies, per line the amount in it and the rate
    # the line was converted at (1e-10). Such blocks never pass through anomaly injection.
    currency: np.ndarray | None = None
    transaction_amount: np.ndarray | None = None
    rate: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.posting_day)

    def select(self, keep: np.ndarray) -> Block:
        """The block with only the entries where ``keep`` is true (and their lines); only
        for blocks without document tables, whose rows would point at dropped entries."""
        keep = np.asarray(keep, bool)
        if self.tables:
            raise ValueError("cannot drop entries of a block that posts documents")
        kept = np.flatnonzero(keep)
        new_index = np.full(len(self), -1, np.int64)
        new_index[kept] = np.arange(len(kept))
        line_keep = keep[self.line_entry]
        take = pa.array(kept)
        entry_fields = {name: np.asarray(getattr(self, name))[kept] for name in (
            "posting_day", "seconds", "document_day", "document_type", "process", "source",
            "creator", "reference_type")}
        return Block(**entry_fields, header_text=self.header_text.take(take),
                     reference_id=self.reference_id.take(take),
                     partner_id=self.partner_id.take(take),
                     line_entry=new_index[self.line_entry[line_keep]],
                     account=self.account[line_keep], debit=self.debit[line_keep],
                     credit=self.credit[line_keep], cost_center=self.cost_center[line_keep],
                     anomaly=None if self.anomaly is None else self.anomaly[kept],
                     currency=None if self.currency is None else self.currency[kept],
                     transaction_amount=None if self.transaction_amount is None
                     else self.transaction_amount[line_keep],
                     rate=None if self.rate is None else self.rate[line_keep])


def constant(value: int, count: int) -> np.ndarray:
    return np.full(count, value, dtype=np.int64)


def two_sided(count: int, debit_account: np.ndarray, credit_account: np.ndarray,
              amount: np.ndarray, debit_center: np.ndarray | None = None,
              credit_center: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """Lines of ``count`` two-line entries (debit line first): entry, account, debit, credit,
    cost center."""
    entry = np.repeat(np.arange(count, dtype=np.int64), 2)
    account = np.empty(2 * count, dtype=np.int64)
    account[0::2], account[1::2] = debit_account, credit_account
    debit = np.zeros(2 * count, dtype=np.int64)
    credit = np.zeros(2 * count, dtype=np.int64)
    debit[0::2], credit[1::2] = amount, amount
    center = np.full(2 * count, -1, dtype=np.int64)
    if debit_center is not None:
        center[0::2] = debit_center
    if credit_center is not None:
        center[1::2] = credit_center
    return entry, account, debit, credit, center


def stack_lines(parts: list[tuple[np.ndarray, ...]], count: int) -> tuple[np.ndarray, ...]:
    """Merge line sets (each: entry, account, debit, credit, center) of the same entries into
    one set grouped by entry; within an entry, parts keep their order."""
    entry = np.concatenate([p[0] for p in parts])
    rank = np.concatenate([np.full(len(p[0]), i) for i, p in enumerate(parts)])
    within = np.concatenate([np.arange(len(p[0])) for p in parts])
    order = np.lexsort((within, rank, entry))
    return tuple(np.concatenate([p[k] for p in parts])[order] for k in range(5))


@dataclass
class Numbered:
    """All entries of a company in posting order, and each block's journal-entry ids."""

    entries: Entries
    lines: Lines
    block_ids: list[pa.Array]     # per block, the JE id of each of its entries


def number_blocks(company: str, blocks: list[Block], first_sequence: dict[int, int]) -> Numbered:
    """Order all entries by (posting day, time, block, index) and number them per year from
    ``first_sequence[year]`` (updated in place)."""
    sizes = [len(b) for b in blocks]
    day = np.concatenate([_i64(b.posting_day) for b in blocks])
    seconds = np.concatenate([_i64(b.seconds) for b in blocks])
    block_of = np.repeat(np.arange(len(blocks)), sizes)
    index = np.concatenate([np.arange(n) for n in sizes])
    order = np.lexsort((index, block_of, seconds, day))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    year, _ = fiscal_year_period(day[order])
    sequence = np.empty(len(order), dtype=np.int64)
    for y in np.unique(year):
        mask = year == y
        start = first_sequence.get(int(y), 1)
        sequence[mask] = start + np.arange(int(mask.sum()))
        first_sequence[int(y)] = start + int(mask.sum())
    ids = entry_ids(company, year, sequence)

    def cat(name: str) -> np.ndarray:
        return np.concatenate([_i64(getattr(b, name)) for b in blocks])[order]

    def cat_arrow(name: str) -> pa.Array:
        return pa.concat_arrays([getattr(b, name).cast(pa.string()) for b in blocks]
                                ).take(pa.array(order))

    anomaly = np.concatenate([np.full(len(b), -1, np.int64) if b.anomaly is None
                              else _i64(b.anomaly) for b in blocks])[order]
    entries = Entries(ids, day[order], cat("document_day"), seconds[order],
                      cat("document_type"), cat("process"), cat("source"), cat("creator"),
                      cat_arrow("header_text"), cat("reference_type"),
                      cat_arrow("reference_id"), cat_arrow("partner_id"), anomaly)
    offsets = np.cumsum([0] + sizes)
    line_entry = np.concatenate([_i64(b.line_entry) + offsets[i]
                                 for i, b in enumerate(blocks)])
    new_entry = rank[line_entry]
    line_order = np.argsort(new_entry, kind="stable")
    lines = Lines(new_entry[line_order],
                  np.concatenate([_i64(b.account) for b in blocks])[line_order],
                  np.concatenate([_i64(b.debit) for b in blocks])[line_order],
                  np.concatenate([_i64(b.credit) for b in blocks])[line_order],
                  np.concatenate([_i64(b.cost_center) for b in blocks])[line_order])
    if any(b.currency is not None for b in blocks):
        # company-currency blocks: currency 0 (the company's), their own amounts at rate 1
        entries.currency = np.concatenate([
            np.zeros(len(b), np.int64) if b.currency is None else _i64(b.currency)
            for b in blocks])[order]
        lines.transaction_amount = np.concatenate([
            _i64(b.debit) + _i64(b.credit) if b.transaction_amount is None
            else _i64(b.transaction_amount) for b in blocks])[line_order]
        lines.rate = np.concatenate([
            np.full(len(b.line_entry), RATE_SCALE, np.int64) if b.rate is None
            else _i64(b.rate) for b in blocks])[line_order]
    block_ids = [ids.take(pa.array(rank[offsets[i]:offsets[i + 1]]))
                 for i in range(len(blocks))]
    return Numbered(entries, lines, block_ids)


@dataclass
class DocTable:
    """Rows of a document table whose journal-entry ids (and fiscal periods) are known only
    after numbering: ``entry`` indexes the block's entries, ``day`` is the posting day."""

    columns: dict[str, pa.Array]
    entry: np.ndarray | None = None
    day: np.ndarray | None = None


def finish_table(spec, doc: DocTable, ids: pa.Array | None, currency: str = "") -> pa.Table:
    """The table in schema order, with fiscal year/period and journal_entry_id filled in;
    a document in the company currency (``currency``) without transaction-currency columns
    gets them: the same amounts at rate 1."""
    columns = dict(doc.columns)
    if currency:
        from datasynth.generators.ledger.flows.foreign_payables import local_currency_columns
        local_currency_columns(spec, columns, currency)
    if doc.day is not None and "fiscal_year" in spec.schema.names:
        year, period = fiscal_year_period(doc.day)
        columns["fiscal_year"], columns["fiscal_period"] = pa.array(year), pa.array(period)
    if doc.entry is not None and "journal_entry_id" in spec.schema.names:
        columns["journal_entry_id"] = ids.take(pa.array(doc.entry))
    if "is_anomaly" in spec.schema.names and "is_anomaly" not in columns:
        from datasynth.generators.anomalies.context import doc_flags
        columns.update(doc_flags(None, len(next(iter(doc.columns.values())))))
    return pa.Table.from_arrays([columns[f.name].cast(f.type) for f in spec.schema],
                                schema=spec.schema)
