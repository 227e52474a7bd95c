"""Process anomalies (generators/anomalies/process*.py) in a seeded year with only the process
family injected at a high rate, next to the same books with no injector run (same seed: the
business is identical). For each type a rule written from its definition finds exactly the
labelled rows; every row that differs from the clean books is labelled and every label
names such a row; the books still verify; the same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from datasynth.generators.anomalies.catalog import family_types
from tests.unit.generators.anomalies.books import (
    FIT,
    FOLLOW_ON,
    ONE_COMPANY,
    ONE_COMPANY_MASTER_DATA,
    Books,
    assert_flags_equal_labels,
    assert_same_bytes,
    assert_verifies,
    family_config,
    injected_books,
    sql_list,
)

END = dt.date(2024, 12, 31)
PROCESS = tuple(t.name for t in family_types("process"))
CONFIG = family_config("process", seed=5, target=8000, companies=ONE_COMPANY,
                       master_data=ONE_COMPANY_MASTER_DATA)
DOCUMENTS = {"purchase_requisitions": ("requisition_id", "line_number"),
             "purchase_orders": ("purchase_order_id", "line_number"),
             "goods_receipts": ("goods_receipt_id", "po_line_number"),
             "vendor_invoices": ("invoice_id",),
             "vendor_payments": ("payment_id", "invoice_id"),
             "customer_invoices": ("invoice_id",),
             "customer_receipts": ("receipt_id", "invoice_id")}
TABLES = ("journal_entries", "anomaly_labels", "employees", "deliveries", *DOCUMENTS)
# key and date column of each document table whose date is, by its schema description, the
# posting date of the entry that posts it (journal_entry_id)
POSTED = {"vendor_invoices": ("invoice_id", "posting_date"),
          "vendor_payments": ("payment_id", "payment_date"),
          "customer_invoices": ("invoice_id", "invoice_date"),
          "customer_receipts": ("receipt_id", "receipt_date"),
          "goods_receipts": ("goods_receipt_id", "posting_date"),
          "deliveries": ("delivery_id", "posting_date")}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The run with process anomalies (written) and the clean one: the same seed, with no
    injector run."""
    return injected_books(tmp_path_factory, "process", CONFIG, TABLES)


@pytest.fixture(scope="module")
def books(run) -> Books:
    return run[1]


# ---- the run as a whole ----------------------------------------------------------------------
def test_the_books_verify(run):
    assert_verifies(run[0])


@pytest.mark.parametrize("kind", PROCESS)
def test_each_type_is_injected_and_flags_match_labels(run, kind):
    """Every type has instances, and the rows flagged with it in each table are exactly the
    rows its labels name."""
    out, books = run
    schemes = books.one(f"SELECT count(DISTINCT scheme_id) FROM anomaly_labels "
                        f"WHERE anomaly_type = '{kind}'")[0]
    assert schemes >= 15, (kind, schemes)
    assert_flags_equal_labels(
        out, {"journal_entries": "document_id", **{t: k[0] for t, k in DOCUMENTS.items()}},
        kind=kind)


def test_altered_documents_are_exactly_the_flagged_ones(books):
    """A document row that is new or differs from the clean books in any column (the
    journal-entry id aside: numbering follows every moved entry) is flagged, and only
    those."""
    for table, key in DOCUMENTS.items():
        cols = ", ".join(key)
        skip = "EXCLUDE (journal_entry_id, is_anomaly, is_fraud, anomaly_type)" \
            if table not in ("purchase_requisitions", "purchase_orders") \
            else "EXCLUDE (is_anomaly, is_fraud, anomaly_type)"
        differs = books.ids(f"""SELECT {cols} FROM (SELECT * {skip} FROM {table}
                                EXCEPT SELECT * {skip} FROM clean_{table})""")
        gone = books.ids(f"""SELECT {cols} FROM (SELECT * {skip} FROM clean_{table}
                             EXCEPT SELECT * {skip} FROM {table})""")
        flagged = books.ids(f"SELECT {cols} FROM {table} WHERE is_anomaly")
        assert differs == flagged, table
        assert gone <= flagged, table       # an altered row's old version is gone


