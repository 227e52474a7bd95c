"""Fraud schemes (generators/anomalies/fraud*.py) in a seeded year with only the fraud family
injected at a high rate, next to the same books with no injector run (same seed, same held-
back vendors and employees: the business is identical). For each type a rule written from
its definition finds every labelled row, the labelled rows are exactly the rows injected or
altered (the difference with the clean books), and the books still verify."""

from __future__ import annotations

import pytest

from tests.unit.generators.anomalies.books import (
    ONE_COMPANY,
    ONE_COMPANY_MASTER_DATA,
    Books,
    assert_flags_equal_labels,
    assert_verifies,
    family_config,
    injected_books,
    sql_list,
)

LIMIT = 10_000          # anomaly_injection.approval_limit (USD)
CONFIG = family_config("fraud", seed=3, target=6000, companies=ONE_COMPANY,
                       master_data=ONE_COMPANY_MASTER_DATA, approval_limit=LIMIT)
TABLES = ("journal_entries", "anomaly_labels", "accounts", "employees", "vendors",
          "purchase_requisitions", "purchase_orders", "vendor_invoices", "vendor_payments",
          "sales_orders", "customer_invoices", "customer_receipts")
DOCUMENTS = {"purchase_requisitions": "requisition_id", "purchase_orders": "purchase_order_id",
             "vendor_invoices": "invoice_id", "vendor_payments": "payment_id",
             "sales_orders": "sales_order_id", "customer_invoices": "invoice_id",
             "customer_receipts": "receipt_id", "journal_entries": "document_id"}
