"""Intercompany pairs: each is posted on both sides as recorded, and matches.

- ``intercompany.pairs_posted``: each pair's two journal entries exist, in the seller's and
  the buyer's books, dated as the pair says, naming the other company as trading partner
  and the pair as reference; the seller's receivable (119000/119100) is ``seller_amount``,
  the buyer's payable (219000/219100) ``buyer_amount``, each in the transaction currency
  as the pair says.
- ``intercompany.pairs_match``: the buyer converted at the spot cross rate of its posting
  day, exactly as generators/fx/convert.py does (checks_group.py), the seller at its own;
  and the labels are true: a pair is an ``amount_mismatch`` (and ``is_injected``) exactly
  when the buyer booked another amount than invoiced, a ``timing_difference`` exactly when
  it booked in a later period than the seller. A pair labelled neither must agree in both.
"""

from __future__ import annotations

from datasynth.verify.checks_group import (
    IC_PAYABLE,
    IC_RECEIVABLE,
    as_rate,
    cents,
    convert,
    cross,
    from_cents,
    from_units,
    group_skip,
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
)
from datasynth.verify.source import Source


def _pair_sides() -> str:
    """Both sides of every pair: the document, company, partner, day and amounts it names."""
    def side(name: str, own: str, other: str, amount: str, tx: str, sign: int,
             sub_types: tuple[str, ...]) -> str:
        return f"""SELECT pair_id, '{name}' AS side, {own}_document_id AS doc,
                          CAST({own}_company AS VARCHAR) AS company,
                          CAST({other}_company AS VARCHAR) AS partner,
                          {own}_posting_date AS posted,
                          CAST(transaction_currency AS VARCHAR) AS currency,
                          {amount} AS amount, {tx} AS tx, {sign} AS sign,
                          [{sql_list(sub_types)}] AS sub_types
                   FROM intercompany_pairs"""
    return (side("seller", "seller", "buyer", "seller_amount", "transaction_amount", 1,
                 IC_RECEIVABLE) + " UNION ALL " +
            side("buyer", "buyer", "seller", "buyer_amount", "buyer_transaction_amount", -1,
                 IC_PAYABLE))


@named("intercompany.pairs_posted")
def check_pairs_posted(src: Source, name: str) -> CheckResult:
    if skip := group_skip(src, name, "intercompany_pairs", "journal_entries", "accounts"):
        return skip
    per_side = f"""
        WITH lines AS (
            SELECT s.*, j.company_code AS jc, CAST(j.trading_partner AS VARCHAR) AS jp,
                   j.posting_date AS jd, j.reference_document_id AS ref,
                   CAST(j.transaction_currency AS VARCHAR) AS jcur,
                   j.debit_amount - j.credit_amount AS net, j.transaction_amount AS jtx,
                   list_contains(s.sub_types, CAST(a.sub_type AS VARCHAR)) AS on_ic
            FROM ({_pair_sides()}) s
            LEFT JOIN journal_entries j ON j.document_id = s.doc
            LEFT JOIN accounts a ON a.gl_account = j.gl_account)
        SELECT pair_id, side, doc, company, partner, posted, amount, tx, currency,
               count(jc) AS n,
               min(jc) FILTER (jc IS DISTINCT FROM company) AS other_company,
               min(coalesce(jp, '(none)')) FILTER (jp IS DISTINCT FROM partner) AS other_partner,
               min(jd) FILTER (jd IS DISTINCT FROM posted) AS other_day,
               min(coalesce(ref, '(none)')) FILTER (ref IS DISTINCT FROM pair_id) AS other_ref,
               count(*) FILTER (on_ic) AS ic_lines,
               sign * sum(net) FILTER (on_ic) AS booked,
               sum(CASE WHEN net * sign > 0 THEN jtx ELSE -jtx END) FILTER (on_ic) AS booked_tx,
               min(coalesce(jcur, '(none)')) FILTER (on_ic AND jcur IS DISTINCT FROM currency)
                   AS other_currency
        FROM lines GROUP BY pair_id, side, doc, company, partner, posted, amount, tx,
                            currency, sign"""
    bad = f"""SELECT pair_id, side, doc, company, partner, posted, amount, tx, currency, n,
                     other_company, other_partner, other_day, other_ref, ic_lines, booked,
                     booked_tx, other_currency
              FROM ({per_side})
              WHERE n = 0 OR other_company IS NOT NULL OR other_partner IS NOT NULL
                 OR other_day IS NOT NULL OR other_ref IS NOT NULL OR ic_lines = 0
                 OR booked IS DISTINCT FROM amount OR booked_tx IS DISTINCT FROM tx
                 OR other_currency IS NOT NULL"""
    checked = src.scalar("SELECT count(*) FROM intercompany_pairs")
    pairs = src.scalar(f"SELECT count(DISTINCT pair_id) FROM ({bad})")
    _, rows = src.violations(bad)
    detail = (f"{counted(pairs, 'pair')} not posted as recorded: "
              + examples(rows, _posted_problem))
    return outcome(name, checked, pairs, detail,
                   f"{counted(checked, 'pair')} posted on both sides as recorded")


