"""The intercompany postings of one company, collected in any order and numbered by date.

Intercompany documents are few (tens a month per relationship), so they are collected as
small arrays per entry, like the period close does, and turned into the ``Entries`` and
``Lines`` of ``generators/ledger/journal.py`` once. Every entry names its trading partner
(the group company on the other side) and its transaction currency; each line carries its
amount in that currency and the rate it was converted at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from datasynth.errors import GenerationError
from datasynth.generators.ledger.journal import (
    DOC,
    PROC,
    REF,
    SRC,
    Entries,
    LedgerContext,
    Lines,
    entry_ids,
    fiscal_year_period,
)

#: Number range of intercompany entries per company and year (business entries count from
#: 1, the period close from 9000000001).
IC_SEQUENCE_BASE = 8_000_000_000


@dataclass
class EntryRow:
    day: int
    seconds: int
    document_type: str
    process: str
    source: str
    creator: int
    text: str
    reference_type: str           # journal.REFERENCE_TYPES; "" for none
    reference_id: str | None
    partner: int                  # index into LedgerContext.companies
    currency: int                 # index into LedgerContext.currencies


@dataclass
class GroupBook:
    """One company's intercompany entries: signed local amounts (debit positive), absolute
    transaction amounts and rates per line."""

    ctx: LedgerContext
    rows: list[EntryRow] = field(default_factory=list)
    lines: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=list)

    def post(self, row: EntryRow, account: np.ndarray, local: np.ndarray,
             transaction: np.ndarray, rate: np.ndarray) -> int:
        """Add one entry; returns its index (its id is known after :meth:`build`)."""
        local = np.asarray(local, dtype=np.int64)
        if int(local.sum()) != 0:
            raise GenerationError(f"{self.ctx.company_code}: intercompany entry "
                                  f"{row.reference_id} does not balance")
        keep = local != 0
        self.rows.append(row)
        self.lines.append((np.asarray(account, np.int64)[keep], local[keep],
                           np.abs(np.asarray(transaction, np.int64))[keep],
                           np.asarray(rate, np.int64)[keep]))
        return len(self.rows) - 1

    def build(self) -> tuple[Entries, Lines, pa.Array]:
        """Entries in posting order, their lines, and the id of every posted entry (in the
        order :meth:`post` returned them)."""
        n = len(self.rows)
        day = np.array([r.day for r in self.rows], dtype=np.int64)
        seconds = np.array([r.seconds for r in self.rows], dtype=np.int64)
        order = np.lexsort((np.arange(n), seconds, day))
        rows = [self.rows[i] for i in order]
        years, _ = fiscal_year_period(day[order])
        sequence = np.zeros(n, dtype=np.int64)
        for year in np.unique(years):
            mask = years == year
            sequence[mask] = np.arange(1, int(mask.sum()) + 1)
        ids = entry_ids(self.ctx.company_code, years, IC_SEQUENCE_BASE + sequence)
        parts = [self.lines[i] for i in order]
        counts = np.array([len(p[0]) for p in parts], dtype=np.int64)
        local = _cat([p[1] for p in parts])
        entries = Entries(
            document_id=ids, posting_day=day[order], document_day=day[order],
            seconds=seconds[order],
            document_type=np.array([DOC[r.document_type] for r in rows], np.int64),
            process=np.array([PROC[r.process] for r in rows], np.int64),
            source=np.array([SRC[r.source] for r in rows], np.int64),
            creator=np.array([r.creator for r in rows], np.int64),
            header_text=pa.array([r.text for r in rows], pa.string()),
            reference_type=np.array([REF.get(r.reference_type, -1) for r in rows], np.int64),
            reference_id=pa.array([r.reference_id for r in rows], pa.string()),
            partner_id=pa.nulls(n, pa.string()),
            currency=np.array([r.currency for r in rows], np.int64),
            trading_partner=np.array([r.partner for r in rows], np.int64))
        lines = Lines(entry=np.repeat(np.arange(n), counts),
                      account=_cat([p[0] for p in parts]),
                      debit=np.maximum(local, 0), credit=np.maximum(-local, 0),
                      cost_center=np.full(len(local), -1, np.int64),
                      transaction_amount=_cat([p[2] for p in parts]),
                      rate=_cat([p[3] for p in parts]))
        posted_ids = ids.take(pa.array(np.argsort(order)))
        return entries, lines, posted_ids


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