def test_altered_entries_are_exactly_the_labelled_ones(books):
    """An entry whose twin in the clean books (same reference, user, text, line count) has
    another date, time or lines, or that has no twin, is labelled; entries computed after
    injection (VAT, financing, the close) and the fit's templates aside."""
    entries = """SELECT document_id, any_value(reference_document_type) AS ref_type,
                        any_value(reference_document_id) AS ref,
                        any_value(created_by) AS usr, count(*) AS n,
                        any_value(posting_date) AS posting, any_value(created_at) AS created,
                        any_value(header_text) AS text, any_value(anomaly_type) AS kind,
                        list((gl_account, debit_amount, credit_amount, cost_center)
                             ORDER BY line_number) AS lines
                 FROM {} GROUP BY document_id"""
    books.con.execute(f"CREATE OR REPLACE VIEW e AS {entries.format('journal_entries')}")
    books.con.execute(f"CREATE OR REPLACE VIEW c AS {entries.format('clean_journal_entries')}")
    altered = books.ids(f"""
        WITH twins AS (SELECT ref_type, ref, usr, n, text, any_value(posting) AS posting,
                              any_value(created) AS created,
                              any_value(lines) AS lines
                       FROM c GROUP BY ALL HAVING count(*) = 1)
        SELECT e.document_id FROM e LEFT JOIN twins t USING (ref_type, ref, usr, n, text)
        WHERE ((t.ref IS NULL AND e.text NOT IN {FIT})
               OR (t.ref IS NOT NULL AND (t.posting <> e.posting OR t.created <> e.created
                                          OR t.lines <> e.lines)))
          AND coalesce(e.ref_type, '') NOT IN {FOLLOW_ON}""")
    labelled = books.ids("SELECT document_id FROM e WHERE kind IS NOT NULL")
    assert labelled and labelled == altered


def test_same_seed_same_bytes(run, tmp_path):
    assert_same_bytes(CONFIG, run[0], tmp_path, ("journal_entries", "anomaly_labels", *DOCUMENTS))


# ---- one rule per type -----------------------------------------------------------------------
def test_after_hours_posting(books):
    """A manual entry created 20:00-05:59 whose twin was created in office hours the same
    day: only the time moved."""
    found = books.ids("""
        SELECT DISTINCT j.document_id FROM journal_entries j JOIN clean_journal_entries c
          ON c.reference_document_id = j.reference_document_id
         AND c.line_number = j.line_number AND c.created_by = j.created_by
         AND c.header_text = j.header_text
        WHERE j.source = 'manual' AND (hour(j.created_at) >= 20 OR hour(j.created_at) < 6)
          AND hour(c.created_at) BETWEEN 6 AND 19 AND c.posting_date = j.posting_date
          AND c.debit_amount = j.debit_amount AND c.gl_account = j.gl_account""")
    assert found == books.labelled("after_hours_posting", "journal_entries")


def test_weekend_posting(books):
    """Posted on a Saturday or Sunday, its twin on a weekday of the same week and month."""
    found = books.ids("""
        SELECT DISTINCT j.document_id FROM journal_entries j JOIN clean_journal_entries c
          ON c.reference_document_id = j.reference_document_id
         AND c.line_number = j.line_number AND c.created_by = j.created_by
         AND c.header_text = j.header_text
        WHERE isodow(j.posting_date) >= 6 AND isodow(c.posting_date) <= 5
          AND date_trunc('week', j.posting_date) = date_trunc('week', c.posting_date)
          AND month(j.posting_date) = month(c.posting_date)""")
    assert found == books.labelled("weekend_posting", "journal_entries")


