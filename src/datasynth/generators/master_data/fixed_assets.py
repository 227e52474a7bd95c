"""The fixed-asset register of a company.

Facts implemented (reference §2.4, with land added): asset classes land .03, buildings .05,
machinery .25, vehicles .15, furniture .15, it_equipment .25, software .10,
leasehold_improvements .02; useful lives (months) buildings 480, machinery 84, vehicles 60,
furniture 84, IT 36, software 36, leasehold 120, land 0 (not depreciated); salvage value 5% of
cost (0 for software and land); depreciation straight-line .85 / declining balance .15 (land
and software straight-line). Costs are log-uniform per class (USD, converted). Assets were
acquired up to 1.15 useful lives (at most 30 years) before the period, so about one in eight
depreciable assets is fully depreciated at the start and still on the register. IDs are
``FA-{company}-000001``. Accounts are found by name in the chart (``Machinery``,
``Accumulated Depreciation - Machinery``, ``Depreciation Expense``, ...).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from datasynth.config.models import CompanySettings
from datasynth.generators.master_data.common import (
    codes, constant_code, dates, epoch_days, join, load_json, money, per_group, pick,
    sequential_ids, take, usd_to_minor)
from datasynth.generators.master_data.cost_centers import company_cost_centers, family
from datasynth.generators.master_data.ledger import Ledger
from datasynth.schemas.master_data import FIXED_ASSETS

ASSET_CLASSES = {"land": 0.03, "buildings": 0.05, "machinery": 0.25, "vehicles": 0.15,
                 "furniture": 0.15, "it_equipment": 0.25, "software": 0.10,
                 "leasehold_improvements": 0.02}
USEFUL_LIFE_MONTHS = {"land": 0, "buildings": 480, "machinery": 84, "vehicles": 60,
                      "furniture": 84, "it_equipment": 36, "software": 36,
                      "leasehold_improvements": 120}
COST_RANGE_USD = {"land": (200e3, 5e6), "buildings": (500e3, 10e6),
                  "machinery": (20e3, 500e3), "vehicles": (20e3, 80e3),
                  "furniture": (1e3, 25e3), "it_equipment": (1e3, 10e3),
                  "software": (5e3, 250e3), "leasehold_improvements": (20e3, 500e3)}
SALVAGE_SHARE = 0.05
DECLINING_BALANCE_SHARE = 0.15
AGE_FACTOR = 1.15               # ages up to 1.15 useful lives ...
MAX_AGE_MONTHS = 360            # ... but at most 30 years (also the range for land)
# class -> (asset account, accumulated depreciation account, expense account) names
ACCOUNT_NAMES = {
    "land": ("Land", None, None),
    "buildings": ("Buildings", "Accumulated Depreciation - Buildings", "Depreciation Expense"),
    "machinery": ("Machinery", "Accumulated Depreciation - Machinery", "Depreciation Expense"),
    "vehicles": ("Vehicles", "Accumulated Depreciation - Vehicles", "Depreciation Expense"),
    "furniture": ("Furniture", "Accumulated Depreciation - Furniture", "Depreciation Expense"),
    "it_equipment": ("IT Equipment", "Accumulated Depreciation - IT Equipment",
                     "Depreciation Expense"),
    "software": ("Software", "Accumulated Amortisation - Software", "Amortisation Expense"),
    "leasehold_improvements": ("Leasehold", "Accumulated Depreciation - Leasehold",
                               "Depreciation Expense"),
}
# class -> cost-center families charged with its depreciation (None: any cost center)
COST_CENTER_FAMILIES = {"machinery": ("PROD",), "vehicles": ("LOG",),
                        "it_equipment": ("CORP-IT", "CORP"), "software": ("CORP-IT", "CORP")}
_SUB_TYPES = {0: ("fixed_assets", "intangibles"), 1: ("accumulated_depreciation",),
              2: ("depreciation",)}


def _account_codes(accounts: pa.Table, asset_class: np.ndarray) -> list[pa.Array]:
    ledger = Ledger(accounts)
    out = []
    for column, sub_types in _SUB_TYPES.items():
        per_class = [None if names[column] is None else ledger.named(names[column], sub_types)
                     for names in ACCOUNT_NAMES.values()]
        labels = list(dict.fromkeys(a for a in per_class if a is not None))
        idx = np.array([labels.index(a) if a else 0 for a in per_class])[asset_class]
        null = np.array([a is None for a in per_class])[asset_class]
        out.append(codes(idx, labels, mask=null if null.any() else None))
    return out


def _cost_centers(rng: np.random.Generator, company: CompanySettings, cost_centers: pa.Table,
                  asset_class: np.ndarray, classes: list[str]) -> pa.Array:
    ids = company_cost_centers(cost_centers, company.code)
    if not ids:   # a company without cost centers: depreciation is not charged to one
        return codes(np.zeros(asset_class.size, dtype=np.int64), [""],
                     mask=np.ones(asset_class.size, dtype=bool))
    idx = rng.integers(0, len(ids), asset_class.size)
    for name, families in COST_CENTER_FAMILIES.items():
        rows = np.flatnonzero(asset_class == classes.index(name))
        candidates = family(ids, company.code, *families)
        if candidates and rows.size:
            idx[rows] = np.array(candidates)[rng.integers(0, len(candidates), rows.size)]
    return codes(idx, ids)


def _acquisition(rng: np.random.Generator, start_date: dt.date, life: np.ndarray,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Acquisition dates (epoch days) and whether the asset is fully depreciated at start."""
    max_months = np.where(life > 0, np.minimum(life * AGE_FACTOR, MAX_AGE_MONTHS),
                          MAX_AGE_MONTHS)
    age_days = np.maximum(1, (rng.random(life.size) * max_months * 30.44).astype(np.int64))
    acquired = epoch_days(start_date) - age_days
    months = (np.datetime64(start_date, "M")
              - acquired.astype("datetime64[D]").astype("datetime64[M]")).astype(np.int64)
    return acquired, (life > 0) & (months >= life)


