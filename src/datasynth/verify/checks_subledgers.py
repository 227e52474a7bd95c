"""Subledgers equal their control accounts at every period end, per company.

The comparison grid is every period of the trial balance (and of the subledger) times every
account the subledger names plus every chart account of the control sub-type, so a control
account that carries a balance without any open item behind it fails too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from datasynth.verify.result import (
    CheckResult,
    examples,
    money,
    named,
    outcome,
    period,
    skipped,
)
from datasynth.verify.source import PERIOD_KEY, Source


class Reconciliation(NamedTuple):
    name: str
    table: str
    amount: str          # SQL summed per account
    account: str         # the subledger's control-account column
    sub_type: str        # accounts.sub_type of the control accounts
    sign: int            # subledger total x sign = closing balance (debit positive)


RECONCILIATIONS = (
    Reconciliation("subledger.receivables", "ar_open_items", "open_amount", "control_account",
                   "receivables", 1),
    # open_amount is what is owed (positive); the payables balance is a credit
    Reconciliation("subledger.payables", "ap_open_items", "open_amount", "control_account",
                   "payables", -1),
    # foreign-currency payables valued at the closing rate beside the control account
    # (flows/revaluation.py): the items' valuations = the valuation account
    Reconciliation("subledger.payables_valuation", "ap_open_items", "revaluation_amount",
                   "valuation_account", "payables_valuation", -1),
    # ... and receivables, beside theirs (a receivable valued higher is a debit)
    Reconciliation("subledger.receivables_valuation", "ar_open_items", "revaluation_amount",
                   "valuation_account", "receivables_valuation", 1),
    Reconciliation("subledger.inventory", "inventory_positions", "value", "inventory_account",
                   "inventory", 1),
    Reconciliation("subledger.fixed_asset_cost", "fixed_asset_balances", "acquisition_cost",
                   "asset_account", "fixed_assets", 1),
    Reconciliation("subledger.accumulated_depreciation", "fixed_asset_balances",
                   "accumulated_depreciation", "accumulated_depreciation_account",
                   "accumulated_depreciation", -1),
)


def reconciliation_check(rec: Reconciliation) -> Callable[[Source], CheckResult]:
    @named(rec.name)
    def check(src: Source, name: str) -> CheckResult:
        need = (rec.table, "trial_balances", "accounts")
        if not src.has(*need):
            return skipped(name, src.missing(*need))
        grid = f"""WITH sl AS (
                SELECT company_code AS c, {rec.account} AS a, {PERIOD_KEY} AS p,
                       sum({rec.amount}) * {rec.sign} AS v
                FROM {rec.table} WHERE {rec.account} IS NOT NULL GROUP BY ALL),
            tb AS (SELECT company_code AS c, gl_account AS a, {PERIOD_KEY} AS p,
                          closing_balance AS z FROM trial_balances),
            periods AS (SELECT DISTINCT c, p FROM tb UNION SELECT DISTINCT c, p FROM sl),
            controls AS (SELECT DISTINCT c, a FROM sl UNION
                         SELECT co.c, acc.gl_account FROM (SELECT DISTINCT c FROM periods) co
                         CROSS JOIN accounts acc WHERE acc.sub_type = '{rec.sub_type}'),
            grid AS (SELECT * FROM controls JOIN periods USING (c))
            SELECT g.c, g.a, g.p, coalesce(sl.v, 0) AS subledger, coalesce(tb.z, 0) AS closing
            FROM grid g LEFT JOIN sl ON sl.c = g.c AND sl.a = g.a AND sl.p = g.p
                        LEFT JOIN tb ON tb.c = g.c AND tb.a = g.a AND tb.p = g.p"""
        checked = src.scalar(f"SELECT count(*) FROM ({grid})")
        count, rows = src.violations(f"SELECT * FROM ({grid}) WHERE subledger <> closing")
        detail = f"{rec.table} vs control account: " + examples(
            rows, lambda co, acct, key, sub, gl:
            f"{co} {acct} {period(key)}: subledger {money(sub)} vs ledger {money(gl)}")
        return outcome(name, checked, count, detail,
                       f"{rec.table} = control accounts at every period end")

    return check


SUBLEDGER_CHECKS = tuple(reconciliation_check(rec) for rec in RECONCILIATIONS)
