"""Missing values: completely at random (MCAR), and at random given another field (MAR).

MCAR blanks any unprotected value with ``missing_rate``. Real extracts lose values for a
reason, though, and a model that imputes them should find the reason in the other fields of
the record: a foreign vendor's tax number is often not maintained, a manual journal line often
has no text. A MAR rule names a field and a condition on the record; where the condition holds
the field goes missing with ``missing_dependent_rate`` on top of MCAR (label subtype ``mar``).
Missing means null in the degraded copy (an empty cell in CSV).

(Missing *not* at random — depending on the lost value itself — is left out: it cannot be
told from MAR in a label and needs per-field value models.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: condition(clean rows, company country) -> bool per row
Condition = Callable[[pa.Table, str], np.ndarray]


@dataclass(frozen=True)
class MarRule:
    field: str                  # the value that goes missing
    reason: str                 # the condition, in words (docs, labels review)
    needs: tuple[str, ...]      # clean columns the condition reads
    condition: Condition


def _mask(array: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False)


def _text(rows: pa.Table, name: str) -> pa.ChunkedArray:
    return pc.cast(rows[name], pa.string())


def foreign(rows: pa.Table, home_country: str) -> np.ndarray:
    """The partner sits in another country than the company."""
    return _mask(pc.not_equal(_text(rows, "country"), home_country))


def one_of(column: str, values: tuple[str, ...]) -> Condition:
    def condition(rows: pa.Table, _country: str) -> np.ndarray:
        return _mask(pc.is_in(_text(rows, column), pa.array(values, pa.string())))
    return condition


MAR_RULES: dict[str, tuple[MarRule, ...]] = {
    "vendors": (MarRule("tax_id", "foreign vendor (country differs from the company's)",
                        ("country",), foreign),),
    "customers": (MarRule("street", "consumer customer (address taken at the counter)",
                          ("customer_type",), one_of("customer_type", ("consumer",))),),
    "materials": (MarRule("material_group", "non-production material (operating supplies, "
                          "trading goods, packaging)", ("material_type",),
                          one_of("material_type", ("operating_supplies", "trading_good",
                                                   "packaging"))),),
    "employees": (MarRule("email", "shop-floor employee (production, warehouse)",
                          ("department",), one_of("department", ("production", "warehouse"))),),
    "journal_entries": (
        MarRule("line_text", "manual entry (source manual)", ("source",),
                one_of("source", ("manual",))),
        MarRule("header_text", "manual entry (source manual)", ("source",),
                one_of("source", ("manual",))),
    ),
}


def dependent_mask(table: str, field: str, rows: pa.Table, home_country: str) -> np.ndarray:
    """Rows where a MAR rule makes ``field`` of ``table`` likelier to be missing."""
    mask = np.zeros(rows.num_rows, dtype=bool)
    for rule in MAR_RULES.get(table, ()):
        if rule.field == field:
            mask |= rule.condition(rows, home_country)
    return mask


def condition_columns(table: str) -> tuple[str, ...]:
    """Clean columns the MAR rules of ``table`` read."""
    return tuple(dict.fromkeys(c for rule in MAR_RULES.get(table, ()) for c in rule.needs))
