"""The posting calendar: an internal table of every day in the generated period."""

import pyarrow as pa

from datasynth.schemas.base import CODE, DATE, TableSpec, column, table_schema

_DESCRIPTION = "Every calendar day of the period, per company, with its posting-activity weight."

CALENDAR = TableSpec(
    name="calendar",
    description=_DESCRIPTION,
    key=("company_code", "date"),
    exported=False,
    schema=table_schema(
        column("company_code", CODE, "Company whose holiday calendar applies."),
        column("date", DATE, "Calendar day."),
        column("fiscal_year", pa.int16(), "Fiscal year."),
        column("fiscal_period", pa.int8(), "Fiscal period 1-12."),
        column("is_business_day", pa.bool_(), "Neither weekend nor public holiday."),
        column("is_holiday", pa.bool_(), "Public holiday in the company's country."),
        column("weight", pa.float64(), "Relative posting activity of the day."),
        description=_DESCRIPTION,
    ),
)
