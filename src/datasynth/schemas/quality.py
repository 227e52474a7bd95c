"""Data quality: degraded copies of source tables, and the labels of every change.

A degraded copy is an extract as text: the source's column names (for journal entries only
the key and text-ish fields), every column a nullable plain string, rows in the source's
order followed by appended duplicate rows. It has no primary key: a duplicate repeats its
record's key. ``quality_labels`` holds one row per change (reference: domain study §8.4).
"""

import pyarrow as pa

from datasynth.schemas.base import CODE, KEY, TableSpec, column, table_schema
from datasynth.schemas.journal_entries import JOURNAL_ENTRIES
from datasynth.schemas.master_data import CUSTOMERS, EMPLOYEES, MATERIALS, VENDORS

JOURNAL_COLUMNS = ("document_id", "line_number", "company_code", "posting_date", "gl_account",
                   "debit_amount", "credit_amount", "header_text", "line_text", "created_by")


def _degraded(source: TableSpec, columns: tuple[str, ...] | None = None) -> TableSpec:
    names = columns or tuple(source.schema.names)
    description = (f"{source.name} as a degraded text extract: missing values, typos, format "
                   f"variations, encoding damage and duplicate rows, each listed in "
                   f"quality_labels (table_name {source.name}).")
    fields = [column(name, pa.string(), source.schema.field(name).metadata[b"description"]
                     .decode() + " As text; may be degraded.", nullable=True)
              for name in names]
    return TableSpec(name=f"{source.name}_degraded", description=description,
                     schema=table_schema(*fields, description=description))


_DESCRIPTION = ("Data-quality labels: one row per change made to a degraded copy (a value "
                "blanked, misspelt, reformatted or garbled) or per duplicate row appended to it.")

QUALITY_LABELS = TableSpec(
    name="quality_labels",
    description=_DESCRIPTION,
    key=("issue_id",),
    schema=table_schema(
        column("issue_id", KEY, "Label id, unique across the dataset (DQ-<company>-<8 digits>)."),
        column("issue_type", CODE, "missing_value, typo, format_variation, encoding or "
               "duplicate."),
        column("subtype", CODE, "missing_value: mcar, mar; typo: substitution, transposition, "
               "deletion, doubled_char, ocr; format_variation: date_us, date_eu, "
               "date_dd_mon_yyyy, date_compact, amount_thousands, amount_eu, amount_currency, "
               "amount_accounting, amount_no_decimals; encoding: mojibake, html_entity, "
               "control_char; duplicate: exact, near."),
        column("table_name", CODE, "Source table of the changed row (vendors, customers, "
               "materials, employees, journal_entries); the copy is <table_name>_degraded."),
        column("row_key", KEY, "Key of the changed (or duplicated) row: vendor_id, "
               "customer_id, material_id, employee_id, or document_id:line_number."),
        column("field", CODE, "Changed column (null for an exact duplicate).", nullable=True),
        column("original_value", pa.string(), "Clean value as text (ISO dates, plain "
               "decimals); null for an exact duplicate.", nullable=True),
        column("modified_value", pa.string(), "Value in the degraded copy; null when it went "
               "missing or for an exact duplicate.", nullable=True),
        column("company_code", CODE, "Company code of the row."),
        description=_DESCRIPTION,
    ),
)

DEGRADED_TABLES = (_degraded(VENDORS), _degraded(CUSTOMERS), _degraded(MATERIALS),
                   _degraded(EMPLOYEES), _degraded(JOURNAL_ENTRIES, JOURNAL_COLUMNS))
QUALITY_TABLES = (*DEGRADED_TABLES, QUALITY_LABELS)