def _posted_problem(pair, side, doc, company, partner, posted, amount, tx, currency, n,
                    other_company, other_partner, other_day, other_ref, ic_lines, booked,
                    booked_tx, other_currency) -> str:
    account = "receivable 119000/119100" if side == "seller" else "payable 219000/219100"
    where = f"{pair} {side} entry {doc}"
    if not n:
        return f"{where} is not in journal_entries"
    found = []
    if other_company is not None:
        found.append(f"posted by {other_company}, not {company}")
    if other_partner is not None:
        found.append(f"trading partner {other_partner}, not {partner}")
    if other_day is not None:
        found.append(f"posted {other_day}, not {posted}")
    if other_ref is not None:
        found.append(f"references {other_ref}")
    if not ic_lines:
        found.append(f"has no {account} line")
    else:
        if booked != amount:
            found.append(f"{account} {money(booked)}, the pair says {money(amount)}")
        if booked_tx != tx:
            found.append(f"{account} {money(booked_tx)} {currency}, the pair says "
                         f"{money(tx)}")
        if other_currency is not None:
            found.append(f"{account} in {other_currency}, not {currency}")
    return f"{where}: " + ", ".join(found)


@named("intercompany.pairs_match")
def check_pairs_match(src: Source, name: str) -> CheckResult:
    if skip := group_skip(src, name, "intercompany_pairs"):
        return skip
    spot = rates(src, "spot")

    def rate(alias: str, currency: str) -> str:
        return to_group(src, currency, f"{alias}.r")

    pairs = f"""
        WITH p AS (
            SELECT *, CAST(transaction_currency AS VARCHAR) AS t_cur,
                   CAST(seller_currency AS VARCHAR) AS s_cur,
                   CAST(buyer_currency AS VARCHAR) AS b_cur,
                   CAST(match_status AS VARCHAR) AS status,
                   year(seller_posting_date) * 100 + month(seller_posting_date) AS s_p,
                   year(buyer_posting_date) * 100 + month(buyer_posting_date) AS b_p
            FROM intercompany_pairs),
        spot AS ({spot}),
        x AS (
            SELECT p.*, {cross(rate('tb', 'p.t_cur'), rate('bb', 'p.b_cur'))} AS want_rate,
                   {cross(rate('ts', 'p.t_cur'), rate('ss', 'p.s_cur'))} AS seller_rate
            FROM p
            LEFT JOIN spot tb ON tb.currency = p.t_cur AND tb.d = p.buyer_posting_date
            LEFT JOIN spot bb ON bb.currency = p.b_cur AND bb.d = p.buyer_posting_date
            LEFT JOIN spot ts ON ts.currency = p.t_cur AND ts.d = p.seller_posting_date
            LEFT JOIN spot ss ON ss.currency = p.s_cur AND ss.d = p.seller_posting_date)
        SELECT pair_id, exchange_rate AS got_rate, {from_units('want_rate')} AS want_rate,
               buyer_amount AS got_buyer,
               {from_cents(convert(cents('buyer_transaction_amount'),
                                   rate_units('exchange_rate'), unit_of('b_cur')))}
                   AS want_buyer,
               seller_amount AS got_seller,
               {from_cents(convert(cents('transaction_amount'), 'seller_rate',
                                   unit_of('s_cur')))} AS want_seller,
               CASE WHEN status NOT IN ('matched', 'timing_difference', 'amount_mismatch')
                        THEN 'match_status ' || status || ' is not a known status'
                    WHEN is_injected IS DISTINCT FROM (status = 'amount_mismatch')
                        THEN 'is_injected is ' || is_injected || ' on a ' || status || ' pair'
                    WHEN status = 'amount_mismatch'
                         AND buyer_transaction_amount = transaction_amount
                        THEN 'labelled amount_mismatch, but the buyer booked the invoiced '
                             || transaction_amount
                    WHEN status <> 'amount_mismatch'
                         AND buyer_transaction_amount IS DISTINCT FROM transaction_amount
                        THEN 'the buyer booked ' || buyer_transaction_amount || ' of '
                             || transaction_amount || ' invoiced, labelled ' || status
                    WHEN status = 'timing_difference' AND b_p <= s_p
                        THEN 'labelled timing_difference, but both booked in '
                             || strftime(seller_posting_date, '%Y-%m')
                    WHEN status <> 'timing_difference' AND b_p <> s_p
                        THEN 'seller booked ' || seller_posting_date || ', buyer '
                             || buyer_posting_date || ', labelled ' || status
               END AS label,
               t_cur, b_cur, buyer_posting_date
        FROM x"""
    checked = src.scalar("SELECT count(*) FROM intercompany_pairs")
    count, rows = src.violations(
        f"""SELECT * FROM ({pairs}) WHERE want_rate IS DISTINCT FROM got_rate
                OR want_buyer IS DISTINCT FROM got_buyer
                OR want_seller IS DISTINCT FROM got_seller OR label IS NOT NULL""")
    return outcome(name, checked, count, f"{counted(count, 'pair')} with a difference: "
                   + examples(rows, _match_problem),
                   f"{counted(checked, 'pair')}: rates, conversions and labels agree")


def _match_problem(pair, got_rate, want_rate, got_buyer, want_buyer, got_seller, want_seller,
                   label, t_cur, b_cur, day) -> str:
    found = []
    if got_rate != want_rate:
        found.append(f"exchange_rate {as_rate(got_rate)}, the {t_cur}->{b_cur} spot cross "
                     f"rate of {day} is {as_rate(want_rate)}")
    if got_buyer != want_buyer:
        found.append(f"buyer_amount {money(got_buyer)}, buyer_transaction_amount at "
                     f"exchange_rate gives {money(want_buyer)}")
    if got_seller != want_seller:
        found.append(f"seller_amount {money(got_seller)}, transaction_amount converted "
                     f"gives {money(want_seller)}")
    if label is not None:
        found.append(label)
    return f"{pair}: " + ", ".join(found)


PAIR_CHECKS = (check_pairs_posted, check_pairs_match)
