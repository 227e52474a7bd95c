"""Every table datasynth knows, by name."""

from __future__ import annotations

from datasynth.schemas.accounts import ACCOUNTS
from datasynth.schemas.anomalies import ANOMALY_LABELS
from datasynth.schemas.base import TableSpec
from datasynth.schemas.calendar import CALENDAR
from datasynth.schemas.documents import DOCUMENT_TABLES
from datasynth.schemas.fx import FX_RATES
from datasynth.schemas.group import GROUP_TABLES
from datasynth.schemas.journal_entries import JOURNAL_ENTRIES
from datasynth.schemas.ledgers import LEDGER_TABLES
from datasynth.schemas.master_data import MASTER_DATA_TABLES
from datasynth.schemas.quality import QUALITY_TABLES

TABLES: dict[str, TableSpec] = {
    spec.name: spec for spec in (CALENDAR, ACCOUNTS, FX_RATES, *MASTER_DATA_TABLES, JOURNAL_ENTRIES,
                                       *DOCUMENT_TABLES, *LEDGER_TABLES, *GROUP_TABLES,
                                       ANOMALY_LABELS, *QUALITY_TABLES)
}


def table_spec(name: str) -> TableSpec:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(sorted(TABLES))}") from None
