"""The anomaly taxonomy: every type datasynth injects, its family and how it is labelled.

Families and default family shares follow the domain study §8.1-8.2 (fraud, error, process,
statistical, relational); type weights within a family follow the peer's where the type
exists there. ``entries`` is the number of affected rows one instance produces on average —
labelled journal entries, or labelled document rows for types that alter no entry (the
requisition approvals) — so a family's share of affected rows, not of instances, lands on
its configured rate (measured on a 100,000-entry year).
Severity is 1-5; difficulty is how hard the type is to find with the rule that defines it
plus ordinary analytics (trivial ... expert).
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = ("fraud", "error", "process", "statistical", "relational")
DIFFICULTIES = ("trivial", "easy", "moderate", "hard", "expert")


@dataclass(frozen=True)
class AnomalyType:
    name: str
    family: str
    severity: int
    difficulty: str
    weight: float          # relative weight within the family
    entries: float         # affected rows per instance (planning; see above)
    strategy: str          # how it is injected (anomaly_labels.injection_strategy)
    description: str

    @property
    def is_fraud(self) -> bool:
        return self.family == "fraud"


def _t(name, family, severity, difficulty, weight, entries, strategy, description):
    return AnomalyType(name, family, severity, difficulty, weight, entries, strategy,
                       description)


_ALL = (
    # ---- fraud (ACFE: asset misappropriation, corruption, financial-statement fraud) ----
    _t("fictitious_vendor", "fraud", 5, "hard", 0.5, 8, "added_scheme",
       "invoices and payments of a vendor created for the purpose, for services never "
       "received"),
    _t("duplicate_payment", "fraud", 4, "moderate", 2.0, 1, "duplicated_document",
       "a vendor invoice paid a second time"),
    _t("split_purchase", "fraud", 3, "moderate", 2.5, 6, "added_scheme",
       "one purchase split into invoices each just below the approval limit"),
    _t("kickback", "fraud", 4, "hard", 1.0, 5.5, "added_scheme",
       "invoices of one favoured vendor at inflated prices"),
    _t("ghost_employee", "fraud", 5, "hard", 0.5, 10, "added_scheme",
       "salary paid to a person no longer working for the company"),
    _t("early_revenue", "fraud", 5, "moderate", 0.5, 2, "added_scheme",
       "revenue recognised before the period end for goods not yet delivered, reversed "
       "after it (cut-off)"),
    _t("expense_capitalisation", "fraud", 4, "moderate", 1.0, 1, "altered_account",
       "operating expenses moved to an intangible asset"),
    _t("round_dollar_suspense", "fraud", 2, "easy", 2.0, 1, "added_entry",
       "a manual round-amount entry to the suspense account"),
    _t("self_approval", "fraud", 3, "easy", 1.5, 1, "altered_user",
       "a purchase requisition approved by its own requester (segregation of duties)"),
    _t("channel_stuffing", "fraud", 5, "hard", 0.5, 5, "added_scheme",
       "period-end sales pushed to a customer and credited back after the period end"),
    # ---- errors ------------------------------------------------------------------------------
    _t("duplicate_entry", "error", 2, "easy", 2.0, 1, "duplicated_entry",
       "a journal entry posted twice"),
    _t("reversed_sign", "error", 3, "moderate", 1.5, 1, "altered_amount",
       "debits and credits of an entry swapped"),
    _t("transposed_digits", "error", 2, "moderate", 2.5, 1, "altered_amount",
       "two adjacent digits of an amount swapped"),
    _t("decimal_shift", "error", 3, "easy", 1.5, 1, "altered_amount",
       "an amount entered ten or a hundred times too large or too small"),
    _t("wrong_period", "error", 3, "moderate", 2.0, 1, "altered_date",
       "an entry posted to the next period"),
    _t("wrong_account", "error", 3, "moderate", 2.0, 1, "altered_account",
       "a line posted to a wrong account of the same kind"),
    _t("wrong_cost_center", "error", 2, "hard", 2.5, 1, "altered_cost_center",
       "a line charged to another department's cost center"),
    _t("backdated_entry", "error", 3, "moderate", 1.5, 1, "altered_date",
       "an entry dated into an earlier, closed period"),
    _t("missing_field", "error", 1, "trivial", 3.0, 1, "removed_field",
       "a required field left empty"),
    _t("unbalanced_entry", "error", 5, "trivial", 0.5, 1, "altered_amount",
       "an entry whose debits and credits differ (the ledger posts the difference to "
       "suspense)"),
    # ---- process -----------------------------------------------------------------------------
    _t("skipped_approval", "process", 3, "moderate", 1.5, 1, "altered_user",
       "a purchase requisition converted without approval"),
    _t("late_approval", "process", 2, "moderate", 2.5, 1, "altered_date",
       "a purchase requisition approved after the order was placed"),
    _t("after_hours_posting", "process", 2, "easy", 2.0, 1, "altered_time",
       "a manual entry posted late at night"),
    _t("weekend_posting", "process", 2, "easy", 1.5, 1, "altered_date",
       "an entry posted on a weekend"),
    _t("invoice_without_po", "process", 3, "moderate", 2.0, 2, "added_document",
       "a vendor invoice for services nobody had ordered, the order raised after the fact"),
    _t("receipt_without_invoice", "process", 2, "moderate", 1.5, 1, "added_document",
       "goods received that are never invoiced"),
    _t("payment_before_receipt", "process", 3, "moderate", 1.0, 2, "altered_date",
       "a vendor paid before the goods were received"),
    _t("match_override", "process", 4, "moderate", 1.0, 2, "altered_status",
       "a vendor invoice blocked by the three-way match released and paid without the "
       "vendor's credit"),
    # ---- statistical -------------------------------------------------------------------------
    _t("unusual_amount_high", "statistical", 3, "moderate", 2.0, 1, "altered_amount",
       "an amount far above the account's usual range"),
    _t("unusual_amount_low", "statistical", 2, "hard", 1.5, 1, "altered_amount",
       "an amount far below the account's usual range"),
    _t("benford_violation", "statistical", 2, "hard", 2.5, 37, "altered_amount",
       "a user's entries whose leading digits break Benford's law"),
    _t("repeating_amount", "statistical", 2, "moderate", 1.5, 4, "altered_amount",
       "the same exact amount posted again and again"),
    _t("activity_burst", "statistical", 3, "moderate", 1.5, 8, "added_entries",
       "a burst of entries from one user within an hour"),
    _t("level_shift", "statistical", 3, "hard", 1.0, 6, "altered_amount",
       "an account's amounts jump to a new level from a date on"),
    # ---- relational --------------------------------------------------------------------------
    _t("new_counterparty_large", "relational", 4, "moderate", 3.0, 1.8, "added_document",
       "a large first invoice from a vendor never used before"),
    _t("dormant_account", "relational", 3, "moderate", 2.0, 1, "altered_account",
       "a posting to an account unused for the whole run"),
    _t("unusual_account_pair", "relational", 3, "moderate", 2.5, 1, "altered_account",
       "a debit and credit account pair never seen together"),
    _t("circular_flow", "relational", 5, "hard", 1.0, 3, "added_scheme",
       "money moved in a circle through related-party accounts back to its origin"),
)

TYPES: dict[str, AnomalyType] = {t.name: t for t in _ALL}
TYPE_NAMES: tuple[str, ...] = tuple(TYPES)
TYPE_CODE: dict[str, int] = {name: i for i, name in enumerate(TYPE_NAMES)}


def family_types(family: str) -> list[AnomalyType]:
    return [t for t in _ALL if t.family == family]
