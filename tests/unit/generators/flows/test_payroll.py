"""Payroll (flows.general.payroll) in a run whose companies have no cost centers: salaries
post without cost centers and every H2R entry still balances; and, with cost centers, the
expense lines carry them."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow.compute as pc
import pytest

from tests.unit.generators.flows.runs import generate, minor, strings

PAYROLL_EXPENSES = {"600000", "620000"}      # salaries, employer social security


def h2r_lines(result):
    je = result.table("journal_entries")
    return je.filter(pc.equal(je["business_process"].cast("string"), "H2R"))


@pytest.fixture(scope="module")
def without_centers():
    return generate(master_data={"vendors": 10, "customers": 12, "materials": 8,
                                 "fixed_assets": 5, "employees": 15, "cost_centers": 0},
                    transactions={"target_count": 1500},
                    **{"global": {"seed": 13, "industry": "manufacturing",
                                  "start_date": "2024-01-01", "period_months": 4,
                                  "group_currency": "USD"}})


def test_payroll_posts_without_cost_centers_and_balances(without_centers):
    config, result = without_centers
    assert result.table("cost_centers").num_rows == 0
    je = result.table("journal_entries")
    assert je["cost_center"].null_count == je.num_rows, "a line names a cost center"
    h2r = h2r_lines(result)
    ids, ref = strings(h2r, "document_id"), strings(h2r, "reference_document_type")
    accounts = strings(h2r, "gl_account")
    debit, credit = minor(h2r, "debit_amount"), minor(h2r, "credit_amount")
    net = defaultdict(int)
    for i, d, c in zip(ids, debit, credit):
        net[i] += int(d) - int(c)
    unbalanced = {i: v for i, v in net.items() if v}
    assert not unbalanced, f"unbalanced payroll entries: {list(unbalanced.items())[:5]}"
    runs = set(ids[ref == "payroll_run"])
    months, companies = config.global_.period_months, len(config.companies)
    # per month and company: the run, the salary payment and the tax remittance
    assert len(runs) == 3 * months * companies, f"{len(runs)} payroll entries"
    salary = np.isin(accounts, list(PAYROLL_EXPENSES)) & (debit > 0)
    assert salary.sum() >= months * companies, "payroll runs posted no salary expense"
    assert set(ids[salary]) <= runs, "salary expense outside a payroll run"
    claims = ref == "expense_claim"
    assert claims.any(), "no expense claims"


def test_payroll_expenses_carry_cost_centers_when_there_are_some():
    _, result = generate(transactions={"target_count": 1500},
                              **{"global": {"seed": 13, "industry": "manufacturing",
                                            "start_date": "2024-01-01", "period_months": 2,
                                            "group_currency": "USD"}})
    h2r = h2r_lines(result)
    accounts, centers = strings(h2r, "gl_account"), strings(h2r, "cost_center")
    expense = np.isin(accounts, list(PAYROLL_EXPENSES))
    assert expense.any()
    known = set(strings(result.table("cost_centers"), "cost_center"))
    named = np.array([c is not None for c in centers])
    assert named[expense].mean() > 0.9, "payroll expense mostly without a cost center"
    assert set(centers[named]) <= known, "a payroll line names an unknown cost center"
    assert not named[~np.isin(accounts, list(PAYROLL_EXPENSES) + ["730000"])].any(), \
        "a balance-sheet payroll line carries a cost center"
