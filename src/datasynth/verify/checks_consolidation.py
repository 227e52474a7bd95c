"""Consolidation: translated trial balances, eliminations and the group's trial balance.

- ``consolidation.translation``: each company's translated trial balance sums to zero at
  every period end (the translation reserve takes the difference); its local balances are
  the company's trial balance; assets and liabilities are at the closing rate of the period,
  rounded half-even to the group currency's minor unit (IAS 21.39(a)); the currencies and
  rate types are the company's and its accounts' types.
- ``consolidation.eliminations_balance``: each elimination balances and belongs to one period
  and type, each line is one-sided, and the eliminations remove the intercompany balances
  completely: the translated 119000/119100/219000/219100 of all companies plus the
  elimination lines on them are zero at every period end.
- ``consolidation.balance_sheet_balances``: the consolidated trial balance sums to zero at
  every period end, and each of its rows is what the translated balances and elimination
  lines on that account add up to.

Amounts are in the group currency; a balance is signed, debit positive.
"""

from __future__ import annotations

from datasynth.verify.checks_group import (
    IC_PAYABLE,
    IC_RECEIVABLE,
    cents,
    convert,
    from_cents,
    group_currency,
    group_skip,
    money_text,
    rate_text,
    rates,
    sql_list,
    to_group,
    unit_of,
)
from datasynth.verify.result import (
    CheckResult,
    counted,
    examples,
    named,
    outcome,
    period,
)
from datasynth.verify.source import PERIOD_KEY, Source, quote

_TRANSLATED = f"""SELECT company_code AS c, {PERIOD_KEY} AS p, CAST(gl_account AS VARCHAR) AS a,
                         CAST(account_type AS VARCHAR) AS t, CAST(local_currency AS VARCHAR) AS lc,
                         local_balance, CAST(rate_type AS VARCHAR) AS rt,
                         CAST(group_currency AS VARCHAR) AS gc, translated_balance
                  FROM translated_trial_balances"""
_LINES = f"""SELECT elimination_id, {PERIOD_KEY} AS p, CAST(gl_account AS VARCHAR) AS a,
                    CAST(elimination_type AS VARCHAR) AS kind, line_number, debit, credit
             FROM consolidation_eliminations"""
M = money_text
# the rate each account type is translated at (IAS 21.39, 21.48; translation.py)
_RATE_TYPES = {"asset": ("closing",), "liability": ("closing",), "revenue": ("average",),
               "expense": ("average",), "equity": ("historical", "reserve")}


def _union(*parts: str) -> str:
    """Violations of several kinds as one query: (kind, period key, where, what was found)."""
    return " UNION ALL ".join(f"SELECT kind, p, where_, found FROM ({part})" for part in parts)


def _report(rows: list[tuple]) -> str:
    return examples(rows, lambda kind, key, where, found: f"{kind} {period(key)} {where}: {found}")


def _members(src: Source) -> str:
    """SQL of the group's companies: those translated, and those the companies table makes
    parent or subsidiary."""
    flagged = ""
    columns = src.columns("companies")
    if {"is_group_parent", "parent_company"} <= columns:
        flagged = (" UNION SELECT company_code FROM companies "
                   "WHERE is_group_parent OR parent_company IS NOT NULL")
    return f"SELECT DISTINCT company_code AS c FROM translated_trial_balances{flagged}"


