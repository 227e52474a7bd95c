"""Who posts, and which cost center a line is charged to, per company.

Manual entries are created by people of the departments that own the process (accounts
payable clerks and buyers for P2P, receivables and sales staff for O2C, accountants for
R2R, payroll and HR for H2R, asset accountants for A2R), with heavy-tailed activity: some
clerks post far more than others. Automated and recurring entries come from the company's
technical users. Expense lines carry a cost center of a department plausible for the process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.common.sampling import GroupedChoice, zipf_weights
from datasynth.generators.journal_entries.postings import PROCESSES

_POSTING_DEPARTMENTS = {
    "O2C": {"finance": 0.7, "sales": 0.3},
    "P2P": {"finance": 0.6, "procurement": 0.4},
    "R2R": {"finance": 1.0},
    "H2R": {"finance": 0.4, "hr": 0.6},
    "A2R": {"finance": 0.9, "production": 0.1},
}
_COST_CENTER_DEPARTMENTS = {
    "O2C": {"sales": 0.8, "logistics": 0.2},
    "P2P": {"procurement": 0.2, "production": 0.35, "logistics": 0.15, "corporate": 0.15,
            "research": 0.1, "finance": 0.05},
    "R2R": {"finance": 0.4, "corporate": 0.4, "sales": 0.1, "production": 0.1},
    "H2R": {"production": 0.3, "sales": 0.25, "corporate": 0.2, "finance": 0.1,
            "logistics": 0.1, "research": 0.05},
    "A2R": {"production": 0.5, "logistics": 0.2, "corporate": 0.3},
}
# technical users by source: automated -> batch, interface, workflow; recurring -> recurring
_SYSTEM_USERS = {"automated": {"BATCH01": 0.6, "INTERFACE": 0.3, "WORKFLOW": 0.1},
                 "recurring": {"RECURRING": 1.0}}
SOURCES = ("manual", "automated", "recurring", "adjustment")


@dataclass(frozen=True)
class CompanyDirectory:
    """Employees and cost centers of one company, ready for vectorised draws."""

    user_ids: pa.Array                     # dictionary values for created_by
    creator_choice: GroupedChoice          # group = process * len(SOURCES) + source
    cost_center_ids: pa.Array
    cost_center_choice: GroupedChoice      # group = process


def build_directory(company: str, employees: pa.Table, cost_centers: pa.Table,
                    rng: np.random.Generator,
                    inactive: frozenset[str] = frozenset()) -> CompanyDirectory:
    """``inactive`` employees (ids) create no entries: the ghost employees an anomaly
    scheme pays are on the payroll but do no work."""
    staff = employees.filter(pc.equal(employees["company_code"].cast(pa.string()), company))
    ids = staff["employee_id"].to_pylist()
    kinds = staff["employee_type"].cast(pa.string()).to_pylist()
    departments = staff["department"].cast(pa.string()).to_pylist()
    user_names = staff["user_name"].to_pylist()
    activity = zipf_weights(len(ids), 0.9, rng)
    people = [i for i, k in enumerate(kinds) if k == "person" and ids[i] not in inactive]
    systems = {user_names[i]: i for i, k in enumerate(kinds) if k == "system"}

    values, weights = [], []
    for process in PROCESSES:
        for source in SOURCES:
            if source in _SYSTEM_USERS and systems:
                pool = [(systems[u], w) for u, w in _SYSTEM_USERS[source].items() if u in systems]
                pool = pool or [(i, 1.0) for i in systems.values()]
            else:
                pool = _department_pool(people, departments, activity,
                                        _POSTING_DEPARTMENTS[process])
            values.append([i for i, _ in pool])
            weights.append([w for _, w in pool])

    centers = cost_centers.filter(pc.equal(cost_centers["company_code"].cast(pa.string()),
                                           company))
    center_ids = centers["cost_center"]
    center_departments = centers["department"].cast(pa.string()).to_pylist()
    center_weight = zipf_weights(len(center_departments), 0.5, rng)
    center_values, center_weights = [], []
    for process in PROCESSES:
        pool = _department_pool(list(range(len(center_departments))), center_departments,
                                center_weight, _COST_CENTER_DEPARTMENTS[process])
        center_values.append([i for i, _ in pool])
        center_weights.append([w for _, w in pool])
    return CompanyDirectory(pa.array(ids, pa.string()), GroupedChoice(values, weights),
                            center_ids.combine_chunks() if isinstance(center_ids, pa.ChunkedArray)
                            else center_ids, GroupedChoice(center_values, center_weights))


def _department_pool(members: list[int], departments: list[str], activity: np.ndarray,
                     wanted: dict[str, float]) -> list[tuple[int, float]]:
    """Members of the wanted departments weighted by department share x own activity;
    everyone, if none of them exist."""
    pool = []
    for department, share in wanted.items():
        chosen = [i for i in members if departments[i] == department]
        total = float(activity[chosen].sum()) if chosen else 0.0
        pool += [(i, share * activity[i] / total) for i in chosen]
    if not pool:
        total = float(activity[members].sum()) if members else 0.0
        pool = [(i, activity[i] / total) for i in members] if total else []
    return pool
