"""Chart of accounts: one operating chart shared by every company of the group."""

from datasynth.schemas.base import CODE, KEY, TableSpec, column, table_schema
import pyarrow as pa

ACCOUNT_TYPES = ("asset", "liability", "equity", "revenue", "expense")

_DESCRIPTION = "General-ledger accounts of the operating chart of accounts."

ACCOUNTS = TableSpec(
    name="accounts",
    description=_DESCRIPTION,
    key=("gl_account",),
    schema=table_schema(
        column("gl_account", KEY, "Account number (unique)."),
        column("name", pa.string(), "Account name."),
        column("account_type", CODE, "asset, liability, equity, revenue or expense."),
        column("sub_type", CODE, "Finer class: cash, receivables, inventory, payables, opex, ..."),
        column("account_group", CODE, "Financial-statement group, e.g. 'Current assets'."),
        column("normal_balance", CODE, "debit or credit: the side that increases the account."),
        column("is_control_account", pa.bool_(), "Reconciliation account of a subledger."),
        column("is_contra_account", pa.bool_(), "Offsets its group (accumulated depreciation)."),
        column("requires_cost_center", pa.bool_(), "Postings carry a cost center (P&L accounts)."),
        column("is_suspense_account", pa.bool_(), "Suspense or clearing account."),
        description=_DESCRIPTION,
    ),
)
