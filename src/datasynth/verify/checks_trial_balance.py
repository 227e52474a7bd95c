"""The trial balance: it adds up, it rolls forward, and it is what the journal says.

Periods are compared as keys ``fiscal_year * 100 + fiscal_period``. Accounts absent from a
period's trial balance count as a zero balance, so a balance that silently disappears
between two periods is caught, not skipped. What the journal says includes the suspense
posting the ledger makes for each injected, labelled unbalanced entry (labelled.py).
"""

from __future__ import annotations

from datasynth.verify.labelled import journal_postings
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

# the opening entry: posted on the first day, reported as the balance brought forward
NOT_OPENING = "reference_document_type IS DISTINCT FROM 'opening_balance'"
_TB = (f"SELECT company_code AS c, gl_account AS a, {PERIOD_KEY} AS p, opening_balance AS o, "
       "debit AS d, credit AS cr, closing_balance AS z FROM trial_balances")


def _suspense_note(entries: int) -> str:
    if not entries:
        return ""
    return (f" (with the suspense postings of "
            f"{counted(entries, 'labelled unbalanced entry', 'labelled unbalanced entries')})")


def _balance_fmt(co, acct, key, got, want) -> str:
    return f"{co} {acct} {period(key)}: {money(got)} vs {money(want)}"


@named("trial_balance.sums_to_zero")
def check_zero_sum(src: Source, name: str) -> CheckResult:
    if not src.has("trial_balances"):
        return skipped(name, ["trial_balances"])
    sums = f"""SELECT c, p, sum(z) AS z, sum(d) AS d, sum(cr) AS cr FROM ({_TB}) GROUP BY c, p"""
    checked = src.scalar(f"SELECT count(*) FROM ({sums})")
    count, rows = src.violations(f"SELECT c, p, z, d, cr FROM ({sums}) "
                                 "WHERE z <> 0 OR d <> cr")
    detail = examples(rows, lambda co, key, z, d, cr:
                      f"{co} {period(key)}: closing sums to {money(z)}, "
                      f"debit {money(d)} credit {money(cr)}")
    return outcome(name, checked, count, detail, counted(checked, "company period"))


@named("trial_balance.roll_forward")
def check_roll_forward(src: Source, name: str) -> CheckResult:
    if not src.has("trial_balances"):
        return skipped(name, ["trial_balances"])
    checked = src.scalar("SELECT count(*) FROM trial_balances")
    count, rows = src.violations(f"SELECT c, a, p, o + d - cr, z FROM ({_TB}) "
                                 "WHERE (o + d - cr) IS DISTINCT FROM z")
    detail = "opening + debit - credit <> closing: " + examples(rows, _balance_fmt)
    return outcome(name, checked, count, detail, "opening + debit - credit = closing")


@named("trial_balance.continuity")
def check_continuity(src: Source, name: str) -> CheckResult:
    if not src.has("trial_balances"):
        return skipped(name, ["trial_balances"])
    grid = f"""WITH tb AS ({_TB}),
        periods AS (SELECT c, p, lag(p) OVER (PARTITION BY c ORDER BY p) AS prev
                    FROM (SELECT DISTINCT c, p FROM tb)),
        grid AS (SELECT acc.c, acc.a, periods.p, periods.prev
                 FROM (SELECT DISTINCT c, a FROM tb) acc JOIN periods USING (c)
                 WHERE periods.prev IS NOT NULL)
        SELECT g.c, g.a, g.p, coalesce(cur.o, 0) AS opening, coalesce(pre.z, 0) AS previous
        FROM grid g LEFT JOIN tb cur ON cur.c = g.c AND cur.a = g.a AND cur.p = g.p
                    LEFT JOIN tb pre ON pre.c = g.c AND pre.a = g.a AND pre.p = g.prev"""
    checked = src.scalar(f"SELECT count(*) FROM ({grid})")
    count, rows = src.violations(f"SELECT * FROM ({grid}) WHERE opening <> previous")
    detail = "opening <> previous closing: " + examples(rows, _balance_fmt)
    return outcome(name, checked, count, detail, "each opening = previous closing")


