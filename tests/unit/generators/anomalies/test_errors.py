"""Error anomalies (generators/anomalies/errors.py, error_docs.py), checked on written output.

One seeded run with only the error family injected (10 % of the entries) and one with
injection off, same seed. An entry of one run is the same business event as an entry of the
other when its reference, user, time of day and line count agree (no error changes those;
duplicates are new entries); a document is the same document when its id is. Each type's
rule is written from its definition by comparing an entry with what it would have been, and
must find exactly the labelled entries of its type; where the entry posts a document, the
document must have changed with it (and agree with it). Every entry or document that
differs from its twin, or has none, must be labelled, save the entries computed from the
books after injection (VAT returns, financing, the period close) and the template entries
the fit to ``target_count`` adds or drops; and the labelled entries must come from every
kind of entry about as often as the books post it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.unit.generators.anomalies.books import (
    FIT,
    FOLLOW_ON,
    Entry,
    assert_flags_equal_labels,
    assert_same_bytes,
    assert_verifies,
    family_config,
    generate,
    read_entries,
    written_runs,
)
from tests.unit.generators.anomalies.books import Runs as BaseRuns

ERROR_TYPES = ("duplicate_entry", "reversed_sign", "transposed_digits", "decimal_shift",
               "wrong_period", "wrong_account", "wrong_cost_center", "backdated_entry",
               "missing_field", "unbalanced_entry")
AMOUNT_TYPES = ("reversed_sign", "transposed_digits", "decimal_shift")
# document tables an error alters: row key, and the column its label names
DOC_TABLES = {"vendor_invoices": ("invoice_id",), "customer_invoices": ("invoice_id",),
              "vendor_payments": ("payment_id", "invoice_id"),
              "customer_receipts": ("receipt_id",)}
NOT_COMPARED = {"journal_entry_id", "is_anomaly", "is_fraud", "anomaly_type"}
# the table an entry's reference points into, and that table's posting-date column
POSTS = {"vendor_invoice": ("vendor_invoices", "posting_date"),
         "customer_invoice": ("customer_invoices", "invoice_date"),
         "vendor_payment": ("vendor_payments", "payment_date"),
         "customer_receipt": ("customer_receipts", "receipt_date")}
CONTROL = {"vendor_invoices": ("payables", -1), "customer_invoices": ("receivables", 1),
           "vendor_payments": ("payables", 1), "customer_receipts": ("receivables", -1)}
AMOUNT = {"vendor_invoices": "gross_amount", "customer_invoices": "gross_amount",
          "vendor_payments": "cleared_amount", "customer_receipts": "cleared_amount"}
CENT = Decimal("0.01")
# entries that post no document (GL templates, expense claims, payroll)
GL_ONLY = {"gl_template", "expense_claim", "payroll_run"}
# four months of a small two-company group (small_config_dict's master data)
RUN = {"months": 4, "target": 4000, "master_data": None}
CONFIG = family_config("error", **RUN)


def _documents(root: Path) -> dict[str, dict[tuple, dict]]:
    return {table: {tuple(r[k] for k in key): r
                    for r in pq.read_table(root / table).to_pylist()}
            for table, key in DOC_TABLES.items()}


@dataclass
class Runs(BaseRuns):
    sub_type: dict[str, str]
    department: dict[str, str]
    docs: dict[str, dict[tuple, dict]]        # on run: table -> key -> row
    docs_off: dict[str, dict[tuple, dict]]

    def documents(self, e: Entry, off: bool = False) -> list[dict]:
        """The document rows entry ``e`` posts (by its reference), in either run."""
        if e.reference_type not in POSTS:
            return []
        table = POSTS[e.reference_type][0]
        rows = (self.docs_off if off else self.docs)[table]
        return [r for k, r in rows.items() if k[0] == e.reference_id]

    def control(self, e: Entry, table: str) -> Decimal:
        """The entry's amount on the control account of ``table``, with the sign the
        document records it in."""
        sub, sign = CONTROL[table]
        return sign * sum((d - c for a, d, c, _ in e.lines if self.sub_type[a] == sub),
                          Decimal(0))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    """The run with the error family and the one with injection switched off."""
    on_root, off_root = written_runs(tmp_path_factory, "errors", CONFIG,
                                     clean=family_config("error", enabled=False, **RUN))
    accounts = pq.read_table(on_root / "accounts").to_pylist()
    centers = pq.read_table(on_root / "cost_centers").to_pylist()
    return Runs.read(on_root, off_root,
                     sub_type={a["gl_account"]: a["sub_type"] for a in accounts},
                     department={c["cost_center"]: c["department"] for c in centers},
                     docs=_documents(on_root), docs_off=_documents(off_root))


def _same_lines(a: Entry, b: Entry) -> bool:
    return a.lines == b.lines


def _same_header(a: Entry, b: Entry) -> bool:
    return (a.posting, a.document, a.header) == (b.posting, b.document, b.header)


def _month(d: dt.date) -> int:
    return d.year * 12 + d.month


def _changed(runs: Runs, rule) -> set[str]:
    """On-run entries with a twin that ``rule(entry, twin)`` flags (entries computed after
    injection left out: they follow the books)."""
    return {d for d, e in runs.on.items() if runs.twin[d] is not None
            and e.reference_type not in FOLLOW_ON and rule(e, runs.twin[d])}


def _lines_differ_in(a: Entry, b: Entry, field: int) -> list[int]:
    """Line numbers where only ``field`` differs; [] unless every other field agrees."""
    if len(a.lines) != len(b.lines):
        return []
    diff = [i for i, (x, y) in enumerate(zip(a.lines, b.lines)) if x != y]
    if any(x[:field] + x[field + 1:] != y[:field] + y[field + 1:]
           for x, y in ((a.lines[i], b.lines[i]) for i in diff)):
        return []
    return diff


def _one_line_rule(field: int, accept):
    """The rule: dates and text alike, and ``field`` alone changed on one line, from ``old``
    to ``new`` with ``accept(new, old, twin)``."""
    def rule(e: Entry, t: Entry) -> bool:
        diff = _lines_differ_in(e, t, field)
        if len(diff) != 1 or not _same_header(e, t):
            return False
        return accept(e.lines[diff[0]][field], t.lines[diff[0]][field], t)

    return rule


def _with_documents(runs: Runs, found: set[str]) -> list[str]:
    return sorted(d for d in found if runs.documents(runs.on[d]))


# ---- the run as a whole ----------------------------------------------------------------------
def test_every_error_type_is_injected_at_its_quota(runs):
    counts = Counter(label["anomaly_type"] for label in runs.labels
                     if label["table_name"] == "journal_entries")
    assert set(counts) == set(ERROR_TYPES)
    assert all(counts[t] >= 5 for t in ERROR_TYPES), counts
    # one label per altered or added journal entry and document, nothing else
    tables = {label["table_name"] for label in runs.labels}
    assert tables <= {"journal_entries", *DOC_TABLES}
    assert tables >= {"journal_entries", *DOC_TABLES}       # documents are altered too
    assert_flags_equal_labels(
        runs.root, {"journal_entries": "document_id",
                    **{table: key[0] for table, key in DOC_TABLES.items()}},
        exhaustive=True)
    for table in DOC_TABLES:
        assert all(not r["is_fraud"] for r in runs.docs[table].values())


def test_verify_passes(runs):
    assert_verifies(runs.root)


def test_altered_entries_are_exactly_the_labelled_ones(runs):
    labelled = {d for d, e in runs.on.items() if e.anomaly is not None}
    altered = {d for d, e in runs.on.items() if runs.twin[d] is None
               or not (_same_lines(e, runs.twin[d]) and _same_header(e, runs.twin[d]))}
    assert labelled <= altered
    unexplained = [runs.on[d] for d in altered - labelled
                   if runs.on[d].reference_type not in FOLLOW_ON
                   and not (runs.twin[d] is None and runs.on[d].header in FIT)]
    assert unexplained == []
    # the events match one to one between the runs (few are left to the fit)
    assert sum(runs.twin[d] is not None for d in runs.on) > 0.9 * len(runs.on)


def test_altered_documents_are_exactly_the_flagged_ones(runs):
    """A document row that differs from the run without injection (other than its journal
    entry id), or is new, is flagged; a flagged row differs or is new; none disappears. So
    the payments and receipts of a resized invoice stay as they were."""
    for table in DOC_TABLES:
        on, off = runs.docs[table], runs.docs_off[table]
        assert set(off) <= set(on), table
        wrong = []
        for key, row in on.items():
            twin = off.get(key)
            differs = twin is None or any(row[c] != twin[c] for c in row
                                          if c not in NOT_COMPARED)
            if differs != row["is_anomaly"]:
                wrong.append((table, key, row["anomaly_type"]))
        assert wrong == []


def test_errors_fall_on_every_kind_of_entry(runs):
    """The labelled entries come from the kinds of entry (document type, process, source)
    about as often as the books post each kind: within a total variation distance that
    picking GL journals only (a quarter of the books here) would far exceed."""
    normal = Counter(e.document_kind for e in runs.on.values()
                     if e.anomaly is None and e.reference_type not in FOLLOW_ON)
    labelled = Counter(e.document_kind for e in runs.on.values() if e.anomaly is not None)
    n, m = sum(normal.values()), sum(labelled.values())
    distance = sum(abs(normal[k] / n - labelled[k] / m) for k in normal | labelled) / 2
    assert distance < 0.2, (distance, labelled.most_common(8), normal.most_common(8))
    # each type reaches several kinds; the amount errors together reach GL journals,
    # invoices both ways, payments and receipts
    reached = {t: {runs.on[d].document_type for d in runs.labelled(t)} for t in ERROR_TYPES}
    assert all(len(reached[t]) >= 3 for t in ERROR_TYPES), reached
    assert set().union(*(reached[t] for t in AMOUNT_TYPES)) >= {"SA", "KR", "DR", "KZ", "DZ"}
    assert {"SA", "KR", "DR", "WL"} <= reached["wrong_cost_center"]


def test_same_seed_same_bytes(runs, tmp_path):
    assert_same_bytes(CONFIG, runs.root, tmp_path,
                      ("journal_entries", "anomaly_labels", *DOC_TABLES))


# ---- documents that change with their entry ---------------------------------------------------
def _document_agrees(runs: Runs, d: str, anomaly: str) -> None:
    """Entry ``d`` posts one document row, flagged with its type, whose amount is the
    entry's on the control account, as its twin's is the twin entry's; an invoice's net and
    tax add up to its gross with the tax at the invoice's rate."""
    e, t = runs.on[d], runs.twin[d]
    rows, twins = runs.documents(e), runs.documents(t, off=True)
    table = POSTS[e.reference_type][0]
    assert len(rows) == len(twins) == 1, d
    row, twin = rows[0], twins[0]
    assert row["anomaly_type"] == anomaly, d
    assert row[AMOUNT[table]] == runs.control(e, table), d
    assert twin[AMOUNT[table]] == runs.control(t, table), d
    assert row[AMOUNT[table]] != twin[AMOUNT[table]], d
    if table.endswith("invoices"):
        assert row["net_amount"] + row["tax_amount"] == row["gross_amount"], d
        rate = Decimal(str(row["tax_rate"])) / 100
        assert abs(row["tax_amount"] - row["net_amount"] * rate) <= CENT, d


