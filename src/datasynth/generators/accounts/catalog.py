"""The account catalogue: core accounts every chart has, industry accounts, and detail groups.

Numbers are six digits; the first digit is the class (1 assets, 2 liabilities, 3 equity,
4 revenue, 5 cost of sales, 6 personnel, 7 operating expenses, 8 financial, 9 income tax),
the usual layout of US-GAAP operating charts. Sub-types are the vocabulary the posting rules
use to pick accounts (see ``generators/journal_entries/postings.py``).
"""

from __future__ import annotations

from typing import NamedTuple

# sub_type -> (account_type, normal_balance, account_group, is_control, is_contra)
SUB_TYPES: dict[str, tuple[str, str, str, bool, bool]] = {
    "cash": ("asset", "debit", "Cash and cash equivalents", False, False),
    "bank_clearing": ("asset", "debit", "Cash and cash equivalents", False, False),
    "receivables": ("asset", "debit", "Trade receivables", True, False),
    "other_receivables": ("asset", "debit", "Other current assets", False, False),
    "tax_receivable": ("asset", "debit", "Other current assets", False, False),
    "inventory": ("asset", "debit", "Inventories", True, False),
    "prepaid": ("asset", "debit", "Prepaid expenses", False, False),
    "fixed_assets": ("asset", "debit", "Property, plant and equipment", True, False),
    "accumulated_depreciation": ("asset", "credit", "Property, plant and equipment", True, True),
    "intangibles": ("asset", "debit", "Intangible assets", False, False),
    "other_assets": ("asset", "debit", "Other non-current assets", False, False),
    "payables": ("liability", "credit", "Trade payables", True, False),
    "grir_clearing": ("liability", "credit", "Trade payables", False, False),
    "tax_payable": ("liability", "credit", "Tax liabilities", False, False),
    "accrued": ("liability", "credit", "Accrued liabilities", False, False),
    "payroll_liabilities": ("liability", "credit", "Accrued liabilities", False, False),
    "payroll_clearing": ("liability", "credit", "Accrued liabilities", False, False),
    "deferred_revenue": ("liability", "credit", "Contract liabilities", False, False),
    "debt_short": ("liability", "credit", "Short-term borrowings", False, False),
    "debt_long": ("liability", "credit", "Long-term borrowings", False, False),
    "suspense": ("liability", "credit", "Other current liabilities", False, False),
    "share_capital": ("equity", "credit", "Share capital", False, False),
    "reserves": ("equity", "credit", "Reserves", False, False),
    "retained_earnings": ("equity", "credit", "Retained earnings", False, False),
    "product_revenue": ("revenue", "credit", "Revenue", False, False),
    "service_revenue": ("revenue", "credit", "Revenue", False, False),
    "sales_deductions": ("revenue", "debit", "Revenue", False, True),
    "other_income": ("revenue", "credit", "Other operating income", False, False),
    "interest_income": ("revenue", "credit", "Financial income", False, False),
    "cogs": ("expense", "debit", "Cost of sales", False, False),
    "personnel": ("expense", "debit", "Personnel expenses", False, False),
    "opex": ("expense", "debit", "Other operating expenses", False, False),
    "depreciation": ("expense", "debit", "Depreciation and amortisation", False, False),
    "interest_expense": ("expense", "debit", "Financial expenses", False, False),
    "fx_result": ("expense", "debit", "Financial expenses", False, False),
    "tax_expense": ("expense", "debit", "Income tax expense", False, False),
}


class Core(NamedTuple):
    number: int
    name: str
    sub_type: str


