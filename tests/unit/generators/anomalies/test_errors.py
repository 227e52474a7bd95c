"""Error anomalies (generators/anomalies/errors.py), checked on written output.

One seeded run with only the error family injected (10 % of the entries) and one with
injection off, same seed. An entry of one run is the same business event as an entry of the
other when its reference, user, time of day and line count agree (no error changes those;
duplicates are new entries). Each type's rule is written from its definition by comparing
an entry with what it would have been, and must find exactly the labelled entries of its
type; every entry that differs from its twin, or has none, must be labelled, save the
entries computed from the books after injection (VAT returns, financing, the period close)
and the template entries the fit to ``target_count`` adds or drops.
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

import datasynth
from datasynth.config import Config
from datasynth.verify import verify
from tests.conftest import small_config_dict

ERROR_TYPES = ("duplicate_entry", "reversed_sign", "transposed_digits", "decimal_shift",
               "wrong_period", "wrong_account", "wrong_cost_center", "backdated_entry",
               "missing_field", "unbalanced_entry")
# entries built from the books after injection, so they follow what was injected
FOLLOW_ON = {"vat_return", "financing", "tax_provision", "year_end_close", "accrual",
             "depreciation_run", "opening_balance"}
# the template entries fit_to_target adds or drops to hit target_count
FIT = {"Bank charges", "Reclassification of costs"}


def _config(enabled: bool, seed: int = 7) -> Config:
    return Config.from_dict(small_config_dict(**{
        "global": {"seed": seed, "industry": "manufacturing", "start_date": "2024-01-01",
                   "period_months": 4, "group_currency": "USD"},
        "transactions": {"target_count": 4000},
        "anomaly_injection": {"enabled": enabled, "total_rate": 0.1,
                              "families": {"fraud": 0, "error": 1, "process": 0,
                                           "statistical": 0, "relational": 0}}}))


@dataclass
class Entry:
    document_id: str
    company: str
    reference_type: str | None
    reference_id: str | None
    created_by: str
    created_at: dt.datetime
    posting: dt.date
    document: dt.date
    header: str
    lines: tuple           # (account, debit, credit, cost center) by line number
    anomaly: str | None

    @property
    def key(self) -> tuple:
        return (self.company, self.reference_type, self.reference_id, self.created_by,
                self.created_at.time(), len(self.lines))

    @property
    def debit(self) -> Decimal:
        return sum((line[1] for line in self.lines), Decimal(0))

    @property
    def credit(self) -> Decimal:
        return sum((line[2] for line in self.lines), Decimal(0))


def _entries(root: Path) -> dict[str, Entry]:
    rows = pq.read_table(root / "journal_entries").to_pylist()
    out: dict[str, Entry] = {}
    lines: dict[str, list] = {}
    for r in sorted(rows, key=lambda r: (r["document_id"], r["line_number"])):
        doc = r["document_id"]
        if doc not in out:
            out[doc] = Entry(doc, r["company_code"], r["reference_document_type"],
                             r["reference_document_id"], r["created_by"], r["created_at"],
                             r["posting_date"], r["document_date"], r["header_text"], (),
                             r["anomaly_type"])
        lines.setdefault(doc, []).append((r["gl_account"], r["debit_amount"],
                                          r["credit_amount"], r["cost_center"]))
    for doc, e in out.items():
        e.lines = tuple(lines[doc])
    return out


@dataclass
class Runs:
    root: Path
    on: dict[str, Entry]
    twin: dict[str, Entry | None]       # on-run id -> the same event in the off run
    labels: list[dict]
    sub_type: dict[str, str]
    department: dict[str, str]

    def labelled(self, anomaly: str) -> set[str]:
        return {d for d, e in self.on.items() if e.anomaly == anomaly}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    on_root = tmp_path_factory.mktemp("errors_on")
    off_root = tmp_path_factory.mktemp("errors_off")
    datasynth.generate(_config(True), on_root, workers=1)
    datasynth.generate(_config(False), off_root, workers=1)
    on, off = _entries(on_root), _entries(off_root)
    by_key: dict[tuple, list[Entry]] = {}
    for e in off.values():
        by_key.setdefault(e.key, []).append(e)
    twin = {d: (by_key[e.key][0] if len(by_key.get(e.key, ())) == 1 else None)
            for d, e in on.items()}
    accounts = pq.read_table(on_root / "accounts").to_pylist()
    centers = pq.read_table(on_root / "cost_centers").to_pylist()
    return Runs(on_root, on, twin, pq.read_table(on_root / "anomaly_labels").to_pylist(),
                {a["gl_account"]: a["sub_type"] for a in accounts},
                {c["cost_center"]: c["department"] for c in centers})


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


# ---- the run as a whole ----------------------------------------------------------------------
def test_every_error_type_is_injected_at_its_quota(runs):
    counts = Counter(label["anomaly_type"] for label in runs.labels)
    assert set(counts) == set(ERROR_TYPES)
    assert all(counts[t] >= 5 for t in ERROR_TYPES), counts
    # one label per altered or added journal entry, nothing else
    assert all(label["table_name"] == "journal_entries" for label in runs.labels)
    assert sorted(label["document_id"] for label in runs.labels) == \
        sorted(d for d, e in runs.on.items() if e.anomaly is not None)


def test_verify_passes(runs):
    report = verify(runs.root)
    assert report.ok, [(r.name, r.detail) for r in report.results if r.failed]


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


def test_same_seed_same_bytes(runs, tmp_path):
    datasynth.generate(_config(True), tmp_path, workers=1)
    for table in ("journal_entries", "anomaly_labels"):
        first = sorted((runs.root / table).glob("*.parquet"))
        second = sorted((tmp_path / table).glob("*.parquet"))
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


# ---- one rule per type -----------------------------------------------------------------------
def test_duplicate_entry(runs):
    """A later copy of an entry by the same user, the same or next day: same document date,
    text, accounts, amounts and cost centers, another reference. The original stays as it
    was and unlabelled."""
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
                    and later.reference_id != first.reference_id:
                found.add(later.document_id)
                originals.add(first.document_id)
    assert found == runs.labelled("duplicate_entry")
    assert all(runs.on[d].anomaly is None and runs.twin[d] is not None
               and _same_lines(runs.on[d], runs.twin[d]) for d in originals)
    # copies are new postings: no twin in the run without injection
    assert all(runs.twin[d] is None for d in found)
    # GL-only entries: a GL template, expense claim, payroll or interest entry
    assert {runs.on[d].reference_type for d in found} <= \
        {"gl_template", "expense_claim", "payroll_run"}


def test_reversed_sign(runs):
    def rule(e: Entry, t: Entry) -> bool:
        return _same_header(e, t) and e.lines != t.lines and len(e.lines) == len(t.lines) \
            and all((a, d, c, cc) == (ta, tc, td, tcc)
                    for (a, d, c, cc), (ta, td, tc, tcc) in zip(e.lines, t.lines))

    assert _changed(runs, rule) == runs.labelled("reversed_sign")


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

    assert _changed(runs, rule) == runs.labelled("transposed_digits")


def test_decimal_shift(runs):
    def rule(e: Entry, t: Entry) -> bool:
        if not (_same_header(e, t) and _same_accounts(e, t)) or e.debit == t.debit:
            return False
        ratio = e.debit / t.debit
        return any(abs(ratio - f) <= f * Decimal("0.01") + 1 / t.debit
                   for f in (Decimal(10), Decimal(100), Decimal("0.1")))

    assert _changed(runs, rule) == runs.labelled("decimal_shift")


def test_wrong_period(runs):
    """Posted in the month after the one it would have been posted in; document date,
    text and lines as they were."""
    def rule(e: Entry, t: Entry) -> bool:
        return _month(e.posting) == _month(t.posting) + 1 and e.document == t.document \
            and e.header == t.header and _same_lines(e, t)

    found = _changed(runs, rule)
    assert found == runs.labelled("wrong_period")
    assert all(runs.on[d].posting.day <= 10 for d in found)


def test_backdated_entry(runs):
    """Posting date at least one month earlier, the document date moved with it."""
    def rule(e: Entry, t: Entry) -> bool:
        return _month(e.posting) < _month(t.posting) and e.header == t.header \
            and e.posting - e.document == t.posting - t.document and _same_lines(e, t)

    found = _changed(runs, rule)
    assert found == runs.labelled("backdated_entry")
    assert all(runs.on[d].document >= dt.date(2024, 1, 1) for d in found)


def test_wrong_account(runs):
    """One line on another account of the same sub-type, one the entry did not use."""
    def rule(e: Entry, t: Entry) -> bool:
        diff = _lines_differ_in(e, t, 0)
        if len(diff) != 1 or not _same_header(e, t):
            return False
        new, old = e.lines[diff[0]][0], t.lines[diff[0]][0]
        return runs.sub_type[new] == runs.sub_type[old] \
            and new not in [line[0] for line in t.lines]

    found = _changed(runs, rule)
    assert found == runs.labelled("wrong_account")
    # the new accounts are ones the books use anyway (not a dormant account)
    used = Counter(line[0] for e in runs.on.values() if e.anomaly is None for line in e.lines)
    assert all(used[line[0]] > 0 for d in found for line in runs.on[d].lines)


def test_wrong_cost_center(runs):
    """One P&L line's cost center replaced by one of another department."""
    def rule(e: Entry, t: Entry) -> bool:
        diff = _lines_differ_in(e, t, 3)
        if len(diff) != 1 or not _same_header(e, t):
            return False
        new, old = e.lines[diff[0]][3], t.lines[diff[0]][3]
        return new is not None and old is not None \
            and runs.department[new] != runs.department[old]

    found = _changed(runs, rule)
    assert found == runs.labelled("wrong_cost_center")
    # entries that post documents are in the pool too
    assert any(runs.on[d].reference_type in ("vendor_invoice", "customer_invoice", "delivery")
               for d in found)


