"""The cost-center hierarchy of a company: departments (level 1) and sub-centers (level 2).

Follows the peer's two-level layout (reference §2.6), extended with procurement and logistics:
``CC-{company}-FIN`` (AP, AR, GL, TAX), ``-PROC`` (PURCH, SRC), ``-SALES`` (DOM, INTL, MKT),
``-PROD`` (ASSY, QC, MAINT), ``-LOG`` (WH, SHIP), ``-RD`` (RSCH, DEV) and ``-CORP`` (EXEC, HR,
IT, LEGAL): 7 departments and 19 sub-centers. ``count`` is honoured exactly: up to 7 rows are
the first departments; beyond that the sub-centers are added round-robin across departments,
and beyond the 19 listed ones numbered regional sub-centers (``CC-1000-SALES-R01``) follow.
The table is small and fully determined by ``count``; ``rng`` is accepted for a uniform
generator signature but not needed.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from datasynth.config.models import CompanySettings
from datasynth.generators.master_data.common import codes, constant_code
from datasynth.schemas.master_data import COST_CENTERS


class Department(NamedTuple):
    code: str
    name: str
    department: str
    category: str
    subs: tuple[tuple[str, str], ...]


DEPARTMENTS: tuple[Department, ...] = (
    Department("FIN", "Finance", "finance", "administration",
               (("AP", "Accounts Payable"), ("AR", "Accounts Receivable"),
                ("GL", "General Ledger"), ("TAX", "Tax"))),
    Department("PROC", "Procurement", "procurement", "administration",
               (("PURCH", "Purchasing"), ("SRC", "Strategic Sourcing"))),
    Department("SALES", "Sales", "sales", "sales",
               (("DOM", "Domestic Sales"), ("INTL", "International Sales"),
                ("MKT", "Marketing"))),
    Department("PROD", "Production", "production", "production",
               (("ASSY", "Assembly"), ("QC", "Quality Control"), ("MAINT", "Maintenance"))),
    Department("LOG", "Logistics", "logistics", "production",
               (("WH", "Warehouse"), ("SHIP", "Shipping"))),
    Department("RD", "Research and Development", "research", "research",
               (("RSCH", "Research"), ("DEV", "Development"))),
    Department("CORP", "Corporate", "corporate", "administration",
               (("EXEC", "Executive Office"), ("HR", "Human Resources"),
                ("IT", "Information Technology"), ("LEGAL", "Legal"))),
)


def _sub_centers(count: int) -> list[tuple[int, str, str]]:
    """(department index, sub code, sub name) for ``count`` sub-centers, round-robin."""
    listed = max(len(d.subs) for d in DEPARTMENTS)
    out: list[tuple[int, str, str]] = []
    for round_ in itertools.count():
        for i, dept in enumerate(DEPARTMENTS):
            if len(out) == count:
                return out
            if round_ < len(dept.subs):
                out.append((i, *dept.subs[round_]))
            elif round_ >= listed:
                n = round_ - listed + 1
                out.append((i, f"R{n:02d}", f"{dept.name} Region {n}"))
    raise AssertionError("unreachable")


def generate_cost_centers(rng: np.random.Generator, company: CompanySettings,
                          count: int) -> pa.Table:
    """``count`` cost centers of ``company`` (departments first, then sub-centers)."""
    del rng  # the hierarchy is fixed by count
    cc = company.code
    depts = DEPARTMENTS[:min(count, len(DEPARTMENTS))]
    rows = [(f"CC-{cc}-{d.code}", d.name, i, None) for i, d in enumerate(depts)]
    for i, sub, name in _sub_centers(max(0, count - len(DEPARTMENTS))):
        dept = DEPARTMENTS[i]
        rows.append((f"CC-{cc}-{dept.code}-{sub}", f"{dept.name} - {name}", i,
                     f"CC-{cc}-{dept.code}"))
    dept_idx = np.array([r[2] for r in rows], dtype=np.int32)
    parent = np.array([r[3] is not None for r in rows], dtype=bool)
    dept_ids = [f"CC-{cc}-{d.code}" for d in DEPARTMENTS]
    categories = list(dict.fromkeys(d.category for d in DEPARTMENTS))
    category_idx = np.array([categories.index(DEPARTMENTS[i].category) for i in dept_idx],
                            dtype=np.int32)
    arrays = [
        pa.array([r[0] for r in rows], pa.string()),
        constant_code(cc, len(rows)),
        pa.array([r[1] for r in rows], pa.string()),
        codes(dept_idx, [d.department for d in DEPARTMENTS]),
        codes(category_idx, categories),
        codes(dept_idx, dept_ids, mask=~parent),
        pa.array(np.where(parent, 2, 1).astype(np.int8)),
    ]
    return pa.Table.from_arrays(arrays, schema=COST_CENTERS.schema)


def company_cost_centers(cost_centers: pa.Table, company_code: str) -> list[str]:
    """The cost-center ids of one company, in table order."""
    owner = cost_centers.column("company_code").cast(pa.string()).to_pylist()
    ids = cost_centers.column("cost_center").to_pylist()
    return [cc for cc, co in zip(ids, owner) if co == company_code]


def family(ids: list[str], company_code: str, *preferences: str) -> list[int]:
    """Positions in ``ids`` of the first non-empty family among ``preferences`` (``"PROD"``
    matches ``CC-1000-PROD`` and its sub-centers, ``"CORP-IT"`` only that sub-center)."""
    for code in preferences:
        prefix = f"CC-{company_code}-{code}"
        found = [i for i, cc in enumerate(ids) if cc == prefix or cc.startswith(prefix + "-")]
        if found:
            return found
    return []
