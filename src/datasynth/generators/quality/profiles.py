"""What may be damaged in each table, and how: one profile per source table.

Protected columns — the row key, the company code, and the keys other tables join on (GL,
reconciliation and material accounts, cost centers, managers; a journal line's document,
line number and account) — are copied untouched, so the degraded copy still joins to the
clean tables. Free text takes typos and encoding damage and is what near duplicates change;
dates and amounts take format variations; every other unprotected value (codes, counts,
flags, rates) can only go missing. The columns of each copy come from its schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from datasynth.generators.quality.missing import condition_columns
from datasynth.schemas.registry import table_spec

TABLE_ORDER = ("vendors", "customers", "materials", "employees", "journal_entries")


@dataclass(frozen=True)
class Profile:
    table: str                          # source table
    key: tuple[str, ...]                # row key, joined with ":" in labels
    protected: frozenset[str]
    text: tuple[str, ...]
    dates: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()

    @property
    def degraded(self) -> str:
        return f"{self.table}_degraded"

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns of the degraded copy, in order."""
        return tuple(table_spec(self.degraded).schema.names)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Clean columns to read: the copy's, and those the missing-at-random rules need."""
        return tuple(dict.fromkeys((*self.columns, *condition_columns(self.table))))


def _profile(table: str, key: tuple[str, ...], protected: tuple[str, ...],
             text: tuple[str, ...], dates: tuple[str, ...] = (),
             amounts: tuple[str, ...] = ()) -> Profile:
    return Profile(table, key, frozenset((*key, "company_code", *protected)), text, dates,
                   amounts)


PROFILES: dict[str, Profile] = {p.table: p for p in (
    _profile("vendors", ("vendor_id",), ("reconciliation_account",),
             ("name", "street", "city", "postal_code", "tax_id", "bank_account"),
             dates=("created_date",)),
    _profile("customers", ("customer_id",), ("reconciliation_account",),
             ("name", "street", "city", "postal_code"),
             dates=("created_date",), amounts=("credit_limit",)),
    _profile("materials", ("material_id",),
             ("inventory_account", "cogs_account", "revenue_account"),
             ("description",), amounts=("standard_cost", "list_price")),
    _profile("employees", ("employee_id",), ("cost_center", "manager_id"),
             ("user_name", "first_name", "last_name", "email", "job_title"),
             dates=("hire_date",), amounts=("base_salary", "approval_limit")),
    _profile("journal_entries", ("document_id", "line_number"), ("gl_account",),
             ("header_text", "line_text"), dates=("posting_date",),
             amounts=("debit_amount", "credit_amount")),
)}
