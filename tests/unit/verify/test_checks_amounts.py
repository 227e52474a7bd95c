"""Journal balance, one-sided lines and document arithmetic: each fails on its damage only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.unit.verify.builder import find
from tests.unit.verify.conftest import failing, results

CENT = Decimal("0.01")


def test_a_changed_journal_amount_unbalances_its_entry(build):
    def edit(data):
        find(data["journal_entries"], document_id="JE-03", line_number=1)["debit_amount"] += CENT

    root = build(edit=edit)
    assert failing(root) == {"journal.balanced", "trial_balance.agrees_with_journal",
                             "trial_balance.movements"}
    found = results(root)["journal.balanced"]
    assert found.violations == 1 and found.checked == 14
    assert "JE-03 (1000) debit 1,100.01 credit 1,100.00" in found.detail


def test_a_line_with_both_sides_is_caught_even_when_the_entry_balances(build):
    def edit(data):
        line = find(data["journal_entries"], document_id="JE-02", line_number=1)
        line["debit_amount"] += 5
        line["credit_amount"] += 5

    root = build(edit=edit)
    # the entry still balances and nets the same; only the line and the period debits differ
    assert failing(root) == {"journal.one_side_per_line", "trial_balance.movements"}
    assert "JE-02/1 debit 1,005.00 credit 5.00" in results(root)["journal.one_side_per_line"].detail


def test_a_line_with_no_amount_is_caught(build):
    def edit(data):
        line = dict(find(data["journal_entries"], document_id="JE-02", line_number=2))
        data["journal_entries"].append({**line, "line_number": 3, "credit_amount": Decimal(0)})

    assert failing(build(edit=edit)) == {"journal.one_side_per_line"}


# table, row, recorded column, checks that fail besides amounts.<table>
AMOUNT_CASES = [
    ("vendor_invoices", {"invoice_id": "VI-1"}, "gross_amount",
     {"chains.vendor_invoices_settled"}),
    ("customer_invoices", {"invoice_id": "CI-1"}, "gross_amount",
     {"chains.customer_invoices_settled"}),
    ("vendor_payments", {"payment_id": "VP-1"}, "paid_amount", set()),
    ("customer_receipts", {"receipt_id": "CR-2"}, "received_amount", set()),
    ("purchase_orders", {"purchase_order_id": "PO-1"}, "net_amount", set()),
    ("sales_orders", {"sales_order_id": "SO-1"}, "net_amount", set()),
    ("inventory_positions", {"fiscal_period": 11}, "value", {"subledger.inventory"}),
    ("fixed_asset_balances", {"asset_id": "FA-2"}, "net_book_value", set()),
]


@pytest.mark.parametrize("table, match, column, also", AMOUNT_CASES,
                         ids=[case[0] for case in AMOUNT_CASES])
def test_a_cent_off_in_a_document_fails_its_arithmetic(build, table, match, column, also):
    def edit(data):
        row = find(data[table], **match)
        row[column] = Decimal(row[column]) + CENT

    root = build(edit=edit)
    assert failing(root) == {f"amounts.{table}", *also}
    assert results(root)[f"amounts.{table}"].violations == 1
