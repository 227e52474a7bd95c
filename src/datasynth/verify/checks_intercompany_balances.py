"""Intercompany balances: the two sides agree at every period end, and so does the subledger.

- ``intercompany.balances_reconcile``: at every period end, per company pair, the seller's
  receivables from the buyer and the buyer's payables to the seller (journal_entries by
  trading partner, 119000/119100 against 219000/219100), both at the closing rate in the
  group currency, differ only by the labelled pairs open at that date, within the rounding
  of the buyer's revaluation (the tolerance is documented on the check).
- ``intercompany.open_items_reconcile``: the intercompany subledger holds both sides of every
  pair open at each period end, revalued at the closing cross rate, and sums to the trial
  balance of each intercompany account, company and period.
"""

from __future__ import annotations

from datasynth.verify.checks_group import (
    IC_PAYABLE,
    IC_RECEIVABLE,
    cents,
    convert,
    cross,
    from_cents,
    from_units,
    group_currency,
    group_skip,
    money_text,
    period_end,
    rate_text,
    rate_units,
    rates,
    sql_list,
    to_group,
    unit_of,
)
from datasynth.verify.result import (
    CheckResult,
    counted,
    examples,
    money,
    named,
    outcome,
    period,
)
from datasynth.verify.source import PERIOD_KEY, Source

M = money_text