def _amount_rule_documents(runs: Runs, found: set[str], anomaly: str) -> None:
    with_docs = _with_documents(runs, found)
    assert with_docs, f"no {anomaly} on an invoice, payment or receipt"
    for d in with_docs:
        _document_agrees(runs, d, anomaly)


# ---- one rule per type -----------------------------------------------------------------------
def _same_document(runs: Runs, first: Entry, later: Entry) -> bool:
    """``later`` posts a copy of ``first``'s document under another id: the same vendor
    invoice (vendor, the vendor's reference and invoice date, order, amount), the same
    customer invoice (customer, order, delivery, amount), the same receipt (invoice,
    amount); or both are GL entries (of the same kind: template, expense claim, payroll)."""
    if first.reference_type != later.reference_type:
        return False
    if first.reference_type in GL_ONLY:
        return True
    a, b = runs.documents(first), runs.documents(later)
    if len(a) != 1 or len(b) != 1:
        return False
    same = {"vendor_invoice": ("vendor_id", "vendor_reference", "invoice_date",
                               "purchase_order_id", "gross_amount"),
            "customer_invoice": ("customer_id", "sales_order_id", "delivery_id",
                                 "gross_amount"),
            "customer_receipt": ("invoice_id", "receipt_type", "cleared_amount")}
    columns = same.get(first.reference_type)
    return columns is not None and all(a[0][c] == b[0][c] for c in columns)