@named("trial_balance.agrees_with_journal")
def check_agrees_with_journal(src: Source, name: str) -> CheckResult:
    """Closing balance = all journal postings up to the period, for every account.

    The grid spans every period either table knows, so postings in a period the trial
    balance lacks are found as well as a changed amount or a deleted line.
    """
    if not src.has("trial_balances", "journal_entries"):
        return skipped(name, src.missing("trial_balances", "journal_entries"))
    postings, suspense = journal_postings(src)
    grid = f"""WITH tb AS ({_TB}),
        mv AS (SELECT company_code AS c, gl_account AS a, p,
                      sum(debit_amount) - sum(credit_amount) AS net
               FROM ({postings}) GROUP BY ALL),
        periods AS (SELECT DISTINCT c, p FROM tb UNION SELECT DISTINCT c, p FROM mv),
        accts AS (SELECT DISTINCT c, a FROM tb UNION SELECT DISTINCT c, a FROM mv),
        cum AS (SELECT g.c, g.a, g.p, sum(coalesce(mv.net, 0)) OVER (
                    PARTITION BY g.c, g.a ORDER BY g.p) AS journal
                FROM (SELECT * FROM accts JOIN periods USING (c)) g
                LEFT JOIN mv ON mv.c = g.c AND mv.a = g.a AND mv.p = g.p)
        SELECT cum.c, cum.a, cum.p, coalesce(tb.z, 0) AS closing, cum.journal
        FROM cum LEFT JOIN tb ON tb.c = cum.c AND tb.a = cum.a AND tb.p = cum.p"""
    checked = src.scalar(f"SELECT count(*) FROM ({grid})")
    count, rows = src.violations(f"SELECT * FROM ({grid}) WHERE closing <> journal")
    detail = "closing <> journal postings to date: " + examples(rows, _balance_fmt)
    return outcome(name, checked, count, detail + _suspense_note(suspense),
                   "closing = journal postings to date, every account and period"
                   + _suspense_note(suspense))


@named("trial_balance.movements")
def check_movements(src: Source, name: str) -> CheckResult:
    """Period debits and credits = the journal's, the opening entry excepted.

    The opening entry is the balance brought forward from before the run: the trial
    balance carries it in the first period's opening balance, not as that period's activity.
    """
    if not src.has("trial_balances", "journal_entries"):
        return skipped(name, src.missing("trial_balances", "journal_entries"))
    postings, suspense = journal_postings(src, NOT_OPENING)
    joined = f"""WITH tb AS ({_TB}),
        mv AS (SELECT company_code AS c, gl_account AS a, p,
                      sum(debit_amount) AS d, sum(credit_amount) AS cr
               FROM ({postings}) GROUP BY ALL)
        SELECT coalesce(tb.c, mv.c) AS c, coalesce(tb.a, mv.a) AS a, coalesce(tb.p, mv.p) AS p,
               coalesce(tb.d, 0) AS tb_d, coalesce(tb.cr, 0) AS tb_c,
               coalesce(mv.d, 0) AS je_d, coalesce(mv.cr, 0) AS je_c
        FROM tb FULL JOIN mv ON tb.c = mv.c AND tb.a = mv.a AND tb.p = mv.p"""
    checked = src.scalar(f"SELECT count(*) FROM ({joined})")
    count, rows = src.violations(f"SELECT c, a, p, tb_d, je_d, tb_c, je_c FROM ({joined}) "
                                 "WHERE tb_d <> je_d OR tb_c <> je_c")
    detail = "period debit/credit <> journal: " + examples(
        rows, lambda co, acct, key, tb_d, je_d, tb_c, je_c:
        f"{co} {acct} {period(key)}: debit {money(tb_d)} vs {money(je_d)}, "
        f"credit {money(tb_c)} vs {money(je_c)}")
    return outcome(name, checked, count, detail + _suspense_note(suspense),
                   "period debits and credits = journal" + _suspense_note(suspense))