@named("intercompany.balances_reconcile")
def check_balances_reconcile(src: Source, name: str) -> CheckResult:
    """Tolerance, per company pair and period end: the journal balances are translated here
    without rounding, so a balance in the transaction currency is exact. A balance in
    another currency is the sum of its open items, each revalued at the closing cross rate
    and rounded to the company's minor unit: per open item at most half a minor unit, plus
    the cross rate's own rounding (half a unit of its tenth decimal) on the item's amount,
    both at that company's closing rate to the group currency. Nothing else may differ; the
    labelled pairs open at the period end explain the rest: what each side has open of them,
    in the transaction currency at its closing rate."""
    if skip := group_skip(src, name, "intercompany_pairs", "journal_entries", "accounts",
                            "companies"):
        return skip
    closing = rates(src, "closing")

    def rate(alias: str, currency: str) -> str:
        return to_group(src, currency, f"{alias}.rate", "1")

    grid = f"""
        WITH acc AS (SELECT gl_account, CAST(sub_type AS VARCHAR) IN ({sql_list(IC_RECEIVABLE)})
                                        AS receivable
                     FROM accounts WHERE CAST(sub_type AS VARCHAR)
                                         IN ({sql_list(IC_RECEIVABLE + IC_PAYABLE)})),
        moves AS (
            SELECT CASE WHEN receivable THEN company_code ELSE trading_partner END AS s,
                   CASE WHEN receivable THEN trading_partner ELSE company_code END AS b,
                   {PERIOD_KEY} AS p,
                   sum(CASE WHEN receivable THEN debit_amount - credit_amount ELSE 0 END) AS rec,
                   sum(CASE WHEN receivable THEN 0 ELSE credit_amount - debit_amount END) AS pay
            FROM journal_entries JOIN acc USING (gl_account)
            WHERE trading_partner IS NOT NULL GROUP BY ALL),
        periods AS (SELECT DISTINCT {PERIOD_KEY} AS p FROM journal_entries),
        ends AS (SELECT p, {period_end('p', src)} AS d FROM periods),
        couples AS (SELECT DISTINCT s, b FROM moves UNION
                    SELECT CAST(seller_company AS VARCHAR), CAST(buyer_company AS VARCHAR)
                    FROM intercompany_pairs),
        bal AS (
            SELECT c.s, c.b, e.p, e.d,
                   CAST(sum(coalesce(m.rec, 0)) OVER w AS DECIMAL(18, 2)) AS rec,
                   CAST(sum(coalesce(m.pay, 0)) OVER w AS DECIMAL(18, 2)) AS pay
            FROM couples c CROSS JOIN ends e
            LEFT JOIN moves m ON m.s = c.s AND m.b = c.b AND m.p = e.p
            WINDOW w AS (PARTITION BY c.s, c.b ORDER BY e.p)),
        cur AS (SELECT company_code AS c, CAST(currency AS VARCHAR) AS cur FROM companies),
        closing AS ({closing}),
        open AS (
            SELECT CAST(seller_company AS VARCHAR) AS s, CAST(buyer_company AS VARCHAR) AS b,
                   e.p, CAST(transaction_currency AS VARCHAR) AS t_cur,
                   CAST(buyer_currency AS VARCHAR) AS b_cur,
                   CAST(seller_currency AS VARCHAR) AS s_cur,
                   CAST(match_status AS VARCHAR) <> 'matched' AS labelled,
                   seller_posting_date <= e.d AND coalesce(settlement_date > e.d, true) AS s_open,
                   buyer_posting_date <= e.d AND coalesce(settlement_date > e.d, true) AS b_open,
                   transaction_amount, buyer_transaction_amount
            FROM intercompany_pairs CROSS JOIN ends e),
        explained AS (
            SELECT o.s, o.b, o.p,
                   sum(CASE WHEN labelled THEN ((CASE WHEN s_open THEN transaction_amount
                                                      ELSE 0 END)
                                                - (CASE WHEN b_open THEN buyer_transaction_amount
                                                        ELSE 0 END))
                                               * {rate('rt', 'o.t_cur')}
                            ELSE 0 END) AS explained,
                   count(*) FILTER (labelled AND (s_open OR b_open)) AS labelled_open,
                   sum(CASE WHEN b_open AND o.t_cur <> o.b_cur
                            THEN (0.005 * {unit_of('o.b_cur')}
                                  + abs(buyer_transaction_amount) * 0.00000000005)
                                 * {rate('rb', 'o.b_cur')} ELSE 0 END)
                   + sum(CASE WHEN s_open AND o.t_cur <> o.s_cur
                              THEN (0.005 * {unit_of('o.s_cur')}
                                    + abs(transaction_amount) * 0.00000000005)
                                   * {rate('rs', 'o.s_cur')} ELSE 0 END) AS tolerance
            FROM open o
            LEFT JOIN closing rs ON rs.currency = o.s_cur AND rs.p = o.p
            LEFT JOIN closing rt ON rt.currency = o.t_cur AND rt.p = o.p
            LEFT JOIN closing rb ON rb.currency = o.b_cur AND rb.p = o.p
            GROUP BY ALL)
        SELECT bal.s, bal.b, bal.p, cs.cur AS s_cur, bal.rec, cb.cur AS b_cur, bal.pay,
               bal.rec * {rate('rs', 'cs.cur')} AS rec_group,
               bal.pay * {rate('rb', 'cb.cur')} AS pay_group,
               coalesce(x.explained, 0) AS explained, coalesce(x.labelled_open, 0) AS labelled,
               coalesce(x.tolerance, 0) AS tolerance
        FROM bal
        LEFT JOIN cur cs ON cs.c = bal.s LEFT JOIN cur cb ON cb.c = bal.b
        LEFT JOIN closing rs ON rs.currency = cs.cur AND rs.p = bal.p
        LEFT JOIN closing rb ON rb.currency = cb.cur AND rb.p = bal.p
        LEFT JOIN explained x ON x.s = bal.s AND x.b = bal.b AND x.p = bal.p"""
    checked = src.scalar(f"SELECT count(*) FROM ({grid})")
    count, rows = src.violations(
        f"""SELECT s, b, p, s_cur, rec, b_cur, pay, rec_group, pay_group, explained, labelled,
                   tolerance FROM ({grid})
            WHERE (abs(rec_group - pay_group - explained) <= tolerance) IS NOT TRUE""")
    return outcome(name, checked, count, "receivables vs payables between group companies: "
                   + examples(rows, _balance_problem(group_currency(src))),
                   f"{counted(checked, 'company pair period', 'company pair periods')}: "
                   "receivables = payables, but for the labelled pairs")