def test_duplicate_entry(runs):
    """A later copy of an entry by the same user, the same or next day: same document date,
    text, accounts, amounts and cost centers, another reference; an entry that posts a
    document posts a copy of it (a vendor invoice keyed twice keeps the vendor's reference).
    The original stays as it was and unlabelled."""
    groups: dict[tuple, list[Entry]] = {}
    for e in runs.on.values():
        groups.setdefault((e.company, e.created_by, e.document, e.header, e.lines),
                          []).append(e)
    found, originals = set(), set()
    for group in groups.values():
        group.sort(key=lambda e: e.created_at)
        for first, later in itertools.pairwise(group):
            if (later.posting - first.posting).days in (0, 1) \
                    and later.created_at > first.created_at \
                    and later.reference_id != first.reference_id \
                    and _same_document(runs, first, later):
                found.add(later.document_id)
                originals.add(first.document_id)
    assert found == runs.labelled("duplicate_entry")
    assert all(runs.on[d].anomaly is None and runs.twin[d] is not None
               and _same_lines(runs.on[d], runs.twin[d]) for d in originals)
    # copies are new postings: no twin in the run without injection
    assert all(runs.twin[d] is None for d in found)
    assert {runs.on[d].reference_type for d in found} <= \
        GL_ONLY | {"vendor_invoice", "customer_invoice", "customer_receipt"}
    # a copied document is new, flagged, and no payment or receipt clears it
    copies = _with_documents(runs, found)
    assert copies
    cleared = {r["invoice_id"] for table in ("vendor_payments", "customer_receipts")
               for r in runs.docs[table].values()}
    for d in copies:
        (row,) = runs.documents(runs.on[d])
        assert row["anomaly_type"] == "duplicate_entry" and not runs.documents(
            runs.on[d], off=True)
        if runs.on[d].reference_type != "customer_receipt":
            assert runs.on[d].reference_id not in cleared


