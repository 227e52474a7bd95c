"""Account lookups for posting: chart index by number and by sub-type, and the ledger context."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.currencies import CURRENCIES
from datasynth.generators.ledger.journal import LedgerContext


def _plain(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return column.dictionary_decode() if pa.types.is_dictionary(column.type) else column


@dataclass(frozen=True)
class ChartIndex:
    """The chart of accounts as arrays; postings address accounts by their chart position."""

    numbers: pa.Array              # gl_account strings, chart order
    names: pa.Array
    sub_types: np.ndarray          # str objects
    account_types: np.ndarray      # str objects
    normal_sign: np.ndarray        # +1 debit-normal, -1 credit-normal (contra accounts flip)
    position: dict[str, int]

    @classmethod
    def build(cls, accounts: pa.Table) -> ChartIndex:
        numbers = _plain(accounts["gl_account"])
        normal = np.asarray(_plain(accounts["normal_balance"]).to_pylist())
        return cls(numbers, _plain(accounts["name"]),
                   np.asarray(_plain(accounts["sub_type"]).to_pylist(), dtype=object),
                   np.asarray(_plain(accounts["account_type"]).to_pylist(), dtype=object),
                   np.where(normal == "debit", 1, -1).astype(np.int64),
                   {n: i for i, n in enumerate(numbers.to_pylist())})

    def __len__(self) -> int:
        return len(self.numbers)

    def of(self, number: int | str) -> int:
        """Position of an account number (a core account every chart has)."""
        return self.position[str(number)]

    def get(self, number: int | str, fallback: int | str) -> int:
        return self.position.get(str(number), self.position[str(fallback)])

    def of_sub_type(self, sub_type: str) -> np.ndarray:
        return np.flatnonzero(self.sub_types == sub_type)

    def positions(self, numbers: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Chart positions of an array of account numbers (-1 for null)."""
        values = _plain(numbers).cast(pa.string())
        found = pc.index_in(values, value_set=self.numbers)
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


BATCH_USER = "BATCH01"           # the technical user that runs scheduled jobs


def ledger_context(company: str, currency: str, chart: ChartIndex, employees: pa.Table,
                   cost_centers: pa.Table) -> LedgerContext:
    """The LedgerContext of one company (its users and cost centers as lookup values)."""
    staff = employees.filter(pc.equal(employees["company_code"].cast(pa.string()), company))
    centers = cost_centers.filter(pc.equal(cost_centers["company_code"].cast(pa.string()),
                                           company))
    return LedgerContext(company, currency, CURRENCIES[currency].exponent, chart.numbers,
                         chart.names, _plain(staff["employee_id"]),
                         _plain(centers["cost_center"]))


def system_user(employees: pa.Table, company: str) -> int:
    """Position (among the company's employees, as in its ledger context) of the batch user:
    BATCH01, else the first technical user, else the first employee."""
    staff = employees.filter(pc.equal(employees["company_code"].cast(pa.string()), company))
    names = np.asarray(staff["user_name"].to_pylist(), dtype=object)
    system = np.flatnonzero(np.asarray(
        staff["employee_type"].cast(pa.string()).to_pylist(), dtype=object) == "system")
    batch = system[names[system] == BATCH_USER] if len(system) else system
    return int(batch[0]) if len(batch) else int(system[0]) if len(system) else 0
