"""Balances: opening balances, trial balances, subledger snapshots and ledger activity.

Balances are signed, debit positive: an asset's normal balance is positive, a liability's
negative. Subledger snapshots are taken at every period end and must equal their control
accounts in ``trial_balances`` to the cent.
"""

import pyarrow as pa

from datasynth.schemas.base import CODE, DATE, KEY, MONEY, column, spec
from datasynth.schemas.fx import RATE


def _period() -> tuple[pa.Field, ...]:
    return (column("company_code", CODE, "Company code."),
            column("fiscal_year", pa.int16(), "Fiscal year."),
            column("fiscal_period", pa.int8(), "Fiscal period (month) 1-12."))


def _currency_columns() -> tuple[pa.Field, ...]:
    """An open item in both currencies (flows/revaluation.py): open_amount is what the item
    is booked at in the company currency (what the control account carries); a foreign-
    currency item is valued at the period's closing rate (IAS 21.23) on a valuation account
    beside the control account, reversed the next day."""
    return (
        column("transaction_currency", CODE, "Currency of the item (ISO 4217)."),
        column("transaction_open_amount", MONEY, "Amount still open, in the transaction "
               "currency."),
        column("closing_rate", RATE, "Closing rate of the period (company-currency units per "
               "unit; 1 in the company currency)."),
        column("revaluation_amount", MONEY, "transaction_open_amount at closing_rate less "
               "open_amount: the valuation posted to valuation_account at the period end "
               "(0 in the company currency)."),
        column("valuation_account", CODE, "Account of the valuation (null in the company "
               "currency); the sum of revaluation_amount per account equals its balance.",
               nullable=True),
    )


OPENING_BALANCES = spec(
    "opening_balances", ("company_code", "gl_account"),
    "Opening balance sheet per company (assets = liabilities + equity), posted as the opening "
    "journal entry on the first day.",
    column("company_code", CODE, "Company code."),
    column("gl_account", CODE, "Balance-sheet account."),
    column("balance", MONEY, "Opening balance, signed (debit positive)."),
    column("balance_date", DATE, "Date of the opening entry (first day of the period)."),
)

OPENING_ITEMS = spec(
    "opening_items", ("company_code", "kind", "item_id"),
    "Internal: the open items behind the opening control-account balances (AR and AP items, "
    "inventory positions). The transactions phase publishes them as opening documents.",
    column("company_code", CODE, "Company code."),
    column("kind", CODE, "ar, ap or inventory."),
    column("item_id", KEY, "Invoice id (ar/ap) or material id (inventory)."),
    column("partner_id", KEY, "Customer or vendor (null for inventory).", nullable=True),
    column("document_date", DATE, "Invoice date (ar/ap) or the opening date (inventory)."),
    column("due_date", DATE, "Net due date (ar/ap) or the opening date."),
    column("quantity", pa.int64(), "Units in stock (inventory; 0 otherwise)."),
    column("amount", MONEY, "Open gross amount (ar/ap) or stock value at standard cost."),
    column("control_account", CODE, "Control account the item sits on."),
    exported=False,
)

LEDGER_ACTIVITY = spec(
    "ledger_activity", ("company_code", "fiscal_year", "fiscal_period", "gl_account", "origin"),
    "Internal: debit and credit totals per company, period and account of the journal entries "
    "as written, per producing phase; trial balances and the period close sum these.",
    *_period(),
    column("gl_account", CODE, "Account."),
    column("origin", CODE, "opening, business or close."),
    column("debit", pa.int64(), "Sum of debits in minor units."),
    column("credit", pa.int64(), "Sum of credits in minor units."),
    exported=False,
)

TRIAL_BALANCES = spec(
    "trial_balances", ("company_code", "fiscal_year", "fiscal_period", "gl_account"),
    "Trial balance per company, fiscal period and account: opening + debit - credit = closing.",
    *_period(),
    column("gl_account", CODE, "Account (accounts.gl_account)."),
    column("account_type", CODE, "asset, liability, equity, revenue or expense."),
    column("opening_balance", MONEY, "Balance at the start of the period, signed (debit +)."),
    column("debit", MONEY, "Debits posted in the period."),
    column("credit", MONEY, "Credits posted in the period."),
    column("closing_balance", MONEY, "Balance at the end of the period, signed (debit +)."),
)

AR_OPEN_ITEMS = spec(
    "ar_open_items", ("company_code", "fiscal_year", "fiscal_period", "invoice_id"),
    "Accounts-receivable subledger: open customer items at each period end, with aging.",
    *_period(),
    column("customer_id", KEY, "Customer."),
    column("invoice_id", KEY, "Open invoice or credit memo (customer_invoices.invoice_id)."),
    column("invoice_date", DATE, "Invoice date."),
    column("due_date", DATE, "Net due date."),
    column("open_amount", MONEY, "Amount still open at the period end (debit positive)."),
    column("days_past_due", pa.int32(), "Days after the due date at the period end (0 if not "
           "due)."),
    column("aging_bucket", CODE, "current, 1-30, 31-60, 61-90 or 90+."),
    column("control_account", CODE, "AR control account."),
    *_currency_columns(),
)

AP_OPEN_ITEMS = spec(
    "ap_open_items", ("company_code", "fiscal_year", "fiscal_period", "invoice_id"),
    "Accounts-payable subledger: open vendor items at each period end, with aging.",
    *_period(),
    column("vendor_id", KEY, "Vendor."),
    column("invoice_id", KEY, "Open invoice (vendor_invoices.invoice_id)."),
    column("invoice_date", DATE, "Invoice date."),
    column("due_date", DATE, "Net due date."),
    column("open_amount", MONEY, "Amount still owed at the period end (positive)."),
    column("days_past_due", pa.int32(), "Days after the due date at the period end (0 if not "
           "due)."),
    column("aging_bucket", CODE, "current, 1-30, 31-60, 61-90 or 90+."),
    column("control_account", CODE, "AP control account."),
    *_currency_columns(),
)

INVENTORY_POSITIONS = spec(
    "inventory_positions", ("company_code", "fiscal_year", "fiscal_period", "material_id"),
    "Inventory subledger: stock per material at each period end, valued at standard cost.",
    *_period(),
    column("material_id", KEY, "Material."),
    column("quantity", pa.int64(), "Units in stock (never negative)."),
    column("unit_cost", MONEY, "Standard cost per unit."),
    column("value", MONEY, "quantity x unit_cost."),
    column("inventory_account", CODE, "Inventory control account."),
)

FIXED_ASSET_BALANCES = spec(
    "fixed_asset_balances", ("company_code", "fiscal_year", "fiscal_period", "asset_id"),
    "Fixed-asset subledger: cost and accumulated depreciation per asset at each period end.",
    *_period(),
    column("asset_id", KEY, "Asset (fixed_assets or asset_acquisitions)."),
    column("acquisition_cost", MONEY, "Capitalised cost."),
    column("accumulated_depreciation", MONEY, "Depreciation to date (positive)."),
    column("net_book_value", MONEY, "Cost - accumulated depreciation."),
    column("depreciation_for_period", MONEY, "Depreciation posted in the period."),
    column("asset_account", CODE, "Asset control account."),
    column("accumulated_depreciation_account", CODE, "Contra control account (null if not "
           "depreciated).", nullable=True),
)

LEDGER_TABLES = (OPENING_BALANCES, OPENING_ITEMS, LEDGER_ACTIVITY, TRIAL_BALANCES,
                 AR_OPEN_ITEMS, AP_OPEN_ITEMS, INVENTORY_POSITIONS, FIXED_ASSET_BALANCES)
