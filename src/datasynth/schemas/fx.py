"""Exchange rates to the group currency (generators/fx/)."""

import pyarrow as pa

from datasynth.schemas.base import CODE, DATE, TableSpec, column, table_schema

#: Rates: 10 decimal places (IDR or JPY against a strong group currency keep 5-6 significant
#: digits), 8 integer digits (the dollar in rupiah or won).
RATE = pa.decimal128(18, 10)

_DESCRIPTION = ("Daily spot, monthly average and monthly closing rates of every currency a "
                "company books in, to the group currency, from a seeded mean-reverting model.")

FX_RATES = TableSpec(
    name="fx_rates",
    description=_DESCRIPTION,
    key=("rate_date", "rate_type", "from_currency", "to_currency"),
    schema=table_schema(
        column("rate_date", DATE, "Day the rate applies to (average and closing: the last day "
                                  "of the month)."),
        column("rate_type", CODE, "spot, average (mean of the month's fixings) or closing "
                                  "(spot of the month's last day)."),
        column("from_currency", CODE, "ISO 4217 code of the foreign currency."),
        column("to_currency", CODE, "ISO 4217 code of the group currency."),
        column("rate", RATE, "Units of to_currency per unit of from_currency."),
        column("fiscal_year", pa.int16(), "Fiscal year of rate_date."),
        column("fiscal_period", pa.int8(), "Fiscal period (month) of rate_date."),
        column("is_fixing", pa.bool_(), "Spot: a market day's fixing (false on weekends, which "
                                        "carry the last fixing); average and closing: true."),
        description=_DESCRIPTION,
    ),
)