CORE: tuple[Core, ...] = (
    Core(100000, "Bank - Operating Account", "cash"),
    Core(100100, "Bank - Payroll Account", "cash"),
    Core(100200, "Petty Cash", "cash"),
    Core(101000, "Bank Clearing - Incoming Payments", "bank_clearing"),
    Core(101100, "Bank Clearing - Outgoing Payments", "bank_clearing"),
    Core(110000, "Trade Receivables - Domestic", "receivables"),
    Core(110100, "Trade Receivables - Foreign", "receivables"),
    Core(115000, "Other Receivables", "other_receivables"),
    Core(115100, "Employee Advances", "other_receivables"),
    Core(116000, "Input VAT / Sales Tax Receivable", "tax_receivable"),
    Core(116100, "Income Tax Receivable", "tax_receivable"),
    Core(120000, "Inventory - Trading Goods", "inventory"),
    Core(130000, "Prepaid Expenses", "prepaid"),
    Core(130100, "Prepaid Insurance", "prepaid"),
    Core(150000, "Land", "fixed_assets"),
    Core(150100, "Buildings", "fixed_assets"),
    Core(150200, "Machinery and Equipment", "fixed_assets"),
    Core(150300, "Vehicles", "fixed_assets"),
    Core(150400, "Furniture and Fixtures", "fixed_assets"),
    Core(150500, "IT Equipment", "fixed_assets"),
    Core(150600, "Leasehold Improvements", "fixed_assets"),
    Core(159100, "Accumulated Depreciation - Buildings", "accumulated_depreciation"),
    Core(159200, "Accumulated Depreciation - Machinery", "accumulated_depreciation"),
    Core(159300, "Accumulated Depreciation - Vehicles", "accumulated_depreciation"),
    Core(159400, "Accumulated Depreciation - Furniture", "accumulated_depreciation"),
    Core(159500, "Accumulated Depreciation - IT Equipment", "accumulated_depreciation"),
    Core(159600, "Accumulated Depreciation - Leasehold", "accumulated_depreciation"),
    Core(170000, "Software", "intangibles"),
    Core(179000, "Accumulated Amortisation - Software", "accumulated_depreciation"),
    Core(180000, "Security Deposits", "other_assets"),
    Core(200000, "Trade Payables - Domestic", "payables"),
    Core(200100, "Trade Payables - Foreign", "payables"),
    Core(205000, "Goods Received / Invoice Received Clearing", "grir_clearing"),
    Core(210000, "Output VAT / Sales Tax Payable", "tax_payable"),
    Core(210100, "Income Tax Payable", "tax_payable"),
    Core(220000, "Accrued Expenses", "accrued"),
    Core(220100, "Accrued Bonuses", "accrued"),
    Core(220200, "Accrued Interest", "accrued"),
    Core(230000, "Withholding Tax Payable - Payroll", "payroll_liabilities"),
    Core(230100, "Social Security Payable", "payroll_liabilities"),
    Core(230200, "Accrued Salaries and Wages", "payroll_liabilities"),
    Core(231000, "Payroll Clearing", "payroll_clearing"),
    Core(240000, "Deferred Revenue", "deferred_revenue"),
    Core(250000, "Short-Term Bank Loans", "debt_short"),
    Core(260000, "Long-Term Debt", "debt_long"),
    Core(290000, "Suspense Account", "suspense"),
    Core(300000, "Common Stock", "share_capital"),
    Core(310000, "Additional Paid-In Capital", "reserves"),
    Core(320000, "Retained Earnings", "retained_earnings"),
    Core(400000, "Product Sales - Domestic", "product_revenue"),
    Core(400100, "Product Sales - Export", "product_revenue"),
    Core(410000, "Service Revenue", "service_revenue"),
    Core(420000, "Sales Discounts", "sales_deductions"),
    Core(420100, "Sales Returns and Allowances", "sales_deductions"),
    Core(480000, "Other Operating Income", "other_income"),
    Core(480100, "Gain on Disposal of Assets", "other_income"),
    Core(490000, "Interest Income", "interest_income"),
    Core(500000, "Cost of Goods Sold", "cogs"),
    Core(500100, "Freight In", "cogs"),
    Core(500200, "Inventory Adjustments", "cogs"),
    Core(600000, "Salaries", "personnel"),
    Core(600100, "Wages", "personnel"),
    Core(610000, "Employee Benefits", "personnel"),
    Core(620000, "Payroll Taxes - Employer", "personnel"),
    Core(700000, "Rent Expense", "opex"),
    Core(710000, "Utilities", "opex"),
    Core(720000, "Office Supplies", "opex"),
    Core(730000, "Travel and Entertainment", "opex"),
    Core(740000, "Professional Fees", "opex"),
    Core(745000, "IT and Software Expenses", "opex"),
    Core(750000, "Insurance Expense", "opex"),
    Core(760000, "Marketing and Advertising", "opex"),
    Core(765000, "Repairs and Maintenance", "opex"),
    Core(770000, "Telecommunications", "opex"),
    Core(775000, "Bad Debt Expense", "opex"),
    Core(780000, "Depreciation Expense", "depreciation"),
    Core(790000, "Amortisation Expense", "depreciation"),
    Core(800000, "Interest Expense", "interest_expense"),
    Core(810000, "Bank Charges", "opex"),
    Core(820000, "Foreign Exchange Gains and Losses", "fx_result"),
    Core(900000, "Income Tax Expense", "tax_expense"),
)

