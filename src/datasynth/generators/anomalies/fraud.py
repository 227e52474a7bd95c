"""Fraud schemes (ACFE: asset misappropriation, corruption, financial-statement fraud;
domain study §8.1 FraudType). Multi-entry where the real scheme is multi-entry.

This module holds the schemes on general-ledger entries, payroll and requisitions;
purchasing schemes are in ``fraud_purchases``, revenue schemes in ``fraud_revenue``.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies import fraud_purchases, fraud_revenue
from datasynth.generators.anomalies.fraud_common import (
    consecutive_months,
    days_of,
    doc_tables,
    flagged,
    label_doc,
    month_bounds,
    strings_of,
)
from datasynth.generators.common.arrow import dictionary
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
from datasynth.generators.ledger.flows.postings import stack_lines
from datasynth.generators.ledger.journal import DOC, REF
from datasynth.money import to_minor_units

SUSPENSE = 290000
ROUND_UNITS = (1_000, 2_000, 2_500, 5_000, 10_000, 15_000, 20_000, 25_000, 50_000)


def round_dollar_suspense(inj, rng: np.random.Generator, count: int) -> None:
    """A manual entry of a round amount from an expense account to suspense, booked by a
    user of the finance team on an ordinary working day (ACFE: concealment in suspense)."""
    books = inj.books
    a = books.account
    template = inj.pick(rng, inj.source == 0, count)     # manual entries give day and user
    n = len(template)
    if n == 0:
        return
    inj.used[template] = False                            # only borrowed, not altered
    units = rng.choice(np.array(ROUND_UNITS), n)
    amount = (units * 10 ** books.exponent).astype(np.int64)
    expense = np.array([a(x) for x in (700000, 710000, 740000, 760000)])
    idx = np.arange(n)
    lines = stack_lines([
        line_set(idx, expense[rng.integers(0, len(expense), n)], amount, np.zeros(n),
                 centers(books, rng, "R2R", n)),
        line_set(idx, np.full(n, a(SUSPENSE)), np.zeros(n), amount)], n)
    start = inj.first_ids.get("GL", 1)
    inj.first_ids["GL"] = start + n
    b = block(books, posting_day=inj.posting_day[template], document_day=inj.posting_day[template],
              seconds=inj.seconds[template], document_type="SA", process="R2R",
              source="manual", header_text=pa.array(["Reclassification of costs"] * n),
              reference_type="gl_template", reference_id=doc_ids("GL", books.code, start, n),
              partner_id=null_strings(n), lines=lines, rng=rng)
    b.creator = inj.creator[template]
    inj.label_block("round_dollar_suspense", inj.add_block(b), inj.new_schemes(n), amount)


def ghost_employee(inj, rng: np.random.Generator, count: int) -> None:
    """Salary run for a person who no longer works for the company, 2-5 months in a row,
    posted and paid like payroll (flows.general): the run three days before the month end
    (Dr salaries and employer social security at the person's cost center / Cr withholding,
    social security, payroll clearing), the net pay the next day (Dr payroll clearing / Cr
    bank) and the withholdings remitted on the 15th of the next month. The person is one of
    the employees normal payroll no longer pays (``plan.reserved``); their master-data row
    is labelled too. Entries carry the person as partner."""
    books = inj.books
    a = books.account
    ghosts = 0 if books.spare_employee_ids is None else len(books.spare_employee_ids)
    k = min(count, inj.reserved.ghost_employees, ghosts)
    months = len(books.months)
    if k == 0 or months == 0:
        return
    scheme, month = consecutive_months(rng, k, 2, 5, months)
    n = len(scheme)
    wh, ss_ee, ss_er = books.payroll_rates
    gross = books.spare_employee_salary[:k][scheme] // 12
    withholding = np.rint(gross * wh).astype(np.int64)
    employee_ss = np.rint(gross * ss_ee).astype(np.int64)
    employer = np.rint(gross * ss_er).astype(np.int64)
    net = gross - withholding - employee_ss
    social = employee_ss + employer
    center = books.spare_employee_center[:k][scheme]
    first, last = month_bounds(books)
    run_day = clip_days(last - 3, first, np.maximum(last - 1, first))[month]
    pay_day = np.minimum(run_day + 1, last[month])
    later = np.flatnonzero(month + 1 < months)
    remit_day = np.minimum(first + 14, last)[np.minimum(month + 1, months - 1)][later]
    r = len(later)
    # entries: runs (n), payments (n), remittances (r)
    e = np.arange(n)
    lines = stack_lines([
        line_set(e, np.full(n, a(600000)), gross, np.zeros(n), center),
        line_set(e, np.full(n, a(620000)), employer, np.zeros(n), center),
        line_set(e, np.full(n, a(230000)), np.zeros(n), withholding),
        line_set(e, np.full(n, a(230100)), np.zeros(n), social),
        line_set(e, np.full(n, a(231000)), np.zeros(n), net),
        line_set(n + e, np.full(n, a(231000)), net, np.zeros(n)),
        line_set(n + e, np.full(n, a(100000)), np.zeros(n), net),
        line_set(2 * n + np.arange(r), np.full(r, a(230000)), withholding[later], np.zeros(r)),
        line_set(2 * n + np.arange(r), np.full(r, a(230100)), social[later], np.zeros(r)),
        line_set(2 * n + np.arange(r), np.full(r, a(100000)), np.zeros(r),
                 withholding[later] + social[later])], 2 * n + r)
    nonzero = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(x[nonzero] for x in lines)
    kind = np.r_[np.zeros(n, int), np.ones(n, int), np.full(r, 2)]
    day = np.r_[run_day, pay_day, remit_day]
    # the payroll run's number (flows.general numbers runs PY-<company>-1.. by month)
    run_ids = doc_ids("PY", books.code, 1, months)
    reference = pa.concat_arrays([run_ids.take(pa.array(month)),
                                  run_ids.take(pa.array(month)),
                                  _remittance_ids(inj, remit_day)])
    ghost = books.spare_employee_ids.take(pa.array(np.r_[scheme, scheme, scheme[later]]))
    b = block(books, posting_day=day, document_day=day,
              seconds=seconds_of_day(rng, len(day), True),
              document_type="KZ", process="H2R", source="automated",
              header_text=header(["Payroll run", "Salary payment", "Payroll tax remittance"],
                                 kind),
              reference_type="payroll_run", reference_id=reference, partner_id=ghost,
              lines=lines, rng=rng)
    b.document_type = np.where(kind == 0, DOC["HR"], DOC["KZ"]).astype(np.int64)
    schemes = inj.new_schemes(k)
    entry_scheme = schemes[np.r_[scheme, scheme, scheme[later]]]
    impact = np.r_[gross + employer, np.zeros(n, np.int64), np.zeros(r, np.int64)]
    inj.label_block("ghost_employee", inj.add_block(b), entry_scheme, impact)
    start = np.full(k, np.iinfo(np.int64).max)
    np.minimum.at(start, scheme, run_day)
    inj.label_rows("ghost_employee", "employees", books.spare_employee_ids.slice(0, k),
                   start, schemes)


def _remittance_ids(inj, days: np.ndarray) -> pa.Array:
    """The id of the real payroll-tax remittance posted on each day (PT-...), so a ghost's
    remittance carries the run's number like the rest of its payroll."""
    prefix = f"PT-{inj.books.code}-"
    found: dict[int, str] = {}
    for b in inj.blocks:
        if len(b) == 0 or b.reference_type[0] != REF["payroll_run"]:
            continue
        for d, x in zip(np.asarray(b.posting_day), strings_of(b.reference_id)):
            if x is not None and x.startswith(prefix):
                found.setdefault(int(d), x)
    fallback = doc_ids("PT", inj.books.code, 1, 1)[0].as_py()
    return pa.array([found.get(int(d), fallback) for d in days], pa.string())