# documents are labelled row by row (each line of a requisition, each invoice a receipt
# clears), journal entries once each
ROW_LABELLED = tuple(table for table in DOCUMENTS if table != "journal_entries")
FRAUD = ("fictitious_vendor", "duplicate_payment", "split_purchase", "kickback",
         "ghost_employee", "early_revenue", "expense_capitalisation", "round_dollar_suspense",
         "self_approval", "channel_stuffing")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The run with fraud (written) and the clean one: the same seed, held-back vendors and
    employees, with no injector run."""
    return injected_books(tmp_path_factory, "fraud", CONFIG, TABLES)


@pytest.fixture(scope="module")
def books(run) -> Books:
    return run[1]


def test_the_books_verify(run):
    report = assert_verifies(run[0])
    checked = {r.name: r for r in report.results}
    assert checked["chains.vendor_invoices_settled"].status == "pass"
    assert checked["subledger.payables"].status == "pass"
    assert checked["subledger.receivables"].status == "pass"


@pytest.mark.parametrize("kind", FRAUD)
def test_every_type_is_injected_and_flags_match_labels(run, kind):
    """Each type has instances, and the rows flagged with it in each table are exactly the
    rows its labels name."""
    out, books = run
    tables = books.ids(f"SELECT DISTINCT table_name FROM anomaly_labels "
                       f"WHERE anomaly_type = '{kind}'")
    assert tables, f"no {kind} injected"
    assert_flags_equal_labels(out, DOCUMENTS, kind=kind, count_rows=ROW_LABELLED)
    assert books.one(f"SELECT count(*) FROM anomaly_labels WHERE anomaly_type = '{kind}' "
                     "AND NOT is_fraud")[0] == 0


def _new(books, table: str, key: str, where: str = "true") -> set:
    """Rows of ``table`` the clean books do not have."""
    return books.ids(f"SELECT {key} FROM {table} WHERE {where} AND {key} NOT IN "
                     f"(SELECT {key} FROM clean_{table})")


def test_fictitious_vendor(books):
    """Rule: a vendor the business never deals with (no order or invoice in the clean books)
    that bills and is paid. Every document of such a vendor, and the vendor, is labelled."""
    fake = "SELECT DISTINCT vendor_id FROM vendor_invoices WHERE vendor_id NOT IN (" \
           "SELECT vendor_id FROM clean_purchase_orders UNION " \
           "SELECT vendor_id FROM clean_vendor_invoices)"
    vendors = books.ids(fake)
    assert vendors and vendors == books.labelled("fictitious_vendor", "vendors")
    orders = f"SELECT purchase_order_id FROM purchase_orders WHERE vendor_id IN ({fake})"
    expected = {
        "purchase_orders": books.ids(orders),
        "purchase_requisitions": books.ids(
            f"SELECT requisition_id FROM purchase_requisitions "
            f"WHERE purchase_order_id IN ({orders})"),
        "vendor_invoices": books.ids(
            f"SELECT invoice_id FROM vendor_invoices WHERE vendor_id IN ({fake})"),
        "vendor_payments": books.ids(
            f"SELECT payment_id FROM vendor_payments WHERE vendor_id IN ({fake})"),
        "journal_entries": books.ids(
            f"SELECT document_id FROM journal_entries WHERE partner_id IN ({fake})")}
    for table, found in expected.items():
        assert found == books.labelled("fictitious_vendor", table), table
    # several invoices per vendor, services on orders like the real ones, and paid
    assert len(expected["vendor_invoices"]) >= 2 * len(vendors)
    assert expected["vendor_payments"]
    assert books.one(f"SELECT count(*) FROM purchase_orders WHERE vendor_id IN ({fake}) "
                     "AND item_type <> 'service'")[0] == 0
    assert expected["vendor_invoices"] <= _new(books, "vendor_invoices", "invoice_id")


def test_duplicate_payment(books):
    """Rule: a payment that clears more of an invoice than is left open (cleared to date,
    in payment order, above the gross amount) pays it a second time."""
    found = books.ids("""
        WITH paid AS (
            SELECT p.payment_id, i.gross_amount, sum(p.cleared_amount) OVER (
                PARTITION BY p.invoice_id ORDER BY p.payment_date, p.payment_id
                ROWS UNBOUNDED PRECEDING) AS to_date
            FROM vendor_payments p JOIN vendor_invoices i USING (invoice_id))
        SELECT payment_id FROM paid WHERE to_date > gross_amount""")
    assert found and found == books.labelled("duplicate_payment", "vendor_payments")
    # exactly what was added: payments of invoices that exist without the fraud
    added = _new(books, "vendor_payments", "payment_id",
                 "invoice_id IN (SELECT invoice_id FROM clean_vendor_invoices)")
    assert added == found
    ids = sql_list(found)
    assert books.entries_of(ids) == books.labelled("duplicate_payment", "journal_entries")
    # the same amount as the earlier payment, which stays as it was
    assert books.one(f"""
        SELECT count(*) FROM vendor_payments d WHERE d.payment_id IN ({ids}) AND NOT EXISTS (
            SELECT 1 FROM clean_vendor_payments o WHERE o.invoice_id = d.invoice_id
               AND o.paid_amount = d.paid_amount AND o.payment_date <= d.payment_date)""")[0] == 0


def _split_orders(books) -> str:
    return f"""
        WITH band AS (
            SELECT o.purchase_order_id AS po, o.vendor_id, o.order_date, r.requested_by
            FROM purchase_orders o JOIN purchase_requisitions r
              ON r.purchase_order_id = o.purchase_order_id AND r.po_line_number = o.line_number
            WHERE o.net_amount >= {0.85 * LIMIT} AND o.net_amount < {LIMIT})
        SELECT DISTINCT a.po FROM band a JOIN band b
          ON a.vendor_id = b.vendor_id AND a.requested_by = b.requested_by AND a.po <> b.po
         AND abs(a.order_date - b.order_date) <= 1"""


def test_split_purchase(books):
    """Rule: two or more orders of one requester with one vendor on the same or adjacent days,
    each within 15 % below the approval limit."""
    orders = _split_orders(books)
    found = books.ids(orders)
    assert found and found == books.labelled("split_purchase", "purchase_orders")
    assert found <= _new(books, "purchase_orders", "purchase_order_id")
    invoices = f"SELECT invoice_id FROM vendor_invoices WHERE purchase_order_id IN ({orders})"
    payments = f"SELECT payment_id FROM vendor_payments WHERE invoice_id IN ({invoices})"
    assert books.ids(invoices) == books.labelled("split_purchase", "vendor_invoices")
    assert books.ids(payments) == books.labelled("split_purchase", "vendor_payments")
    assert books.ids(f"SELECT requisition_id FROM purchase_requisitions WHERE "
                     f"purchase_order_id IN ({orders})") == \
        books.labelled("split_purchase", "purchase_requisitions")
    assert books.entries_of(f"{invoices} UNION {payments}") == \
        books.labelled("split_purchase", "journal_entries")
    # 2-4 parts per scheme, each below the limit, together above it
    parts = books.con.execute("""
        SELECT scheme_id, count(*) FROM anomaly_labels
        WHERE anomaly_type = 'split_purchase' AND table_name = 'purchase_orders'
        GROUP BY ALL""").fetchall()
    assert all(2 <= n <= 4 for _, n in parts)


def test_kickback(books):
    """Rule: an order of a vendor the business uses, for a service (account and cost center)
    bought from it before at a price 10-30 % lower (give or take three standard deviations of
    the few percent by which injected amounts are jittered)."""
    real = "SELECT vendor_id FROM clean_purchase_orders"
    added = _new(books, "purchase_orders", "purchase_order_id",
                 f"vendor_id IN ({real}) AND purchase_order_id NOT IN ({_split_orders(books)})")
    assert added and added == books.labelled("kickback", "purchase_orders")
    ids = sql_list(added)
    overpriced = books.ids(f"""
        SELECT k.purchase_order_id FROM purchase_orders k JOIN clean_purchase_orders o
          ON o.vendor_id = k.vendor_id AND o.gl_account = k.gl_account
         AND o.cost_center IS NOT DISTINCT FROM k.cost_center AND o.item_type = 'service'
        WHERE k.purchase_order_id IN ({ids})
          AND k.net_amount BETWEEN o.net_amount * 1.1 * 0.86 AND o.net_amount * 1.3 * 1.16""")
    assert overpriced == added
    invoices = f"SELECT invoice_id FROM vendor_invoices WHERE purchase_order_id IN ({ids})"
    payments = f"SELECT payment_id FROM vendor_payments WHERE invoice_id IN ({invoices})"
    assert books.ids(invoices) == books.labelled("kickback", "vendor_invoices")
    assert books.ids(payments) == books.labelled("kickback", "vendor_payments")
    assert books.entries_of(f"{invoices} UNION {payments}") == \
        books.labelled("kickback", "journal_entries")
    # one favoured vendor per scheme
    assert books.one("""
        SELECT max(n) FROM (SELECT l.scheme_id, count(DISTINCT o.vendor_id) AS n
        FROM anomaly_labels l JOIN purchase_orders o ON o.purchase_order_id = l.document_id
        WHERE l.anomaly_type = 'kickback' GROUP BY ALL)""")[0] == 1


def test_ghost_employee(books):
    """Rule: payroll postings for a named person (the payroll runs post per cost center, so a
    person on a payroll entry is paid outside the people payroll knows)."""
    found = books.ids("""
        SELECT j.document_id FROM journal_entries j JOIN employees e
          ON e.employee_id = j.partner_id AND e.employee_type = 'person'
        WHERE j.reference_document_type = 'payroll_run'""")
    assert found and found == books.labelled("ghost_employee", "journal_entries")
    persons = books.ids("""SELECT DISTINCT partner_id FROM journal_entries
                           WHERE anomaly_type = 'ghost_employee'""")
    assert persons == books.labelled("ghost_employee", "employees")
    # paid like payroll: run (gross to salaries), net pay through the clearing account, then
    # the withholdings remitted; the real payroll is the same as without the fraud
    kinds = books.ids("SELECT DISTINCT document_type || ' ' || header_text FROM journal_entries "
                      "WHERE anomaly_type = 'ghost_employee'")
    assert {"HR Payroll run", "KZ Salary payment"} <= kinds
    salaries = "SELECT sum(debit_amount) FROM {} WHERE gl_account = '600000' " \
               "AND reference_document_type = 'payroll_run' AND partner_id IS NULL"
    assert books.one(salaries.format("journal_entries")) == \
        books.one(salaries.format("clean_journal_entries"))
    months = books.con.execute("""
        SELECT partner_id, count(DISTINCT fiscal_period) FROM journal_entries
        WHERE anomaly_type = 'ghost_employee' AND document_type = 'HR' GROUP BY ALL""").fetchall()
    assert all(n >= 2 for _, n in months)


def test_early_revenue(books):
    """Rule: revenue credited by a general-ledger entry (not a customer invoice) on one of the
    last days of a quarter, and debited back by an entry of the same reference after it."""
    revenue = "SELECT gl_account FROM accounts WHERE sub_type IN ('product_revenue', " \
              "'service_revenue')"
    booked = books.ids(f"""SELECT document_id FROM journal_entries
        WHERE reference_document_type = 'gl_template' AND credit_amount > 0
          AND gl_account IN ({revenue})""")
    reversed_ = books.ids(f"""SELECT document_id FROM journal_entries
        WHERE reference_document_type = 'gl_template' AND debit_amount > 0
          AND gl_account IN ({revenue})""")
    assert booked and booked | reversed_ == books.labelled("early_revenue", "journal_entries")
    pairs = books.con.execute(f"""
        SELECT a.posting_date, b.posting_date, a.fiscal_period FROM journal_entries a
        JOIN journal_entries b ON b.reference_document_id = a.reference_document_id
         AND b.document_id <> a.document_id
        WHERE a.document_id IN ({sql_list(booked)})
          AND a.gl_account IN ({revenue}) AND b.gl_account IN ({revenue})""").fetchall()
    assert len(pairs) == len(booked)
    for booked_on, reversed_on, period in pairs:
        assert period % 3 == 0 and booked_on.day >= 26
        assert reversed_on > booked_on and reversed_on.month != booked_on.month


def test_expense_capitalisation(books):
    """Rule: an expense moved to an asset (an intangible asset, or prepaid expenses where the
    fixed-asset register carries the intangibles) by a general-ledger entry crediting an
    expense. Without the fraud the same entry debits an expense: only that account changed."""
    found = books.ids("""
        SELECT j.document_id FROM journal_entries j JOIN accounts a USING (gl_account)
        WHERE a.sub_type IN ('intangibles', 'prepaid') AND j.debit_amount > 0
          AND j.reference_document_type = 'gl_template' AND j.document_id IN (
              SELECT document_id FROM journal_entries JOIN accounts USING (gl_account)
              WHERE sub_type = 'opex' AND credit_amount > 0)""")
    assert found and found == books.labelled("expense_capitalisation", "journal_entries")
    ids = sql_list(found)
    compared = books.con.execute(f"""
        WITH x AS (SELECT * FROM journal_entries WHERE document_id IN ({ids})),
             c AS (SELECT * FROM clean_journal_entries WHERE reference_document_id IN
                   (SELECT reference_document_id FROM x))
        SELECT x.document_id,
               bool_and(x.gl_account = c.gl_account OR (x.debit_amount > 0
                        AND x.gl_account IN (SELECT gl_account FROM accounts
                                             WHERE sub_type IN ('intangibles', 'prepaid'))
                        AND c.gl_account IN (SELECT gl_account FROM accounts
                                             WHERE sub_type = 'opex'))),
               bool_and(x.debit_amount = c.debit_amount AND x.credit_amount = c.credit_amount
                        AND x.created_by = c.created_by AND x.header_text = c.header_text)
        FROM x JOIN c ON c.reference_document_id = x.reference_document_id
                     AND c.posting_date = x.posting_date AND c.line_number = x.line_number
        GROUP BY ALL""").fetchall()
    assert len(compared) >= len(found) // 2       # the rest were dropped by the fit to target
    assert all(same_kind and same_rest for _, same_kind, same_rest in compared)


def test_round_dollar_suspense(books):
    """Rule: a posting to the suspense account of a round amount (whole five hundreds)."""
    found = books.ids("""
        SELECT document_id FROM journal_entries WHERE gl_account = '290000'
           AND (debit_amount + credit_amount) % 500 = 0""")
    assert found and found == books.labelled("round_dollar_suspense", "journal_entries")


def test_self_approval(books):
    """Rule: a requisition approved by its requester. Without the fraud the same lines had
    another approver; nothing else differs."""
    found = books.con.execute("""SELECT requisition_id, line_number FROM purchase_requisitions
                                 WHERE approved_by = requested_by""").fetchall()
    assert found
    labels = books.con.execute("""SELECT document_id FROM anomaly_labels
        WHERE anomaly_type = 'self_approval'""").fetchall()
    assert sorted(r for r, _ in found) == sorted(r for (r,) in labels)
    changed = books.con.execute("""
        SELECT r.requisition_id, r.line_number FROM purchase_requisitions r
        JOIN clean_purchase_requisitions c USING (requisition_id, line_number)
        WHERE r.approved_by <> c.approved_by""").fetchall()
    assert sorted(changed) == sorted(found)
    assert books.one("""
        SELECT count(*) FROM purchase_requisitions r
        JOIN clean_purchase_requisitions c USING (requisition_id, line_number)
        WHERE r.requested_by <> c.requested_by OR r.requisition_date <> c.requisition_date
           OR r.estimated_price <> c.estimated_price""")[0] == 0


def test_channel_stuffing(books):
    """Rule: an invoice in the last days of a quarter credited in full after the quarter end
    by a credit memo on the same order that no goods came back for (no return delivery)."""
    stuffed = books.con.execute("""
        SELECT i.invoice_id, m.invoice_id, i.sales_order_id, i.invoice_date, m.invoice_date,
               i.fiscal_period
        FROM customer_invoices i JOIN customer_invoices m
          ON m.sales_order_id = i.sales_order_id AND m.customer_id = i.customer_id
        WHERE i.invoice_type = 'invoice' AND m.invoice_type = 'credit_memo'
          AND m.delivery_id IS NULL AND m.gross_amount = -i.gross_amount""").fetchall()
    assert stuffed
    invoices = {i for i, *_ in stuffed} | {m for _, m, *_ in stuffed}
    assert invoices == books.labelled("channel_stuffing", "customer_invoices")
    orders = {o for _, _, o, *_ in stuffed}
    assert orders == books.labelled("channel_stuffing", "sales_orders")
    for _, _, _, billed, credited, period in stuffed:
        assert period % 3 == 0 and billed.day >= 25
        assert credited > billed and credited.month != billed.month
    listed = sql_list(invoices)
    receipts = f"SELECT receipt_id FROM customer_receipts WHERE invoice_id IN ({listed})"
    assert books.ids(receipts) == books.labelled("channel_stuffing", "customer_receipts")
    assert books.entries_of(f"{receipts} UNION SELECT unnest([{listed}])") == \
        books.labelled("channel_stuffing", "journal_entries")
    # the clearing moves no cash: receivables and revenue are back where they were
    assert books.one(f"""SELECT sum(received_amount) FROM customer_receipts
                         WHERE receipt_id IN ({receipts})""")[0] == 0
