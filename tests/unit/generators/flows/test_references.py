"""Journal entries and the documents they post, in a seeded run: every entry names the
document (and, for partner documents, the partner) it posts, and every document row's
journal_entry_id is an entry that names that document."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.generators.flows.runs import first_lines, returns_run, strings

# table: (id column, reference type of its entries, partner column, partner master table)
DOCUMENTS = {
    "deliveries": ("delivery_id", "delivery", "customer_id", "customers"),
    "customer_invoices": ("invoice_id", "customer_invoice", "customer_id", "customers"),
    "customer_receipts": ("receipt_id", "customer_receipt", "customer_id", "customers"),
    "goods_receipts": ("goods_receipt_id", "goods_receipt", "vendor_id", "vendors"),
    "vendor_invoices": ("invoice_id", "vendor_invoice", "vendor_id", "vendors"),
    "vendor_payments": ("payment_id", "vendor_payment", "vendor_id", "vendors"),
}


@pytest.fixture(scope="module")
def run():
    _, result = returns_run()
    first = first_lines(result.table("journal_entries"))
    header = {i: (t, r, p) for i, t, r, p in zip(
        strings(first, "document_id"), strings(first, "reference_document_type"),
        strings(first, "reference_document_id"), strings(first, "partner_id"))}
    return result, first, header


def test_every_entry_names_its_document(run):
    _, first, _ = run
    ref_type = strings(first, "reference_document_type")
    ref_id = strings(first, "reference_document_id")
    ids = strings(first, "document_id")
    missing = [i for i, t, r in zip(ids, ref_type, ref_id) if t is None or r is None]
    assert not missing, f"entries without reference document: {missing[:5]}"


@pytest.mark.parametrize("table", sorted(DOCUMENTS))
def test_partner_document_entries_carry_the_partner(run, table):
    result, first, _ = run
    id_column, ref, partner_column, master = DOCUMENTS[table]
    ref_type = strings(first, "reference_document_type")
    mine = ref_type == ref
    assert mine.any(), f"no entries of type {ref}"
    partners = strings(first, "partner_id")[mine]
    known = set(strings(result.table(master), partner_column))
    unknown = sorted({p for p in partners if p not in known}, key=str)
    assert not unknown, f"{ref} entries with partner not in {master}: {unknown[:5]}"
    # every entry of this type posts a document of the table, under its id
    docs = set(strings(result.table(table), id_column))
    refs = strings(first, "reference_document_id")[mine]
    stray = sorted(set(refs) - docs - {None})
    assert not stray, f"{ref} entries reference ids missing from {table}: {stray[:5]}"


@pytest.mark.parametrize("table", sorted(DOCUMENTS))
def test_document_journal_entry_ids_point_back_at_the_document(run, table):
    result, _, header = run
    id_column, ref, partner_column, _ = DOCUMENTS[table]
    t = result.table(table)
    assert t.num_rows, f"{table} is empty"
    opening = (t["is_opening"].to_numpy(zero_copy_only=False) if "is_opening" in t.schema.names
               else np.zeros(t.num_rows, bool))
    wrong = []
    for doc, partner, entry, is_opening in zip(strings(t, id_column), strings(t, partner_column),
                                               strings(t, "journal_entry_id"), opening):
        if entry not in header:
            wrong.append((doc, entry, "no such entry"))
            continue
        got = header[entry]
        # an opening item is posted by the opening entry, which names the opening balance
        want = ("opening_balance", got[1], None) if is_opening else (ref, doc, partner)
        if got != want:
            wrong.append((doc, entry, got))
    assert not wrong, f"{table}: rows whose entry names another document: {wrong[:5]}"
    if opening.any():
        assert {header[e][1] for e in strings(t, "journal_entry_id")[opening]} <= \
            {f"OB-{c.code}" for c in returns_run()[0].companies}


def test_expense_claim_entries_name_the_employee(run):
    result, first, _ = run
    mine = strings(first, "reference_document_type") == "expense_claim"
    assert mine.any(), "no expense claims"
    employees = set(strings(result.table("employees"), "employee_id"))
    partners = strings(first, "partner_id")[mine]
    unknown = sorted({p for p in partners if p not in employees}, key=str)
    assert not unknown, f"expense claims whose partner is no employee: {unknown[:5]}"
