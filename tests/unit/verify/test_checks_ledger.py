"""Trial balance and statements: each kind of damage fails exactly the checks it should."""

from __future__ import annotations

from decimal import Decimal

from datasynth.verify import SKIP
from tests.unit.verify import books
from tests.unit.verify.builder import find
from tests.unit.verify.conftest import failing, results


def _tb(data, account="100000", period=12, company="1000") -> dict:
    return find(data["trial_balances"], company_code=company, gl_account=account,
                fiscal_period=period)


def _rebook(data) -> None:
    """Recompute the trial balance from the (edited) journal, as a consistent generator would."""
    data["trial_balances"] = books.trial_balances(data["journal_entries"])


def test_a_deleted_journal_line_disagrees_with_the_trial_balance(build):
    def edit(data):
        data["journal_entries"].remove(
            find(data["journal_entries"], document_id="JE-08", line_number=2))

    root = build(edit=edit)
    assert failing(root) == {"journal.balanced", "trial_balance.agrees_with_journal",
                             "trial_balance.movements"}
    found = results(root)["trial_balance.agrees_with_journal"]
    # the cash credit is gone from November on: both period ends disagree by 700
    assert found.violations == 2
    assert "1000 100000 2024-11: 8,490.00 vs 9,190.00" in found.detail
    assert "1000 100000 2024-12: 8,990.00 vs 9,690.00" in found.detail


def test_a_changed_closing_balance(build):
    def edit(data):
        _tb(data)["closing_balance"] += 1

    root = build(edit=edit)
    assert failing(root) == {"trial_balance.sums_to_zero", "trial_balance.roll_forward",
                             "trial_balance.agrees_with_journal",
                             "statements.assets_equal_liabilities_equity"}
    detail = results(root)["trial_balance.sums_to_zero"].detail
    assert "1000 2024-12: closing sums to 1.00" in detail


def test_a_first_period_opening_that_does_not_roll_forward(build):
    def edit(data):
        _tb(data, period=11)["opening_balance"] += 1

    assert failing(build(edit=edit)) == {"trial_balance.roll_forward"}


def test_an_opening_that_is_not_the_previous_closing(build):
    def edit(data):   # opening and debit moved together: the row itself still rolls forward
        row = _tb(data, account="150200")
        row["opening_balance"] -= 10
        row["debit"] += 10

    root = build(edit=edit)
    assert failing(root) == {"trial_balance.continuity", "trial_balance.movements",
                             "trial_balance.sums_to_zero"}
    detail = results(root)["trial_balance.continuity"].detail
    assert "150200 2024-12: 1,990.00 vs 2,000.00" in detail


def test_period_totals_that_differ_from_the_journal(build):
    def edit(data):
        row = _tb(data, account="120000", period=11)
        row["debit"] += 3
        row["credit"] += 3

    assert failing(build(edit=edit)) == {"trial_balance.movements"}


def test_account_types_are_taken_from_the_chart(build):
    def edit(data):
        _tb(data, account="300000")["account_type"] = "liability"
        data["trial_balances"].append({**_tb(data, account="300000", company="2000"),
                                       "gl_account": "999999", "closing_balance": Decimal(0),
                                       "opening_balance": Decimal(0), "debit": Decimal(0),
                                       "credit": Decimal(0)})

    root = build(edit=edit)
    assert failing(root) == {"statements.assets_equal_liabilities_equity", "keys.ledgers"}
    detail = results(root)["statements.assets_equal_liabilities_equity"].detail
    assert "account_type differs from the chart" in detail and "(e.g. 999999)" in detail


def test_profit_and_loss_left_open_after_the_close(build):
    def edit(data):   # the close books 50 too much depreciation back
        for line, debit, credit in ((2, 260, 0), (5, 0, 150)):
            row = find(data["journal_entries"], document_id="JE-13", line_number=line)
            row["debit_amount"], row["credit_amount"] = Decimal(debit), Decimal(credit)
        _rebook(data)

    root = build(edit=edit)
    assert failing(root) == {"statements.year_end_close"}
    assert "1000 2024 750000 -50.00" in results(root)["statements.year_end_close"].detail


def test_the_year_end_check_is_skipped_without_a_closing_entry(build):
    def edit(data):
        data["journal_entries"] = [e for e in data["journal_entries"]
                                   if e["document_id"] != "JE-13"]
        _rebook(data)

    root = build(edit=edit)
    assert failing(root) == set()
    assert results(root)["statements.year_end_close"].status == SKIP


def test_opening_balances_must_be_the_opening_entry(build):
    def edit(data):
        find(data["opening_balances"], company_code="1000", gl_account="120000")["balance"] += 1

    root = build(edit=edit)
    assert failing(root) == {"statements.opening_balances"}
    detail = results(root)["statements.opening_balances"].detail
    assert "1000 sum of company 1.00" in detail and "1000 120000 501.00 vs 500.00" in detail
