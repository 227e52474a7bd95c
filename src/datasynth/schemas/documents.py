"""Business documents of the P2P and O2C flows, and the links between documents.

Every document that posts carries ``journal_entry_id`` (journal_entries.document_id); every
journal entry a document produces carries the document's type and id back. Amounts are in the
company's currency; ``net + tax = gross`` holds exactly on every invoice. Purchase documents also
carry the currency the vendor invoiced in and the amounts in it (``transaction_*``): the same
amounts at rate 1, or a foreign currency's (flows/foreign_payables.py); sales documents the
customer's (flows/foreign_receivables.py).
"""

import pyarrow as pa

from datasynth.schemas.anomalies import flag_columns
from datasynth.schemas.base import CODE, DATE, KEY, MONEY, TableSpec, column, table_schema
from datasynth.schemas.fx import RATE


# Documents an anomaly can inject or alter carry its flags (schemas/anomalies.py).
_UNLABELLED = ("document_references", "asset_acquisitions")


def _spec(name: str, key: tuple[str, ...], description: str, *fields: pa.Field) -> TableSpec:
    flags = () if name in _UNLABELLED else flag_columns()
    return TableSpec(name=name, description=description, key=key,
                     schema=table_schema(*fields, *flags, description=description))


def _company() -> pa.Field:
    return column("company_code", CODE, "Company code (companies.company_code).")


def _je(nullable: bool = False) -> pa.Field:
    return column("journal_entry_id", KEY, "Journal entry this document posted "
                  "(journal_entries.document_id).", nullable=nullable)


def _currency() -> pa.Field:
    return column("transaction_currency", CODE, "Currency the partner invoiced in (ISO 4217): "
                  "the company's own, or the partner's for a vendor or customer invoicing in its "
                  "currency.")


def _rate(what: str) -> pa.Field:
    return column("exchange_rate", RATE, f"Company-currency units per transaction-currency "
                  f"unit: {what} (1 in the company currency).")


def _fc(name: str, what: str) -> pa.Field:
    return column(name, MONEY, f"{what}, in the transaction currency.")


def _fiscal() -> tuple[pa.Field, pa.Field]:
    return (column("fiscal_year", pa.int16(), "Fiscal year of the posting date."),
            column("fiscal_period", pa.int8(), "Fiscal period (month) of the posting date."))


PURCHASE_REQUISITIONS = _spec(
    "purchase_requisitions", ("requisition_id", "line_number"),
    "Purchase requisition lines: what a department asked to buy, approved and converted into "
    "a purchase order line; requisitions do not post.",
    column("requisition_id", KEY, "Requisition number."),
    column("line_number", pa.int32(), "Line within the requisition, from 1."),
    _company(),
    column("item_type", CODE, "material, service or asset."),
    column("material_id", KEY, "Material (materials.material_id) for stock items.",
           nullable=True),
    column("gl_account", CODE, "Account the requester charges."),
    column("cost_center", CODE, "Requesting cost center (service lines).", nullable=True),
    column("quantity", pa.int64(), "Requested quantity."),
    column("estimated_price", MONEY, "Price per unit the requester expected."),
    column("requisition_date", DATE, "Date requested (on or before the order date)."),
    column("requested_by", CODE, "Requester (employees.employee_id)."),
    column("approved_by", CODE, "Approver (employees.employee_id), not the requester; null "
           "if never approved.", nullable=True),
    column("approval_date", DATE, "Date the approver released the requisition (on or after "
           "the requisition date, on or before the order date); null if never approved.",
           nullable=True),
    column("status", CODE, "converted (ordered)."),
    column("purchase_order_id", KEY, "Purchase order the line was converted into."),
    column("po_line_number", pa.int32(), "Line of that purchase order."),
)

PURCHASE_ORDERS = _spec(
    "purchase_orders", ("purchase_order_id", "line_number"),
    "Purchase order lines (from a requisition); orders do not post.",
    column("purchase_order_id", KEY, "Purchase order number."),
    column("line_number", pa.int32(), "Line within the order, from 1."),
    _company(),
    column("requisition_id", KEY, "Purchase requisition the line was ordered from."),
    column("vendor_id", KEY, "Vendor (vendors.vendor_id)."),
    column("item_type", CODE, "material (stock, received), service (expensed) or asset "
           "(capitalised)."),
    column("material_id", KEY, "Material (materials.material_id) for stock items.",
           nullable=True),
    column("gl_account", CODE, "Account the line is charged to on receipt or invoice."),
    column("cost_center", CODE, "Cost center for service lines.", nullable=True),
    column("quantity", pa.int64(), "Ordered quantity."),
    column("unit_price", MONEY, "Agreed price per unit."),
    column("net_amount", MONEY, "quantity x unit_price."),
    column("order_date", DATE, "Date the order was placed."),
    column("created_by", CODE, "Buyer (employees.employee_id)."),
    _currency(),
    _fc("transaction_unit_price", "Agreed price per unit"),
    _fc("transaction_net_amount", "quantity x transaction_unit_price; unit_price and "
        "net_amount are these at the spot rate of the order date"),
)

