"""Cash and stock never below their floor at any moment: the books, and damage to them."""

from __future__ import annotations

from decimal import Decimal

from tests.unit.verify.builder import find
from tests.unit.verify.conftest import failing, results


def test_positions_hold_in_the_books(books_dir):
    found = results(books_dir)
    assert found["positions.cash_within_overdraft"].checked == 2
    assert "1000 8,200.00" in found["positions.cash_within_overdraft"].detail
    assert found["positions.stock_never_negative"].status == "pass"


def test_cash_below_the_overdraft_facility(build):
    def edit(data):
        for row in data["journal_entries"]:
            if row["document_id"] == "JE-08":         # Dr opex / Cr cash, 15 November
                amount = Decimal(20000)
                row.update(debit_amount=amount if row["debit_amount"] else Decimal(0),
                           credit_amount=amount if row["credit_amount"] else Decimal(0))

    root = build(edit=edit)
    assert "positions.cash_within_overdraft" in failing(root)
    assert "1000 -11,100.00 at 2024-11-20 09:00:00" in \
        results(root)["positions.cash_within_overdraft"].detail


def test_a_delivery_of_stock_that_is_not_there(build):
    def edit(data):
        data["deliveries"].append({**find(data["deliveries"], delivery_id="DL-1"),
                                   "delivery_id": "DL-9", "quantity": 50,
                                   "fiscal_period": 12, "journal_entry_id": "JE-10"})

    root = build(edit=edit)
    assert "positions.stock_never_negative" in failing(root)
    assert "1000 M-1 -" in results(root)["positions.stock_never_negative"].detail
