"""R2R: the general-ledger entries a finance team books from templates.

Interest on borrowings (one a month while debt is outstanding), bank charges, manual accruals
for services received (on the month's last working day, reversed on the first working day of
the next month, inside the run),
prepaid expenses (an annual insurance premium paid in advance and amortised month by month,
and the opening prepayments released over the first quarter; IAS 38.70 / ASC 340-10), and
reclassifications between expense accounts and cost centers. Reclassifications are the one
entry kind that touches neither cash nor VAT nor any subledger, so :func:`fit_to_target`
adds or removes them (and bank charges, whose removal only raises cash) to make the number
of business entries exactly ``transactions.target_count``.

Every entry here falls on a working day of the posting calendar: month-end entries on the
month's last working day, start-of-month ones on its first, the others drawn over the month
and moved to a working day (but for the calendar's small weekend share). Only the period
close (depreciation, its accruals, tax provision, closing) posts on the last calendar day.
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

BANK_CHARGE, ACCRUAL, RECLASS = 0, 1, 2
KIND_SHARES = (0.45, 0.35, 0.20)
OPEX = (700000, 710000, 720000, 740000, 745000, 760000)
TEXTS = ["Bank charges", "Accrual for services received", "Reclassification of costs",
         "Reversal of accrual"]


def interest(books, rng, debt: int) -> list[Block]:
    """Interest at 6 % a year on the opening borrowings, paid on each month's last working
    day."""
    a = books.account
    months = len(books.months)
    amount = max(int(debt * 0.06 / 12), 0)
    if amount == 0:
        return []
    last = books.last_working
    idx = np.arange(months)
    lines = stack_lines([
        line_set(idx, np.full(months, a(800000)), np.full(months, amount), np.zeros(months),
               centers(books, rng, "R2R", months)),
        line_set(idx, np.full(months, a(100000)), np.zeros(months), np.full(months, amount),
               np.full(months, -1))], months)
    return [block(books, posting_day=last, document_day=last,
                  seconds=seconds_of_day(rng, months, True), document_type="SA",
                  process="R2R", source="recurring",
                  header_text=header(["Interest on borrowings"], np.zeros(months, int)),
                  reference_type="gl_template", reference_id=doc_ids("INT", books.code, 1,
                                                                     months),
                  partner_id=null_strings(months), lines=lines, rng=rng)]


INSURANCE_SHARE = 0.05      # of the overheads: the annual premium paid in advance
OPENING_PREPAID_MONTHS = 3  # the opening prepayments are used up over the first quarter


def prepaid(books, rng, opening_prepaid: int, monthly_overhead: int) -> list[Block]:
    """Premiums paid on the first working day of each policy year in the run (Dr prepaid
    insurance / Cr bank), amortised at every month end (its last working day; Dr insurance
    expense / Cr prepaid insurance), and the opening prepaid expenses released to rent over
    the first months."""
    a = books.account
    months = len(books.months)
    first = books.first_working
    last = books.last_working
    premium = int(monthly_overhead * 12 * INSURANCE_SHARE)
    policy = np.arange(0, months, 12)                       # run months a policy starts in
    # entries: premiums, then monthly amortisation, then the opening release
    amort = np.full(months, premium // 12 if premium else 0, np.int64)
    for start in policy:                                    # the last month takes the rest
        end = min(start + 12, months)
        if end - start == 12:
            amort[end - 1] += premium - 12 * (premium // 12)
    release_months = min(OPENING_PREPAID_MONTHS, months)
    release = np.zeros(release_months, np.int64)
    if opening_prepaid > 0:
        release[:] = opening_prepaid // release_months
        release[-1] += opening_prepaid - int(release.sum())
    kinds = [(first[policy], np.full(len(policy), premium), a(130100), a(100000), 0),
             (last, amort, a(750000), a(130100), 1),
             (last[:release_months], release, a(700000), a(130000), 2)]
    day = np.concatenate([k[0] for k in kinds])
    amount = np.concatenate([k[1] for k in kinds]).astype(np.int64)
    debit = np.concatenate([np.full(len(k[0]), k[2]) for k in kinds])
    credit = np.concatenate([np.full(len(k[0]), k[3]) for k in kinds])
    text = np.concatenate([np.full(len(k[0]), k[4]) for k in kinds])
    keep = amount > 0
    day, amount, debit, credit, text = (x[keep] for x in (day, amount, debit, credit, text))
    n = len(day)
    if n == 0:
        return []
    idx = np.arange(n)
    center = np.where(text == 0, -1, centers(books, rng, "R2R", n))
    lines = stack_lines([line_set(idx, debit, amount, np.zeros(n), center),
                         line_set(idx, credit, np.zeros(n), amount, np.full(n, -1))], n)
    return [block(books, posting_day=day, document_day=day,
                  seconds=seconds_of_day(rng, n, True), document_type="SA", process="R2R",
                  source=np.where(text == 0, 0, 2),
                  header_text=header(["Annual insurance premium paid in advance",
                                      "Amortisation of prepaid insurance",
                                      "Release of prepaid expenses"], text),
                  reference_type="gl_template",
                  reference_id=doc_ids("PPD", books.code, 1, n),
                  partner_id=null_strings(n), lines=lines, rng=rng)]


def templates(books, rng, count_per_month: np.ndarray, monthly_overhead: int,
              first_ids: dict[str, int]) -> tuple[Block, Block]:
    """``count_per_month`` template events a month: bank charges, accruals (each with its
    reversal, which counts as an entry of its own) and reclassifications. Returns the
    accruals' block and the block of single entries (bank charges, reclassifications)."""
    month = np.repeat(np.arange(len(count_per_month)), count_per_month)
    kind = rng.choice(3, len(month), p=KIND_SHARES)
    accrual = kind == ACCRUAL
    return (gl_entries(books, rng, month[accrual], kind[accrual], monthly_overhead, first_ids),
            gl_entries(books, rng, month[~accrual], kind[~accrual], monthly_overhead,
                       first_ids))