# Accounts an industry adds to the core (reference §1: industry shapes the chart).
INDUSTRY: dict[str, tuple[Core, ...]] = {
    "manufacturing": (
        Core(120100, "Inventory - Raw Materials", "inventory"),
        Core(120200, "Inventory - Work in Progress", "inventory"),
        Core(120300, "Inventory - Finished Goods", "inventory"),
        Core(120400, "Inventory - Packaging and Supplies", "inventory"),
        Core(500300, "Production Variances", "cogs"),
        Core(500400, "Manufacturing Overhead Absorbed", "cogs"),
        Core(500500, "Scrap and Rework", "cogs"),
        Core(766000, "Factory Consumables", "opex"),
    ),
    "retail": (
        Core(120100, "Inventory - Merchandise", "inventory"),
        Core(120200, "Inventory - In Transit", "inventory"),
        Core(500300, "Inventory Shrinkage", "cogs"),
        Core(500400, "Vendor Rebates", "cogs"),
        Core(400200, "Store Sales", "product_revenue"),
        Core(400300, "E-Commerce Sales", "product_revenue"),
        Core(755000, "Card Processing Fees", "opex"),
        Core(705000, "Store Occupancy Costs", "opex"),
    ),
    "financial_services": (
        Core(111000, "Loans to Customers", "other_receivables"),
        Core(111100, "Accrued Interest Receivable", "other_receivables"),
        Core(212000, "Customer Deposits", "accrued"),
        Core(410100, "Fee and Commission Income", "service_revenue"),
        Core(410200, "Asset Management Fees", "service_revenue"),
        Core(490100, "Interest Income on Loans", "interest_income"),
        Core(800100, "Interest Expense on Deposits", "interest_expense"),
        Core(776000, "Provision for Credit Losses", "opex"),
    ),
    "healthcare": (
        Core(110200, "Patient Receivables", "receivables"),
        Core(110300, "Insurance Receivables", "receivables"),
        Core(120100, "Inventory - Medical Supplies", "inventory"),
        Core(120200, "Inventory - Pharmaceuticals", "inventory"),
        Core(410100, "Patient Service Revenue", "service_revenue"),
        Core(420200, "Contractual Allowances", "sales_deductions"),
        Core(725000, "Medical Supplies Expense", "opex"),
        Core(741000, "Physician Fees", "opex"),
    ),
    "technology": (
        Core(170100, "Capitalised Software Development", "intangibles"),
        Core(240100, "Deferred Revenue - Subscriptions", "deferred_revenue"),
        Core(410100, "Subscription Revenue", "service_revenue"),
        Core(410200, "Professional Services Revenue", "service_revenue"),
        Core(510000, "Hosting and Infrastructure Costs", "cogs"),
        Core(746000, "Research and Development", "opex"),
        Core(747000, "Cloud Services", "opex"),
        Core(748000, "Software Licences", "opex"),
    ),
}


class DetailGroup(NamedTuple):
    """A range of detail accounts: names are ``base`` x ``qualifiers`` (cycled with a number)."""

    start: int
    stop: int
    sub_type: str
    weight: float
    bases: tuple[str, ...]
    qualifiers: tuple[str, ...]


_REGIONS = ("North", "South", "East", "West", "Central", "Export", "Online", "Key Accounts")
_FUNCTIONS = ("Administration", "Sales", "Production", "Logistics", "Research", "IT",
              "Finance", "Human Resources")

DETAIL_GROUPS: tuple[DetailGroup, ...] = (
    DetailGroup(102000, 104999, "cash", 0.04, ("Bank",),
                ("Collections", "Disbursements", "Savings", "Money Market", "Escrow",
                 "Lockbox", "Foreign Currency", "Deposit")),
    DetailGroup(112000, 114999, "receivables", 0.06, ("Trade Receivables",), _REGIONS),
    DetailGroup(121000, 124999, "inventory", 0.06, ("Inventory",),
                ("Warehouse A", "Warehouse B", "Plant 1", "Plant 2", "Consignment",
                 "Returns", "Spare Parts", "Quarantine")),
    DetailGroup(131000, 134999, "prepaid", 0.03, ("Prepaid",),
                ("Rent", "Maintenance Contracts", "Software Subscriptions", "Marketing",
                 "Licences", "Taxes")),
    DetailGroup(201000, 204999, "payables", 0.05, ("Trade Payables",),
                ("Raw Materials", "Services", "Capital Expenditure", "Utilities",
                 "Logistics", "Contractors", "Marketing", "IT")),
    DetailGroup(221000, 229999, "accrued", 0.06, ("Accrued",),
                ("Utilities", "Audit Fees", "Legal Fees", "Commissions", "Warranty",
                 "Freight", "Royalties", "Vacation Pay", "Rebates", "Property Taxes")),
    DetailGroup(401000, 409999, "product_revenue", 0.12, ("Product Sales",),
                ("Product Line A", "Product Line B", "Product Line C", "Spare Parts",
                 "Accessories", "Custom Orders") ),
    DetailGroup(411000, 419999, "service_revenue", 0.06, ("Service Revenue",),
                ("Maintenance", "Installation", "Training", "Consulting", "Support",
                 "Extended Warranty")),
    DetailGroup(501000, 509999, "cogs", 0.08, ("Cost of Goods Sold",),
                ("Product Line A", "Product Line B", "Product Line C", "Spare Parts",
                 "Accessories", "Custom Orders")),
    DetailGroup(601000, 609999, "personnel", 0.10, ("Salaries",), _FUNCTIONS),
    DetailGroup(611000, 619999, "personnel", 0.04, ("Benefits",),
                ("Health Insurance", "Pension", "Life Insurance", "Training",
                 "Recruiting", "Relocation")),
    DetailGroup(701000, 739999, "opex", 0.20, ("Rent", "Utilities", "Office Supplies",
                                                "Travel", "Meals", "Training",
                                                "Subscriptions", "Postage", "Cleaning",
                                                "Security"), _FUNCTIONS),
    DetailGroup(741000, 769999, "opex", 0.10, ("Consulting", "Legal", "Audit", "Advertising",
                                                "Trade Shows", "Sponsoring", "Maintenance",
                                                "Licences"), _REGIONS),
)
