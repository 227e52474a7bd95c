"""``quality_labels``: one row per change, built from the issues a degradation step records.

Issues are gathered column-wise while a table is degraded (which rows, which field, what
kind, before and after); here they get their row keys, their table and company, and ids
``DQ-<company>-<8 digits>`` numbered in the order the phase emits them, so ids are unique
across the dataset and the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.common.arrow import constant_dictionary, padded_ids
from datasynth.schemas.quality import QUALITY_LABELS

ID_DIGITS = 8


@dataclass(frozen=True)
class Issues:
    """Changes to one chunk of a table, one entry per change (arrays of equal length)."""

    rows: np.ndarray              # row in the chunk (for a duplicate: the duplicated row)
    field: pa.Array               # string, null for an exact duplicate
    issue_type: pa.Array          # string
    subtype: pa.Array             # string
    original: pa.Array            # string, nullable
    modified: pa.Array            # string, nullable

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def empty(cls) -> Issues:
        text = pa.array([], pa.string())
        return cls(np.array([], dtype=np.int64), text, text, text, text, text)

    @classmethod
    def concat(cls, parts: list[Issues]) -> Issues:
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty()
        return cls(np.concatenate([p.rows for p in parts]),
                   *(pa.concat_arrays([getattr(p, name) for p in parts])
                     for name in ("field", "issue_type", "subtype", "original", "modified")))

    def take(self, order: np.ndarray) -> Issues:
        index = pa.array(order, pa.int64())
        return Issues(self.rows[order], self.field.take(index), self.issue_type.take(index),
                      self.subtype.take(index), self.original.take(index),
                      self.modified.take(index))


def row_keys(text: pa.Table, key: tuple[str, ...], rows: np.ndarray) -> pa.Array:
    """The keys of ``rows`` of a text table, key columns joined with ``:``."""
    index = pa.array(rows, pa.int64())
    parts = [text[name].combine_chunks().take(index) for name in key]
    return parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, ":")


def build_labels(issues: Issues, keys: pa.Array, table: str, company: str, first: int
                 ) -> pa.Table:
    """The label rows of ``issues`` (keys: their row keys), numbered from ``first``."""
    n = len(issues)
    numbers = np.arange(first, first + n, dtype=np.int64)
    code = pa.dictionary(pa.int32(), pa.string())
    columns = [
        padded_ids(f"DQ-{company}-", numbers, ID_DIGITS),
        pc.cast(issues.issue_type, code),
        pc.cast(issues.subtype, code),
        constant_dictionary(table, n),
        keys,
        pc.cast(issues.field, code),
        issues.original,
        issues.modified,
        constant_dictionary(company, n),
    ]
    return pa.Table.from_arrays(columns, schema=QUALITY_LABELS.schema)