def test_reversed_sign(runs):
    def rule(e: Entry, t: Entry) -> bool:
        return _same_header(e, t) and e.lines != t.lines and len(e.lines) == len(t.lines) \
            and all((a, d, c, cc) == (ta, tc, td, tcc)
                    for (a, d, c, cc), (ta, td, tc, tcc) in zip(e.lines, t.lines))

    found = _changed(runs, rule)
    assert found == runs.labelled("reversed_sign")
    _amount_rule_documents(runs, found, "reversed_sign")
    # the document's amounts are negated
    for d in _with_documents(runs, found):
        table = POSTS[runs.on[d].reference_type][0]
        (row,), (twin,) = runs.documents(runs.on[d]), runs.documents(runs.twin[d], off=True)
        assert row[AMOUNT[table]] == -twin[AMOUNT[table]]


def _adjacent_swap(a: Decimal, b: Decimal) -> bool:
    x, y = str(int(a * 100)), str(int(b * 100))
    if len(x) != len(y) or x == y:
        return False
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] \
        and x[diff[1]] == y[diff[0]]


def _same_accounts(e: Entry, t: Entry) -> bool:
    return [(a, cc, d > 0) for a, d, _, cc in e.lines] == \
        [(a, cc, d > 0) for a, d, _, cc in t.lines]


