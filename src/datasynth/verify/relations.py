"""Which column points at which table: the foreign keys the key checks resolve.

Kept as data so a new table or reference type is one more line here, not new SQL.
"""

from __future__ import annotations

from typing import NamedTuple


class Relation(NamedTuple):
    table: str
    column: str
    targets: tuple[tuple[str, str], ...]    # (table, key column): the value must be in one
    where: str = ""                         # which rows of ``table`` the relation applies to
    label: str = ""                         # how the detail names it (default table.column)

    def describe(self) -> str:
        target = " | ".join(t for t, _ in self.targets)
        return self.label or f"{self.table}.{self.column}->{target}"


def rel(table: str, column: str, *targets: tuple[str, str], where: str = "",
        label: str = "") -> Relation:
    return Relation(table, column, targets, where, label)


# reference_document_type / document type -> the table and key column holding that document
DOCUMENT_TABLES: dict[str, tuple[str, str]] = {
    "purchase_requisition": ("purchase_requisitions", "requisition_id"),
    "purchase_order": ("purchase_orders", "purchase_order_id"),
    "goods_receipt": ("goods_receipts", "goods_receipt_id"),
    "vendor_invoice": ("vendor_invoices", "invoice_id"),
    "vendor_payment": ("vendor_payments", "payment_id"),
    "sales_order": ("sales_orders", "sales_order_id"),
    "delivery": ("deliveries", "delivery_id"),
    "customer_invoice": ("customer_invoices", "invoice_id"),
    "customer_receipt": ("customer_receipts", "receipt_id"),
    "asset_acquisition": ("asset_acquisitions", "asset_id"),
    "intercompany_pair": ("intercompany_pairs", "pair_id"),
}
# internal runs a journal entry may reference; they have no table to resolve in
INTERNAL_REFERENCES = ("payroll_run", "expense_claim", "depreciation_run", "accrual",
                       "opening_balance", "tax_provision", "year_end_close", "financing",
                       "vat_return", "gl_template", "fx_revaluation")

ACCOUNT = ("accounts", "gl_account")
COMPANY = ("companies", "company_code")
COST_CENTER = ("cost_centers", "cost_center")
EMPLOYEE = ("employees", "employee_id")
VENDOR = ("vendors", "vendor_id")
CUSTOMER = ("customers", "customer_id")
MATERIAL = ("materials", "material_id")
ASSET = (("fixed_assets", "asset_id"), ("asset_acquisitions", "asset_id"))

JOURNAL = (
    rel("journal_entries", "gl_account", ACCOUNT),
    rel("journal_entries", "company_code", COMPANY),
    rel("journal_entries", "cost_center", COST_CENTER),
    rel("journal_entries", "created_by", EMPLOYEE),
    rel("journal_entries", "partner_id", VENDOR, CUSTOMER, EMPLOYEE),
    rel("journal_entries", "trading_partner", COMPANY),
)

JOURNAL_REFERENCES = tuple(
    rel("journal_entries", "reference_document_id", target,
        where=f"reference_document_type = '{kind}'",
        label=f"journal_entries.reference_document_id ({kind})->{target[0]}")
    for kind, target in DOCUMENT_TABLES.items())

_POSTING_DOCUMENTS = ("goods_receipts", "vendor_invoices", "vendor_payments", "deliveries",
                      "customer_invoices", "customer_receipts", "asset_acquisitions")
DOCUMENT_JOURNAL = tuple(rel(table, "journal_entry_id", ("journal_entries", "document_id"))
                         for table in _POSTING_DOCUMENTS)

_DOCUMENT_TABLES = ("purchase_requisitions", "purchase_orders", "sales_orders",
                    "document_references", *_POSTING_DOCUMENTS)
