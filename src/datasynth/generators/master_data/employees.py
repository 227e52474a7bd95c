"""Employees of a company: ``count`` people plus four technical (system) users.

People get names of the company country's locale (Faker name lists, :mod:`names`), a
department and job level from :mod:`org_chart`, a line manager, a home cost center of their
department, a hire date within 15 years before the generated period and an annual salary and
approval limit by job level (reference §2.5, USD converted to the company currency):

=========== ============== ===============
level       salary (USD)   approval limit
=========== ============== ===============
staff       40k-60k        1k
senior      60k-90k        5k
manager     80k-120k       25k
director    100k-160k      100k
vp          130k-200k      500k
executive   150k-250k      10M
=========== ============== ===============

User names are first initial + last name (``JSMITH``, repeats ``JSMITH2``), e-mail addresses
``first.last@<company domain>``, both ASCII-folded. The technical users (a batch-job user, an
interface user, a recurring-entries user and a workflow user) post automated entries.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.models import CompanySettings
from datasynth.generators.master_data.common import (
    codes, constant_code, dates, days_before, epoch_days, join, money, numbered_unique,
    round_minor, round_significant, sequential_ids, take, usd_to_minor)
from datasynth.generators.master_data.companies import email_domain
from datasynth.generators.master_data.cost_centers import company_cost_centers, family
from datasynth.generators.master_data.countries import country
from datasynth.generators.master_data.names import people
from datasynth.generators.master_data.org_chart import (
    DEPARTMENTS, EXECUTIVE, LEVELS, OrgChart, build_org_chart)
from datasynth.schemas.master_data import EMPLOYEES

SALARY_BANDS_USD = ((40e3, 60e3), (60e3, 90e3), (80e3, 120e3), (100e3, 160e3),
                    (130e3, 200e3), (150e3, 250e3))
APPROVAL_LIMITS_USD = (1e3, 5e3, 25e3, 100e3, 500e3, 10e6)
INACTIVE_SHARE = 0.03          # of staff and senior people (left during the period)
MAX_TENURE_DAYS = 15 * 365

# title per department and level (staff .. executive)
_TITLES = {
    "executive": ("Executive Assistant", "Senior Strategy Analyst", "Strategy Manager",
                  "Director of Corporate Strategy", "VP Corporate Development",
                  "Executive Vice President Strategy"),
    "finance": ("Accountant", "Senior Accountant", "Accounting Manager", "Finance Director",
                "VP Finance", "Executive Vice President Finance"),
    "procurement": ("Buyer", "Senior Buyer", "Purchasing Manager", "Procurement Director",
                    "VP Procurement", "Executive Vice President Procurement"),
    "sales": ("Sales Representative", "Senior Account Executive", "Sales Manager",
              "Sales Director", "VP Sales", "Executive Vice President Sales"),
    "warehouse": ("Warehouse Clerk", "Senior Warehouse Specialist", "Warehouse Manager",
                  "Logistics Director", "VP Supply Chain", "Executive Vice President Logistics"),
    "production": ("Production Operator", "Senior Technician", "Production Manager",
                   "Plant Director", "VP Manufacturing", "Executive Vice President Operations"),
    "it": ("IT Analyst", "Senior Systems Engineer", "IT Manager", "IT Director", "VP IT",
           "Executive Vice President Technology"),
    "hr": ("HR Specialist", "Senior HR Business Partner", "HR Manager", "HR Director",
           "VP Human Resources", "Executive Vice President People"),
}
# title of an executive-level department head
_CHIEFS = {"executive": "Chief Operating Officer", "finance": "Chief Financial Officer",
           "procurement": "Chief Procurement Officer", "sales": "Chief Sales Officer",
           "warehouse": "Chief Supply Chain Officer", "production": "Chief Operating Officer",
           "it": "Chief Information Officer", "hr": "Chief Human Resources Officer"}
# department -> cost-center families, most specific first
_COST_CENTERS = {"finance": ("FIN",), "procurement": ("PROC",), "sales": ("SALES",),
                 "production": ("PROD",), "warehouse": ("LOG",), "it": ("CORP-IT", "CORP"),
                 "hr": ("CORP-HR", "CORP"), "executive": ("CORP-EXEC", "CORP")}
_SYSTEM_USERS = (("BATCH01", "Batch Job User"), ("INTERFACE", "Interface User"),
                 ("RECURRING", "Recurring Entries User"), ("WORKFLOW", "Workflow User"))


def _titles(org: OrgChart) -> pa.Array:
    labels = [t for d in DEPARTMENTS for t in _TITLES[d]]
    labels += [_CHIEFS[d] for d in DEPARTMENTS] + ["Chief Executive Officer"]
    idx = org.department * len(LEVELS) + org.level
    chief = org.is_head & (org.level == EXECUTIVE)
    idx = np.where(chief, len(DEPARTMENTS) * len(LEVELS) + org.department, idx)
    if org.ceo >= 0:
        idx[org.ceo] = len(labels) - 1
    return take(pa.array(labels, pa.string()), idx)


def _cost_centers(rng: np.random.Generator, company: CompanySettings, cost_centers: pa.Table,
                  org: OrgChart) -> tuple[np.ndarray, list[str]]:
    """(index into the company's cost-center ids per person, the ids); a department without
    its own cost centers uses CORP, else the first cost center."""
    ids = company_cost_centers(cost_centers, company.code)
    idx = np.zeros(org.department.size, dtype=np.int64)
    if not ids:
        return idx, ids
    for d, name in enumerate(DEPARTMENTS):
        rows = np.flatnonzero(org.department == d)
        candidates = family(ids, company.code, *_COST_CENTERS[name], "CORP") or [0]
        picks = np.array(candidates)[rng.integers(0, len(candidates), rows.size)]
        idx[rows] = np.where(org.is_head[rows], candidates[0], picks)
    return idx, ids


def _system_users(company: CompanySettings, domain: str, start_day: int) -> dict:
    """Column parts of the technical users (codes as indices into the people's labels)."""
    n = len(_SYSTEM_USERS)
    users = [u for u, _ in _SYSTEM_USERS]
    return {
        "employee_id": pa.array([f"SYS-{company.code}-{i + 1:02d}" for i in range(n)]),
        "user_name": pa.array(users),
        "first_name": pa.array([""] * n),
        "last_name": pa.array([d for _, d in _SYSTEM_USERS]),
        "email": pa.array([f"{u.lower()}@{domain}" for u in users]),
        "employee_type": np.ones(n, dtype=np.int32),
        "department": np.full(n, DEPARTMENTS.index("it")),
        "job_title": pa.array(["Technical User"] * n),
        "job_level": np.full(n, len(LEVELS)),                  # "none"
        "hire_date": dates(np.full(n, start_day - 10 * 365)),
        "base_salary": np.zeros(n, dtype=np.int64),
        "approval_limit": np.zeros(n, dtype=np.int64),
        "is_active": np.ones(n, dtype=bool),
    }


def generate_employees(rng: np.random.Generator, company: CompanySettings, count: int,
                       cost_centers: pa.Table, start_date: dt.date,
                       id_offset: int = 0) -> pa.Table:
    """``count`` people of ``company`` followed by its four technical users."""
    org = build_org_chart(rng, count)
    names = people(rng, country(company.country).locale, count)
    domain = email_domain(company)
    ids = sequential_ids(f"EMP-{company.code}-", id_offset, count)
    initial = pc.utf8_slice_codeunits(names.first_token, 0, 1)
    user = numbered_unique(pc.utf8_upper(join(initial, names.last_token)))
    local = numbered_unique(join(names.first_token, names.last_token, sep="."))
    cc_idx, cc_ids = _cost_centers(rng, company, cost_centers, org)
    hire = days_before(rng, start_date, count, 30, MAX_TENURE_DAYS)
    low, high = (np.array(bound)[org.level] for bound in zip(*SALARY_BANDS_USD))
    salary = round_minor(usd_to_minor(rng.uniform(low, high), company), 100, company)
    limits = round_significant(usd_to_minor(np.array(APPROVAL_LIMITS_USD), company), 2, company)
    active = ~((org.level <= 1) & (rng.random(count) < INACTIVE_SHARE))

    system = _system_users(company, domain, epoch_days(start_date))
    n_sys = len(_SYSTEM_USERS)
    cc_sys = np.full(n_sys, (family(cc_ids, company.code, "CORP-IT", "CORP") or [0])[0])
    cc_mask = None if cc_ids else np.ones(count + n_sys, dtype=bool)
    arrays = [
        pa.concat_arrays([ids, system["employee_id"]]),
        constant_code(company.code, count + n_sys),
        pa.concat_arrays([user, system["user_name"]]),
        pa.concat_arrays([names.first, system["first_name"]]),
        pa.concat_arrays([names.last, system["last_name"]]),
        pa.concat_arrays([join(local, f"@{domain}"), system["email"]]),
        codes(np.r_[np.zeros(count, dtype=np.int32), system["employee_type"]], ["person", "system"]),
        codes(np.r_[org.department, system["department"]], DEPARTMENTS),
        pa.concat_arrays([_titles(org), system["job_title"]]),
        codes(np.r_[org.level, system["job_level"]], [*LEVELS, "none"]),
        codes(np.r_[cc_idx, cc_sys], cc_ids, mask=cc_mask),
        codes(np.r_[np.maximum(org.manager, 0), np.zeros(n_sys, dtype=np.int64)], ids,
              mask=np.r_[org.manager < 0, np.ones(n_sys, dtype=bool)]),
        pa.concat_arrays([dates(hire), system["hire_date"]]),
        money(np.r_[salary, system["base_salary"]], company),
        money(np.r_[limits[org.level], system["approval_limit"]], company),
        pa.array(np.r_[active, system["is_active"]]),
    ]
    return pa.Table.from_arrays(arrays, schema=EMPLOYEES.schema)
