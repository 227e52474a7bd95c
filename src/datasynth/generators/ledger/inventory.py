"""Inventory positions per material at every period end, valued at standard cost.

Stock at a period end is the opening quantity plus goods received less goods issued (a
customer return is a delivery with a negative quantity, so it adds stock) over movements
posted up to that period. The value is quantity x standard cost, which is how goods receipts
and deliveries post to the inventory account, so the positions add up to that account.

One running quantity per material is carried from period to period and each period's
movements are added to it: memory stays at one vector of the company's materials, however
many movements there are.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.errors import GenerationError
from datasynth.generators.common.arrow import constant_dictionary
from datasynth.generators.ledger.subledgers import PeriodGrid, resolve, sorted_by_id
from datasynth.money import to_decimal, to_minor_units
from datasynth.schemas.ledgers import INVENTORY_POSITIONS

MATERIAL_COLUMNS = ("material_id", "standard_cost", "inventory_account")
OPENING_COLUMNS = ("kind", "item_id", "quantity")
MOVEMENT_COLUMNS = ("material_id", "fiscal_year", "fiscal_period", "quantity")


def inventory_positions(company_code: str, grid: PeriodGrid, materials: pa.Table,
                        opening_items: pa.Table, goods_receipts: pa.Table,
                        deliveries: pa.Table) -> Iterator[pa.Table]:
    """``inventory_positions`` per period end (periods without stock yield nothing).

    All inputs are the company's rows: materials (:data:`MATERIAL_COLUMNS`), opening_items
    (:data:`OPENING_COLUMNS`; only kind ``inventory`` is used), goods_receipts and
    deliveries (:data:`MOVEMENT_COLUMNS`). Raises :class:`GenerationError` if stock of a
    material would be negative at a period end.
    """
    what = f"inventory of {company_code}"
    # Rows come out ordered by material id within a period.
    materials = sorted_by_id(materials, "material_id", what)
    ids = materials.column("material_id").combine_chunks()
    opening = opening_items.filter(pc.equal(_ids(opening_items, "kind"), "inventory"))
    receipts, issues = goods_receipts, deliveries
    material = np.concatenate([
        resolve(_ids(opening, "item_id"), ids, f"{what}: an opening item"),
        resolve(_ids(receipts, "material_id"), ids, f"{what}: a goods receipt"),
        resolve(_ids(issues, "material_id"), ids, f"{what}: a delivery")])
    # Opening stock is there from the first period; movements before the run (there should
    # be none) count in the first period, movements after it in none.
    period = np.maximum(np.concatenate([
        np.zeros(opening.num_rows, np.int64),
        _period(grid, receipts), _period(grid, issues)]), 0)
    change = np.concatenate([_quantity(opening), _quantity(receipts), -_quantity(issues)])
    order = np.argsort(period, kind="stable")
    material, period, change = material[order], period[order], change[order]
    bounds = np.searchsorted(period, np.arange(grid.count + 1))

    unit_cost = to_minor_units(materials.column("standard_cost"))
    accounts = _ids(materials, "inventory_account").dictionary_encode()
    stock = np.zeros(len(ids), np.int64)
    years, periods = grid.years, grid.periods
    for p in range(grid.count):
        lo, hi = bounds[p], bounds[p + 1]
        np.add.at(stock, material[lo:hi], change[lo:hi])
        if stock.size and stock.min() < 0:
            bad = int(np.flatnonzero(stock < 0)[0])
            raise GenerationError(
                f"{what}: material {ids[bad].as_py()} has negative stock "
                f"({int(stock[bad])}) at the end of {int(years[p])}-{int(periods[p]):02d}; "
                "goods were issued that had not been received")
        rows = np.flatnonzero(stock)
        if len(rows) == 0:
            continue
        n = len(rows)
        take = pa.array(rows)
        quantity = stock[rows]
        yield pa.Table.from_arrays([
            constant_dictionary(company_code, n),
            pa.array(np.full(n, years[p], np.int16)),
            pa.array(np.full(n, periods[p], np.int8)),
            ids.take(take),
            pa.array(quantity),
            to_decimal(unit_cost[rows]),
            to_decimal(quantity * unit_cost[rows]),
            accounts.take(take),
        ], schema=INVENTORY_POSITIONS.schema)


def _ids(table: pa.Table, column: str) -> pa.Array:
    return table.column(column).combine_chunks().cast(pa.string())


def _period(grid: PeriodGrid, table: pa.Table) -> np.ndarray:
    return grid.index(table.column("fiscal_year").combine_chunks(),
                      table.column("fiscal_period").combine_chunks())


def _quantity(table: pa.Table) -> np.ndarray:
    return np.asarray(table.column("quantity").combine_chunks().to_numpy(
        zero_copy_only=False), dtype=np.int64)