def test_transposed_digits(runs):
    def rule(e: Entry, t: Entry) -> bool:
        return _same_header(e, t) and _same_accounts(e, t) and e.debit == e.credit \
            and _adjacent_swap(e.debit, t.debit)

    found = _changed(runs, rule)
    assert found == runs.labelled("transposed_digits")
    _amount_rule_documents(runs, found, "transposed_digits")


def test_decimal_shift(runs):
    def rule(e: Entry, t: Entry) -> bool:
        if not (_same_header(e, t) and _same_accounts(e, t)) or e.debit == t.debit:
            return False
        ratio = e.debit / t.debit
        return any(abs(ratio - f) <= f * Decimal("0.01") + 1 / t.debit
                   for f in (Decimal(10), Decimal(100), Decimal("0.1")))

    found = _changed(runs, rule)
    assert found == runs.labelled("decimal_shift")
    _amount_rule_documents(runs, found, "decimal_shift")


def _documents_moved(runs: Runs, found: set[str], anomaly: str) -> list[str]:
    """The documents of the moved entries carry the new posting date (flagged); returns the
    entries that post documents."""
    moved = _with_documents(runs, found)
    for d in moved:
        e = runs.on[d]
        column = POSTS[e.reference_type][1]
        for row in runs.documents(e):
            assert row[column] == e.posting and row["anomaly_type"] == anomaly, d
    return moved


def test_wrong_period(runs):
    """Posted in the month after the one it would have been posted in; document date,
    text and lines as they were; its documents posted with it, never after what follows
    them (an invoice's payments)."""
    def rule(e: Entry, t: Entry) -> bool:
        return _month(e.posting) == _month(t.posting) + 1 and e.document == t.document \
            and e.header == t.header and _same_lines(e, t)

    found = _changed(runs, rule)
    assert found == runs.labelled("wrong_period")
    assert all(runs.on[d].posting.day <= 10 for d in found)
    moved = _documents_moved(runs, found, "wrong_period")
    kinds = {runs.on[d].reference_type for d in moved}
    assert kinds & {"vendor_invoice", "customer_invoice"}
    assert kinds & {"vendor_payment", "customer_receipt"}
    payments = {"vendor_invoices": ("vendor_payments", "payment_date"),
                "customer_invoices": ("customer_receipts", "receipt_date")}
    for d in moved:
        table = POSTS[runs.on[d].reference_type][0]
        if table in payments:
            clearing, column = payments[table]
            assert all(r[column] >= runs.on[d].posting
                       for r in runs.docs[clearing].values()
                       if r["invoice_id"] == runs.on[d].reference_id)


def test_backdated_entry(runs):
    """Posting date at least one month earlier, the document date moved with it; a payment
    or receipt so moved stays on or after the invoice it clears."""
    def rule(e: Entry, t: Entry) -> bool:
        return _month(e.posting) < _month(t.posting) and e.header == t.header \
            and e.posting - e.document == t.posting - t.document and _same_lines(e, t)

    found = _changed(runs, rule)
    assert found == runs.labelled("backdated_entry")
    assert all(runs.on[d].document >= dt.date(2024, 1, 1) for d in found)
    moved = _documents_moved(runs, found, "backdated_entry")
    assert moved
    invoice_day = {r["invoice_id"]: r["posting_date"]
                   for r in runs.docs["vendor_invoices"].values()}
    invoice_day |= {r["invoice_id"]: r["invoice_date"]
                    for r in runs.docs["customer_invoices"].values()}
    for d in moved:
        assert runs.on[d].reference_type in ("vendor_payment", "customer_receipt")
        for row in runs.documents(runs.on[d]):
            assert invoice_day[row["invoice_id"]] <= runs.on[d].posting