GOODS_RECEIPTS = _spec(
    "goods_receipts", ("goods_receipt_id", "po_line_number"),
    "Goods receipts against purchase order lines (several for a partial delivery).",
    column("goods_receipt_id", KEY, "Goods receipt (material document) number."),
    _company(),
    column("purchase_order_id", KEY, "Order received against."),
    column("po_line_number", pa.int32(), "Order line received against."),
    column("vendor_id", KEY, "Vendor (vendors.vendor_id)."),
    column("material_id", KEY, "Material received (materials.material_id)."),
    column("quantity", pa.int64(), "Quantity received."),
    column("inventory_value", MONEY, "Quantity at the material's standard cost (debit to "
           "inventory)."),
    column("order_value", MONEY, "Quantity at the order price (credit to GR/IR)."),
    column("posting_date", DATE, "Date of the receipt."),
    *_fiscal(),
    column("is_partial", pa.bool_(), "Less than the open order quantity was delivered."),
    _je(),
)

VENDOR_INVOICES = _spec(
    "vendor_invoices", ("invoice_id",),
    "Vendor invoices (and the opening accounts-payable items), with the three-way match result.",
    column("invoice_id", KEY, "Invoice (accounting document) number."),
    _company(),
    column("vendor_id", KEY, "Vendor (vendors.vendor_id)."),
    column("invoice_type", CODE, "invoice, or credit_memo (from the vendor, negative "
           "amounts: for units billed but not received)."),
    column("purchase_order_id", KEY, "Order invoiced (null for opening items).", nullable=True),
    column("vendor_reference", KEY, "The vendor's own invoice number."),
    column("invoice_date", DATE, "Date on the invoice."),
    column("posting_date", DATE, "Date posted."),
    *_fiscal(),
    column("due_date", DATE, "Net due date from the payment terms."),
    column("discount_date", DATE, "Last day for the early-payment discount (null if none).",
           nullable=True),
    column("discount_percent", pa.float32(), "Early-payment discount offered, percent."),
    column("net_amount", MONEY, "Amount before tax."),
    column("tax_amount", MONEY, "Input VAT / sales tax."),
    column("gross_amount", MONEY, "Amount payable (net + tax); credited to the AP control "
           "account."),
    column("tax_rate", pa.float32(), "Tax rate applied, percent."),
    column("match_status", CODE, "Three-way match: matched, price_variance, quantity_variance, "
           "blocked, or not_applicable (services, opening items)."),
    column("price_variance", MONEY, "Invoice minus order value of the quantity invoiced."),
    column("is_blocked", pa.bool_(), "Blocked for payment until the variance was released."),
    column("control_account", CODE, "AP control account credited."),
    column("is_opening", pa.bool_(), "An open item taken over in the opening balance."),
    _currency(),
    _rate("the spot rate of the posting date (IAS 21.21); gross_amount and tax_amount are "
          "the transaction amounts at it, net_amount = gross - tax"),
    _fc("transaction_net_amount", "Amount before tax"),
    _fc("transaction_tax_amount", "Input VAT / sales tax"),
    _fc("transaction_gross_amount", "Amount payable (net + tax)"),
    _je(),
)