def _balance_problem(group: str):
    def describe(s, b, key, s_cur, rec, b_cur, pay, rec_group, pay_group, explained, labelled,
                 tolerance) -> str:
        where = f"{s}->{b} {period(key)}"
        if rec_group is None or pay_group is None:
            return f"{where}: no closing rate of {s_cur if rec_group is None else b_cur}"
        labels = counted(labelled, "labelled open pair")
        return (f"{where}: {s}'s receivable {money(rec)} {s_cur} = {money(rec_group)} {group}, "
                f"{b}'s payable {money(pay)} {b_cur} = {money(pay_group)} {group}; "
                f"{money(rec_group - pay_group - explained)} {group} unexplained by "
                f"{labels} ({money(explained)}), beyond the rounding tolerance "
                f"{tolerance:.4f}")
    return describe


@named("intercompany.open_items_reconcile")
def check_open_items(src: Source, name: str) -> CheckResult:
    if skip := group_skip(src, name, "intercompany_pairs", "intercompany_open_items",
                            "trial_balances", "accounts", "companies"):
        return skip
    closing = rates(src, "closing")

    def rate(alias: str, currency: str) -> str:
        return to_group(src, currency, f"{alias}.r")

    items = f"""SELECT o.*, {PERIOD_KEY} AS p, CAST(o.transaction_currency AS VARCHAR) AS t_cur,
                       c.currency AS c_cur
                FROM intercompany_open_items o
                LEFT JOIN (SELECT company_code, CAST(currency AS VARCHAR) AS currency
                           FROM companies) c USING (company_code)"""
    valued = f"""
        WITH i AS ({items}), closing AS ({closing}),
        x AS (SELECT i.*, {cross(rate('rt', 'i.t_cur'), rate('rc', 'i.c_cur'))} AS want_rate
              FROM i LEFT JOIN closing rt ON rt.currency = i.t_cur AND rt.p = i.p
                     LEFT JOIN closing rc ON rc.currency = i.c_cur AND rc.p = i.p)
        SELECT 'valuation' AS kind, company_code AS c, p, pair_id || ' ' || gl_account AS what,
               transaction_amount, t_cur, closing_rate AS got, {from_units('want_rate')} AS want,
               revalued_amount AS revalued,
               {from_cents(convert(cents('transaction_amount'), rate_units('closing_rate'),
                                   unit_of('c_cur')))} AS want_revalued,
               unrealised_fx AS unrealised, revalued_amount - booked_amount AS want_unrealised
        FROM x"""
    bad_value = f"""SELECT kind, c, p, what,
                           concat_ws(', ',
                               CASE WHEN got IS DISTINCT FROM want
                                    THEN 'closing_rate ' || {rate_text('got')} || ', the closing '
                                         || 'cross rate is ' || {rate_text('want')} END,
                               CASE WHEN revalued IS DISTINCT FROM want_revalued
                                    THEN 'revalued_amount ' || {M('revalued')} || ', '
                                         || {M('transaction_amount')} || ' ' || t_cur
                                         || ' at closing_rate is ' || {M('want_revalued')} END,
                               CASE WHEN unrealised IS DISTINCT FROM want_unrealised
                                    THEN 'unrealised_fx ' || {M('unrealised')}
                                         || ', revalued - booked is ' || {M('want_unrealised')}
                               END) AS found
                    FROM ({valued})
                    WHERE got IS DISTINCT FROM want OR revalued IS DISTINCT FROM want_revalued
                       OR unrealised IS DISTINCT FROM want_unrealised"""
    # the subledger against the ledger: every intercompany account of every company period
    ledger = f"""
        WITH i AS ({items}),
        ic AS (SELECT gl_account FROM accounts WHERE CAST(sub_type AS VARCHAR)
                                                 IN ({sql_list(IC_RECEIVABLE + IC_PAYABLE)})),
        tb AS (SELECT company_code AS c, {PERIOD_KEY} AS p, gl_account AS a, closing_balance AS z
               FROM trial_balances),
        sl AS (SELECT company_code AS c, p, CAST(gl_account AS VARCHAR) AS a,
                      sum(revalued_amount) AS v FROM i GROUP BY ALL),
        grid AS (SELECT DISTINCT c, p, ic.gl_account AS a FROM (SELECT c, p FROM tb UNION
                                                               SELECT c, p FROM sl) CROSS JOIN ic)
        SELECT 'ledger' AS kind, g.c, g.p, g.a AS what,
               'open items sum to ' || {M('coalesce(sl.v, 0)')} || ', the trial '
               || 'balance closes at ' || {M('coalesce(tb.z, 0)')} AS found,
               coalesce(sl.v, 0) <> coalesce(tb.z, 0) AS bad
        FROM grid g LEFT JOIN sl USING (c, p, a) LEFT JOIN tb USING (c, p, a)"""
    # the subledger against the pairs: both sides of every pair open at each period end
    expected = f"""
        WITH ends AS (SELECT DISTINCT {PERIOD_KEY} AS p FROM trial_balances),
        sides AS (SELECT pair_id, CAST(seller_company AS VARCHAR) AS c,
                         CAST(buyer_company AS VARCHAR) AS partner, seller_posting_date AS d,
                         transaction_amount AS amount, settlement_date FROM intercompany_pairs
                  UNION ALL
                  SELECT pair_id, CAST(buyer_company AS VARCHAR),
                         CAST(seller_company AS VARCHAR), buyer_posting_date,
                         -buyer_transaction_amount, settlement_date FROM intercompany_pairs)
        SELECT s.c, e.p, s.pair_id, s.partner, s.amount FROM sides s CROSS JOIN ends e
        WHERE s.d <= {period_end('e.p', src)}
          AND coalesce(s.settlement_date > {period_end('e.p', src)}, true)"""
    listed = f"""SELECT company_code AS c, {PERIOD_KEY} AS p, pair_id,
                        min(CAST(partner_company AS VARCHAR)) AS partner,
                        max(CAST(partner_company AS VARCHAR)) AS other_partner,
                        sum(transaction_amount) AS amount
                 FROM intercompany_open_items GROUP BY ALL"""
    pairs = f"""SELECT 'pairs' AS kind, c, p, pair_id AS what,
                       CASE WHEN l.amount IS NULL THEN 'open at the period end, not listed'
                            WHEN e.amount IS NULL THEN 'listed, not open at the period end'
                            WHEN e.amount <> l.amount
                                THEN 'listed at ' || {M('l.amount')} || ', the pair says '
                                     || {M('e.amount')}
                            ELSE 'listed with partner '
                                 || CASE WHEN l.partner <> e.partner THEN l.partner
                                         ELSE l.other_partner END
                                 || ', the pair says ' || e.partner END AS found
                FROM ({expected}) e FULL JOIN ({listed}) l USING (c, p, pair_id)
                WHERE e.amount IS DISTINCT FROM l.amount OR e.partner <> l.partner
                   OR e.partner <> l.other_partner"""
    checked = src.scalar(f"""SELECT (SELECT count(*) FROM intercompany_open_items)
                                    + (SELECT count(*) FROM ({ledger}))""")
    count, rows = src.violations(f"""{bad_value} UNION ALL
                                     SELECT kind, c, p, what, found FROM ({ledger}) WHERE bad
                                     UNION ALL {pairs}""")
    detail = "intercompany_open_items: " + examples(
        rows, lambda kind, c, key, what, found: f"{kind} {c} {period(key)} {what}: {found}")
    items_count = src.scalar("SELECT count(*) FROM intercompany_open_items")
    return outcome(name, checked, count, detail,
                   f"{counted(items_count, 'open item')}: the open pairs, revalued at the "
                   "closing rate, summing to the intercompany accounts")


BALANCE_CHECKS = (check_balances_reconcile, check_open_items)
