"""How many instances of each anomaly type a company gets, from the configuration alone.

The target is in labelled rows: ``total_rate`` x the company's business entries x the
family's share, split over the family's types by weight and divided by the rows one instance
produces. Both the books shard and the master-data shard compute it (the master data holds
back the vendors and employees the schemes need), so it depends on nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datasynth.generators.anomalies.catalog import FAMILIES, family_types


def type_quotas(config, company: int) -> dict[str, int]:
    """Instances of each type for company ``company`` (types with no instance left out)."""
    settings = config.anomaly_injection
    if not settings.enabled or config.transactions.target_count <= 0:
        return {}
    entries = config.entries_per_company()[company]
    shares = settings.families.model_dump()
    total_share = sum(shares.values())
    out: dict[str, int] = {}
    for family in FAMILIES:
        rows = settings.total_rate * entries * shares[family] / total_share
        types = family_types(family)
        weights = np.array([settings.type_weights.get(t.name, t.weight) for t in types])
        if rows <= 0 or weights.sum() <= 0:
            continue
        expected = rows * weights / weights.sum() / np.array([t.entries for t in types])
        counts = _round_preserving(expected)
        out.update({t.name: int(c) for t, c in zip(types, counts) if c > 0})
    return out


def _round_preserving(values: np.ndarray) -> np.ndarray:
    """Integers whose total is the rounded total of ``values`` (largest remainder)."""
    floor = np.floor(values).astype(np.int64)
    short = int(round(values.sum())) - int(floor.sum())
    if short > 0:
        order = np.argsort(-(values - floor), kind="stable")
        floor[order[:short]] += 1
    return floor


@dataclass(frozen=True)
class Reserved:
    """Master-data records the schemes need and normal business never touches: the last
    ``vendors`` vendors and the last ``employees`` persons of the company."""

    fictitious_vendors: int = 0
    new_vendors: int = 0
    ghost_employees: int = 0

    @property
    def vendors(self) -> int:
        return self.fictitious_vendors + self.new_vendors


def reserved(config, company: int) -> Reserved:
    quotas = type_quotas(config, company)
    counts = config.master_data
    # keep at least half of the vendors and employees for the real business
    fictitious = min(quotas.get("fictitious_vendor", 0), counts.vendors // 4)
    new = min(quotas.get("new_counterparty_large", 0), counts.vendors // 4)
    ghosts = min(quotas.get("ghost_employee", 0), counts.employees // 2)
    return Reserved(fictitious, new, ghosts)
