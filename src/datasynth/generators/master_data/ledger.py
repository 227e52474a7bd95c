"""Account determination for master data: which GL account a partner, material or asset uses.

Accounts are looked up in the chart of accounts by ``sub_type`` and name, never by hard-coded
numbers, so every chart size and industry works: the reconciliation account of a domestic
vendor is the lowest-numbered ``payables`` account, of a foreign vendor the account named
``Trade Payables - Foreign`` (likewise ``receivables`` / ``Trade Receivables - Foreign``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from datasynth.generators.master_data.common import codes


class Account(NamedTuple):
    number: str
    name: str
    sub_type: str


class Ledger:
    """A small index of the chart of accounts (the chart has at most a few thousand rows)."""

    def __init__(self, accounts: pa.Table) -> None:
        rows = zip(accounts.column("gl_account").to_pylist(), accounts.column("name").to_pylist(),
                   accounts.column("sub_type").cast(pa.string()).to_pylist())
        self.accounts = sorted((Account(*row) for row in rows),
                               key=lambda a: (len(a.number), a.number))

    def of_type(self, *sub_types: str) -> list[Account]:
        return [a for a in self.accounts if a.sub_type in sub_types]

    def lowest(self, sub_type: str) -> str:
        """The lowest-numbered account of ``sub_type`` (``LookupError`` if there is none)."""
        matches = self.of_type(sub_type)
        if not matches:
            raise LookupError(f"the chart of accounts has no {sub_type!r} account")
        return matches[0].number

    def named(self, name: str, sub_types: Sequence[str], fallback: str | None = None) -> str:
        """The account called exactly ``name`` among ``sub_types``, else the lowest account
        whose name contains it, else the lowest of ``fallback`` (or of ``sub_types[0]``)."""
        candidates = self.of_type(*sub_types)
        for account in candidates:
            if account.name.lower() == name.lower():
                return account.number
        return self.containing((name,), sub_types, fallback)

    def containing(self, keywords: Sequence[str], sub_types: Sequence[str],
                   fallback: str | None = None) -> str:
        """The lowest account among ``sub_types`` whose name contains the first keyword that
        matches any; else the lowest account of ``fallback`` (default ``sub_types[0]``)."""
        candidates = self.of_type(*sub_types)
        for keyword in keywords:
            for account in candidates:
                if keyword.lower() in account.name.lower():
                    return account.number
        return self.lowest(fallback or sub_types[0])

    def control_accounts(self, sub_type: str, foreign_name: str) -> tuple[str, str]:
        """(domestic, foreign) reconciliation accounts of a subledger."""
        domestic = self.lowest(sub_type)
        return domestic, self.named(foreign_name, (sub_type,), fallback=sub_type)


def control_account_codes(accounts: pa.Table, sub_type: str, foreign_name: str,
                          is_foreign: np.ndarray) -> pa.Array:
    """Reconciliation account per partner: the domestic or the foreign control account."""
    domestic, foreign = Ledger(accounts).control_accounts(sub_type, foreign_name)
    labels = list(dict.fromkeys([domestic, foreign]))
    return codes(np.where(is_foreign, labels.index(foreign), 0), labels)
