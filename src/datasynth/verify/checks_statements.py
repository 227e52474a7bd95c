"""Financial statements: the balance sheet balances, and a closed year leaves no P&L behind.

Account types come from the chart (``accounts.account_type``), not from the trial balance's
copy of it, so a trial balance row with a wrong or unknown account is caught here.
"""

from __future__ import annotations

from datasynth.verify.result import (
    CheckResult,
    counted,
    examples,
    money,
    named,
    outcome,
    period,
    skipped,
)
from datasynth.verify.source import PERIOD_KEY, Source


@named("statements.assets_equal_liabilities_equity")
def check_balance_sheet(src: Source, name: str) -> CheckResult:
    """Assets = liabilities + equity + the current-year result, at every period end.

    Balances are signed debit positive, so the identity reads assets = -(all the rest).
    """
    if not src.has("trial_balances", "accounts"):
        return skipped(name, src.missing("trial_balances", "accounts"))
    sums = f"""SELECT t.company_code AS c, {PERIOD_KEY} AS p,
              coalesce(sum(t.closing_balance) FILTER (WHERE a.account_type = 'asset'), 0)
                  AS assets,
              coalesce(sum(t.closing_balance) FILTER (WHERE a.account_type IN
                  ('liability', 'equity', 'revenue', 'expense')), 0) AS others,
              count(*) FILTER (WHERE a.account_type IS NULL OR a.account_type NOT IN
                  ('asset', 'liability', 'equity', 'revenue', 'expense')) AS unknown,
              min(t.gl_account) FILTER (WHERE a.account_type IS NULL) AS unknown_account,
              count(*) FILTER (WHERE a.account_type IS NOT NULL
                  AND t.account_type <> a.account_type) AS mistyped
        FROM trial_balances t LEFT JOIN accounts a ON a.gl_account = t.gl_account
        GROUP BY ALL"""
    checked = src.scalar(f"SELECT count(*) FROM ({sums})")
    count, rows = src.violations(f"""SELECT c, p, assets, -others, unknown, unknown_account,
        mistyped FROM ({sums}) WHERE assets <> -others OR unknown > 0 OR mistyped > 0""")

    def fmt(co, key, assets, rest, unknown, unknown_account, mistyped) -> str:
        text = f"{co} {period(key)}: assets {money(assets)} vs L+E+result {money(rest)}"
        if unknown:
            text += f", {unknown} rows of accounts not in the chart (e.g. {unknown_account})"
        if mistyped:
            text += f", {mistyped} rows whose account_type differs from the chart"
        return text

    return outcome(name, checked, count, examples(rows, fmt),
                   counted(checked, "company period end"))


@named("statements.year_end_close")
def check_year_end_close(src: Source, name: str) -> CheckResult:
    """After a closing entry ('CL'), revenue and expense accounts stand at zero in period 12."""
    need = ("trial_balances", "journal_entries", "accounts")
    if not src.has(*need):
        return skipped(name, src.missing(*need))
    years = """SELECT DISTINCT company_code, fiscal_year FROM journal_entries
               WHERE document_type = 'CL'
               INTERSECT SELECT DISTINCT company_code, fiscal_year FROM trial_balances
               WHERE fiscal_period = 12"""
    closed = src.rows(f"SELECT count(*) FROM ({years})")[0][0]
    if not closed:
        return skipped(name, "no fiscal year with period 12 and a closing entry")
    pnl = f"""SELECT t.company_code, t.fiscal_year, t.gl_account, t.closing_balance
        FROM trial_balances t JOIN ({years}) y USING (company_code, fiscal_year)
        JOIN accounts a ON a.gl_account = t.gl_account
        WHERE t.fiscal_period = 12 AND a.account_type IN ('revenue', 'expense')"""
    checked = src.scalar(f"SELECT count(*) FROM ({pnl})")
    count, rows = src.violations(f"SELECT * FROM ({pnl}) WHERE closing_balance <> 0")
    detail = "P&L accounts not closed: " + examples(
        rows, lambda co, year, acct, z: f"{co} {year} {acct} {money(z)}")
    return outcome(name, checked, count, detail, counted(closed, "closed company year"))


@named("statements.opening_balances")
def check_opening_balances(src: Source, name: str) -> CheckResult:
    """The opening balance sheet balances per company and is exactly what the opening entry
    (reference type 'opening_balance') posts, account by account."""
    if not src.has("opening_balances", "journal_entries"):
        return skipped(name, src.missing("opening_balances", "journal_entries"))
    joined = """WITH ob AS (SELECT company_code AS c, gl_account AS a, sum(balance) AS b
                           FROM opening_balances GROUP BY ALL),
            je AS (SELECT company_code AS c, gl_account AS a,
                          sum(debit_amount) - sum(credit_amount) AS b
                   FROM journal_entries WHERE reference_document_type = 'opening_balance'
                   GROUP BY ALL)
        SELECT coalesce(ob.c, je.c) AS c, coalesce(ob.a, je.a) AS a,
               coalesce(ob.b, 0) AS table_balance, coalesce(je.b, 0) AS posted
        FROM ob FULL JOIN je ON ob.c = je.c AND ob.a = je.a"""
    checked = src.scalar(f"SELECT count(*) FROM ({joined})")
    count, rows = src.violations(
        f"""SELECT c, 'sum of company', sum(table_balance), 0 FROM ({joined}) GROUP BY c
            HAVING sum(table_balance) <> 0
            UNION ALL SELECT c, a, table_balance, posted FROM ({joined})
            WHERE table_balance <> posted""")
    detail = "opening balance vs opening entry: " + examples(
        rows, lambda co, acct, bal, posted: f"{co} {acct} {money(bal)} vs {money(posted)}")
    return outcome(name, checked, count, detail,
                   "balanced, and posted by the opening entry account by account")
