"""The organisation of a company's people: departments, job levels and reporting lines.

Job levels follow the peer's pyramid (reference §2.5): staff .50, senior .25, manager .12,
director .08, vp .04, executive .01. Departments are split by fixed shares (largest
remainder, so a 68-person company always looks alike); finance always has someone (journal
entries are posted by accountants), and from 10 people on the executive department holds a
chief executive. Reporting lines: the chief executive has no manager; department heads and
other executives report to the chief executive; everyone else reports to a person of the
same department on the next level up that has managers (manager or above where present).
Rows are ordered by department, then by seniority, so the chief executive comes first.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from datasynth.generators.master_data.common import pick, quotas

DEPARTMENTS = ("executive", "finance", "procurement", "sales", "warehouse", "production", "it",
               "hr")
DEPARTMENT_SHARES = (0.03, 0.14, 0.09, 0.20, 0.12, 0.30, 0.07, 0.05)
LEVELS = ("staff", "senior", "manager", "director", "vp", "executive")
LEVEL_WEIGHTS = (0.50, 0.25, 0.12, 0.08, 0.04, 0.01)
EXECUTIVE = LEVELS.index("executive")
MANAGER = LEVELS.index("manager")
_FINANCE = DEPARTMENTS.index("finance")
_EXEC_DEPT = DEPARTMENTS.index("executive")


class OrgChart(NamedTuple):
    department: np.ndarray   # index into DEPARTMENTS
    level: np.ndarray        # index into LEVELS
    manager: np.ndarray      # row of the line manager, -1 for the chief executive
    is_head: np.ndarray      # the most senior person of each department
    ceo: int                 # row of the chief executive (-1 if there is nobody)


def department_sizes(count: int) -> np.ndarray:
    """Headcount per department; finance >= 1 (count >= 1), executive >= 1 (count >= 10)."""
    sizes = quotas(DEPARTMENT_SHARES, count)
    for dept, minimum in ((_FINANCE, 1), (_EXEC_DEPT, 1 if count >= 10 else 0)):
        if sizes[dept] < minimum:
            sizes[int(np.argmax(sizes))] -= 1
            sizes[dept] += 1
    return sizes


def _levels(rng: np.random.Generator, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dept = np.repeat(np.arange(len(sizes)), sizes)
    level = pick(rng, LEVEL_WEIGHTS, int(sizes.sum())).astype(np.int64)
    if sizes[_EXEC_DEPT] and sizes.sum() >= 10:
        level[np.flatnonzero(dept == _EXEC_DEPT)[0]] = EXECUTIVE
    for d in np.flatnonzero(sizes):
        rows = np.flatnonzero(dept == d)
        top = level[rows].max()
        at_top = rows[level[rows] == top]
        if at_top.size > 1 and top < EXECUTIVE:   # one head, strictly above the rest
            level[at_top[0]] = top + 1
    order = np.lexsort((-level, dept))             # by department, most senior first
    return dept[order], level[order]


def _managers(rng: np.random.Generator, dept: np.ndarray, level: np.ndarray,
              is_head: np.ndarray, ceo: int) -> np.ndarray:
    manager = np.full(dept.size, ceo, dtype=np.int64)
    for d in np.unique(dept):
        rows = np.flatnonzero(dept == d)
        present = np.unique(level[rows])
        for lv in present:
            members = rows[(level[rows] == lv) & ~is_head[rows]]
            if lv == EXECUTIVE or members.size == 0:
                continue                               # executives report to the CEO
            above = present[present > lv]
            target = above[above >= MANAGER].min() if (above >= MANAGER).any() else above.min()
            bosses = rows[level[rows] == target]
            manager[members] = bosses[rng.integers(0, bosses.size, members.size)]
    if ceo >= 0:
        manager[ceo] = -1
    return manager


def build_org_chart(rng: np.random.Generator, count: int) -> OrgChart:
    """Departments, levels and managers of ``count`` people."""
    sizes = department_sizes(count)
    dept, level = _levels(rng, sizes)
    is_head = np.r_[True, dept[1:] != dept[:-1]] if count else np.zeros(0, dtype=bool)
    # the most senior person; from 10 people on, the executive department's head (row 0)
    ceo = int(np.argmax(level)) if count else -1
    manager = _managers(rng, dept, level, is_head, ceo)
    return OrgChart(dept, level, manager, is_head, ceo)