def test_weekend_posting_documents(books):
    """Every document a weekend entry posts has the entry's posting date where its table
    carries one, and is flagged: a vendor invoice its posting date (its own invoice date
    stays), a payment or receipt its value date, a customer invoice its billing date with
    its due date (billing date + terms). The receipts of a moved customer invoice have
    their days late recounted from the moved due date, and are flagged too; nothing else."""
    kind = "weekend_posting"
    books.con.execute(f"""CREATE OR REPLACE VIEW w AS SELECT DISTINCT document_id, posting_date
                          FROM journal_entries WHERE anomaly_type = '{kind}'""")
    moved = 0
    for table, (key, column) in POSTED.items():
        total, same, flagged = books.one(f"""
            SELECT count(*), count(*) FILTER (WHERE x.{column} = w.posting_date),
                   count(*) FILTER (WHERE x.anomaly_type = '{kind}')
            FROM {table} x JOIN w ON w.document_id = x.journal_entry_id""")
        assert total == same == flagged, table
        moved += total
        found = books.ids(f"SELECT {key} FROM {table} x JOIN w ON w.document_id = "
                          f"x.journal_entry_id")
        if table == "customer_receipts":
            found |= books.ids("""SELECT r.receipt_id FROM customer_receipts r
                                   JOIN customer_invoices i USING (invoice_id)
                                   JOIN w ON w.document_id = i.journal_entry_id""")
        assert found == books.labelled(kind, table), table
    assert moved >= 15
    # only the posting date moved: a vendor's invoice date, the terms and days late hold
    assert books.one(f"""
        SELECT count(*) FILTER (WHERE i.invoice_date <> c.invoice_date
                                   OR i.posting_date <= c.posting_date)
        FROM vendor_invoices i JOIN clean_vendor_invoices c USING (invoice_id)
        WHERE i.anomaly_type = '{kind}'""")[0] == 0
    assert books.one(f"""
        SELECT count(*) FILTER (WHERE i.due_date - i.invoice_date <> c.due_date - c.invoice_date)
        FROM customer_invoices i JOIN clean_customer_invoices c USING (invoice_id)
        WHERE i.anomaly_type = '{kind}'""")[0] == 0
    assert books.one(f"""
        SELECT count(*) FILTER (WHERE r.days_late <> r.receipt_date - i.due_date)
        FROM customer_receipts r JOIN customer_invoices i USING (invoice_id)
        WHERE r.anomaly_type = '{kind}'""")[0] == 0
    assert books.one(f"""
        SELECT count(*) FILTER (WHERE p.days_late <> p.payment_date - i.due_date)
        FROM vendor_payments p JOIN vendor_invoices i USING (invoice_id)
        WHERE p.anomaly_type = '{kind}' AND p.cleared_amount > 0""")[0] == 0
    # no chain runs backwards: paid on or after the posting, a discount within its window
    assert books.one("""
        SELECT count(*) FROM vendor_payments p JOIN vendor_invoices i USING (invoice_id)
        WHERE p.payment_date < i.posting_date
           OR (p.discount_amount > 0 AND p.payment_date > i.discount_date)""")[0] == 0
    assert books.one("""
        SELECT count(*) FROM customer_receipts r JOIN customer_invoices i USING (invoice_id)
        WHERE r.receipt_date < i.invoice_date""")[0] == 0


def test_skipped_approval(books):
    """A requisition nobody approved: no approver and no approval date (every normal one
    has both); everything else as in the clean books."""
    found = books.ids("SELECT DISTINCT requisition_id FROM purchase_requisitions "
                      "WHERE approved_by IS NULL")
    assert found == books.labelled("skipped_approval", "purchase_requisitions")
    assert books.one("SELECT count(*) FROM purchase_requisitions WHERE approved_by IS NULL "
                     "AND approval_date IS NOT NULL")[0] == 0
    changed = books.ids("""
        SELECT requisition_id FROM (
            SELECT * EXCLUDE (approved_by, approval_date, is_anomaly, is_fraud, anomaly_type)
            FROM purchase_requisitions WHERE anomaly_type = 'skipped_approval'
            EXCEPT SELECT * EXCLUDE (approved_by, approval_date, is_anomaly, is_fraud,
                                     anomaly_type)
            FROM clean_purchase_requisitions)""")
    assert changed == set()