def gl_entries(books, rng, month: np.ndarray, kind: np.ndarray, monthly_overhead: int,
               first_ids: dict[str, int]) -> Block:
    """Template entries of the given kinds and months (accruals with their reversals)."""
    a = books.account
    months = len(books.months)
    first = np.array([d.min() for d in books.month_days])
    last = np.array([d.max() for d in books.month_days])
    n = len(month)
    day = clip_days(first[month] + rng.integers(0, 31, n), first[month], last[month])
    day = np.where(kind == ACCRUAL, books.last_working[month], books.working_day(day, rng))
    amount = np.maximum(np.rint(np.where(
        kind == BANK_CHARGE, rng.lognormal(np.log(40 * 10 ** books.exponent), 0.8, n),
        monthly_overhead * rng.uniform(0.002, 0.02, n))), 1).astype(np.int64)
    opex = np.array([a(x) for x in OPEX])
    debit_acc = np.where(kind == BANK_CHARGE, a(810000), opex[rng.integers(0, len(opex), n)])
    credit_acc = np.where(kind == BANK_CHARGE, a(100000), np.where(
        kind == ACCRUAL, a(220000), opex[rng.integers(0, len(opex), n)]))
    cc_d = centers(books, rng, "R2R", n)
    cc_c = np.where(kind == RECLASS, centers(books, rng, "R2R", n), -1)
    # reversals of the accruals on the first day of the next month (inside the run)
    rev = np.flatnonzero((kind == ACCRUAL) & (month + 1 < months))
    start = first_ids.get("GL", 1)
    ids = doc_ids("GL", books.code, start, n)
    first_ids["GL"] = start + n
    e_day = np.r_[day, books.first_working[np.minimum(month[rev] + 1, months - 1)]]
    e_n = n + len(rev)
    idx = np.arange(e_n)
    amt = np.r_[amount, amount[rev]]
    lines = stack_lines([
        line_set(idx, np.r_[debit_acc, credit_acc[rev]], amt, np.zeros(e_n),
               np.r_[cc_d, np.full(len(rev), -1)]),
        line_set(idx, np.r_[credit_acc, debit_acc[rev]], np.zeros(e_n), amt,
               np.r_[cc_c, cc_d[rev]])], e_n)
    text_idx = np.r_[kind, np.full(len(rev), 3)]
    return block(books, posting_day=e_day, document_day=e_day,
                 seconds=seconds_of_day(rng, e_n, False), document_type="SA", process="R2R",
                 source=np.where(text_idx == BANK_CHARGE, 2, 0),
                 header_text=header(TEXTS, text_idx), reference_type="gl_template",
                 reference_id=pa.concat_arrays([ids, ids.take(pa.array(rev))]),
                 partner_id=null_strings(e_n), lines=lines, rng=rng)


def fit_to_target(books, rng, blocks: list[Block], singles: Block, target: int,
                  monthly_overhead: int, first_ids: dict[str, int]) -> list[Block]:
    """Make the business entries of ``blocks`` (all but the opening entry, ``blocks[0]``)
    number exactly ``target``: add reclassifications spread over the months like the
    activity, or drop single template entries. Below the floor of entries the books need
    (payroll, VAT returns, settlements) the count stays above the target."""
    have = sum(len(b) for b in blocks[1:])
    if have < target:
        weights = np.array([w.sum() for w in books.month_weights], np.float64)
        month = np.sort(rng.choice(len(weights), target - have, p=weights / weights.sum()))
        blocks.append(gl_entries(books, rng, month, np.full(len(month), RECLASS),
                                 monthly_overhead, first_ids))
    elif have > target and len(singles):
        # entries an anomaly altered stay: their labels point at them
        normal = (np.arange(len(singles)) if singles.anomaly is None
                  else np.flatnonzero(singles.anomaly < 0))
        drop = rng.choice(normal, min(have - target, len(normal)), replace=False)
        keep = np.ones(len(singles), bool)
        keep[drop] = False
        at = next(i for i, b in enumerate(blocks) if b is singles)
        blocks[at] = singles.select(keep)
    return blocks
