"""Journal entries, written flat: one row per line item, header fields repeated."""

import pyarrow as pa

from datasynth.schemas.anomalies import flag_columns, split_column
from datasynth.schemas.base import CODE, DATE, KEY, MONEY, TIMESTAMP, TableSpec, column, table_schema
from datasynth.schemas.fx import RATE

_DESCRIPTION = "General-ledger journal entries, one row per line item (header fields repeated)."

JOURNAL_ENTRIES = TableSpec(
    name="journal_entries",
    description=_DESCRIPTION,
    key=("document_id", "line_number"),
    schema=table_schema(
        column("document_id", KEY, "Journal entry number, unique across the dataset."),
        column("company_code", CODE, "Company code (companies.company_code)."),
        column("fiscal_year", pa.int16(), "Fiscal year of the posting date."),
        column("fiscal_period", pa.int8(), "Fiscal period (month) 1-12 of the posting date."),
        column("posting_date", DATE, "Date the entry is posted to the ledger."),
        column("document_date", DATE, "Date of the underlying document (on or before posting)."),
        column("created_at", TIMESTAMP, "When the entry was entered into the system."),
        column("document_type", CODE, "SAP-style document type: SA, KR, KZ, DR, DZ, HR, AA, ..."),
        column("business_process", CODE, "O2C, P2P, R2R, H2R or A2R."),
        column("source", CODE, "manual, automated, recurring or adjustment."),
        column("created_by", CODE, "User who created the entry (employees.employee_id)."),
        column("currency", CODE, "Company (local) currency of the amounts."),
        column("header_text", CODE, "Header text of the entry."),
        column("line_number", pa.int32(), "Line item number within the entry, from 1."),
        column("gl_account", CODE, "General-ledger account (accounts.gl_account)."),
        column("debit_amount", MONEY, "Debit amount in local currency (0 on credit lines)."),
        column("credit_amount", MONEY, "Credit amount in local currency (0 on debit lines)."),
        column("transaction_currency", CODE, "Currency of the underlying document (ISO 4217); "
               "the company currency unless a partner invoiced in a foreign one."),
        column("transaction_amount", MONEY, "The line's amount in the transaction currency "
               "(positive; debit or credit as the local amounts)."),
        column("exchange_rate", RATE, "Company-currency units per transaction-currency unit "
               "the line was converted at (1 for company-currency documents)."),
        column("cost_center", CODE, "Cost center (cost_centers.cost_center) on P&L lines.",
               nullable=True),
        column("line_text", CODE, "Line item text."),
        column("reference_document_type", CODE, "Type of the business document the entry "
               "posts (purchase_order, goods_receipt, vendor_invoice, ...; null for GL-only "
               "entries).", nullable=True),
        column("reference_document_id", KEY, "Id of that document in its table.",
               nullable=True),
        column("partner_id", KEY, "Business partner: vendors.vendor_id, "
               "customers.customer_id or employees.employee_id (null if none).", nullable=True),
        column("trading_partner", CODE, "Group company on the other side of an "
               "intercompany posting (companies.company_code; null otherwise).",
               nullable=True),
        *flag_columns(),
        split_column(),
        description=_DESCRIPTION,
    ),
)
