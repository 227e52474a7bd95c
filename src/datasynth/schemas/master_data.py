"""Master data: companies, vendors, customers, materials, fixed assets, employees, cost centers."""

import pyarrow as pa

from datasynth.schemas.base import CODE, DATE, KEY, MONEY, TableSpec, column, table_schema


def _spec(name: str, key: str, description: str, *fields: pa.Field) -> TableSpec:
    return TableSpec(name=name, description=description, key=(key,),
                     schema=table_schema(*fields, description=description))


_ADDRESS = (
    column("street", pa.string(), "Street and house number."),
    column("city", pa.string(), "City."),
    column("postal_code", pa.string(), "Postal code."),
    column("country", CODE, "ISO 3166 alpha-2 country code."),
)

COMPANIES = _spec(
    "companies", "company_code", "Legal entities (company codes) of the group.",
    column("company_code", KEY, "Company code."),
    column("name", pa.string(), "Company name."),
    column("currency", CODE, "Functional (local) currency, ISO 4217."),
    column("country", CODE, "Country of incorporation, ISO 3166 alpha-2."),
    column("industry", CODE, "Industry of the group."),
    column("volume_weight", pa.float64(), "Relative share of the group's transaction volume."),
    column("is_group_parent", pa.bool_(), "The parent company of the group (the first listed)."),
    column("parent_company", CODE, "Company code of the parent (null for the parent).",
           nullable=True),
    column("vat_number", pa.string(), "Tax registration number."),
)

VENDORS = _spec(
    "vendors", "vendor_id", "Suppliers, per company.",
    column("vendor_id", KEY, "Vendor number, unique across the dataset (V-000001)."),
    column("company_code", CODE, "Company the vendor is maintained for."),
    column("name", pa.string(), "Vendor name."),
    column("vendor_type", CODE, "Spend category: raw_materials, it_services, logistics, ..."),
    *_ADDRESS,
    column("payment_terms", CODE, "Terms key: IMMEDIATE, NET7, NET10, NET14, NET15, NET30, "
           "2/10NET30, NET45, NET60, NET90 (mix by industry)."),
    column("payment_terms_days", pa.int16(), "Days until the net amount is due."),
    column("discount_percent", pa.float32(), "Early-payment discount offered, percent."),
    column("discount_days", pa.int16(), "Days within which the discount applies."),
    column("spend_weight", pa.float64(), "Share of the company's spend (Pareto), sums to 1."),
    column("tax_id", pa.string(), "Vendor tax number."),
    column("bank_account", pa.string(), "Bank account (IBAN-style) for payments."),
    column("reconciliation_account", CODE, "Accounts-payable control account."),
    column("created_date", DATE, "Date the vendor record was created."),
    column("is_active", pa.bool_(), "Open for postings."),
)

CUSTOMERS = _spec(
    "customers", "customer_id", "Customers, per company.",
    column("customer_id", KEY, "Customer number, unique across the dataset (C-000001)."),
    column("company_code", CODE, "Company the customer is maintained for."),
    column("name", pa.string(), "Customer name."),
    column("customer_type", CODE, "corporate, small_business, government, distributor, consumer."),
    column("segment", CODE, "enterprise, mid_market, smb or consumer."),
    *_ADDRESS,
    column("payment_terms", CODE, "Terms key: IMMEDIATE, NET7, NET10, NET14, NET15, NET30, "
           "2/10NET30, NET45, NET60, NET90 (mix by industry)."),
    column("payment_terms_days", pa.int16(), "Days until the net amount is due."),
    column("credit_rating", CODE, "AAA ... D."),
    column("credit_limit", MONEY, "Credit limit in the company's currency."),
    column("revenue_weight", pa.float64(), "Share of the company's revenue (Pareto), sums to 1."),
    column("payment_behavior", CODE, "early, on_time, slightly_late, often_late, high_risk."),
    column("reconciliation_account", CODE, "Accounts-receivable control account."),
    column("created_date", DATE, "Date the customer record was created."),
    column("is_active", pa.bool_(), "Open for postings."),
)

