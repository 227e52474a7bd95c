"""Document chains: broken links, unfinished flows and settlements that do not add up."""

from __future__ import annotations

from decimal import Decimal

from tests.unit.verify.builder import find
from tests.unit.verify.conftest import failing, results


def test_the_books_report_their_chain_counts(books_dir):
    found = results(books_dir)
    assert found["chains.vendor_invoices_settled"].detail == "1 cleared, 2 open (1 blocked)"
    assert found["chains.customer_invoices_settled"].detail == "1 cleared, 1 open"
    assert found["chains.purchase_order_receipts"].checked == 2


def test_a_receipt_of_an_order_line_that_does_not_exist(build):
    root = build(edit=lambda d: find(d["goods_receipts"], goods_receipt_id="GR-1").update(
        po_line_number=2))
    assert failing(root) == {"chains.purchase_order_receipts"}
    found = results(root)["chains.purchase_order_receipts"]
    # the receipt points nowhere, and the line it belonged to is now never received
    assert found.violations == 2
    assert "receipt GR-1 -> PO-1/2" in found.detail
    assert "order line PO-1/1 never received" in found.detail


def test_a_vendor_invoice_without_its_order(build):
    root = build(edit=lambda d: find(d["vendor_invoices"], invoice_id="VI-1").update(
        purchase_order_id=None))
    assert failing(root) == {"chains.vendor_invoice_orders"}
    assert "VI-1 -> no order" in results(root)["chains.vendor_invoice_orders"].detail


def test_an_invoice_neither_paid_nor_open(build):
    def edit(data):
        data["vendor_invoices"].append({**find(data["vendor_invoices"], invoice_id="VI-1"),
                                        "invoice_id": "VI-3"})

    root = build(edit=edit)
    assert failing(root) == {"chains.vendor_invoices_settled"}
    assert "VI-3 gross 1,100.00 cleared 0.00 open 0.00" in \
        results(root)["chains.vendor_invoices_settled"].detail


def test_an_invoice_paid_more_than_its_gross(build):
    root = build(edit=lambda d: find(d["vendor_payments"], payment_id="VP-1").update(
        cleared_amount=Decimal(1200), paid_amount=Decimal(1200)))
    assert failing(root) == {"chains.vendor_invoices_settled"}


def test_a_receipt_that_does_not_match_the_open_item(build):
    root = build(edit=lambda d: find(d["customer_receipts"], receipt_id="CR-1").update(
        cleared_amount=Decimal(400), received_amount=Decimal(400)))
    assert failing(root) == {"chains.customer_invoices_settled"}
    assert "CI-1 gross 1,100.00 cleared 400.00 open 600.00" in \
        results(root)["chains.customer_invoices_settled"].detail


def test_a_delivery_of_an_order_line_that_does_not_exist(build):
    root = build(edit=lambda d: find(d["deliveries"], delivery_id="DL-1").update(
        so_line_number=9))
    # the delivery points nowhere, and the line it shipped is now never shipped
    assert failing(root) == {"chains.sales_order_deliveries", "chains.sales_orders_fulfilled"}
    assert "DL-1 -> SO-1/9" in results(root)["chains.sales_order_deliveries"].detail
    assert "SO-1/1 shipped 0 of 4" in results(root)["chains.sales_orders_fulfilled"].detail


def test_a_rejected_order_that_was_shipped(build):
    root = build(edit=lambda d: find(d["sales_orders"], sales_order_id="SO-1").update(
        credit_check="rejected"))
    assert failing(root) == {"chains.sales_orders_fulfilled"}
    assert "SO-1/1 rejected but shipped or billed" in \
        results(root)["chains.sales_orders_fulfilled"].detail


def test_an_order_line_shipped_short(build):
    root = build(edit=lambda d: find(d["sales_orders"], sales_order_id="SO-1").update(
        quantity=5))
    assert "chains.sales_orders_fulfilled" in failing(root)
    assert "SO-1/1 shipped 4 of 5" in results(root)["chains.sales_orders_fulfilled"].detail


def test_a_return_of_more_than_was_shipped(build):
    def edit(data):
        data["deliveries"].append({**find(data["deliveries"], delivery_id="DL-1"),
                                   "delivery_id": "DL-2", "quantity": -5, "is_return": True})

    root = build(edit=edit)
    assert "chains.sales_orders_fulfilled" in failing(root)
    assert "SO-1/1 returned 5 of 4 shipped" in \
        results(root)["chains.sales_orders_fulfilled"].detail


def test_the_requisitions_behind_the_orders(books_dir):
    found = results(books_dir)["chains.requisitions_ordered"]
    assert found.checked == 2 and found.violations == 0
    assert "(2 self-approved)" in found.detail


def test_an_order_line_without_its_requisition(build):
    root = build(edit=lambda d: d["purchase_requisitions"].pop())
    # the order's requisition_id resolves nowhere, and the chain is broken
    assert failing(root) == {"chains.requisitions_ordered", "keys.documents"}
    assert "none -> PO-2/1" in results(root)["chains.requisitions_ordered"].detail


def test_a_requisition_for_another_quantity(build):
    root = build(edit=lambda d: find(d["purchase_requisitions"], requisition_id="PR-1").update(
        quantity=12))
    assert failing(root) == {"chains.requisitions_ordered"}
    assert "PR-1/1 -> PO-1/1" in results(root)["chains.requisitions_ordered"].detail

