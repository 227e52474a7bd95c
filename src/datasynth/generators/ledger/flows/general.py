"""H2R: payroll and expense claims.

Payroll (monthly, per cost center): gross salaries and employer social security as expense;
employee withholding and social security as liabilities remitted on the 15th of the next
month (the next working day when the 15th is not one); net pay (plus approved expense claims)
through the payroll clearing account to the bank the working day after the run, which is
on the last working day on or before the month's third-last day. Expense claims are booked on
working days, dated by the receipt they carry (a few days earlier), both on working days but
for the calendar's weekend share.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.ledger.flows.common import (
    block,
    centers,
    clip_days,
    doc_ids,
    header,
    line_set,
    null_strings,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.postings import Block, stack_lines

_Z = np.zeros(0, np.int64)


def payroll(books, rng, claims_per_month: np.ndarray, opening: dict[int, int]) -> list[Block]:
    """Payroll runs, payments, remittances and expense claims of every month."""
    a = books.account
    wh, ss_ee, ss_er = books.payroll_rates
    n_cc = len(books.ledger.cost_center_ids)
    # salaries of staff without a cost center gather in an extra bucket posted without one
    center = np.where(books.employee_center >= 0, books.employee_center, n_cc)
    gross_cc = np.zeros(n_cc + 1, np.int64)
    np.add.at(gross_cc, center, books.employee_salary // 12)
    ccs = np.flatnonzero(gross_cc)
    g = gross_cc[ccs]
    ccs = np.where(ccs < n_cc, ccs, -1)
    employer = np.rint(g * ss_er).astype(np.int64)
    withholding = int(np.rint(g * wh).sum())
    social = int(np.rint(g * ss_ee).sum()) + int(employer.sum())
    net = int(g.sum()) - int(np.rint(g * wh).sum()) - int(np.rint(g * ss_ee).sum())
    months = len(books.months)
    first = np.array([d.min() for d in books.month_days])
    last = np.array([d.max() for d in books.month_days])
    # payroll runs three days before the month end (the working day before when that is
    # none), paid the next working day; a stub month at the start or end of the run keeps
    # both inside its days
    runs = clip_days(last - 3, first, np.maximum(last - 1, first))
    runs = clip_days(books.working_day(runs, backward=True), first, np.maximum(last - 1, first))
    pay_day = clip_days(books.working_day(np.minimum(runs + 1, last)), runs, last)
    # payroll run entry of each month
    k = len(ccs)
    e = np.repeat(np.arange(months), k)
    run_lines = stack_lines([
        line_set(e, np.full(len(e), a(600000)), np.tile(g, months), np.zeros(len(e)),
               np.tile(ccs, months)),
        line_set(e, np.full(len(e), a(620000)), np.tile(employer, months), np.zeros(len(e)),
               np.tile(ccs, months)),
        line_set(np.arange(months), np.full(months, a(230000)), np.zeros(months),
               np.full(months, withholding)),
        line_set(np.arange(months), np.full(months, a(230100)), np.zeros(months),
               np.full(months, social)),
        line_set(np.arange(months), np.full(months, a(231000)), np.zeros(months),
               np.full(months, net))], months)
    ids = doc_ids("PY", books.code, 1, months)
    blocks = [block(books, posting_day=runs, document_day=runs,
                    seconds=seconds_of_day(rng, months, True), document_type="HR",
                    process="H2R", source="automated",
                    header_text=header(["Payroll run"], np.zeros(months, int)),
                    reference_type="payroll_run", reference_id=ids,
                    partner_id=null_strings(months), lines=run_lines, rng=rng)]
    # expense claims: Dr travel (cost center) / Cr payroll clearing, reimbursed with the pay
    claims_month = np.repeat(np.arange(months), claims_per_month)
    c = len(claims_month)
    claim_day = clip_days(first[claims_month] + rng.integers(0, 28, c), first[claims_month],
                          np.maximum(runs[claims_month] - 1, first[claims_month]))
    claim_day = clip_days(books.working_day(claim_day, rng), first[claims_month],
                          np.maximum(runs[claims_month] - 1, first[claims_month]))
    claim_amount = np.maximum(np.rint(rng.lognormal(np.log(250 * 10 ** books.exponent), 0.9,
                                                    c)), 1).astype(np.int64)
    person = rng.integers(0, max(len(books.employee_ids), 1), c)
    claim_cc = np.where(books.employee_center[person] >= 0, books.employee_center[person],
                        centers(books, rng, "H2R", c)) if len(books.employee_ids) else \
        centers(books, rng, "H2R", c)
    claim_lines = stack_lines([
        line_set(np.arange(c), np.full(c, a(730000)), claim_amount, np.zeros(c), claim_cc),
        line_set(np.arange(c), np.full(c, a(231000)), np.zeros(c), claim_amount)], c)
    claim_ids = doc_ids("EX", books.code, 1, c)
    receipt_day = np.minimum(books.working_day(claim_day - rng.integers(0, 10, c), rng,
                                               backward=True), claim_day)
    blocks.append(block(
        books, posting_day=claim_day, document_day=receipt_day,
        seconds=seconds_of_day(rng, c, False), document_type="SA", process="H2R",
        source="manual", header_text=header(["Travel expense claim"], np.zeros(c, int)),
        reference_type="expense_claim", reference_id=claim_ids,
        partner_id=books.employee_ids.take(pa.array(person)) if len(books.employee_ids)
        else null_strings(c), lines=claim_lines, rng=rng))
    claims_total = np.bincount(claims_month, weights=claim_amount, minlength=months).astype(
        np.int64)
    # net pay and claims to the bank; withholdings remitted on the 15th of the next month
    pay = net + claims_total
    pay_lines = stack_lines([
        line_set(np.arange(months), np.full(months, a(231000)), pay, np.zeros(months)),
        line_set(np.arange(months), np.full(months, a(100000)), np.zeros(months), pay)], months)
    blocks.append(block(books, posting_day=pay_day, document_day=pay_day,
                        seconds=seconds_of_day(rng, months, True), document_type="KZ",
                        process="H2R", source="automated",
                        header_text=header(["Salary payment"], np.zeros(months, int)),
                        reference_type="payroll_run", reference_id=ids,
                        partner_id=null_strings(months), lines=pay_lines, rng=rng))
    remit_wh = np.r_[opening.get(a(230000), 0), np.full(months - 1, withholding)]
    remit_ss = np.r_[opening.get(a(230100), 0), np.full(months - 1, social)]
    # a start-up owes nothing in its first month: no remittance entry then
    due = np.flatnonzero(remit_wh + remit_ss > 0)
    k, wh_due, ss_due = len(due), remit_wh[due], remit_ss[due]
    day = books.working_day(np.minimum(first + 14, last))[due]
    lines = stack_lines([
        line_set(np.arange(k), np.full(k, a(230000)), wh_due, np.zeros(k)),
        line_set(np.arange(k), np.full(k, a(230100)), ss_due, np.zeros(k)),
        line_set(np.arange(k), np.full(k, a(100000)), np.zeros(k), wh_due + ss_due)], k)
    nonzero = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(x[nonzero] for x in lines)
    blocks.append(block(books, posting_day=day, document_day=day,
                        seconds=seconds_of_day(rng, k, True), document_type="KZ",
                        process="H2R", source="automated",
                        header_text=header(["Payroll tax remittance"], np.zeros(k, int)),
                        reference_type="payroll_run", reference_id=doc_ids(
                            "PT", books.code, 1, k), partner_id=null_strings(k),
                        lines=lines, rng=rng))
    return blocks