def test_missing_field(runs):
    """The header text emptied, or a P&L line's cost center removed."""
    def rule(e: Entry, t: Entry) -> bool:
        text = e.header == "" and t.header != "" and _same_lines(e, t) \
            and (e.posting, e.document) == (t.posting, t.document)
        diff = _lines_differ_in(e, t, 3)
        center = _same_header(e, t) and len(diff) == 1 and e.lines[diff[0]][3] is None \
            and t.lines[diff[0]][3] is not None
        return text or center

    found = _changed(runs, rule)
    assert found == runs.labelled("missing_field")
    kinds = Counter("text" if runs.on[d].header == "" else "center" for d in found)
    assert kinds["text"] > 0 and kinds["center"] > 0


def test_unbalanced_entry(runs):
    """Debits differ from credits: exactly the labelled entries, each with one line whose
    amount differs from what it would have been."""
    found = {d for d, e in runs.on.items() if e.debit != e.credit}
    assert found == runs.labelled("unbalanced_entry")
    for d in found:
        e, t = runs.on[d], runs.twin[d]
        assert t is not None and _same_header(e, t)
        assert len([1 for x, y in zip(e.lines, t.lines) if x != y]) == 1
        assert [(a, cc) for a, _, _, cc in e.lines] == [(a, cc) for a, _, _, cc in t.lines]


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
    config = small_config_dict(**{
        "global": {"seed": 3, "industry": "manufacturing", "start_date": "2024-01-01",
                   "period_months": 4, "group_currency": "USD"},
        "transactions": {"target_count": 1000},
        "anomaly_injection": {"enabled": True, "total_rate": 0.2,
                              "families": {"fraud": 0, "error": 1, "process": 0,
                                           "statistical": 0, "relational": 0},
                              "type_weights": {t: 0.0 for t in ERROR_TYPES
                                               if t != "duplicate_entry"}}})
    datasynth.generate(Config.from_dict(config), tmp_path, workers=1)
    assert max(fits) > 0                     # the fit had to drop entries
    entries = _entries(tmp_path)
    copies = {d for d, e in entries.items() if e.anomaly == "duplicate_entry"}
    assert len(copies) >= 20
    originals = {(e.company, e.created_by, e.document, e.header, e.lines)
                 for e in entries.values() if e.anomaly is None}
    assert all((e.company, e.created_by, e.document, e.header, e.lines) in originals
               for e in (entries[d] for d in copies))
    assert verify(tmp_path).ok