VENDOR_PAYMENTS = _spec(
    "vendor_payments", ("payment_id", "invoice_id"),
    "Outgoing payments clearing vendor invoices (several rows for partial payments).",
    column("payment_id", KEY, "Payment document number."),
    column("invoice_id", KEY, "Invoice cleared (vendor_invoices.invoice_id)."),
    _company(),
    column("vendor_id", KEY, "Vendor paid."),
    column("payment_date", DATE, "Value date of the bank transfer."),
    *_fiscal(),
    column("cleared_amount", MONEY, "Amount of the invoice cleared (debit to AP), at the rate "
           "the invoice was booked."),
    column("discount_amount", MONEY, "Early-payment discount taken (at the booked rate)."),
    column("paid_amount", MONEY, "cleared - discount: what left the bank, or for a foreign-"
           "currency invoice that plus exchange_difference."),
    column("days_late", pa.int16(), "Days after the due date (negative: early)."),
    column("is_partial", pa.bool_(), "Clears only part of the invoice."),
    _currency(),
    _rate("the spot rate of the payment date, at which the bank paid "
          "transaction_paid_amount"),
    _fc("transaction_cleared_amount", "Amount of the invoice cleared"),
    _fc("transaction_discount_amount", "Early-payment discount taken"),
    _fc("transaction_paid_amount", "Amount paid (cleared - discount)"),
    column("exchange_difference", MONEY, "Realised exchange gain (+) or loss (-) on the "
           "payment (IAS 21.28), posted to 820000: paid_amount, the cleared amount at the rate "
           "the invoice was booked less the discount, minus what left the bank "
           "(transaction_paid_amount at exchange_rate). 0 in the company currency."),
    _je(),
)

SALES_ORDERS = _spec(
    "sales_orders", ("sales_order_id", "line_number"),
    "Sales order lines, each checked against the customer's credit limit.",
    column("sales_order_id", KEY, "Sales order number."),
    column("line_number", pa.int32(), "Line within the order, from 1."),
    _company(),
    column("customer_id", KEY, "Customer (customers.customer_id)."),
    column("material_id", KEY, "Material sold (materials.material_id); null for service "
           "lines.", nullable=True),
    column("quantity", pa.int64(), "Ordered quantity."),
    column("unit_price", MONEY, "Price per unit."),
    column("net_amount", MONEY, "quantity x unit_price."),
    column("order_date", DATE, "Date of the order."),
    column("credit_check", CODE, "passed; released (over the credit limit, released by "
           "credit management); or rejected (over the limit, never shipped)."),
    column("created_by", CODE, "Sales clerk (employees.employee_id)."),
    _currency(),
    _fc("transaction_unit_price", "Price per unit"),
    _fc("transaction_net_amount", "quantity x transaction_unit_price; unit_price and "
        "net_amount are these at the spot rate of the order date"),
)

DELIVERIES = _spec(
    "deliveries", ("delivery_id", "so_line_number"),
    "Outbound deliveries (goods issues) and customer returns, at the material's cost.",
    column("delivery_id", KEY, "Delivery number."),
    _company(),
    column("sales_order_id", KEY, "Order delivered."),
    column("so_line_number", pa.int32(), "Order line delivered."),
    column("customer_id", KEY, "Customer."),
    column("material_id", KEY, "Material (materials.material_id)."),
    column("quantity", pa.int64(), "Quantity shipped (negative for a return)."),
    column("cost_amount", MONEY, "Quantity at standard cost (cost of goods sold; negative for "
           "a return)."),
    column("posting_date", DATE, "Goods-issue date."),
    *_fiscal(),
    column("is_partial", pa.bool_(), "Less than the open order quantity was shipped."),
    column("is_return", pa.bool_(), "A customer return put back into stock."),
    _je(),
)

CUSTOMER_INVOICES = _spec(
    "customer_invoices", ("invoice_id",),
    "Customer invoices and credit memos (and the opening accounts-receivable items).",
    column("invoice_id", KEY, "Billing document number."),
    _company(),
    column("customer_id", KEY, "Customer (customers.customer_id)."),
    column("invoice_type", CODE, "invoice or credit_memo."),
    column("sales_order_id", KEY, "Order billed (null for opening items).", nullable=True),
    column("delivery_id", KEY, "Delivery billed (null for opening items).", nullable=True),
    column("invoice_date", DATE, "Billing date (posting date)."),
    *_fiscal(),
    column("due_date", DATE, "Net due date from the payment terms."),
    column("net_amount", MONEY, "Revenue (negative on a credit memo)."),
    column("tax_amount", MONEY, "Output VAT / sales tax (negative on a credit memo)."),
    column("gross_amount", MONEY, "Receivable (net + tax); debited to the AR control account."),
    column("tax_rate", pa.float32(), "Tax rate applied, percent."),
    column("control_account", CODE, "AR control account debited."),
    column("is_opening", pa.bool_(), "An open item taken over in the opening balance."),
    _currency(),
    _rate("the spot rate of the posting date (IAS 21.21); gross_amount and tax_amount are "
          "the transaction amounts at it, net_amount = gross - tax"),
    _fc("transaction_net_amount", "Amount before tax"),
    _fc("transaction_tax_amount", "Output VAT / sales tax"),
    _fc("transaction_gross_amount", "Receivable (net + tax)"),
    _je(),
)

