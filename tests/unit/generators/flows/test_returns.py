"""Customer returns (flows.returns) in a seeded run with many returns: return deliveries,
credit memos and refunds, checked against the orders, deliveries and journal entries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import pyarrow.compute as pc
import pytest

from datasynth.generators.calendar import period_end
from tests.unit.generators.flows.runs import (
    days,
    entry_lookup,
    minor,
    returns_run,
    strings,
)

EPOCH = dt.date(1970, 1, 1)


@pytest.fixture(scope="module")
def run():
    config, result = returns_run()
    t = {name: result.table(name) for name in (
        "deliveries", "sales_orders", "customer_invoices", "customer_receipts", "customers",
        "journal_entries")}
    return config, t, entry_lookup(t["journal_entries"])


@pytest.fixture(scope="module")
def lines_shipped(run):
    """Per (sales order, line): ordered (customer, material, unit price), and what the
    outbound deliveries shipped (quantity, cost, first date)."""
    _, t, _ = run
    so = t["sales_orders"]
    order_line = {(o, int(n)): (c, m, int(p)) for o, n, c, m, p in zip(
        strings(so, "sales_order_id"), so["line_number"].to_numpy(), strings(so, "customer_id"),
        strings(so, "material_id"), minor(so, "unit_price"))}
    d = t["deliveries"]
    out = d.filter(pc.invert(d["is_return"]))
    shipped = defaultdict(lambda: [0, 0, None])
    for o, n, q, c, when in zip(strings(out, "sales_order_id"), out["so_line_number"].to_numpy(),
                                out["quantity"].to_numpy(), minor(out, "cost_amount"),
                                days(out, "posting_date")):
        s = shipped[(o, int(n))]
        s[0] += int(q)
        s[1] += int(c)
        s[2] = int(when) if s[2] is None else min(s[2], int(when))
    return order_line, dict(shipped)


def returns_of(t):
    d = t["deliveries"]
    return d.filter(d["is_return"])


def credit_memos(t):
    ci = t["customer_invoices"]
    return ci.filter(pc.equal(ci["invoice_type"].cast("string"), "credit_memo"))


def test_the_run_has_many_returns(run):
    _, t, _ = run
    ret, out = returns_of(t).num_rows, t["deliveries"].num_rows - returns_of(t).num_rows
    assert ret >= 50, f"only {ret} returns at return_rate 0.3"
    assert 0.15 < ret / out < 0.35, f"returns are {ret / out:.2f} of delivered lines, not ~0.3"


def test_return_deliveries_are_negative_and_come_from_delivered_lines(run, lines_shipped):
    _, t, _ = run
    order_line, shipped = lines_shipped
    d = t["deliveries"]
    is_return = d["is_return"].to_numpy(zero_copy_only=False)
    qty, cost = d["quantity"].to_numpy(), minor(d, "cost_amount")
    assert (qty[is_return] < 0).all() and (cost[is_return] < 0).all(), \
        "a return delivery must have negative quantity and cost"
    assert (qty[~is_return] > 0).all() and (cost[~is_return] > 0).all(), \
        "an outbound delivery must have positive quantity and cost"
    r = returns_of(t)
    returned = defaultdict(int)
    for rid, o, n, q, c, m, cust, when in zip(
            strings(r, "delivery_id"), strings(r, "sales_order_id"),
            r["so_line_number"].to_numpy(), r["quantity"].to_numpy(), minor(r, "cost_amount"),
            strings(r, "material_id"), strings(r, "customer_id"), days(r, "posting_date")):
        key = (o, int(n))
        assert key in order_line, f"{rid} returns {key}, which is no sales-order line"
        assert key in shipped, f"{rid} returns {key}, which was never delivered"
        o_cust, o_mat, _ = order_line[key]
        assert (cust, m) == (o_cust, o_mat), f"{rid}: customer/material differ from the order"
        s_qty, s_cost, s_first = shipped[key]
        assert c * s_qty == q * s_cost, f"{rid}: not valued at the cost the goods left at"
        assert when >= s_first + 3, f"{rid} returned before (or days after) its delivery"
        returned[key] += -int(q)
    over = {k: (v, shipped[k][0]) for k, v in returned.items() if v > shipped[k][0]}
    assert not over, f"returned more than shipped on lines (returned, shipped): {over}"


def test_credit_memos_reverse_the_returned_sale(run, lines_shipped):
    _, t, entries = run
    order_line, _ = lines_shipped
    cm = credit_memos(t)
    assert cm.num_rows == returns_of(t).num_rows, "one credit memo per return"
    net, tax, gross = minor(cm, "net_amount"), minor(cm, "tax_amount"), minor(cm, "gross_amount")
    assert (net < 0).all() and (tax <= 0).all() and (gross < 0).all(), \
        "credit memo amounts must be negative"
    assert (tax < 0).any(), "no credit memo carries tax"
    assert np.array_equal(net + tax, gross), "credit memo net + tax != gross"
    r = returns_of(t)
    return_of = {rid: (o, int(n), int(q)) for rid, o, n, q in zip(
        strings(r, "delivery_id"), strings(r, "sales_order_id"), r["so_line_number"].to_numpy(),
        r["quantity"].to_numpy())}
    recon = dict(zip(strings(t["customers"], "customer_id"),
                     strings(t["customers"], "reconciliation_account")))
    for memo, cust, order, delivery, control, je, n, g in zip(
            strings(cm, "invoice_id"), strings(cm, "customer_id"), strings(cm, "sales_order_id"),
            strings(cm, "delivery_id"), strings(cm, "control_account"),
            strings(cm, "journal_entry_id"), net, gross):
        assert delivery in return_of, f"{memo} does not reference a return delivery"
        o, line, q = return_of[delivery]
        assert o == order, f"{memo}: order {order} != its return's order {o}"
        assert n == q * order_line[(o, line)][2], f"{memo}: net != returned qty x order price"
        assert control == recon[cust], f"{memo}: control account is not the customer's"
        entry = entries[je]
        assert (entry["reference_type"], entry["reference_id"], entry["partner_id"]) == \
            ("customer_invoice", memo, cust), f"{memo}: its entry {je} references another"
        credits = [(a, c) for a, d, c in entry["lines"] if c > 0]
        assert credits == [(control, -int(g))], \
            f"{memo}: entry {je} must credit only the control account by the gross: {credits}"


def test_refunds_clear_their_credit_memo_exactly(run):
    config, t, entries = run
    cm = credit_memos(t)
    memo = {i: (c, int(g), int(d), a) for i, c, g, d, a in zip(
        strings(cm, "invoice_id"), strings(cm, "customer_id"), minor(cm, "gross_amount"),
        days(cm, "invoice_date"), strings(cm, "control_account"))}
    cr = t["customer_receipts"]
    rf = cr.filter(pc.equal(cr["receipt_type"].cast("string"), "refund"))
    assert rf.num_rows >= 30, f"only {rf.num_rows} refunds"
    refunded = set()
    for rid, inv, cust, cleared, received, disc, wo, when, je in zip(
            strings(rf, "receipt_id"), strings(rf, "invoice_id"), strings(rf, "customer_id"),
            minor(rf, "cleared_amount"), minor(rf, "received_amount"),
            minor(rf, "discount_amount"), minor(rf, "write_off_amount"),
            days(rf, "receipt_date"), strings(rf, "journal_entry_id")):
        assert inv in memo, f"refund {rid} clears {inv}, which is no credit memo"
        assert inv not in refunded, f"{inv} refunded twice"
        refunded.add(inv)
        m_cust, m_gross, m_day, control = memo[inv]
        assert cust == m_cust, f"refund {rid} paid to another customer"
        assert cleared == m_gross, f"refund {rid} cleared {cleared}, credit memo gross {m_gross}"
        assert received == cleared and disc == 0 and wo == 0, f"refund {rid}: cash != cleared"
        # 5-20 days, then on to the next working day (a long holiday weekend adds up to 4)
        assert 5 <= when - m_day <= 24, f"refund {rid} {when - m_day} days after its memo"
        lines = entries[je]["lines"]
        assert (control, -int(cleared), 0) in lines, f"{rid}: control account not debited"
        assert ("100000", 0, -int(cleared)) in lines, f"{rid}: bank not credited"
    # a credit memo stays unrefunded only when its refund would fall after the run
    end = (period_end(config.global_.start_date, config.global_.period_months) - EPOCH).days
    late = [i for i, (_, _, d, _) in memo.items() if i not in refunded and d + 20 < end]
    assert not late, f"credit memos never refunded although the run went on: {late[:5]}"