@named("consolidation.translation")
def check_translation(src: Source, name: str) -> CheckResult:
    if skip := group_skip(src, name, "translated_trial_balances", "trial_balances",
                            "companies"):
        return skip
    group = group_currency(src)
    closing = rates(src, "closing")
    expected_types = " ".join(f"WHEN {quote(t)} THEN [{sql_list(kinds)}]"
                              for t, kinds in _RATE_TYPES.items())
    sums = f"""SELECT 'sum' AS kind, p, c AS where_,
                      'translated balances sum to ' || {M('sum(translated_balance)')}
                      AS found
               FROM ({_TRANSLATED}) GROUP BY c, p HAVING sum(translated_balance) <> 0"""
    at_closing = f"""
        WITH tt AS ({_TRANSLATED}), closing AS ({closing}),
        x AS (SELECT tt.*, {to_group(src, 'tt.lc', 'r.r')} AS rate, r.rate AS stored
              FROM tt LEFT JOIN closing r ON r.currency = tt.lc AND r.p = tt.p
              WHERE tt.t IN ('asset', 'liability'))
        SELECT 'closing rate' AS kind, p, c || ' ' || a AS where_,
               {M('local_balance')} || ' ' || lc || ' at '
               || {rate_text(f"CASE WHEN lc = {quote(group)} THEN 1 ELSE stored END")}
               || ' is ' || {M('want')} || ', translated '
               || {M('translated_balance')} AS found
        FROM (SELECT *, {from_cents(convert(cents('local_balance'), 'rate',
                                            unit_of(quote(group))))} AS want FROM x)
        WHERE want IS DISTINCT FROM translated_balance"""
    labels = f"""
        SELECT 'labels' AS kind, tt.p, tt.c || ' ' || tt.a AS where_,
               concat_ws(', ',
                   CASE WHEN tt.lc IS DISTINCT FROM co.cur
                        THEN 'local_currency ' || tt.lc || ', the company books in '
                             || coalesce(co.cur, '?') END,
                   CASE WHEN tt.gc IS DISTINCT FROM {quote(group)}
                        THEN 'group_currency ' || tt.gc || ', not {group}' END,
                   CASE WHEN NOT list_contains(CASE tt.t {expected_types} ELSE [] END, tt.rt)
                        THEN 'a ' || tt.t || ' account at the ' || tt.rt || ' rate' END)
               AS found
        FROM ({_TRANSLATED}) tt
        LEFT JOIN (SELECT company_code AS c, CAST(currency AS VARCHAR) AS cur FROM companies) co
               USING (c)
        WHERE tt.lc IS DISTINCT FROM co.cur OR tt.gc IS DISTINCT FROM {quote(group)}
           OR NOT list_contains(CASE tt.t {expected_types} ELSE [] END, tt.rt)"""
    local = f"""
        WITH tt AS ({_TRANSLATED}),
        tb AS (SELECT company_code AS c, {PERIOD_KEY} AS p, CAST(gl_account AS VARCHAR) AS a,
                      closing_balance FROM trial_balances
               WHERE company_code IN ({_members(src)})
                 AND {PERIOD_KEY} IN (SELECT p FROM tt))
        SELECT 'local balance' AS kind, p, c || ' ' || a AS where_,
               CASE WHEN tt.local_balance IS NULL THEN 'not translated, the trial balance '
                         || 'closes at ' || {M('tb.closing_balance')}
                    ELSE 'local_balance ' || {M('tt.local_balance')} || ', the trial '
                         || 'balance closes at ' || {M('coalesce(tb.closing_balance, 0)')}
               END AS found
        FROM tt FULL JOIN tb USING (c, p, a)
        WHERE coalesce(tt.local_balance, 0) <> coalesce(tb.closing_balance, 0)"""
    checked = src.scalar("SELECT count(*) FROM translated_trial_balances")
    count, rows = src.violations(_union(sums, at_closing, labels, local))
    return outcome(name, checked, count, "translated_trial_balances: " + _report(rows),
                   f"{counted(checked, 'translated balance')}: local = trial balance, assets "
                   "and liabilities at the closing rate, each company period sums to zero")


@named("consolidation.eliminations_balance")
def check_eliminations(src: Source, name: str) -> CheckResult:
    if skip := group_skip(src, name, "consolidation_eliminations", "accounts"):
        return skip
    entries = f"""
        SELECT 'entry' AS kind, min(p) AS p, elimination_id AS where_,
               concat_ws(', ',
                   CASE WHEN sum(debit) <> sum(credit)
                        THEN 'debits ' || {M('sum(debit)')} || ' vs credits '
                             || {M('sum(credit)')} END,
                   CASE WHEN count(DISTINCT p) > 1 OR count(DISTINCT kind) > 1
                        THEN 'spans ' || count(DISTINCT p) || ' periods and '
                             || count(DISTINCT kind) || ' types' END) AS found
        FROM ({_LINES}) GROUP BY elimination_id
        HAVING sum(debit) <> sum(credit) OR count(DISTINCT p) > 1 OR count(DISTINCT kind) > 1"""
    lines = f"""
        SELECT 'line' AS kind, p, elimination_id || ' line ' || line_number AS where_,
               'debit ' || {M('debit')} || ', credit ' || {M('credit')}
               AS found
        FROM ({_LINES}) WHERE debit < 0 OR credit < 0 OR (debit <> 0 AND credit <> 0)"""
    parts = [entries, lines]
    note = " (intercompany accounts not checked: no translated_trial_balances)"
    ic_checked = 0
    if src.has("translated_trial_balances"):
        note = ""
        left = f"""
            WITH ic AS (SELECT CAST(gl_account AS VARCHAR) AS a FROM accounts
                        WHERE CAST(sub_type AS VARCHAR)
                              IN ({sql_list(IC_RECEIVABLE + IC_PAYABLE)})),
            tt AS (SELECT p, a, sum(translated_balance) AS v FROM ({_TRANSLATED})
                   WHERE a IN (SELECT a FROM ic) GROUP BY ALL),
            el AS (SELECT p, a, sum(debit - credit) AS v FROM ({_LINES})
                   WHERE a IN (SELECT a FROM ic) GROUP BY ALL)
            SELECT 'intercompany' AS kind, p, a AS where_,
                   'translated ' || {M('coalesce(tt.v, 0)')} || ' + eliminated '
                   || {M('coalesce(el.v, 0)')} || ' leaves '
                   || {M('coalesce(tt.v, 0) + coalesce(el.v, 0)')} AS found,
                   coalesce(tt.v, 0) + coalesce(el.v, 0) <> 0 AS bad
            FROM tt FULL JOIN el USING (p, a)"""
        ic_checked = src.scalar(f"SELECT count(*) FROM ({left})")
        parts.append(f"SELECT * FROM ({left}) WHERE bad")
    checked = src.scalar("SELECT count(*) FROM consolidation_eliminations") + ic_checked
    count, rows = src.violations(_union(*parts))
    return outcome(name, checked, count, "consolidation_eliminations: " + _report(rows) + note,
                   "every elimination balances; the intercompany balances are eliminated"
                   + note)


