"""Document chains: each flow is complete, or ends in a state the data records.

Requisition -> order -> receipt -> invoice -> payment (P2P) and order -> delivery -> invoice
-> receipt (O2C). An invoice ends either fully cleared by payments or as an open item in the
last period's subledger (blocked invoices included), with gross - cleared = open to the cent.
A sales order line is shipped in full, or was rejected by the credit check and never shipped
nor billed; returns never exceed what was shipped.
"""

from __future__ import annotations

from datasynth.verify.result import (
    CheckResult,
    counted,
    examples,
    money,
    named,
    outcome,
    skipped,
)
from datasynth.verify.source import PERIOD_KEY, Source


@named("chains.purchase_order_receipts")
def check_order_receipts(src: Source, name: str) -> CheckResult:
    if not src.has("purchase_orders", "goods_receipts"):
        return skipped(name, src.missing("purchase_orders", "goods_receipts"))
    orphan_sql = """SELECT 'receipt ' || g.goods_receipt_id || ' -> ' || g.purchase_order_id
                           || '/' || g.po_line_number
                    FROM goods_receipts g LEFT JOIN purchase_orders o
                      ON o.purchase_order_id = g.purchase_order_id
                     AND o.line_number = g.po_line_number
                    WHERE o.purchase_order_id IS NULL"""
    unreceived_sql = """SELECT 'order line ' || o.purchase_order_id || '/' || o.line_number
                               || ' never received'
                        FROM purchase_orders o WHERE o.item_type = 'material' AND NOT EXISTS (
                            SELECT 1 FROM goods_receipts g
                            WHERE g.purchase_order_id = o.purchase_order_id
                              AND g.po_line_number = o.line_number)"""
    receipts = src.scalar("SELECT count(*) FROM goods_receipts")
    lines = src.scalar("SELECT count(*) FROM purchase_orders WHERE item_type = 'material'")
    count, rows = src.violations(f"{orphan_sql} UNION ALL {unreceived_sql}")
    return outcome(name, receipts + lines, count, examples(rows),
                   f"{counted(receipts, 'receipt')} on existing lines, "
                   f"{counted(lines, 'material line')} received")


@named("chains.vendor_invoice_orders")
def check_invoices_ordered(src: Source, name: str) -> CheckResult:
    if not src.has("vendor_invoices", "purchase_orders"):
        return skipped(name, src.missing("vendor_invoices", "purchase_orders"))
    sql = """SELECT i.invoice_id, coalesce(i.purchase_order_id, 'no order') FROM vendor_invoices i
             WHERE NOT i.is_opening AND NOT EXISTS (SELECT 1 FROM purchase_orders o
                 WHERE o.purchase_order_id = i.purchase_order_id)"""
    checked = src.scalar("SELECT count(*) FROM vendor_invoices WHERE NOT is_opening")
    count, rows = src.violations(sql)
    detail = "invoices without an existing order: " + examples(
        rows, lambda inv, po: f"{inv} -> {po}")
    return outcome(name, checked, count, detail,
                   f"{counted(checked, 'invoice')} with an existing order")


@named("chains.sales_order_deliveries")
def check_order_deliveries(src: Source, name: str) -> CheckResult:
    if not src.has("sales_orders", "deliveries"):
        return skipped(name, src.missing("sales_orders", "deliveries"))
    sql = """SELECT d.delivery_id, d.sales_order_id || '/' || d.so_line_number FROM deliveries d
             LEFT JOIN sales_orders o ON o.sales_order_id = d.sales_order_id
                                     AND o.line_number = d.so_line_number
             WHERE o.sales_order_id IS NULL"""
    checked = src.scalar("SELECT count(*) FROM deliveries")
    count, rows = src.violations(sql)
    detail = "deliveries of no order line: " + examples(rows, lambda d, line: f"{d} -> {line}")
    return outcome(name, checked, count, detail,
                   f"{counted(checked, 'delivery', 'deliveries')} on existing lines")


@named("chains.sales_orders_fulfilled")
def check_orders_fulfilled(src: Source, name: str) -> CheckResult:
    if not src.has("sales_orders", "deliveries"):
        return skipped(name, src.missing("sales_orders", "deliveries"))
    billed = ("EXISTS (SELECT 1 FROM customer_invoices i WHERE i.sales_order_id = "
              "o.sales_order_id)") if src.has("customer_invoices") else "false"
    state = f"""WITH moved AS (
                    SELECT sales_order_id, so_line_number AS line_number,
                           sum(quantity) FILTER (WHERE NOT coalesce(is_return, false)) AS out,
                           -sum(quantity) FILTER (WHERE coalesce(is_return, false)) AS back
                    FROM deliveries GROUP BY ALL)
                SELECT o.sales_order_id || '/' || o.line_number AS line, o.quantity,
                       coalesce(m.out, 0) AS shipped, coalesce(m.back, 0) AS returned,
                       coalesce(o.credit_check, 'passed') = 'rejected' AS rejected,
                       o.material_id IS NOT NULL AS goods, {billed} AS billed
                FROM sales_orders o LEFT JOIN moved m USING (sales_order_id, line_number)"""
    checked, rejected = src.rows(f"SELECT count(*), count(*) FILTER (WHERE rejected) "
                                 f"FROM ({state})")[0]
    count, rows = src.violations(
        f"""SELECT line, CASE WHEN rejected AND (shipped > 0 OR billed)
                                   THEN 'rejected but shipped or billed'
                              WHEN returned > shipped THEN 'returned ' || returned
                                   || ' of ' || shipped || ' shipped'
                              ELSE 'shipped ' || shipped || ' of ' || quantity END
            FROM ({state})
            WHERE (rejected AND (shipped > 0 OR billed))
               OR (NOT rejected AND goods AND shipped <> quantity)
               OR returned > shipped""")
    detail = "sales order lines: " + examples(rows, lambda line, why: f"{line} {why}")
    return outcome(name, checked, count, detail,
                   f"{checked - rejected:,} lines shipped in full, {rejected:,} rejected by "
                   "the credit check")


