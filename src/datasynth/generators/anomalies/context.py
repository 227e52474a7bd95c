"""What an injector works on: the blocks of one company's books, a flat view of their
entries to pick targets from, and the labels it writes.

Injection runs inside the company's books, after every flow is built and before the VAT
returns, financing and the fit to ``target_count``: so the VAT returns and the cash plan see
the entries as altered, every subledger and trial balance is computed from them, and the
number of business entries stays exact (the fit drops normal template entries to make room
for injected ones). A block records the label row of each labelled entry in
``Block.anomaly`` (-1 for normal entries).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

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
        self._index()

    # ---- the flat view of every business entry ---------------------------------------------
    def _index(self) -> None:
        blocks = self.blocks
        sizes = np.array([len(b) for b in blocks])
        sizes[0] = 0                                      # the opening entry is not a target
        self.block_of = np.repeat(np.arange(len(blocks)), sizes)
        self.entry_of = np.concatenate([np.arange(n) for n in sizes])

        def flat(name: str) -> np.ndarray:
            return np.concatenate([np.asarray(getattr(b, name))[:sizes[i]]
                                   for i, b in enumerate(blocks)]).astype(np.int64)

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

    # ---- picking targets ------------------------------------------------------------------
    def period_end_weight(self, days: np.ndarray) -> np.ndarray:
        """Period-end intensification: the configured multiplier for entries in the last
        ``days`` days of a month, quarter or year (the largest applies)."""
        p = self.settings.period_end
        d = np.asarray(days, np.int64).astype("datetime64[D]")
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
        w = self.period_end_weight(self.posting_day[pool])
        if weight is not None:
            w = w * weight[pool]
        chosen = rng.choice(pool, min(count, len(pool)), replace=False, p=w / w.sum())
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