def test_wrong_account(runs):
    """One line on another account of the same sub-type, one the entry did not use."""
    def moved(new: str, old: str, t: Entry) -> bool:
        return runs.sub_type[new] == runs.sub_type[old] \
            and new not in [line[0] for line in t.lines]

    found = _changed(runs, _one_line_rule(0, moved))
    assert found == runs.labelled("wrong_account")
    # the new accounts are ones the books use anyway (not a dormant account)
    used = Counter(line[0] for e in runs.on.values() if e.anomaly is None for line in e.lines)
    assert all(used[line[0]] > 0 for d in found for line in runs.on[d].lines)
    # invoices' expense lines are in the pool; their documents name no account and stay
    assert _with_documents(runs, found)
    assert not any(r["is_anomaly"] for d in found for r in runs.documents(runs.on[d]))


def test_wrong_cost_center(runs):
    """One P&L line's cost center replaced by one of another department."""
    def moved(new: str | None, old: str | None, _: Entry) -> bool:
        return new is not None and old is not None \
            and runs.department[new] != runs.department[old]

    found = _changed(runs, _one_line_rule(3, moved))
    assert found == runs.labelled("wrong_cost_center")
    # entries that post documents are in the pool too
    assert any(runs.on[d].reference_type in ("vendor_invoice", "customer_invoice", "delivery")
               for d in found)


def test_missing_field(runs):
    """The header text emptied, or a P&L line's cost center removed."""
    removed = _one_line_rule(3, lambda new, old, _: new is None and old is not None)

    def rule(e: Entry, t: Entry) -> bool:
        text = e.header == "" and t.header != "" and _same_lines(e, t) \
            and (e.posting, e.document) == (t.posting, t.document)
        return text or removed(e, t)

    found = _changed(runs, rule)
    assert found == runs.labelled("missing_field")
    kinds = Counter("text" if runs.on[d].header == "" else "center" for d in found)
    assert kinds["text"] > 0 and kinds["center"] > 0


def test_unbalanced_entry(runs):
    """Debits differ from credits: exactly the labelled entries, each with one line whose
    amount differs from what it would have been, never one a subledger replays (so an
    invoice's or payment's document keeps its amounts)."""
    found = {d for d, e in runs.on.items() if e.debit != e.credit}
    assert found == runs.labelled("unbalanced_entry")
    replayed = {"receivables", "payables", "inventory", "fixed_assets",
                "accumulated_depreciation", "grir_clearing", "suspense"}
    for d in found:
        e, t = runs.on[d], runs.twin[d]
        assert t is not None and _same_header(e, t)
        diff = [i for i, (x, y) in enumerate(zip(e.lines, t.lines)) if x != y]
        assert len(diff) == 1
        assert runs.sub_type[e.lines[diff[0]][0]] not in replayed
        assert [(a, cc) for a, _, _, cc in e.lines] == [(a, cc) for a, _, _, cc in t.lines]
        assert not any(r["is_anomaly"] for r in runs.documents(e))


def test_duplicates_survive_the_fit_to_target(tmp_path, monkeypatch):
    """When injected entries push the books over ``target_count``, the fit drops normal
    template entries; the original of a duplicate must not be one of them (the copy would
    stand alone, labelled a duplicate of nothing)."""
    from datasynth.generators.ledger.flows import company

    fits = []
    real_fit = company.fit_to_target

    def spy(books, rng, blocks, singles, target, *args):
        fits.append(sum(len(b) for b in blocks[1:]) - target)
        return real_fit(books, rng, blocks, singles, target, *args)

    monkeypatch.setattr(company, "fit_to_target", spy)
    generate(family_config("error", seed=3, months=4, target=1000, rate=0.2, master_data=None,
                           type_weights={t: 0.0 for t in ERROR_TYPES
                                         if t != "duplicate_entry"}), tmp_path)
    assert max(fits) > 0                     # the fit had to drop entries
    entries = read_entries(tmp_path)
    copies = {d for d, e in entries.items() if e.anomaly == "duplicate_entry"}
    assert len(copies) >= 20
    originals = {(e.company, e.created_by, e.document, e.header, e.lines)
                 for e in entries.values() if e.anomaly is None}
    assert all((e.company, e.created_by, e.document, e.header, e.lines) in originals
               for e in (entries[d] for d in copies))
    assert_verifies(tmp_path)