@named("chains.requisitions_ordered")
def check_requisitions(src: Source, name: str) -> CheckResult:
    if not src.has("purchase_requisitions", "purchase_orders"):
        return skipped(name, src.missing("purchase_requisitions", "purchase_orders"))
    sql = """SELECT coalesce(r.requisition_id || '/' || r.line_number, 'none'),
                    coalesce(o.purchase_order_id || '/' || o.line_number, 'none')
             FROM purchase_requisitions r FULL JOIN purchase_orders o
               ON o.purchase_order_id = r.purchase_order_id
              AND o.line_number = r.po_line_number
              AND o.requisition_id = r.requisition_id
             WHERE r.requisition_id IS NULL OR o.purchase_order_id IS NULL
                OR r.quantity <> o.quantity
                OR r.material_id IS DISTINCT FROM o.material_id
                OR r.requisition_date > o.order_date"""
    checked = src.scalar("SELECT count(*) FROM purchase_orders")
    self_approved = src.scalar("SELECT count(*) FROM purchase_requisitions "
                               "WHERE requested_by = approved_by")
    count, rows = src.violations(sql)
    detail = "requisition line vs order line: " + examples(
        rows, lambda req, po: f"{req} -> {po}")
    return outcome(name, checked, count, detail,
                   f"{counted(checked, 'order line')} from a requisition "
                   f"({self_approved:,} self-approved)")


def _settlement(src: Source, name: str, invoices: str, payments: str, open_items: str,
                blocked: str) -> CheckResult:
    need = (invoices, payments, open_items)
    if not src.has(*need):
        return skipped(name, src.missing(*need))
    last = src.last_period()
    if last is None:
        return skipped(name, "no journal entries or trial balance to date the last period")
    # clearings dated after the run (if any are written) leave the item open at its end
    state = f"""WITH paid AS (SELECT invoice_id, sum(cleared_amount) AS s FROM {payments}
                              WHERE {PERIOD_KEY} <= {int(last)} GROUP BY invoice_id),
                     still AS (SELECT invoice_id, sum(open_amount) AS o FROM {open_items}
                               WHERE {PERIOD_KEY} = {int(last)} GROUP BY invoice_id)
                SELECT i.invoice_id, i.gross_amount AS gross, coalesce(paid.s, 0) AS cleared,
                       still.o AS open, {blocked} AS blocked
                FROM {invoices} i LEFT JOIN paid USING (invoice_id)
                                  LEFT JOIN still USING (invoice_id)"""
    checked, cleared, still_open, held = src.rows(
        f"""SELECT count(*), count(*) FILTER (WHERE open IS NULL AND cleared = gross),
                   count(open), count(open) FILTER (WHERE blocked) FROM ({state})""")[0]
    count, rows = src.violations(f"SELECT invoice_id, gross, cleared, open FROM ({state}) "
                                 "WHERE gross - cleared <> coalesce(open, 0)")
    detail = "gross - cleared <> open at the last period: " + examples(
        rows, lambda inv, gross, paid, still:
        f"{inv} gross {money(gross)} cleared {money(paid)} open {money(still or 0)}")
    held_note = f" ({held:,} blocked)" if blocked != "false" else ""
    return outcome(name, checked, count, detail,
                   f"{cleared:,} cleared, {still_open:,} open{held_note}")


@named("chains.vendor_invoices_settled")
def check_payables_settled(src: Source, name: str) -> CheckResult:
    return _settlement(src, name, "vendor_invoices",
                       "vendor_payments", "ap_open_items", "i.is_blocked")


@named("chains.customer_invoices_settled")
def check_receivables_settled(src: Source, name: str) -> CheckResult:
    return _settlement(src, name, "customer_invoices",
                       "customer_receipts", "ar_open_items", "false")


CHAIN_CHECKS = (check_requisitions, check_order_receipts, check_invoices_ordered,
                check_payables_settled, check_order_deliveries, check_orders_fulfilled,
                check_receivables_settled)