def test_late_approval(books):
    """A requisition approved after its order was placed (its requisition date still on or
    before the order, so the chain holds); everything else as in the clean books. Normal
    requisitions are approved by another person between request and order."""
    found = books.ids("""
        SELECT DISTINCT r.requisition_id FROM purchase_requisitions r JOIN purchase_orders o
          ON o.purchase_order_id = r.purchase_order_id AND o.line_number = r.po_line_number
        WHERE r.approval_date > o.order_date""")
    assert found == books.labelled("late_approval", "purchase_requisitions")
    changed = books.ids("""
        SELECT requisition_id FROM (
            SELECT * EXCLUDE (approval_date, is_anomaly, is_fraud, anomaly_type)
            FROM purchase_requisitions WHERE anomaly_type = 'late_approval' EXCEPT
            SELECT * EXCLUDE (approval_date, is_anomaly, is_fraud, anomaly_type)
            FROM clean_purchase_requisitions)""")
    assert changed == set()
    normal = books.one("""
        SELECT count(*), count(*) FILTER (WHERE r.approval_date BETWEEN r.requisition_date
                                                                    AND o.order_date
                                            AND r.approved_by <> r.requested_by)
        FROM purchase_requisitions r JOIN purchase_orders o
          ON o.purchase_order_id = r.purchase_order_id AND o.line_number = r.po_line_number
        WHERE r.anomaly_type IS NULL""")
    assert normal[0] > 0 and normal[0] == normal[1]


def test_invoice_without_po(books):
    """An invoice dated before the order it refers to was placed: new (the clean books do
    not have it), posted and paid; its order and requisition new too, raised after it."""
    found = books.ids("""
        SELECT i.invoice_id FROM vendor_invoices i JOIN purchase_orders o
          ON o.purchase_order_id = i.purchase_order_id AND o.line_number = 1
        WHERE i.invoice_type = 'invoice' AND i.invoice_date < o.order_date""")
    kind = "invoice_without_po"
    assert found == books.labelled(kind, "vendor_invoices")
    assert not found & books.ids("SELECT invoice_id FROM clean_vendor_invoices")
    orders = books.ids(f"SELECT purchase_order_id FROM vendor_invoices "
                       f"WHERE anomaly_type = '{kind}'")
    assert orders == books.labelled(kind, "purchase_orders")
    assert books.ids(f"SELECT requisition_id FROM purchase_orders WHERE anomaly_type = '{kind}'") \
        == books.labelled(kind, "purchase_requisitions")
    payments = books.ids(f"SELECT payment_id FROM vendor_payments WHERE invoice_id IN "
                         f"(SELECT invoice_id FROM vendor_invoices WHERE anomaly_type = '{kind}')")
    assert payments and payments == books.labelled(kind, "vendor_payments")
    posted = books.ids(f"SELECT DISTINCT journal_entry_id FROM vendor_invoices "
                       f"WHERE anomaly_type = '{kind}' UNION SELECT DISTINCT journal_entry_id "
                       f"FROM vendor_payments WHERE anomaly_type = '{kind}'")
    assert posted == books.labelled(kind, "journal_entries")
    # services, like the real invoices of that status
    assert books.ids(f"SELECT DISTINCT match_status || '/' || o.item_type FROM vendor_invoices i "
                     f"JOIN purchase_orders o USING (purchase_order_id) "
                     f"WHERE i.anomaly_type = '{kind}'") == {"not_applicable/service"}