def capitalisation_account(inj) -> int:
    """Where expenses are capitalised: an intangible-asset account (170000 Software) the
    fixed-asset register does not carry - an account the register carries has an opening
    balance and is reconciled against it, so a posting of its own would break the
    reconciliation; failing that, prepaid expenses (130000: a deferral, the other face of
    improper capitalisation)."""
    books = inj.books
    opening = inj.blocks[0]
    held = set(np.asarray(opening.account)[(np.asarray(opening.debit) != 0)
                                           | (np.asarray(opening.credit) != 0)].tolist())
    free = [int(x) for x in books.chart.of_sub_type("intangibles") if int(x) not in held]
    return free[0] if free else books.account(130000)


def expense_capitalisation(inj, rng: np.random.Generator, count: int) -> None:
    """A reclassification between two expense accounts turned into one from expense to an
    intangible asset (IAS 38.57 criteria not met; ACFE improper capitalisation): the debit
    line of a real reclassification entry is moved to the asset (``capitalisation_account``),
    without a cost center as the balance sheet carries none. Amount, day, user and text
    stay."""
    books = inj.books
    opex = books.chart.sub_types == "opex"
    both = np.zeros(len(inj), bool)
    for bi in np.unique(inj.block_of):
        b = inj.blocks[bi]
        if b.tables:
            continue
        m = len(b)
        other = np.bincount(b.line_entry, weights=~opex[b.account], minlength=m)
        start = int(np.searchsorted(inj.block_of, bi))
        both[start:start + m] = other == 0
    eligible = both & ~inj.has_documents & ~inj.reconciled & ~inj.cash & (inj.lines == 2) \
        & (inj.reference_type == REF["gl_template"]) & (inj.amount > 0)
    flat = inj.pick(rng, eligible, count)
    if len(flat) == 0:
        return
    asset = capitalisation_account(inj)
    for f in flat:
        b, sl = inj.line_slice(int(f))
        i = sl.start + int(np.argmax(b.debit[sl] > 0))
        b.account[i], b.cost_center[i] = asset, -1
    inj.label_entries("expense_capitalisation", flat, inj.new_schemes(len(flat)),
                      inj.amount[flat])


