"""Vendor invoices that bill more units than were received: blocked by the three-way match,
reduced by the vendor's credit memo, and paid net with it."""

from __future__ import annotations

import functools

import numpy as np
import pyarrow.compute as pc
import pytest

from tests.unit.generators.flows.runs import generate, minor, strings


@functools.cache
def over_billed_run():
    """A year in which a fifth of the stock invoices bill units that never arrived."""
    return generate(transactions={"target_count": 4000},
                    document_flows={"quantity_variance_rate": 0.2},
                    **{"global": {"seed": 3, "industry": "manufacturing",
                                  "start_date": "2024-01-01", "period_months": 12,
                                  "group_currency": "USD"}})


@pytest.fixture(scope="module")
def books():
    config, result = over_billed_run()
    return result


def test_each_credit_memo_reduces_a_blocked_quantity_variance(books):
    invoices = books.table("vendor_invoices")
    kind = strings(invoices, "invoice_type")
    status = strings(invoices, "match_status")
    memos = invoices.filter(pc.equal(invoices["invoice_type"].cast("string"), "credit_memo"))
    assert memos.num_rows > 10, "the run should hold credit memos"
    over = (status == "quantity_variance")
    assert over.sum() >= memos.num_rows
    blocked = invoices["is_blocked"].to_numpy(zero_copy_only=False)
    assert blocked[over].all(), "a quantity variance blocks the invoice"
    # a credit memo: negative amounts adding up, for an order that has an over-billed invoice
    net, tax, gross = (minor(memos, c) for c in ("net_amount", "tax_amount", "gross_amount"))
    assert (gross < 0).all() and np.array_equal(net + tax, gross)
    over_orders = set(strings(invoices, "purchase_order_id")[over & (kind == "invoice")])
    assert set(strings(memos, "purchase_order_id")) <= over_orders


def test_the_invoice_is_paid_net_of_its_credit_memo(books):
    invoices = books.table("vendor_invoices")
    payments = books.table("vendor_payments")
    ids = strings(invoices, "invoice_id")
    gross = dict(zip(ids, minor(invoices, "gross_amount")))
    memo_ids = set(ids[strings(invoices, "invoice_type") == "credit_memo"])
    pay_ids, cleared_for = strings(payments, "payment_id"), strings(payments, "invoice_id")
    paid, cleared = minor(payments, "paid_amount"), minor(payments, "cleared_amount")
    netted = [p for p, inv in zip(pay_ids, cleared_for) if inv in memo_ids]
    assert netted, "some credit memos should be cleared within the run"
    for payment in netted:
        rows = pay_ids == payment
        docs = cleared_for[rows]
        assert len(docs) == 2 and sum(d in memo_ids for d in docs) == 1
        # the memo clears exactly its gross; the payment moves the difference
        for doc, amount in zip(docs, cleared[rows]):
            if doc in memo_ids:
                assert amount == gross[doc]
        assert paid[rows].sum() == cleared[rows].sum() - minor(payments, "discount_amount")[
            rows].sum()
        assert paid[rows].sum() > 0


def test_gr_ir_clears_once_the_credit_memos_are_in(books):
    je = books.table("journal_entries")
    account = strings(je, "gl_account")
    grir = account == "205000"
    balance = minor(je, "debit_amount")[grir].sum() - minor(je, "credit_amount")[grir].sum()
    invoices = books.table("vendor_invoices")
    held = ((strings(invoices, "match_status") == "quantity_variance")
            & ~np.isin(strings(invoices, "purchase_order_id"),
                       strings(invoices, "purchase_order_id")[
                           strings(invoices, "invoice_type") == "credit_memo"]))
    # GR/IR carries only goods received but not yet invoiced (a credit) and the units billed
    # on invoices whose credit memo comes after the run (a debit); with none of the latter
    # it can only be a credit or zero
    if not held.any():
        assert balance <= 0
