"""Table contracts: one ``pa.schema`` per table with column descriptions; no logic."""

from datasynth.schemas.base import CODE, DATE, KEY, MONEY, TIMESTAMP, TableSpec
from datasynth.schemas.registry import TABLES, table_spec

__all__ = ["CODE", "DATE", "KEY", "MONEY", "TABLES", "TIMESTAMP", "TableSpec", "table_spec"]