def generate_fixed_assets(rng: np.random.Generator, company: CompanySettings, count: int,
                          accounts: pa.Table, cost_centers: pa.Table,
                          start_date: dt.date) -> pa.Table:
    """``count`` assets of ``company``, ids ``FA-{company}-000001`` onwards."""
    classes = list(ASSET_CLASSES)
    asset_class = pick(rng, ASSET_CLASSES, count)
    life = np.array(list(USEFUL_LIFE_MONTHS.values()), dtype=np.int16)[asset_class]
    low, high = (np.log(np.array(bound))[asset_class] for bound in zip(*COST_RANGE_USD.values()))
    cost = usd_to_minor(np.exp(rng.uniform(low, high)), company)
    tangible = (life > 0) & (asset_class != classes.index("software"))
    salvage = np.where(tangible, np.rint(cost * SALVAGE_SHARE), 0).astype(np.int64)
    declining = tangible & (rng.random(count) < DECLINING_BALANCE_SHARE)
    acquired, fully = _acquisition(rng, start_date, life)
    words = load_json("assets")

    def describe(name: str, n: int) -> pa.Array:
        item, qualifier = words[name]["items"], words[name]["qualifiers"]
        return join(take(pa.array(item), rng.integers(0, len(item), n)),
                    take(pa.array(qualifier), rng.integers(0, len(qualifier), n)), sep=" - ")

    arrays = [
        sequential_ids(f"FA-{company.code}-", 0, count),
        constant_code(company.code, count),
        per_group(asset_class, classes, describe),
        codes(asset_class, classes),
        dates(acquired),
        money(cost, company),
        pa.array(life, pa.int16()),
        money(salvage, company),
        codes(declining.astype(np.int32), ["straight_line", "declining_balance"]),
        _cost_centers(rng, company, cost_centers, asset_class, classes) if count
        else codes(np.zeros(0), []),
        *_account_codes(accounts, asset_class),
        codes(fully.astype(np.int32), ["active", "fully_depreciated"]),
    ]
    return pa.Table.from_arrays(arrays, schema=FIXED_ASSETS.schema)
