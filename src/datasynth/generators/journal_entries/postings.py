"""Posting rules: which accounts face each other, per business process.

A standalone entry is not "any asset against any liability" (the reference implementation's
shortcoming, domain.md §4.2 step 11): it follows one of the postings below, the double-entry
patterns of the process it belongs to (cf. the document postings of §5.3). A pool lists
sub-types (or ``#<account>`` for one specific account) with weights; within a sub-type,
accounts are chosen by a heavy-tailed popularity, as real charts are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from datasynth.generators.common.sampling import GroupedChoice, normalised, zipf_weights

PROCESSES = ("O2C", "P2P", "R2R", "H2R", "A2R")
Pool = tuple[tuple[str, float], ...]


class PostingRule(NamedTuple):
    process: str
    name: str
    document_type: str
    weight: float
    debit: Pool
    credit: Pool
    texts: tuple[str, ...]
    amount_scale: float = 1.0


RULES: tuple[PostingRule, ...] = (
    # Order to cash
    PostingRule("O2C", "customer_invoice", "DR", 0.40,
                (("receivables", 1.0),),
                (("product_revenue", 0.62), ("service_revenue", 0.25), ("#210000", 0.13)),
                ("Customer invoice {period}", "Billing run {period}", "Sales invoice")),
    PostingRule("O2C", "customer_receipt", "DZ", 0.30,
                (("cash", 0.85), ("bank_clearing", 0.15)), (("receivables", 1.0),),
                ("Incoming payment", "Customer payment {period}", "Lockbox receipt")),
    PostingRule("O2C", "goods_issue", "WL", 0.20,
                (("cogs", 1.0),), (("inventory", 1.0),),
                ("Goods issue for delivery", "Outbound delivery {period}")),
    PostingRule("O2C", "credit_memo", "DG", 0.07,
                (("sales_deductions", 0.8), ("#210000", 0.2)), (("receivables", 1.0),),
                ("Credit memo", "Customer return {period}", "Price allowance"), 0.3),
    PostingRule("O2C", "bad_debt_write_off", "SA", 0.03,
                (("#775000", 1.0),), (("receivables", 1.0),),
                ("Bad debt write-off", "Uncollectible receivable {period}"), 0.5),
    # Purchase to pay
    PostingRule("P2P", "vendor_invoice", "KR", 0.40,
                (("opex", 0.50), ("grir_clearing", 0.25), ("inventory", 0.10),
                 ("#116000", 0.15)), (("payables", 1.0),),
                ("Vendor invoice", "Supplier invoice {period}", "Invoice receipt")),
    PostingRule("P2P", "goods_receipt", "WE", 0.20,
                (("inventory", 1.0),), (("grir_clearing", 1.0),),
                ("Goods receipt for purchase order", "Inbound delivery {period}")),
    PostingRule("P2P", "vendor_payment", "KZ", 0.36,
                (("payables", 1.0),), (("cash", 0.85), ("bank_clearing", 0.15)),
                ("Outgoing payment", "Payment run {period}", "Vendor payment")),
    PostingRule("P2P", "purchase_discount", "KZ", 0.04,
                (("payables", 1.0),), (("#500000", 1.0),),
                ("Cash discount received", "Early-payment discount {period}"), 0.05),
    # Record to report
    PostingRule("R2R", "accrual", "SA", 0.22,
                (("opex", 1.0),), (("accrued", 1.0),),
                ("Month-end accrual {period}", "Accrued expenses {period}")),
    PostingRule("R2R", "accrual_reversal", "SA", 0.14,
                (("accrued", 1.0),), (("opex", 1.0),),
                ("Reversal of accrual {period}", "Accrual reversal")),
    PostingRule("R2R", "prepaid_amortisation", "SA", 0.14,
                (("opex", 1.0),), (("prepaid", 1.0),),
                ("Prepaid expense amortisation {period}", "Release of prepayment")),
    PostingRule("R2R", "reclassification", "SA", 0.14,
                (("opex", 0.8), ("cogs", 0.2)), (("opex", 0.8), ("cogs", 0.2)),
                ("Reclassification {period}", "Cost reallocation", "Correction posting")),
    PostingRule("R2R", "bank_charges", "SA", 0.12,
                (("#810000", 0.7), ("interest_expense", 0.3)), (("cash", 1.0),),
                ("Bank charges {period}", "Bank statement fees", "Interest charged"), 0.02),
    PostingRule("R2R", "interest_income", "SA", 0.06,
                (("cash", 1.0),), (("interest_income", 1.0),),
                ("Interest received {period}", "Deposit interest"), 0.1),
    PostingRule("R2R", "tax_payment", "SA", 0.08,
                (("tax_payable", 1.0),), (("cash", 1.0),),
                ("Tax payment {period}", "VAT remittance {period}"), 2.0),
    PostingRule("R2R", "debt_service", "SA", 0.05,
                (("debt_short", 0.4), ("debt_long", 0.3), ("interest_expense", 0.3)),
                (("cash", 1.0),), ("Loan repayment {period}", "Debt service"), 3.0),
    PostingRule("R2R", "employee_advance", "SA", 0.05,
                (("other_receivables", 1.0),), (("cash", 1.0),),
                ("Employee advance", "Travel advance {period}"), 0.2),
    # Hire to retire
    PostingRule("H2R", "payroll_run", "PR", 0.45,
                (("personnel", 1.0),), (("payroll_clearing", 0.6), ("payroll_liabilities", 0.4)),
                ("Payroll {period}", "Salary run {period}", "Payroll posting {period}"), 4.0),
    PostingRule("H2R", "payroll_payment", "PR", 0.35,
                (("payroll_clearing", 0.7), ("payroll_liabilities", 0.3)), (("cash", 1.0),),
                ("Net pay transfer {period}", "Payroll tax remittance {period}"), 4.0),
    PostingRule("H2R", "expense_reimbursement", "KR", 0.20,
                (("#730000", 0.7), ("opex", 0.3)), (("cash", 1.0),),
                ("Travel expense reimbursement", "Expense report {period}"), 0.3),
    # Acquire to retire
    PostingRule("A2R", "asset_acquisition", "AA", 0.35,
                (("fixed_assets", 0.85), ("#116000", 0.15)),
                (("payables", 0.8), ("cash", 0.2)),
                ("Asset acquisition", "Capital expenditure {period}"), 3.0),
    PostingRule("A2R", "depreciation", "AF", 0.55,
                (("depreciation", 1.0),), (("accumulated_depreciation", 1.0),),
                ("Depreciation run {period}", "Scheduled depreciation {period}"), 0.8),
    PostingRule("A2R", "asset_retirement", "AA", 0.10,
                (("accumulated_depreciation", 1.0),), (("fixed_assets", 1.0),),
                ("Asset retirement", "Scrapping of fully depreciated asset"), 0.5),
)


@dataclass(frozen=True)
class PostingModel:
    """Rules resolved against a chart of accounts, packed for vectorised sampling."""

    rules: tuple[PostingRule, ...]
    rule_process: np.ndarray                 # process index per rule
    rule_choice: GroupedChoice               # process -> rule
    account_choice: GroupedChoice            # rule * 2 + side (0 debit, 1 credit) -> account
    document_types: tuple[str, ...]
    rule_document_type: np.ndarray
    amount_scale: np.ndarray


def build_posting_model(accounts: pa.Table, rng: np.random.Generator,
                        popularity_exponent: float = 1.1) -> PostingModel:
    numbers = accounts.column("gl_account").to_pylist()
    sub_types = accounts.column("sub_type").to_pylist()
    by_sub_type: dict[str, list[int]] = {}
    for index, sub_type in enumerate(sub_types):
        by_sub_type.setdefault(sub_type, []).append(index)
    popularity = np.zeros(len(numbers))
    for members in by_sub_type.values():
        popularity[members] = zipf_weights(len(members), popularity_exponent, rng)
    position = {number: i for i, number in enumerate(numbers)}

    usable: list[PostingRule] = []
    side_values: list[list[int]] = []
    side_weights: list[list[float]] = []
    for rule in RULES:
        sides = [_resolve(pool, by_sub_type, position, popularity) for pool in (rule.debit,
                                                                                 rule.credit)]
        if any(not values for values, _ in sides):
            continue       # the chart lacks every account of a side: the rule cannot post
        usable.append(rule)
        for values, weights in sides:
            side_values.append(values)
            side_weights.append(weights)

    rule_process = np.array([PROCESSES.index(r.process) for r in usable], dtype=np.int64)
    rule_choice = GroupedChoice(
        [[i for i, r in enumerate(usable) if r.process == p] for p in PROCESSES],
        [[r.weight for r in usable if r.process == p] for p in PROCESSES])
    doc_types = tuple(sorted({r.document_type for r in usable}))
    return PostingModel(
        rules=tuple(usable), rule_process=rule_process, rule_choice=rule_choice,
        account_choice=GroupedChoice(side_values, side_weights), document_types=doc_types,
        rule_document_type=np.array([doc_types.index(r.document_type) for r in usable],
                                    dtype=np.int32),
        amount_scale=np.array([r.amount_scale for r in usable]))


def _resolve(pool, by_sub_type, position, popularity) -> tuple[list[int], list[float]]:
    values: list[int] = []
    weights: list[float] = []
    members_per_token = []
    for token, weight in pool:
        if token.startswith("#"):
            members = [position[token[1:]]] if token[1:] in position else []
        else:
            members = by_sub_type.get(token, [])
        members_per_token.append((members, weight))
    live = [(m, w) for m, w in members_per_token if m]
    if not live:
        return [], []
    token_weights = normalised([w for _, w in live])
    for (members, _), token_weight in zip(live, token_weights):
        member_weights = normalised(popularity[members]) * token_weight
        values += members
        weights += member_weights.tolist()
    return values, weights
