"""Amounts that must add up: journal entries balance line by line (injected, labelled
unbalanced entries excepted), and each document's arithmetic holds to the cent.

Document rules are rows of data (table, key, computed side, recorded side), so a new
document table gets its check by adding one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from datasynth.verify.labelled import labelled_unbalanced
from datasynth.verify.result import (
    CheckResult,
    counted,
    examples,
    money,
    named,
    outcome,
    skipped,
)
from datasynth.verify.source import Source


@named("journal.balanced")
def check_balanced(src: Source, name: str) -> CheckResult:
    """Debits = credits in every entry, but for the injected unbalanced entries.

    An entry labelled ``unbalanced_entry`` both ways (flags on its lines, a row in
    anomaly_labels; see labelled.py) is a labelled exception, counted in the detail, not a
    failure. An unbalanced entry labelled one way or not at all fails.
    """
    if not src.has("journal_entries"):
        return skipped(name, ["journal_entries"])
    sums = """SELECT company_code, document_id, sum(debit_amount) AS d, sum(credit_amount) AS c
              FROM journal_entries GROUP BY company_code, document_id"""
    checked = src.scalar(f"SELECT count(*) FROM ({sums})")
    unbalanced = f"SELECT * FROM ({sums}) WHERE d IS DISTINCT FROM c"
    labelled = labelled_unbalanced(src)
    excused = 0
    if labelled is not None:
        excused = src.scalar(f"""SELECT count(*) FROM ({unbalanced}) u
                                 SEMI JOIN ({labelled}) l USING (company_code, document_id)""")
        unbalanced = f"""SELECT * FROM ({unbalanced}) u
                         ANTI JOIN ({labelled}) l USING (company_code, document_id)"""
    count, rows = src.violations(f"SELECT document_id, company_code, d, c FROM ({unbalanced})")
    note = (f"; {counted(excused, 'labelled unbalanced entry', 'labelled unbalanced entries')}"
            " (injected)") if excused else ""
    detail = "unbalanced: " + examples(
        rows, lambda doc, co, d, c: f"{doc} ({co}) debit {money(d)} credit {money(c)}") + note
    return outcome(name, checked, count, detail,
                   counted(checked - excused, "entry", "entries") + " balanced" + note)


@named("journal.one_side_per_line")
def check_one_sided(src: Source, name: str) -> CheckResult:
    if not src.has("journal_entries"):
        return skipped(name, ["journal_entries"])
    checked = src.scalar("SELECT count(*) FROM journal_entries")
    # a null amount is as wrong as two sides: it hides what the line posts
    count, rows = src.violations(
        """SELECT document_id, line_number, debit_amount, credit_amount FROM journal_entries
           WHERE debit_amount IS NULL OR credit_amount IS NULL
              OR (debit_amount <> 0) = (credit_amount <> 0)""")
    detail = "lines with both or no side: " + examples(
        rows, lambda doc, line, d, c: f"{doc}/{line} debit {money(d)} credit {money(c)}")
    return outcome(name, checked, count, detail, counted(checked, "line"))


class AmountRule(NamedTuple):
    table: str
    key: str            # SQL naming the row in the detail
    computed: str       # SQL of the side computed from parts
    recorded: str       # column holding the total
    label: str          # the identity, as a user reads it


_PERIOD_KEY = "company_code || ' ' || fiscal_year || '-' || fiscal_period || ' '"

RULES = (
    AmountRule("vendor_invoices", "invoice_id", "net_amount + tax_amount", "gross_amount",
               "net + tax = gross"),
    AmountRule("customer_invoices", "invoice_id", "net_amount + tax_amount", "gross_amount",
               "net + tax = gross"),
    AmountRule("vendor_payments", "payment_id || '/' || invoice_id",
               "cleared_amount - discount_amount", "paid_amount", "cleared - discount = paid"),
    AmountRule("customer_receipts", "receipt_id || '/' || invoice_id",
               "cleared_amount - discount_amount - write_off_amount", "received_amount",
               "cleared - discount - write-off = received"),
    AmountRule("purchase_orders", "purchase_order_id || '/' || line_number",
               "quantity * unit_price", "net_amount", "quantity x price = net"),
    AmountRule("sales_orders", "sales_order_id || '/' || line_number",
               "quantity * unit_price", "net_amount", "quantity x price = net"),
    AmountRule("inventory_positions", _PERIOD_KEY + "|| material_id", "quantity * unit_cost",
               "value", "quantity x unit cost = value"),
    AmountRule("fixed_asset_balances", _PERIOD_KEY + "|| asset_id",
               "acquisition_cost - accumulated_depreciation", "net_book_value",
               "cost - accumulated depreciation = net book value"),
)


def amount_check(rule: AmountRule) -> Callable[[Source], CheckResult]:
    @named(f"amounts.{rule.table}")
    def check(src: Source, name: str) -> CheckResult:
        if not src.has(rule.table):
            return skipped(name, [rule.table])
        checked = src.scalar(f"SELECT count(*) FROM {rule.table}")
        count, rows = src.violations(
            f"""SELECT {rule.key} AS k, {rule.computed} AS computed, {rule.recorded} AS recorded
                FROM {rule.table} WHERE {rule.computed} IS DISTINCT FROM {rule.recorded}""")
        detail = f"{rule.label} fails: " + examples(
            rows, lambda key, computed, recorded: f"{key} {money(computed)} vs {money(recorded)}")
        return outcome(name, checked, count, detail, rule.label)

    return check


AMOUNT_CHECKS = tuple(amount_check(rule) for rule in RULES)