def test_receipt_without_invoice(books):
    """A stock order received in full, its last receipt at least two weeks before the end
    of the run, and never invoiced; its receipt's GR/IR credit is never cleared."""
    kind = "receipt_without_invoice"
    found = books.ids(f"""
        WITH got AS (SELECT purchase_order_id, po_line_number AS line_number,
                            sum(quantity) AS q, max(posting_date) AS last
                     FROM goods_receipts GROUP BY ALL)
        SELECT o.purchase_order_id FROM purchase_orders o JOIN got USING
            (purchase_order_id, line_number)
        WHERE o.item_type = 'material' AND got.q = o.quantity
          AND got.last <= DATE '{END}' - 13
          AND o.purchase_order_id NOT IN (SELECT purchase_order_id FROM vendor_invoices
                                          WHERE purchase_order_id IS NOT NULL)""")
    assert found == books.labelled(kind, "purchase_orders")
    assert not found & books.ids("SELECT purchase_order_id FROM clean_purchase_orders")
    receipts = books.ids(f"SELECT goods_receipt_id FROM goods_receipts "
                         f"WHERE purchase_order_id IN ({sql_list(found)})")
    assert receipts == books.labelled(kind, "goods_receipts")
    posted = books.ids(f"SELECT journal_entry_id FROM goods_receipts "
                       f"WHERE goods_receipt_id IN ({sql_list(receipts)})")
    assert posted == books.labelled(kind, "journal_entries")
    grir = books.one(f"""SELECT sum(credit_amount - debit_amount) FROM journal_entries
                         WHERE gl_account = '205000' AND document_id IN ({sql_list(posted)})""")[0]
    order_value = books.one(f"SELECT sum(order_value) FROM goods_receipts "
                            f"WHERE goods_receipt_id IN ({sql_list(receipts)})")[0]
    assert grir == order_value > 0


def test_payment_before_receipt(books):
    """A stock invoice paid before its order's first goods receipt; the same invoice and
    payment in the clean books came after it, with the same amounts."""
    kind = "payment_before_receipt"
    found = books.ids("""
        WITH got AS (SELECT purchase_order_id, min(posting_date) AS first
                     FROM goods_receipts GROUP BY ALL)
        SELECT i.invoice_id FROM vendor_invoices i JOIN got USING (purchase_order_id)
        JOIN vendor_payments p USING (invoice_id)
        WHERE i.invoice_type = 'invoice' AND p.payment_date < got.first""")
    assert found == books.labelled(kind, "vendor_invoices")
    moved = books.one(f"""
        SELECT count(*), count(*) FILTER (WHERE c.posting_date >= i.posting_date
                                           AND cp.payment_date > p.payment_date
                                           AND c.gross_amount = i.gross_amount
                                           AND cp.paid_amount = p.paid_amount
                                           AND c.due_date - c.invoice_date
                                               = i.due_date - i.invoice_date)
        FROM vendor_invoices i JOIN clean_vendor_invoices c USING (invoice_id)
        JOIN vendor_payments p ON p.invoice_id = i.invoice_id
        JOIN clean_vendor_payments cp ON cp.payment_id = p.payment_id
        WHERE i.invoice_id IN ({sql_list(found)})""")
    assert moved[0] == moved[1] == len(found)
    assert books.ids(f"SELECT payment_id FROM vendor_payments "
                     f"WHERE invoice_id IN ({sql_list(found)})") \
        == books.labelled(kind, "vendor_payments")


def test_match_override(books):
    """A blocked quantity variance paid in full, with no credit memo from the vendor for
    its order; in the clean books the same invoice matched, for less."""
    kind = "match_override"
    found = books.ids("""
        WITH cleared AS (SELECT invoice_id, sum(cleared_amount) AS s FROM vendor_payments
                         GROUP BY ALL)
        SELECT i.invoice_id FROM vendor_invoices i JOIN cleared USING (invoice_id)
        WHERE i.match_status = 'quantity_variance' AND i.is_blocked AND cleared.s = i.gross_amount
          AND i.purchase_order_id NOT IN (SELECT purchase_order_id FROM vendor_invoices
                                          WHERE invoice_type = 'credit_memo')""")
    assert found == books.labelled(kind, "vendor_invoices")
    before = books.one(f"""
        SELECT count(*), count(*) FILTER (WHERE c.match_status = 'matched'
                                           AND c.gross_amount < i.gross_amount
                                           AND i.net_amount + i.tax_amount = i.gross_amount
                                           AND p.paid_amount = i.gross_amount
                                                               - p.discount_amount
                                           AND p.payment_date = cp.payment_date)
        FROM vendor_invoices i JOIN clean_vendor_invoices c USING (invoice_id)
        JOIN vendor_payments p ON p.invoice_id = i.invoice_id
        JOIN clean_vendor_payments cp ON cp.payment_id = p.payment_id
        WHERE i.invoice_id IN ({sql_list(found)})""")
    assert before[0] == before[1] == len(found)
