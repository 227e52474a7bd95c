"""Keys: a dangling value fails the key group that covers it, and only that group."""

from __future__ import annotations

import pytest

from tests.unit.verify.builder import find
from tests.unit.verify.conftest import failing, results

# table, row, column, dangling value, check, text in the detail
CASES = [
    ("journal_entries", {"document_id": "JE-08", "line_number": 1}, "created_by", "E-404",
     "keys.journal_entries", "journal_entries.created_by->employees: 1 dangling (e.g. E-404)"),
    ("journal_entries", {"document_id": "JE-08", "line_number": 1}, "cost_center", "CC-404",
     "keys.journal_entries", "CC-404"),
    ("journal_entries", {"document_id": "JE-04", "line_number": 1}, "partner_id", "X-404",
     "keys.journal_entries", "partner_id->vendors | customers | employees"),
    ("journal_entries", {"document_id": "JE-03", "line_number": 2}, "reference_document_id",
     "VI-404", "keys.journal_references",
     "reference_document_id (vendor_invoice)->vendor_invoices: 1 dangling (e.g. VI-404)"),
    ("journal_entries", {"document_id": "JE-03", "line_number": 2}, "reference_document_type",
     "mystery", "keys.journal_references", "(known types): 1 dangling (e.g. mystery)"),
    ("vendor_invoices", {"invoice_id": "VI-1"}, "vendor_id", "V-404", "keys.documents",
     "vendor_invoices.vendor_id->vendors: 1 dangling (e.g. V-404)"),
    ("customer_invoices", {"invoice_id": "CI-1"}, "delivery_id", "DL-404", "keys.documents",
     "DL-404"),
    ("goods_receipts", {"goods_receipt_id": "GR-1"}, "journal_entry_id", "JE-404",
     "keys.documents_to_journal", "goods_receipts.journal_entry_id->journal_entries"),
    ("document_references", {"target_document_id": "GR-1"}, "target_document_id", "GR-404",
     "keys.document_references", "target_document_id (goods_receipt)->goods_receipts"),
    ("document_references", {"target_document_id": "GR-1"}, "source_document_type", "memo",
     "keys.document_references", "source_document_type (known types)"),
    ("ar_open_items", {"invoice_id": "CI-1", "fiscal_period": 11}, "customer_id", "C-404",
     "keys.ledgers", "ar_open_items.customer_id->customers"),
    ("vendors", {"vendor_id": "V-1"}, "company_code", "9999", "keys.master_data",
     "vendors.company_code->companies"),
]


@pytest.mark.parametrize("table, match, column, value, check, text", CASES,
                         ids=[f"{c[0]}.{c[2]}" for c in CASES])
def test_a_dangling_key_fails_its_group(build, table, match, column, value, check, text):
    root = build(edit=lambda data: find(data[table], **match).update({column: value}))
    assert failing(root) == {check}
    found = results(root)[check]
    assert found.violations == 1 and text in found.detail


def test_internal_reference_types_are_not_resolved(books_dir):
    # JE-09 references depreciation run DEP-11, which has no table: that is fine
    assert not results(books_dir)["keys.journal_references"].failed


def test_a_duplicated_primary_key_fails(build):
    def edit(data):
        data["purchase_orders"].append(dict(find(data["purchase_orders"],
                                                 purchase_order_id="PO-2")))

    root = build(edit=edit)
    assert failing(root) == {"keys.primary_unique"}
    assert "purchase_orders (purchase_order_id, line_number): 2 rows share a key" in \
        results(root)["keys.primary_unique"].detail