@named("consolidation.balance_sheet_balances")
def check_consolidated(src: Source, name: str) -> CheckResult:
    if skip := group_skip(src, name, "consolidated_trial_balances",
                            "translated_trial_balances", "consolidation_eliminations"):
        return skip
    group = group_currency(src)
    ctb = f"""SELECT {PERIOD_KEY} AS p, CAST(gl_account AS VARCHAR) AS a,
                     CAST(currency AS VARCHAR) AS cur, aggregated_balance, eliminations,
                     closing_balance FROM consolidated_trial_balances"""
    sums = f"""SELECT 'sum' AS kind, p, 'all accounts' AS where_,
                      'closing balances sum to ' || {M('sum(closing_balance)')}
                      AS found
               FROM ({ctb}) GROUP BY p HAVING sum(closing_balance) <> 0"""
    rows_sql = f"""
        WITH tt AS (SELECT p, a, sum(translated_balance) AS v FROM ({_TRANSLATED}) GROUP BY ALL),
        el AS (SELECT p, a, sum(debit - credit) AS v FROM ({_LINES}) GROUP BY ALL),
        want AS (SELECT p, a, coalesce(tt.v, 0) AS agg, coalesce(el.v, 0) AS elim
                 FROM tt FULL JOIN el USING (p, a))
        SELECT 'row' AS kind, p, a AS where_,
               concat_ws(', ',
                   CASE WHEN ctb.p IS NULL THEN 'missing: translated ' || {M('agg')}
                                                || ', eliminated ' || {M('elim')} END,
                   CASE WHEN ctb.p IS NOT NULL AND aggregated_balance IS DISTINCT FROM
                             coalesce(agg, 0)
                        THEN 'aggregated_balance ' || {M('aggregated_balance')}
                             || ', the translated balances sum to '
                             || {M('coalesce(agg, 0)')} END,
                   CASE WHEN ctb.p IS NOT NULL AND eliminations IS DISTINCT FROM
                             coalesce(elim, 0)
                        THEN 'eliminations ' || {M('eliminations')}
                             || ', the elimination lines sum to '
                             || {M('coalesce(elim, 0)')} END,
                   CASE WHEN closing_balance IS DISTINCT FROM aggregated_balance + eliminations
                             AND ctb.p IS NOT NULL
                        THEN 'closing_balance ' || {M('closing_balance')}
                             || ' is not aggregated + eliminations' END,
                   CASE WHEN cur IS DISTINCT FROM {quote(group)} AND ctb.p IS NOT NULL
                        THEN 'currency ' || coalesce(cur, 'null') || ', not {group}' END)
               AS found
        FROM ({ctb}) ctb FULL JOIN want USING (p, a)
        WHERE (ctb.p IS NULL AND (agg <> 0 OR elim <> 0))
           OR (ctb.p IS NOT NULL AND (aggregated_balance IS DISTINCT FROM coalesce(agg, 0)
               OR eliminations IS DISTINCT FROM coalesce(elim, 0)
               OR closing_balance IS DISTINCT FROM aggregated_balance + eliminations
               OR cur IS DISTINCT FROM {quote(group)}))"""
    checked = src.scalar("SELECT count(*) FROM consolidated_trial_balances")
    count, rows = src.violations(_union(sums, rows_sql))
    return outcome(name, checked, count, "consolidated_trial_balances: " + _report(rows),
                   f"{counted(checked, 'consolidated balance')}: translated + eliminated, "
                   "each period sums to zero")


CONSOLIDATION_CHECKS = (check_translation, check_eliminations, check_consolidated)
