"""Build the chart of accounts for an industry and a complexity level.

Small charts hold about 100 accounts, medium about 400 and large about 2,500 (the sizes of the
reference study, §1.1). Every chart has the core accounts the posting rules need; the industry
adds its typical accounts; the rest are detail accounts spread over groups by weight.
"""

from __future__ import annotations

import itertools

import pyarrow as pa

from datasynth.generators.common.sampling import apportion

from datasynth.generators.accounts.catalog import (
    CORE,
    DETAIL_GROUPS,
    GROUP_SUB_TYPES,
    INDUSTRY,
    SUB_TYPES,
    Core,
)
from datasynth.schemas.accounts import ACCOUNTS

TARGET_SIZE = {"small": 100, "medium": 400, "large": 2500}
_VARIANTS = ("", "Domestic", "International", "Group", "Projects", "Other", "Regional",
             "Corporate", "Special", "Temporary")
_SUSPENSE = {"suspense", "bank_clearing", "payroll_clearing", "grir_clearing"}


def build_chart(industry: str, complexity: str) -> pa.Table:
    """The ``accounts`` table, sorted by account number (deterministic, no randomness)."""
    accounts = list(CORE) + list(INDUSTRY.get(industry, ()))
    used = {a.number for a in accounts}
    if len(used) != len(accounts):
        raise AssertionError("account catalogue has duplicate numbers")
    # the group accounts come on top of the size, so a chart has the same detail accounts
    # whether the company belongs to a group or not
    group = sum(a.sub_type in GROUP_SUB_TYPES for a in accounts)
    accounts += _details(TARGET_SIZE[complexity] + group - len(accounts), used)
    accounts.sort(key=lambda a: a.number)
    return _to_table(accounts)


def _details(missing: int, used: set[int]) -> list[Core]:
    if missing <= 0:
        return []
    quotas = apportion(missing, [g.weight for g in DETAIL_GROUPS])
    out: list[Core] = []
    for group, quota in zip(DETAIL_GROUPS, quotas):
        out += _group_accounts(group, int(quota), used)
    return out


def _group_accounts(group, quota: int, used: set[int]) -> list[Core]:
    step = 10 if (group.stop - group.start) // 10 >= quota * 2 else 1
    named = (f"{base} - {qual}" + (f" ({variant})" if variant else "")
             for variant in _VARIANTS for base in group.bases for qual in group.qualifiers)
    numbered = (f"{base} - {qual} {n}" for n in itertools.count(2)
                for base in group.bases for qual in group.qualifiers)
    names = itertools.chain(named, numbered)
    out: list[Core] = []
    number = group.start
    for name in names:
        if len(out) >= quota:
            break
        while number in used:
            number += step
        if number > group.stop:
            break
        used.add(number)
        out.append(Core(number, name, group.sub_type))
        number += step
    return out


def _to_table(accounts: list[Core]) -> pa.Table:
    rows = [SUB_TYPES[a.sub_type] for a in accounts]
    schema = ACCOUNTS.schema

    def codes(values: list[str]) -> pa.Array:
        return pa.array(values, pa.string()).dictionary_encode()

    return pa.Table.from_arrays([
        pa.array([str(a.number) for a in accounts], pa.string()),
        pa.array([a.name for a in accounts], pa.string()),
        codes([r[0] for r in rows]),
        codes([a.sub_type for a in accounts]),
        codes([r[2] for r in rows]),
        codes([r[1] for r in rows]),
        pa.array([r[3] for r in rows], pa.bool_()),
        pa.array([r[4] for r in rows], pa.bool_()),
        pa.array([r[0] in ("revenue", "expense") and a.sub_type not in
                  ("tax_expense", "interest_income", "interest_expense", "fx_result",
                   *GROUP_SUB_TYPES)
                  for a, r in zip(accounts, rows)], pa.bool_()),
        pa.array([a.sub_type in _SUSPENSE for a in accounts], pa.bool_()),
    ], schema=schema)
