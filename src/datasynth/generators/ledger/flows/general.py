"""H2R payroll and expense claims, R2R general-ledger templates, VAT returns and financing.

Payroll (monthly, per cost center): gross salaries and employer social security as expense;
employee withholding and social security as liabilities remitted on the 15th of the next
month; net pay (plus approved expense claims) through the payroll clearing account to the
bank on the last business day. R2R templates are the recurring events of a finance team:
bank charges, manual accruals reversed on the first day of the next month,
reclassifications between cost centers, interest on borrowings. The VAT return settles each
month's output minus input VAT on the 10th of the next month.
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
    null_strings,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.postings import Block, stack_lines

_Z = np.zeros(0, np.int64)


def _lines(entry, account, debit, credit, center=None):
    n = len(entry)
    return (np.asarray(entry, np.int64), np.asarray(account, np.int64),
            np.asarray(debit, np.int64), np.asarray(credit, np.int64),
            np.full(n, -1) if center is None else np.asarray(center, np.int64))


def payroll(books, rng, claims_per_month: np.ndarray, opening: dict[int, int]) -> list[Block]:
    """Payroll runs, payments, remittances and expense claims of every month."""
    a = books.account
    wh, ss_ee, ss_er = books.payroll_rates
    center = np.maximum(books.employee_center, 0)
    n_cc = len(books.ledger.cost_center_ids)
    gross_cc = np.zeros(n_cc, np.int64)
    np.add.at(gross_cc, center, books.employee_salary // 12)
    ccs = np.flatnonzero(gross_cc)
    g = gross_cc[ccs]
    employer = np.rint(g * ss_er).astype(np.int64)
    withholding = int(np.rint(g * wh).sum())
    social = int(np.rint(g * ss_ee).sum()) + int(employer.sum())
    net = int(g.sum()) - int(np.rint(g * wh).sum()) - int(np.rint(g * ss_ee).sum())
    months = len(books.months)
    last = np.array([d.max() for d in books.month_days])
    runs = clip_days(last - 3, 0, last)
    # payroll run entry of each month
    k = len(ccs)
    e = np.repeat(np.arange(months), k)
    run_lines = stack_lines([
        _lines(e, np.full(len(e), a(600000)), np.tile(g, months), np.zeros(len(e)),
               np.tile(ccs, months)),
        _lines(e, np.full(len(e), a(620000)), np.tile(employer, months), np.zeros(len(e)),
               np.tile(ccs, months)),
        _lines(np.arange(months), np.full(months, a(230000)), np.zeros(months),
               np.full(months, withholding)),
        _lines(np.arange(months), np.full(months, a(230100)), np.zeros(months),
               np.full(months, social)),
        _lines(np.arange(months), np.full(months, a(231000)), np.zeros(months),
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
    first = np.array([d.min() for d in books.month_days])
    claim_day = clip_days(first[claims_month] + rng.integers(0, 28, c), first[claims_month],
                          runs[claims_month] - 1)
    claim_amount = np.maximum(np.rint(rng.lognormal(np.log(250 * 10 ** books.exponent), 0.9,
                                                    c)), 1).astype(np.int64)
    person = rng.integers(0, max(len(books.employee_ids), 1), c)
    claim_cc = np.where(books.employee_center[person] >= 0, books.employee_center[person],
                        centers(books, rng, "H2R", c)) if len(books.employee_ids) else \
        centers(books, rng, "H2R", c)
    claim_lines = stack_lines([
        _lines(np.arange(c), np.full(c, a(730000)), claim_amount, np.zeros(c), claim_cc),
        _lines(np.arange(c), np.full(c, a(231000)), np.zeros(c), claim_amount)], c)
    claim_ids = doc_ids("EX", books.code, 1, c)
    blocks.append(block(books, posting_day=claim_day, document_day=claim_day - rng.integers(
        0, 10, c), seconds=seconds_of_day(rng, c, False), document_type="SA", process="H2R",
        source="manual", header_text=header(["Travel expense claim"], np.zeros(c, int)),
        reference_type="expense_claim", reference_id=claim_ids,
        partner_id=books.employee_ids.take(pa.array(person)) if len(books.employee_ids)
        else null_strings(c), lines=claim_lines, rng=rng))
    claims_total = np.bincount(claims_month, weights=claim_amount, minlength=months).astype(
        np.int64)
    # net pay and claims to the bank; withholdings remitted on the 15th of the next month
    pay = net + claims_total
    pay_lines = stack_lines([
        _lines(np.arange(months), np.full(months, a(231000)), pay, np.zeros(months)),
        _lines(np.arange(months), np.full(months, a(100000)), np.zeros(months), pay)], months)
    blocks.append(block(books, posting_day=runs + 1, document_day=runs + 1,
                        seconds=seconds_of_day(rng, months, True), document_type="KZ",
                        process="H2R", source="automated",
                        header_text=header(["Salary payment"], np.zeros(months, int)),
                        reference_type="payroll_run", reference_id=ids,
                        partner_id=null_strings(months), lines=pay_lines, rng=rng))
    remit_wh = np.r_[opening.get(a(230000), 0), np.full(months - 1, withholding)]
    remit_ss = np.r_[opening.get(a(230100), 0), np.full(months - 1, social)]
    day = first + 14
    lines = stack_lines([
        _lines(np.arange(months), np.full(months, a(230000)), remit_wh, np.zeros(months)),
        _lines(np.arange(months), np.full(months, a(230100)), remit_ss, np.zeros(months)),
        _lines(np.arange(months), np.full(months, a(100000)), np.zeros(months),
               remit_wh + remit_ss)], months)
    nonzero = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(x[nonzero] for x in lines)
    blocks.append(block(books, posting_day=day, document_day=day,
                        seconds=seconds_of_day(rng, months, True), document_type="KZ",
                        process="H2R", source="automated",
                        header_text=header(["Payroll tax remittance"], np.zeros(months, int)),
                        reference_type="payroll_run", reference_id=doc_ids(
                            "PT", books.code, 1, months), partner_id=null_strings(months),
                        lines=lines, rng=rng))
    return blocks


def templates(books, rng, count_per_month: np.ndarray, monthly_overhead: int,
              debt: int) -> list[Block]:
    """R2R entries: interest (one a month) and ``count`` template entries a month: bank
    charges, accrual + reversal pairs, reclassifications."""
    a = books.account
    months = len(books.months)
    first = np.array([d.min() for d in books.month_days])
    last = np.array([d.max() for d in books.month_days])
    interest = np.full(months, max(int(debt * 0.06 / 12), 0))
    blocks = []
    m_idx = np.flatnonzero(interest > 0)
    if len(m_idx):
        lines = stack_lines([
            _lines(np.arange(len(m_idx)), np.full(len(m_idx), a(800000)), interest[m_idx],
                   np.zeros(len(m_idx)), centers(books, rng, "R2R", len(m_idx))),
            _lines(np.arange(len(m_idx)), np.full(len(m_idx), a(100000)),
                   np.zeros(len(m_idx)), interest[m_idx])], len(m_idx))
        blocks.append(block(books, posting_day=last[m_idx], document_day=last[m_idx],
                            seconds=seconds_of_day(rng, len(m_idx), True), document_type="SA",
                            process="R2R", source="recurring",
                            header_text=header(["Interest on borrowings"],
                                               np.zeros(len(m_idx), int)),
                            reference_type="gl_template", reference_id=doc_ids(
                                "INT", books.code, 1, len(m_idx)),
                            partner_id=null_strings(len(m_idx)), lines=lines, rng=rng))
    month = np.repeat(np.arange(months), count_per_month)
    n = len(month)
    kind = rng.choice(3, n, p=[0.45, 0.35, 0.20])     # bank charge, accrual pair, reclass
    day = clip_days(first[month] + rng.integers(0, 31, n), first[month], last[month])
    day = np.where(kind == 1, last[month], day)
    amount = np.maximum(np.rint(np.where(
        kind == 0, rng.lognormal(np.log(40 * 10 ** books.exponent), 0.8, n),
        monthly_overhead * rng.uniform(0.002, 0.02, n))), 1).astype(np.int64)
    opex = np.array([a(x) for x in (700000, 710000, 720000, 740000, 745000, 760000)])
    debit_acc = np.where(kind == 0, a(810000), opex[rng.integers(0, len(opex), n)])
    credit_acc = np.where(kind == 0, a(100000), np.where(kind == 1, a(220000),
                                                         opex[rng.integers(0, len(opex), n)]))
    cc_d = centers(books, rng, "R2R", n)
    cc_c = np.where(kind == 2, centers(books, rng, "R2R", n), -1)
    texts = ["Bank charges", "Accrual for services received", "Reclassification of costs"]
    # reversals of the accruals on the first day of the next month (inside the run)
    rev = np.flatnonzero((kind == 1) & (month + 1 < months))
    ids = doc_ids("GL", books.code, 1, n)
    e_day = np.r_[day, first[np.minimum(month[rev] + 1, months - 1)]]
    e_n = n + len(rev)
    idx = np.arange(e_n)
    d_acc = np.r_[debit_acc, credit_acc[rev]]
    c_acc = np.r_[credit_acc, debit_acc[rev]]
    amt = np.r_[amount, amount[rev]]
    d_cc = np.r_[cc_d, np.full(len(rev), -1)]
    c_cc = np.r_[cc_c, cc_d[rev]]
    lines = stack_lines([_lines(idx, d_acc, amt, np.zeros(e_n), d_cc),
                         _lines(idx, c_acc, np.zeros(e_n), amt, c_cc)], e_n)
    text_idx = np.r_[kind, np.full(len(rev), 3)]
    blocks.append(block(books, posting_day=e_day, document_day=e_day,
                        seconds=seconds_of_day(rng, e_n, False), document_type="SA",
                        process="R2R", source=np.where(np.r_[kind, np.ones(len(rev), int)] == 0,
                                                       2, 0),
                        header_text=header(texts + ["Reversal of accrual"], text_idx),
                        reference_type="gl_template",
                        reference_id=pa.concat_arrays([ids, ids.take(pa.array(rev))]),
                        partner_id=null_strings(e_n), lines=lines, rng=rng))
    return blocks