def self_approval(inj, rng: np.random.Generator, count: int) -> None:
    """A purchase requisition approved by the person who raised it (segregation of duties,
    SOX 404 / COSO control activities): approved_by set to requested_by on every line of
    the requisition; nothing else changes."""
    books = inj.books
    found = []                                   # (table, requisition codes, first rows)
    for bi, doc in doc_tables(inj, "purchase_requisitions"):
        req = strings_of(doc.columns["requisition_id"])
        codes, first, inverse = np.unique(req, return_index=True, return_inverse=True)
        clean = np.bincount(inverse, weights=flagged(doc), minlength=len(codes)) == 0
        found.append((doc, inverse, np.flatnonzero(clean), first))
    if not found or count <= 0:
        return
    table = np.concatenate([np.full(len(c), i) for i, (_, _, c, _) in enumerate(found)])
    code = np.concatenate([c for _, _, c, _ in found])
    if len(code) == 0:
        return
    day = np.concatenate([days_of(doc.columns["requisition_date"])[first[c]]
                          for doc, _, c, first in found])
    w = inj.period_end_weight(day)
    chosen = np.sort(rng.choice(len(code), min(count, len(code)), replace=False,
                                p=w / w.sum()))
    schemes = inj.new_schemes(len(chosen))
    for i in np.unique(table[chosen]):
        doc, inverse, _, _ = found[i]
        mine = chosen[table[chosen] == i]
        scheme_of = np.full(int(inverse.max()) + 1, -1, np.int64)
        scheme_of[code[mine]] = schemes[np.searchsorted(chosen, mine)]
        rows = np.flatnonzero(scheme_of[inverse] >= 0)
        approved = strings_of(doc.columns["approved_by"])
        approved[rows] = strings_of(doc.columns["requested_by"])[rows]
        # keep the column's dictionary (the company's people), as the flow builds it
        person = pc.index_in(pa.array(approved, pa.string()), value_set=books.employee_ids)
        missing = np.asarray(person.is_null().to_numpy(zero_copy_only=False), bool)
        doc.columns["approved_by"] = dictionary(
            np.asarray(person.fill_null(0).to_numpy(zero_copy_only=False), np.int64),
            books.employee_ids, mask=missing)
        value = np.asarray(doc.columns["quantity"].to_numpy(zero_copy_only=False), np.int64) \
            * to_minor_units(doc.columns["estimated_price"], books.exponent)
        label_doc(inj, "self_approval", "purchase_requisitions", doc, scheme_of[inverse][rows],
                  value[rows], rows=rows)


INJECTORS = {"round_dollar_suspense": round_dollar_suspense, "ghost_employee": ghost_employee,
             "expense_capitalisation": expense_capitalisation,
             "self_approval": self_approval,
             **fraud_purchases.INJECTORS, **fraud_revenue.INJECTORS}