CUSTOMER_RECEIPTS = _spec(
    "customer_receipts", ("receipt_id", "invoice_id"),
    "Incoming payments, cash discounts, short payments and bad-debt write-offs clearing "
    "customer invoices.",
    column("receipt_id", KEY, "Receipt (or write-off) document number."),
    column("invoice_id", KEY, "Invoice cleared (customer_invoices.invoice_id)."),
    _company(),
    column("customer_id", KEY, "Customer."),
    column("receipt_type", CODE, "payment, bad_debt_write_off, or refund (of a credit "
           "memo: negative amounts)."),
    column("receipt_date", DATE, "Value date."),
    *_fiscal(),
    column("cleared_amount", MONEY, "Amount of the invoice cleared (credit to AR)."),
    column("discount_amount", MONEY, "Cash discount granted."),
    column("write_off_amount", MONEY, "Short payment or bad debt written off."),
    column("received_amount", MONEY, "cleared - discount - write-off, at the rate the "
           "invoice was booked: the cash received, or for a foreign-currency invoice that "
           "less exchange_difference."),
    column("days_late", pa.int16(), "Days after the due date (negative: early)."),
    column("is_partial", pa.bool_(), "Clears only part of the invoice."),
    _currency(),
    _rate("the spot rate of the receipt date, at which the bank received "
          "transaction_received_amount"),
    _fc("transaction_cleared_amount", "Amount of the invoice cleared"),
    _fc("transaction_discount_amount", "Cash discount granted"),
    _fc("transaction_write_off_amount", "Short payment or bad debt written off"),
    _fc("transaction_received_amount", "Cash received (cleared - discount - write-off)"),
    column("exchange_difference", MONEY, "Realised exchange gain (+) or loss (-) on the "
           "receipt (IAS 21.28), posted to 820000: the cash received "
           "(transaction_received_amount at exchange_rate) minus received_amount. 0 in the "
           "company currency."),
    _je(),
)

DOCUMENT_REFERENCES = _spec(
    "document_references", ("source_document_id", "target_document_id"),
    "Document flow: which document followed from which (order -> receipt -> invoice -> payment).",
    _company(),
    column("source_document_type", CODE, "Table of the source document (purchase_order, ...)."),
    column("source_document_id", KEY, "Source document id."),
    column("target_document_type", CODE, "Table of the following document."),
    column("target_document_id", KEY, "Following document id."),
    column("reference_type", CODE, "follow_on, payment, credit_memo, write_off, capitalisation."),
    column("amount", MONEY, "Amount carried from source to target."),
)

ASSET_ACQUISITIONS = _spec(
    "asset_acquisitions", ("asset_id",),
    "Fixed assets acquired during the generated period (added to the register).",
    column("asset_id", KEY, "New asset number (fixed-asset register)."),
    _company(),
    column("asset_class", CODE, "Asset class (as fixed_assets.asset_class)."),
    column("description", pa.string(), "Asset description."),
    column("acquisition_date", DATE, "Date placed in service (capitalisation date)."),
    *_fiscal(),
    column("acquisition_cost", MONEY, "Capitalised cost."),
    column("useful_life_months", pa.int16(), "Useful life in months (0: not depreciated)."),
    column("salvage_value", MONEY, "Residual value."),
    column("cost_center", CODE, "Cost center charged with depreciation.", nullable=True),
    column("asset_account", CODE, "Balance-sheet account of the asset."),
    column("accumulated_depreciation_account", CODE, "Contra account (null if not "
           "depreciated).", nullable=True),
    column("depreciation_expense_account", CODE, "Expense account (null if not depreciated).",
           nullable=True),
    column("vendor_id", KEY, "Supplier of the asset."),
    column("vendor_invoice_id", KEY, "Invoice capitalised (vendor_invoices.invoice_id)."),
    _je(),
)

DOCUMENT_TABLES = (PURCHASE_REQUISITIONS, PURCHASE_ORDERS, GOODS_RECEIPTS, VENDOR_INVOICES, VENDOR_PAYMENTS,
                   SALES_ORDERS, DELIVERIES, CUSTOMER_INVOICES, CUSTOMER_RECEIPTS,
                   DOCUMENT_REFERENCES, ASSET_ACQUISITIONS)