DOCUMENTS = (
    *(rel(table, "company_code", COMPANY) for table in _DOCUMENT_TABLES),
    rel("purchase_requisitions", "material_id", MATERIAL),
    rel("purchase_requisitions", "gl_account", ACCOUNT),
    rel("purchase_requisitions", "cost_center", COST_CENTER),
    rel("purchase_requisitions", "requested_by", EMPLOYEE),
    rel("purchase_requisitions", "approved_by", EMPLOYEE),
    rel("purchase_requisitions", "purchase_order_id", ("purchase_orders", "purchase_order_id")),
    rel("purchase_orders", "requisition_id", ("purchase_requisitions", "requisition_id")),
    rel("purchase_orders", "vendor_id", VENDOR),
    rel("purchase_orders", "material_id", MATERIAL),
    rel("purchase_orders", "gl_account", ACCOUNT),
    rel("purchase_orders", "cost_center", COST_CENTER),
    rel("purchase_orders", "created_by", EMPLOYEE),
    rel("goods_receipts", "vendor_id", VENDOR),
    rel("goods_receipts", "material_id", MATERIAL),
    rel("vendor_invoices", "vendor_id", VENDOR),
    rel("vendor_invoices", "control_account", ACCOUNT),
    rel("vendor_payments", "vendor_id", VENDOR),
    rel("vendor_payments", "invoice_id", ("vendor_invoices", "invoice_id")),
    rel("sales_orders", "customer_id", CUSTOMER),
    rel("sales_orders", "material_id", MATERIAL),
    rel("sales_orders", "created_by", EMPLOYEE),
    rel("deliveries", "customer_id", CUSTOMER),
    rel("deliveries", "material_id", MATERIAL),
    rel("customer_invoices", "customer_id", CUSTOMER),
    rel("customer_invoices", "sales_order_id", ("sales_orders", "sales_order_id")),
    rel("customer_invoices", "delivery_id", ("deliveries", "delivery_id")),
    rel("customer_invoices", "control_account", ACCOUNT),
    rel("customer_receipts", "customer_id", CUSTOMER),
    rel("customer_receipts", "invoice_id", ("customer_invoices", "invoice_id")),
    rel("asset_acquisitions", "vendor_id", VENDOR),
    rel("asset_acquisitions", "vendor_invoice_id", ("vendor_invoices", "invoice_id")),
    rel("asset_acquisitions", "asset_account", ACCOUNT),
    rel("asset_acquisitions", "cost_center", COST_CENTER),
)

DOCUMENT_REFERENCES = tuple(
    rel("document_references", f"{side}_document_id", target,
        where=f"{side}_document_type = '{kind}'",
        label=f"document_references.{side}_document_id ({kind})->{target[0]}")
    for side in ("source", "target") for kind, target in DOCUMENT_TABLES.items())

LEDGERS = (
    rel("trial_balances", "gl_account", ACCOUNT),
    rel("trial_balances", "company_code", COMPANY),
    rel("opening_balances", "gl_account", ACCOUNT),
    rel("ar_open_items", "invoice_id", ("customer_invoices", "invoice_id")),
    rel("ar_open_items", "customer_id", CUSTOMER),
    rel("ar_open_items", "control_account", ACCOUNT),
    rel("ap_open_items", "invoice_id", ("vendor_invoices", "invoice_id")),
    rel("ap_open_items", "vendor_id", VENDOR),
    rel("ap_open_items", "control_account", ACCOUNT),
    rel("inventory_positions", "material_id", MATERIAL),
    rel("inventory_positions", "inventory_account", ACCOUNT),
    rel("fixed_asset_balances", "asset_id", *ASSET),
    rel("fixed_asset_balances", "asset_account", ACCOUNT),
    rel("fixed_asset_balances", "accumulated_depreciation_account", ACCOUNT),
)

MASTER_DATA = (
    *(rel(table, "company_code", COMPANY) for table in
      ("vendors", "customers", "materials", "fixed_assets", "employees", "cost_centers")),
    rel("companies", "parent_company", COMPANY),
    rel("vendors", "reconciliation_account", ACCOUNT),
    rel("customers", "reconciliation_account", ACCOUNT),
    rel("materials", "inventory_account", ACCOUNT),
    rel("materials", "cogs_account", ACCOUNT),
    rel("materials", "revenue_account", ACCOUNT),
    rel("fixed_assets", "asset_account", ACCOUNT),
    rel("fixed_assets", "accumulated_depreciation_account", ACCOUNT),
    rel("fixed_assets", "depreciation_expense_account", ACCOUNT),
    rel("fixed_assets", "cost_center", COST_CENTER),
    rel("employees", "cost_center", COST_CENTER),
    rel("employees", "manager_id", EMPLOYEE),
    rel("cost_centers", "parent_cost_center", COST_CENTER),
)

# the group tables (intercompany and consolidation); absent from single-company outputs
GROUP = (
    rel("intercompany_pairs", "seller_company", COMPANY),
    rel("intercompany_pairs", "buyer_company", COMPANY),
    rel("intercompany_pairs", "seller_document_id", ("journal_entries", "document_id")),
    rel("intercompany_pairs", "buyer_document_id", ("journal_entries", "document_id")),
    rel("intercompany_open_items", "company_code", COMPANY),
    rel("intercompany_open_items", "partner_company", COMPANY),
    rel("intercompany_open_items", "pair_id", ("intercompany_pairs", "pair_id")),
    rel("intercompany_open_items", "document_id", ("journal_entries", "document_id")),
    rel("intercompany_open_items", "gl_account", ACCOUNT),
    rel("translated_trial_balances", "company_code", COMPANY),
    rel("translated_trial_balances", "gl_account", ACCOUNT),
    rel("consolidation_eliminations", "company_code", COMPANY),
    rel("consolidation_eliminations", "partner_company", COMPANY),
    rel("consolidation_eliminations", "gl_account", ACCOUNT),
    rel("consolidated_trial_balances", "gl_account", ACCOUNT),
)