MATERIALS = _spec(
    "materials", "material_id", "Materials and products, per company.",
    column("material_id", KEY, "Material number, unique across the dataset (MAT-000001)."),
    column("company_code", CODE, "Company (plant owner) the material belongs to."),
    column("description", pa.string(), "Material description."),
    column("material_type", CODE, "raw_material, semi_finished, finished_good, trading_good, "
                                  "operating_supplies, packaging."),
    column("material_group", CODE, "Product group."),
    column("unit_of_measure", CODE, "Base unit: EA, KG, L, M, BOX, ..."),
    column("valuation_method", CODE, "standard_cost, moving_average, fifo."),
    column("standard_cost", MONEY, "Cost per unit in the company's currency."),
    column("list_price", MONEY, "Selling price per unit (0 for materials not sold)."),
    column("inventory_account", CODE, "Inventory account of the material."),
    column("cogs_account", CODE, "Cost-of-goods-sold account."),
    column("revenue_account", CODE, "Revenue account (null for materials not sold).",
           nullable=True),
    column("is_active", pa.bool_(), "Open for movements."),
)

FIXED_ASSETS = _spec(
    "fixed_assets", "asset_id", "Fixed-asset register, per company.",
    column("asset_id", KEY, "Asset number, unique across the dataset (FA-1000-000001)."),
    column("company_code", CODE, "Company owning the asset."),
    column("description", pa.string(), "Asset description."),
    column("asset_class", CODE, "land, buildings, machinery, vehicles, furniture, "
                                "it_equipment, software, leasehold_improvements."),
    column("acquisition_date", DATE, "Date placed in service (before the generated period)."),
    column("acquisition_cost", MONEY, "Historical cost in the company's currency."),
    column("useful_life_months", pa.int16(), "Useful life in months (0: not depreciated)."),
    column("salvage_value", MONEY, "Residual value at the end of the useful life."),
    column("depreciation_method", CODE, "straight_line, declining_balance."),
    column("cost_center", CODE, "Cost center charged with depreciation (null if the company "
                                "has none).", nullable=True),
    column("asset_account", CODE, "Balance-sheet account of the asset."),
    column("accumulated_depreciation_account", CODE, "Contra account (null if not depreciated).",
           nullable=True),
    column("depreciation_expense_account", CODE, "Expense account (null if not depreciated).",
           nullable=True),
    column("status", CODE, "active, fully_depreciated."),
)

EMPLOYEES = _spec(
    "employees", "employee_id", "Employees and technical users, per company.",
    column("employee_id", KEY, "Employee or user number, unique across the dataset."),
    column("company_code", CODE, "Employing company."),
    column("user_name", pa.string(), "System user name (e.g. JSMITH, BATCH01)."),
    column("first_name", pa.string(), "First name (empty for technical users)."),
    column("last_name", pa.string(), "Last name, or the technical user's description."),
    column("email", pa.string(), "Work e-mail address."),
    column("employee_type", CODE, "person, or system for batch and interface users."),
    column("department", CODE, "finance, procurement, sales, warehouse, production, it, hr, "
                               "executive."),
    column("job_title", pa.string(), "Job title."),
    column("job_level", CODE, "staff, senior, manager, director, vp, executive (system: none)."),
    column("cost_center", CODE, "Home cost center.", nullable=True),
    column("manager_id", CODE, "employee_id of the line manager.", nullable=True),
    column("hire_date", DATE, "Hire (or creation) date."),
    column("base_salary", MONEY, "Annual base salary in the company's currency (0 for system)."),
    column("approval_limit", MONEY, "Largest amount the person may approve."),
    column("is_active", pa.bool_(), "Employed or enabled during the generated period."),
)

COST_CENTERS = _spec(
    "cost_centers", "cost_center", "Cost-center hierarchy, per company.",
    column("cost_center", KEY, "Cost-center id, unique across the dataset (CC-1000-FIN-AP)."),
    column("company_code", CODE, "Company the cost center belongs to."),
    column("name", pa.string(), "Cost-center name."),
    column("department", CODE, "Department the cost center serves."),
    column("category", CODE, "administration, production, sales, research, corporate."),
    column("parent_cost_center", CODE, "Parent in the hierarchy (null for departments).",
           nullable=True),
    column("level", pa.int8(), "1 for a department, 2 for a sub-center."),
)

MASTER_DATA_TABLES = (COMPANIES, VENDORS, CUSTOMERS, MATERIALS, FIXED_ASSETS, EMPLOYEES,
                      COST_CENTERS)
