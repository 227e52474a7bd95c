"""A tiny, coherent set of books: every verify check passes on it, and each can be broken.

Company 1000 runs November and December 2024: an opening balance, one purchase
(order -> receipt -> invoice -> payment), one asset bought on a blocked invoice, one sale
(order -> delivery -> invoice -> partial receipt), an opening receivable paid with a
discount, expenses, depreciation and the year-end close. Company 2000 only opens its books.
The trial balance is summed from the journal here; the subledgers are written by hand, so
they are an independent statement of the same story.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

D = Decimal
PERIODS = ((2024, 11), (2024, 12))

# gl_account, account_type, sub_type, normal_balance
ACCOUNTS = (
    ("100000", "asset", "cash", "debit"), ("110000", "asset", "receivables", "debit"),
    ("110100", "asset", "receivables", "debit"), ("116000", "asset", "tax_receivable", "debit"),
    ("120000", "asset", "inventory", "debit"), ("150200", "asset", "fixed_assets", "debit"),
    ("159200", "asset", "accumulated_depreciation", "credit"),
    ("200000", "liability", "payables", "credit"),
    ("205000", "liability", "grir_clearing", "credit"),
    ("210000", "liability", "tax_payable", "credit"),
    ("300000", "equity", "share_capital", "credit"),
    ("330000", "equity", "retained_earnings", "credit"),
    ("400000", "revenue", "product_revenue", "credit"), ("500000", "expense", "cogs", "debit"),
    ("700000", "expense", "opex", "debit"), ("750000", "expense", "depreciation", "debit"),
)
CONTROL = {"receivables", "payables", "inventory", "fixed_assets", "accumulated_depreciation"}

# document_id, company, date, type, reference type, reference id, partner,
# lines of (account, debit, credit, cost center)
ENTRIES = (
    ("JE-01", "1000", "2024-11-01", "OB", "opening_balance", "OB-1000", None, [
        ("100000", 10000, 0), ("120000", 500, 0), ("150200", 2000, 0), ("159200", 0, 400),
        ("110000", 300, 0), ("200000", 0, 200), ("300000", 0, 12200)]),
    ("JE-02", "1000", "2024-11-05", "WE", "goods_receipt", "GR-1", "V-1", [
        ("120000", 1000, 0), ("205000", 0, 1000)]),
    ("JE-03", "1000", "2024-11-07", "KR", "vendor_invoice", "VI-1", "V-1", [
        ("205000", 1000, 0), ("116000", 100, 0), ("200000", 0, 1100)]),
    ("JE-04", "1000", "2024-11-20", "KZ", "vendor_payment", "VP-1", "V-1", [
        ("200000", 1100, 0), ("100000", 0, 1100)]),
    ("JE-05", "1000", "2024-11-10", "WA", "delivery", "DL-1", "C-1", [
        ("500000", 400, 0, "CC-1"), ("120000", 0, 400)]),
    ("JE-06", "1000", "2024-11-10", "DR", "customer_invoice", "CI-1", "C-1", [
        ("110000", 1100, 0), ("400000", 0, 1000), ("210000", 0, 100)]),
    ("JE-07", "1000", "2024-11-25", "DZ", "customer_receipt", "CR-2", "C-1", [
        ("100000", 290, 0), ("700000", 10, 0, "CC-1"), ("110000", 0, 300)]),
    ("JE-08", "1000", "2024-11-15", "SA", "gl_template", None, None, [
        ("700000", 700, 0, "CC-1"), ("100000", 0, 700)]),
    ("JE-09", "1000", "2024-11-30", "AF", "depreciation_run", "DEP-11", None, [
        ("750000", 50, 0, "CC-1"), ("159200", 0, 50)]),
    ("JE-10", "1000", "2024-12-05", "DZ", "customer_receipt", "CR-1", "C-1", [
        ("100000", 500, 0), ("110000", 0, 500)]),
    ("JE-11", "1000", "2024-12-02", "KR", "vendor_invoice", "VI-2", "V-1", [
        ("150200", 600, 0), ("116000", 60, 0), ("200000", 0, 660)]),
    ("JE-12", "1000", "2024-12-31", "AF", "depreciation_run", "DEP-12", None, [
        ("750000", 50, 0, "CC-1"), ("159200", 0, 50)]),
    ("JE-13", "1000", "2024-12-31", "CL", "year_end_close", "YE-2024", None, [
        ("400000", 1000, 0), ("330000", 210, 0), ("500000", 0, 400), ("700000", 0, 710),
        ("750000", 0, 100)]),
    ("JE-14", "2000", "2024-11-01", "OB", "opening_balance", "OB-2000", None, [
        ("100000", 500, 0), ("300000", 0, 500)]),
)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def journal_entries() -> list[dict]:
    rows = []
    for doc, company, day, doc_type, ref_type, ref_id, partner, lines in ENTRIES:
        date = _date(day)
        for number, (account, debit, credit, *center) in enumerate(lines, start=1):
            rows.append({
                "document_id": doc, "company_code": company, "fiscal_year": date.year,
                "fiscal_period": date.month, "posting_date": date, "document_date": date,
                "created_at": dt.datetime.combine(date, dt.time(9)), "document_type": doc_type,
                "created_by": "E-1" if company == "1000" else "E-2", "currency": "USD",
                "line_number": number, "gl_account": account, "debit_amount": D(debit),
                "credit_amount": D(credit), "cost_center": center[0] if center else None,
                "reference_document_type": ref_type, "reference_document_id": ref_id,
                "partner_id": partner})
    return rows


def _is_opening(entry: dict) -> bool:
    return entry["reference_document_type"] == "opening_balance"


def opening_balances(entries: list[dict]) -> list[dict]:
    balance: dict[tuple, Decimal] = defaultdict(lambda: D(0))
    for e in filter(_is_opening, entries):
        balance[e["company_code"], e["gl_account"]] += e["debit_amount"] - e["credit_amount"]
    return [{"company_code": c, "gl_account": a, "balance": b, "balance_date": dt.date(2024, 11, 1)}
            for (c, a), b in sorted(balance.items())]


def trial_balances(entries: list[dict]) -> list[dict]:
    """Summed from ``entries`` as the generator does: the opening entry is brought forward
    into the first period's opening balance, not counted as its activity; an account
    appears from its first posting on."""
    types = {a: t for a, t, _, _ in ACCOUNTS}
    moves: dict[tuple, list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    balance: dict[tuple, Decimal] = defaultdict(lambda: D(0))
    for e in entries:
        if _is_opening(e):
            balance[e["company_code"], e["gl_account"]] += e["debit_amount"] - e["credit_amount"]
        key = (e["company_code"], e["gl_account"], (e["fiscal_year"], e["fiscal_period"]))
        moves[key][0] += 0 if _is_opening(e) else e["debit_amount"]
        moves[key][1] += 0 if _is_opening(e) else e["credit_amount"]
    first: dict[tuple, tuple] = {}
    for company, account, key in moves:
        first[company, account] = min(first.get((company, account), key), key)
    rows = []
    for year, month in PERIODS:
        for company, account in sorted(first):
            if first[company, account] > (year, month):
                continue
            debit, credit = moves.get((company, account, (year, month)), (D(0), D(0)))
            opening = balance[company, account]
            balance[company, account] = opening + debit - credit
            rows.append({"company_code": company, "fiscal_year": year, "fiscal_period": month,
                             "gl_account": account, "account_type": types[account],
                             "opening_balance": opening, "debit": debit, "credit": credit,
                             "closing_balance": balance[company, account]})
    return rows


def _doc(**values) -> dict:
    return {"company_code": "1000", **values}


def _period(year: int, month: int) -> dict:
    return {"fiscal_year": year, "fiscal_period": month}


def tables() -> dict[str, list[dict]]:
    """Every table of the books, as rows (columns left out take a neutral default)."""
    je = journal_entries()
    p11, p12 = _period(2024, 11), _period(2024, 12)
    return {
        "accounts": [{"gl_account": a, "name": a, "account_type": t, "sub_type": s,
                      "normal_balance": n, "is_control_account": s in CONTROL}
                     for a, t, s, n in ACCOUNTS],
        "companies": [{"company_code": "1000", "currency": "USD", "is_group_parent": True},
                      {"company_code": "2000", "currency": "USD", "parent_company": "1000"}],
        "employees": [_doc(employee_id="E-1"), _doc(employee_id="E-2", company_code="2000")],
        "cost_centers": [_doc(cost_center="CC-1")],
        "vendors": [_doc(vendor_id="V-1", reconciliation_account="200000")],
        "customers": [_doc(customer_id="C-1", reconciliation_account="110000")],
        "materials": [_doc(material_id="M-1", standard_cost=100, inventory_account="120000",
                           cogs_account="500000", revenue_account="400000")],
        "fixed_assets": [_doc(asset_id="FA-1", acquisition_cost=2000, asset_account="150200",
                              accumulated_depreciation_account="159200",
                              depreciation_expense_account="750000", cost_center="CC-1")],
        "journal_entries": je,
        "trial_balances": trial_balances(je),
        "opening_balances": opening_balances(je),
        "purchase_requisitions": [
            _doc(requisition_id="PR-1", line_number=1, item_type="material", material_id="M-1",
                 gl_account="120000", quantity=10, estimated_price=98,
                 requisition_date=dt.date(2024, 11, 1), requested_by="E-1",
                 approved_by="E-1", status="converted", purchase_order_id="PO-1",
                 po_line_number=1),
            _doc(requisition_id="PR-2", line_number=1, item_type="asset", gl_account="150200",
                 quantity=1, estimated_price=610, requisition_date=dt.date(2024, 11, 1),
                 requested_by="E-1", approved_by="E-1", status="converted",
                 purchase_order_id="PO-2", po_line_number=1)],
        "purchase_orders": [
            _doc(purchase_order_id="PO-1", line_number=1, vendor_id="V-1", item_type="material",
                 material_id="M-1", gl_account="120000", quantity=10, unit_price=100,
                 net_amount=1000, created_by="E-1", requisition_id="PR-1"),
            _doc(purchase_order_id="PO-2", line_number=1, vendor_id="V-1", item_type="asset",
                 gl_account="150200", quantity=1, unit_price=600, net_amount=600,
                 created_by="E-1", requisition_id="PR-2")],
        "goods_receipts": [_doc(goods_receipt_id="GR-1", purchase_order_id="PO-1",
                                po_line_number=1, vendor_id="V-1", material_id="M-1",
                                quantity=10, inventory_value=1000, order_value=1000,
                                journal_entry_id="JE-02", **p11)],
        "vendor_invoices": [
            _doc(invoice_id="VI-0", vendor_id="V-1", net_amount=200, gross_amount=200,
                 control_account="200000", is_opening=True, journal_entry_id="JE-01", **p11),
            _doc(invoice_id="VI-1", vendor_id="V-1", purchase_order_id="PO-1", net_amount=1000,
                 tax_amount=100, gross_amount=1100, control_account="200000",
                 journal_entry_id="JE-03", **p11),
            _doc(invoice_id="VI-2", vendor_id="V-1", purchase_order_id="PO-2", net_amount=600,
                 tax_amount=60, gross_amount=660, control_account="200000", is_blocked=True,
                 journal_entry_id="JE-11", **p12)],
        "vendor_payments": [_doc(payment_id="VP-1", invoice_id="VI-1", vendor_id="V-1",
                                 cleared_amount=1100, paid_amount=1100,
                                 journal_entry_id="JE-04", **p11)],
        "sales_orders": [_doc(sales_order_id="SO-1", line_number=1, customer_id="C-1",
                              material_id="M-1", quantity=4, unit_price=250, net_amount=1000,
                              created_by="E-1")],
        "deliveries": [_doc(delivery_id="DL-1", sales_order_id="SO-1", so_line_number=1,
                            customer_id="C-1", material_id="M-1", quantity=4, cost_amount=400,
                            journal_entry_id="JE-05", **p11)],
        "customer_invoices": [
            _doc(invoice_id="CI-0", customer_id="C-1", invoice_type="invoice", net_amount=300,
                 gross_amount=300, control_account="110000", is_opening=True,
                 journal_entry_id="JE-01", **p11),
            _doc(invoice_id="CI-1", customer_id="C-1", invoice_type="invoice",
                 sales_order_id="SO-1", delivery_id="DL-1", net_amount=1000, tax_amount=100,
                 gross_amount=1100, control_account="110000", journal_entry_id="JE-06", **p11)],
        "customer_receipts": [
            _doc(receipt_id="CR-2", invoice_id="CI-0", customer_id="C-1", cleared_amount=300,
                 discount_amount=10, received_amount=290, journal_entry_id="JE-07", **p11),
            _doc(receipt_id="CR-1", invoice_id="CI-1", customer_id="C-1", cleared_amount=500,
                 received_amount=500, is_partial=True, journal_entry_id="JE-10", **p12)],
        "asset_acquisitions": [_doc(asset_id="FA-2", acquisition_cost=600,
                                    asset_account="150200", vendor_id="V-1",
                                    vendor_invoice_id="VI-2", journal_entry_id="JE-11", **p12)],
        "document_references": [
            _doc(source_document_type=s, source_document_id=si, target_document_type=t,
                 target_document_id=ti, reference_type="follow_on")
            for s, si, t, ti in (
                ("purchase_order", "PO-1", "goods_receipt", "GR-1"),
                ("goods_receipt", "GR-1", "vendor_invoice", "VI-1"),
                ("vendor_invoice", "VI-1", "vendor_payment", "VP-1"),
                ("sales_order", "SO-1", "delivery", "DL-1"),
                ("delivery", "DL-1", "customer_invoice", "CI-1"),
                ("customer_invoice", "CI-1", "customer_receipt", "CR-1"),
                ("customer_invoice", "CI-0", "customer_receipt", "CR-2"),
                ("purchase_order", "PO-2", "vendor_invoice", "VI-2"),
                ("vendor_invoice", "VI-2", "asset_acquisition", "FA-2"))],
        "ar_open_items": [
            _doc(customer_id="C-1", invoice_id="CI-1", open_amount=1100,
                 control_account="110000", **p11),
            _doc(customer_id="C-1", invoice_id="CI-1", open_amount=600,
                 control_account="110000", **p12)],
        "ap_open_items": [
            _doc(vendor_id="V-1", invoice_id="VI-0", open_amount=200, control_account="200000",
                 **p11),
            _doc(vendor_id="V-1", invoice_id="VI-0", open_amount=200, control_account="200000",
                 **p12),
            _doc(vendor_id="V-1", invoice_id="VI-2", open_amount=660, control_account="200000",
                 **p12)],
        "inventory_positions": [
            _doc(material_id="M-1", quantity=11, unit_cost=100, value=1100,
                 inventory_account="120000", **p) for p in (p11, p12)],
        "fixed_asset_balances": [
            _doc(asset_id="FA-1", acquisition_cost=2000, accumulated_depreciation=450,
                 net_book_value=1550, depreciation_for_period=50, asset_account="150200",
                 accumulated_depreciation_account="159200", **p11),
            _doc(asset_id="FA-1", acquisition_cost=2000, accumulated_depreciation=500,
                 net_book_value=1500, depreciation_for_period=50, asset_account="150200",
                 accumulated_depreciation_account="159200", **p12),
            _doc(asset_id="FA-2", acquisition_cost=600, net_book_value=600,
                 asset_account="150200", accumulated_depreciation_account="159200", **p12)],
    }
