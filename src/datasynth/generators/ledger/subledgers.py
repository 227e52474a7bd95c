"""Shared parts of the subledger snapshots: the period-end grid and input preparation.

The subledgers (``open_items`` for AR and AP, ``inventory`` for stock) are snapshots taken at
every period end of the run. A document belongs to a period by its ``fiscal_year`` and
``fiscal_period`` columns (fiscal year = calendar year, period = month), exactly as its
journal entry does, so a snapshot at a period end agrees with the control account's balance
over the entries posted up to that period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.errors import GenerationError
from datasynth.generators.calendar import period_end


@dataclass(frozen=True)
class PeriodGrid:
    """The periods of the run: the calendar months holding any day of the run."""

    first_month: int          # months since 0000-01 (year * 12 + month - 1) of period 0
    count: int

    @classmethod
    def from_start(cls, start: dt.date, months: int) -> PeriodGrid:
        """The grid of a run of ``months`` months from ``start``. A run starting mid-month
        ends mid-month too and touches ``months + 1`` calendar months; documents post in the
        last one, and the trial balance has it, so it gets a snapshot as well."""
        last = period_end(start, months) - dt.timedelta(days=1)
        first = start.year * 12 + start.month - 1
        return cls(first, last.year * 12 + last.month - first)

    @property
    def years(self) -> np.ndarray:
        months = self.first_month + np.arange(self.count, dtype=np.int64)
        return (months // 12).astype(np.int16)

    @property
    def periods(self) -> np.ndarray:
        months = self.first_month + np.arange(self.count, dtype=np.int64)
        return (months % 12 + 1).astype(np.int8)

    @property
    def end_days(self) -> np.ndarray:
        """Last day of each period, days since 1970-01-01 (aging is measured from it)."""
        since_epoch = self.first_month - 1970 * 12 + np.arange(1, self.count + 1)
        first_of_next = since_epoch.astype("datetime64[M]").astype("datetime64[D]")
        return first_of_next.astype(np.int64) - 1

    def index(self, fiscal_year: pa.Array | np.ndarray,
              fiscal_period: pa.Array | np.ndarray) -> np.ndarray:
        """Run-period index of each (year, period): 0 for the first period of the run;
        negative before it, ``count`` or more after it."""
        # int8 periods overflow in arithmetic: widen first.
        year = np.asarray(fiscal_year, dtype=np.int64)
        period = np.asarray(fiscal_period, dtype=np.int64)
        return year * 12 + period - 1 - self.first_month


def company_rows(table: pa.Table, company_code: str, columns: Sequence[str]) -> pa.Table:
    """The rows of one company, only ``columns``, dictionary columns as plain strings.

    Tables read back from several part files keep one dictionary per chunk; plain strings
    make takes and comparisons independent of how the table was written.
    """
    codes = _plain(table.column("company_code"))
    picked = table.filter(pc.equal(codes, pa.scalar(company_code, pa.string())))
    arrays = [_plain(picked.column(name)) for name in columns]
    return pa.table([a.combine_chunks() for a in arrays], names=list(columns))


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


def day_numbers(dates: pa.Array) -> np.ndarray:
    """date32 -> int64 days since 1970-01-01."""
    return np.asarray(dates.cast(pa.int32()).to_numpy(zero_copy_only=False), dtype=np.int64)


def sorted_by_id(table: pa.Table, id_column: str, what: str) -> pa.Table:
    """``table`` sorted by its id column, which must be unique: outputs are ordered by id,
    and a clearing or movement must resolve to exactly one item."""
    if table.num_rows == 0:
        return table
    ids = table.column(id_column).combine_chunks()
    if ids.null_count:
        raise GenerationError(f"{what}: null {id_column}")
    # Documents are mostly numbered in order already: then there is nothing to sort, and
    # strictly increasing ids are unique.
    if pc.all(pc.greater(ids.slice(1), ids.slice(0, len(ids) - 1))).as_py() is not False:
        return table
    table = table.take(pc.sort_indices(table, [(id_column, "ascending")]))
    ids = table.column(id_column).combine_chunks()
    duplicate = pc.equal(ids.slice(1), ids.slice(0, len(ids) - 1))
    if pc.any(duplicate).as_py():
        first = int(np.flatnonzero(duplicate.to_numpy(zero_copy_only=False))[0])
        raise GenerationError(f"{what}: duplicate {id_column} {ids[first].as_py()!r}")
    return table


def resolve(ids: pa.Array, sorted_ids: pa.Array, what: str) -> np.ndarray:
    """Positions of ``ids`` in ``sorted_ids``; every id must be known (a payment of an
    unknown invoice, or a movement of an unknown material, breaks the subledger)."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    found = pc.index_in(ids, value_set=sorted_ids)
    if found.null_count:
        missing = ids.filter(pc.is_null(found))[0].as_py()
        raise GenerationError(f"{what} refers to unknown {missing!r}")
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)
