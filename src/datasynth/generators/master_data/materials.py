"""Materials and products of a company.

Facts implemented (reference §2.3): IDs ``MAT-000001`` numbered across companies; material
types raw_material .35, finished_good .30, semi_finished .15, trading_good .10,
operating_supplies .05, packaging .05; valuation standard_cost .60, moving_average .30,
fifo .10 (the peer's LIFO share is folded into FIFO: LIFO is not allowed under IFRS);
list price = cost / (1 - margin) for the types that are sold (finished and trading goods; 0
for the others). The peer draws margin ~ U(0.20, 0.50) whatever the industry; here it is
U(g - 0.12, g + 0.12) around the industry's gross margin on goods g
(``economics.profile(industry).gross_margin``: manufacturing .34, retail .32, financial
services .45, healthcare .38, technology .40), so the books' goods margin lands near g.
Standard costs are log-normal in USD (median 50-200 by type, sigma 1) converted to the
company currency. Descriptions come from per-industry word lists (``data/materials.json``):
steel plates for a manufacturer, private-label goods for a retailer, medical supplies for a
hospital, hardware and licences for a technology company, card stock and office supplies for
a bank.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.models import CompanySettings
from datasynth.generators.ledger.economics import profile
from datasynth.generators.master_data.common import (
    codes, constant_code, load_json, money, per_group, pick, sequential_ids, take, usd_to_minor)
from datasynth.generators.master_data.ledger import Ledger
from datasynth.schemas.master_data import MATERIALS

MATERIAL_TYPES = {"raw_material": 0.35, "semi_finished": 0.15, "finished_good": 0.30,
                  "trading_good": 0.10, "operating_supplies": 0.05, "packaging": 0.05}
VALUATION_METHODS = {"standard_cost": 0.60, "moving_average": 0.30, "fifo": 0.10}
MEDIAN_COST_USD = {"raw_material": 50.0, "semi_finished": 120.0, "finished_good": 200.0,
                   "trading_good": 100.0, "operating_supplies": 60.0, "packaging": 50.0}
COST_SIGMA = 1.0
MARGIN_SPREAD = 0.12     # margin ~ U(g - spread, g + spread), g the industry's goods margin
SELLABLE = ("finished_good", "trading_good")
ACTIVE_SHARE = 0.97
# inventory account by material type: first name keyword found among inventory accounts
INVENTORY_KEYWORDS = {
    "raw_material": ("Raw Materials", "Medical Supplies"),
    "semi_finished": ("Work in Progress",),
    "finished_good": ("Finished Goods", "Merchandise", "Pharmaceuticals"),
    "trading_good": ("Merchandise", "Trading Goods"),
    "operating_supplies": ("Packaging and Supplies", "Medical Supplies"),
    "packaging": ("Packaging",),
}


def margin_range(industry: str) -> tuple[float, float]:
    """Bounds of the per-material margin on list price: around the industry's gross margin
    on goods."""
    centre = profile(industry).gross_margin
    return centre - MARGIN_SPREAD, centre + MARGIN_SPREAD


def _groups(industry: str) -> list[tuple[str, dict]]:
    """(material type, group) pairs of the industry's word lists, in type order."""
    table = load_json("materials")
    own = table.get(industry, table["manufacturing"])
    return [(t, g) for t in MATERIAL_TYPES for g in own.get(t) or table["_common"][t]]


def _descriptions(rng: np.random.Generator, group_idx: np.ndarray,
                  groups: list[tuple[str, dict]]) -> tuple[pa.Array, pa.Array]:
    def words(values: list[str], n: int) -> pa.Array:
        return take(pa.array(values, pa.string()), rng.integers(0, len(values), n))

    def describe(pair: tuple[str, dict], n: int) -> pa.Array:
        group = pair[1]
        parts = [words(group["nouns"], n), words(group["specs"], n)]
        if group.get("grades"):
            parts.append(words(group["grades"], n))
        return pc.binary_join_element_wise(*parts, " ")

    description = per_group(group_idx, groups, describe)
    uom = per_group(group_idx, groups, lambda pair, n: words(pair[1]["uom"], n))
    return description, uom


def _group_codes(group_idx: np.ndarray, groups: list[tuple[str, dict]]) -> pa.Array:
    names = [g["group"] for _, g in groups]
    labels = list(dict.fromkeys(names))
    return codes(np.array([labels.index(n) for n in names])[group_idx], labels)


def _accounts(accounts: pa.Table, mtype: np.ndarray, types: list[str]) -> list[pa.Array]:
    ledger = Ledger(accounts)
    inventory = [ledger.containing(INVENTORY_KEYWORDS[t], ("inventory",)) for t in types]
    labels = list(dict.fromkeys(inventory))
    inv_idx = np.array([labels.index(a) for a in inventory])[mtype]
    sellable = np.isin(mtype, [types.index(t) for t in SELLABLE])
    n = mtype.size
    return [codes(inv_idx, labels),
            codes(np.zeros(n, dtype=np.int32), [ledger.lowest("cogs")]),
            codes(np.zeros(n, dtype=np.int32), [ledger.lowest("product_revenue")],
                  mask=~sellable)]


def generate_materials(rng: np.random.Generator, company: CompanySettings, count: int,
                       accounts: pa.Table, industry: str, id_offset: int) -> pa.Table:
    """``count`` materials of ``company`` with ids ``MAT-{id_offset + 1:06d}`` onwards."""
    types = list(MATERIAL_TYPES)
    mtype = pick(rng, MATERIAL_TYPES, count)
    groups = _groups(industry)
    first = np.array([[t for t, _ in groups].index(t) for t in types])
    sizes = np.array([sum(1 for t, _ in groups if t == name) for name in types])
    group_idx = first[mtype] + (rng.random(count) * sizes[mtype]).astype(np.int64)
    description, uom = _descriptions(rng, group_idx, groups)
    median = np.array(list(MEDIAN_COST_USD.values()))[mtype]
    cost_usd = np.clip(rng.lognormal(np.log(median), COST_SIGMA), 0.5, 250_000.0)
    cost = np.maximum(usd_to_minor(cost_usd, company), 1)
    margin = rng.uniform(*margin_range(industry), count)
    sellable = np.isin(mtype, [types.index(t) for t in SELLABLE])
    price = np.where(sellable, np.ceil(cost / (1.0 - margin)), 0).astype(np.int64)
    arrays = [
        sequential_ids("MAT-", id_offset, count),
        constant_code(company.code, count),
        description,
        codes(mtype, types),
        _group_codes(group_idx, groups),
        pc.dictionary_encode(uom),
        codes(pick(rng, VALUATION_METHODS, count), list(VALUATION_METHODS)),
        money(cost, company),
        money(price, company),
        *_accounts(accounts, mtype, types),
        pa.array(rng.random(count) < ACTIVE_SHARE),
    ]
    return pa.Table.from_arrays(arrays, schema=MATERIALS.schema)
