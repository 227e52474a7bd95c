"""Prepaid expenses: the annual insurance premium is paid in advance and amortised month by
month; the opening prepayments are released over the first quarter. Balances never turn
negative and a whole policy year ends at zero."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from tests.unit.generators.flows.runs import generate, minor, strings


@pytest.fixture(scope="module")
def balances():
    config, result = generate(transactions={"target_count": 3000},
                              **{"global": {"seed": 9, "industry": "retail",
                                            "start_date": "2024-01-01", "period_months": 12,
                                            "group_currency": "USD"}})
    tb = result.table("trial_balances")
    return config, tb, result.table("journal_entries")


def _series(tb: pa.Table, company: str, account: str) -> np.ndarray:
    rows = (strings(tb, "company_code") == company) & (strings(tb, "gl_account") == account)
    periods = tb["fiscal_period"].to_numpy()[rows]
    return minor(tb, "closing_balance")[rows][np.argsort(periods)]


def test_prepaid_insurance_runs_down_to_zero_over_the_policy_year(balances):
    config, tb, _ = balances
    for company in config.companies:
        insurance = _series(tb, company.code, "130100")
        assert len(insurance) == 12 and (insurance >= 0).all()
        assert (np.diff(insurance) < 0).all(), "amortised every month"
        assert insurance[-1] == 0 and insurance[0] > 0


def test_opening_prepayments_are_released_in_the_first_quarter(balances):
    config, tb, _ = balances
    for company in config.companies:
        prepaid = _series(tb, company.code, "130000")
        assert (prepaid >= 0).all()
        assert prepaid[0] > 0 and (prepaid[2:] == 0).all()


def test_the_premium_is_paid_from_the_bank_on_the_first_working_day(balances):
    """The run starts on 1 January 2024, New Year's Day (a holiday in both companies'
    countries): the bank pays the premium on Tuesday 2 January."""
    config, _, je = balances
    text = strings(je, "header_text")
    premium = text == "Annual insurance premium paid in advance"
    accounts = strings(je, "gl_account")[premium]
    assert set(accounts) == {"130100", "100000"}
    days = je["posting_date"].to_pylist()
    assert config.global_.start_date.isoformat() == "2024-01-01"
    assert {str(days[i]) for i in np.flatnonzero(premium)} == {"2024-01-02"}
