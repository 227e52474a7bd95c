"""Subledgers against control accounts: a changed item, a control account with nothing
behind it, and a subledger that was not generated."""

from __future__ import annotations

from decimal import Decimal

import pytest

from datasynth.verify import SKIP
from tests.unit.verify import books
from tests.unit.verify.builder import find
from tests.unit.verify.conftest import failing, results

# table, row (in November, so no settlement at the run's end is touched), changes, check
CASES = [
    ("ar_open_items", {"invoice_id": "CI-1", "fiscal_period": 11},
     {"open_amount": Decimal("1100.01")}, "subledger.receivables"),
    ("ap_open_items", {"invoice_id": "VI-0", "fiscal_period": 11},
     {"open_amount": Decimal(199)}, "subledger.payables"),
    ("inventory_positions", {"fiscal_period": 11},
     {"quantity": 12, "value": Decimal(1200)}, "subledger.inventory"),
    ("fixed_asset_balances", {"asset_id": "FA-1", "fiscal_period": 11},
     {"acquisition_cost": Decimal(2100), "net_book_value": Decimal(1650)},
     "subledger.fixed_asset_cost"),
    ("fixed_asset_balances", {"asset_id": "FA-1", "fiscal_period": 11},
     {"accumulated_depreciation": Decimal(460), "net_book_value": Decimal(1540)},
     "subledger.accumulated_depreciation"),
]


@pytest.mark.parametrize("table, match, changes, check", CASES,
                         ids=[case[3] for case in CASES])
def test_a_changed_subledger_item_fails_its_reconciliation(build, table, match, changes,
                                                           check):
    root = build(edit=lambda data: find(data[table], **match).update(changes))
    assert failing(root) == {check}
    found = results(root)[check]
    assert found.violations == 1 and "2024-11" in found.detail


def test_a_control_account_with_a_balance_but_no_items_fails(build):
    def edit(data):   # post to the second receivables account, which has no open items
        data["journal_entries"] += [
            {**line, "document_id": "JE-15", "gl_account": account, "line_number": number,
             "debit_amount": Decimal(debit), "credit_amount": Decimal(credit),
             "reference_document_type": "gl_template", "reference_document_id": None}
            for line in [find(data["journal_entries"], document_id="JE-10", line_number=1)]
            for number, account, debit, credit in ((1, "110100", 50, 0), (2, "100000", 0, 50))]
        data["trial_balances"] = books.trial_balances(data["journal_entries"])

    root = build(edit=edit)
    assert failing(root) == {"subledger.receivables"}
    assert "1000 110100 2024-12: subledger 0.00 vs ledger 50.00" in \
        results(root)["subledger.receivables"].detail


def test_a_subledger_not_generated_is_skipped(build):
    root = build(drop=("ar_open_items",))
    found = results(root)
    assert found["subledger.receivables"].status == SKIP
    assert found["chains.customer_invoices_settled"].status == SKIP
    assert failing(root) == set()
