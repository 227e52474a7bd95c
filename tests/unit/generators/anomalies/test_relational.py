"""Relational anomalies (generators/anomalies/relational.py), checked on written output.

One seeded run (two companies, a year) with only the relational family injected at 10 % of
the entries, and one with every injector skipped, same seed and configuration (so the same
vendors are held back for the schemes). An entry of one run is the same business
event as an entry of the other when its reference, user, time of day and line count agree
(an account change keeps those; added schemes are new entries). Each type's rule is written
from its definition and measured on the books — which vendors, accounts and account pairs
the books use, where money goes — and has to find the labelled rows; every entry that
differs from its twin, or has none, must be labelled, save the entries computed from the
books after injection (VAT returns, financing, the close) and the template entries the fit to
``target_count`` adds or drops.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from tests.unit.generators.anomalies.books import (
    FIT,
    Entry,
    assert_every_type_injected,
    assert_flags_equal_labels,
    assert_same_bytes,
    assert_verifies,
    family_config,
    written_runs,
)
from tests.unit.generators.anomalies.books import Runs as BaseRuns

TYPES = ("new_counterparty_large", "dormant_account", "unusual_account_pair",
         "circular_flow")
DOCUMENTS = {"purchase_requisitions": "requisition_id", "purchase_orders": "purchase_order_id",
             "vendor_invoices": "invoice_id", "vendor_payments": "payment_id"}
START = dt.date(2024, 1, 1)
CONFIG = family_config("relational")


@dataclass
class Runs(BaseRuns):
    tables: dict[str, list[dict]]       # document and master tables of the on run
    accounts: dict[str, dict]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    # the run without injection: the same configuration with every injector skipped, so the
    # master data holds back the same vendors for the schemes (plan.reserved) and the normal
    # business is drawn from the same ones
    on_root, off_root = written_runs(tmp_path_factory, "relational", CONFIG)
    tables = {name: pq.read_table(on_root / name).to_pylist()
              for name in (*DOCUMENTS, "vendors", "opening_balances")}
    accounts = {a["gl_account"]: a for a in pq.read_table(on_root / "accounts").to_pylist()}
    return Runs.read(on_root, off_root, tables=tables, accounts=accounts)


def _accounts_changed(e: Entry, t: Entry) -> list[int]:
    """Lines whose account differs while amounts and cost-center presence agree."""
    assert len(e.lines) == len(t.lines)
    assert [line[1:3] for line in e.lines] == [line[1:3] for line in t.lines]
    return [i for i, (x, y) in enumerate(zip(e.lines, t.lines)) if x[0] != y[0]]


def _replaced(runs: Runs, found: set[str]) -> list[tuple[Entry, dict, dict]]:
    """(entry, new account, replaced account) of each entry of ``found`` that has a twin
    (an entry without one had its twin dropped by the fit in the other run): one line's
    account changed, to one of the replaced account's type."""
    out = []
    for d in found:
        e, t = runs.on[d], runs.twin[d]
        if t is None:
            continue
        (i,) = _accounts_changed(e, t)
        new, old = runs.accounts[e.lines[i][0]], runs.accounts[t.lines[i][0]]
        assert new["account_type"] == old["account_type"]
        out.append((e, new, old))
    return out


# ---- the run as a whole ----------------------------------------------------------------------
def test_every_relational_type_is_injected(runs):
    assert_every_type_injected(runs.labels, TYPES)
    # every labelled row is flagged in its table and every flagged row labelled (a
    # document's flagged rows one by one: one label each)
    assert_flags_equal_labels(runs.root, {"journal_entries": "document_id", **DOCUMENTS},
                              exhaustive=True, count_rows=DOCUMENTS)
    for name in DOCUMENTS:
        assert all(r["anomaly_type"] == ("new_counterparty_large" if r["is_anomaly"] else None)
                   and not r["is_fraud"] for r in runs.tables[name])


def test_verify_passes(runs):
    assert_verifies(runs.root)


def test_altered_entries_are_exactly_the_labelled_ones(runs):
    """Account changes only (same amounts, dates, texts and users) on the entries of the
    dormant-account and account-pair types; the others are added entries."""
    for d, e in runs.on.items():
        t = runs.twin[d]
        if not e.business:
            continue
        if t is None:
            assert e.anomaly in ("new_counterparty_large", "circular_flow") \
                or e.header in FIT, (d, e.header)
            continue
        same = e.lines == t.lines and (e.posting, e.document, e.header) == \
            (t.posting, t.document, t.header)
        assert same == (e.anomaly is None), (d, e.anomaly)
        if e.anomaly is not None:
            assert e.anomaly in ("dormant_account", "unusual_account_pair")
            assert len(_accounts_changed(e, t)) == 1
            assert (e.posting, e.document, e.header) == (t.posting, t.document, t.header)
    assert sum(runs.twin[d] is not None for d in runs.on) > 0.95 * len(runs.on)


def test_same_seed_same_bytes(runs, tmp_path):
    assert_same_bytes(CONFIG, runs.root, tmp_path,
                      ("journal_entries", "anomaly_labels", "vendor_invoices"))


# ---- one rule per type -----------------------------------------------------------------------
def _large_first_invoices(root: Path) -> set[str]:
    """Invoices that are their vendor's first, two months or more after the start of the
    run when the vendor had no order before, for a net amount in the top 5 % of the
    company's invoices of the same kind (service, asset or stock)."""
    orders = {r["purchase_order_id"]: r for r in pq.read_table(root / "purchase_orders")
              .to_pylist()}
    invoices = [r for r in pq.read_table(root / "vendor_invoices").to_pylist()
                if r["invoice_type"] == "invoice"]
    since: dict[tuple, dt.date] = {}
    for r in orders.values():
        key = (r["company_code"], r["vendor_id"])
        since[key] = min(since.get(key, r["order_date"]), r["order_date"])
    first: dict[tuple, dict] = {}
    for r in sorted(invoices, key=lambda r: (r["invoice_date"], r["invoice_id"])):
        first.setdefault((r["company_code"], r["vendor_id"]), r)
        key = (r["company_code"], r["vendor_id"])
        since[key] = min(since.get(key, r["invoice_date"]), r["invoice_date"])

    def kind(r: dict) -> tuple:
        po = orders.get(r["purchase_order_id"])
        return r["company_code"], po["item_type"] if po else None

    amounts: dict[tuple, list[float]] = defaultdict(list)
    for r in invoices:
        if not r["is_anomaly"]:
            amounts[kind(r)].append(float(r["net_amount"]))
    top = {k: np.quantile(v, 0.95) for k, v in amounts.items()}
    return {r["invoice_id"] for key, r in first.items()
            if (since[key] - START).days >= 60 and float(r["net_amount"]) >= top[kind(r)]}


def test_new_counterparty_large(runs):
    """A vendor's first invoice, two months or more into the run, for a net amount in the top
    5 % of the company's invoices of its kind: every labelled invoice, and otherwise only the
    late first invoices of normal vendors the run without injection has too. Each scheme is
    the whole ordinary chain of one vendor no other row of the books mentions — requisition,
    order, invoice, its payments and their entries."""
    found = _large_first_invoices(runs.root)
    labelled = {r["invoice_id"] for r in runs.tables["vendor_invoices"] if r["is_anomaly"]}
    assert labelled <= found
    assert found - labelled == _large_first_invoices(runs.off_root)
    mentions: dict[str, set] = defaultdict(set)         # vendor -> rows naming it
    for name in ("purchase_orders", "vendor_invoices", "vendor_payments"):
        for r in runs.tables[name]:
            mentions[r["vendor_id"]].add((name, r[DOCUMENTS[name]]))
    for d, e in runs.on.items():
        if e.partner:
            mentions[e.partner].add(("journal_entries", d))
    vendors = {v["vendor_id"] for v in runs.tables["vendors"]}
    for rows in runs.scheme_labels("new_counterparty_large").values():
        keys = {(r["table_name"], r["document_id"]) for r in rows}
        tables = Counter(r["table_name"] for r in rows)
        assert tables["vendor_invoices"] == tables["purchase_orders"] == \
            tables["purchase_requisitions"] == 1
        invoice = next(r["document_id"] for r in rows if r["table_name"] == "vendor_invoices")
        vendor = next(r["vendor_id"] for r in runs.tables["vendor_invoices"]
                      if r["invoice_id"] == invoice)
        assert vendor in vendors
        assert mentions[vendor] <= keys                  # never used outside the scheme
        payments = [r for r in runs.tables["vendor_payments"] if r["invoice_id"] == invoice]
        assert tables["vendor_payments"] == len(payments)
        assert tables["journal_entries"] == 1 + len({r["payment_id"] for r in payments})


def test_dormant_account(runs):
    """A business posting to an account with no opening balance that no other business
    entry of the company touches: exactly the labelled entries. The new account is of the
    replaced one's sub-type, or failing that of its type."""
    opening = {(r["company_code"], r["gl_account"]) for r in runs.tables["opening_balances"]}

    def single_uses(entries) -> dict[tuple, str]:
        posts: dict[tuple, set[str]] = defaultdict(set)
        for d, e in entries.items():
            if e.business:
                for line in e.lines:
                    posts[(e.company, line[0])].add(d)
        return {key: next(iter(ids)) for key, ids in posts.items()
                if len(ids) == 1 and key not in opening}

    # an account the normal business happens to post to once (a company's only bad-debt
    # write-off) is used once in the run without injection too: not an anomaly
    natural = single_uses(runs.off).keys()
    found = {d for key, d in single_uses(runs.on).items() if key not in natural}
    assert found == runs.labelled("dormant_account")
    kinds = Counter()
    for e, new, old in _replaced(runs, found):
        kinds[new["sub_type"] == old["sub_type"]] += 1
        # unused in the run without injection too
        assert not any(line[0] == new["gl_account"] for x in runs.off.values()
                       if x.company == e.company and x.business for line in x.lines)
    assert kinds[True] > 0


def _pairs(entries: dict[str, Entry]) -> Counter:
    """How many two-line entries of each company have each (debit, credit) account pair."""
    return Counter((e.company, *e.pair) for e in entries.values() if e.pair)


def _pairs_found(entries: dict[str, Entry]) -> set[str]:
    count = _pairs(entries)
    return {d for d, e in entries.items() if e.pair and count[(e.company, *e.pair)] == 1}


def test_unusual_account_pair(runs):
    """A two-line entry whose debit/credit pair no other two-line entry of the company has
    (period close included): every labelled entry; besides, the dormant-account postings and
    a few normal entries (as many as in the run without injection). One account changed to
    another of the same type that the books use."""
    found = _pairs_found(runs.on)
    labelled = runs.labelled("unusual_account_pair")
    assert labelled <= found
    # the others: dormant-account postings, and normal entries whose pair is rare anyway
    # (left alone when the fit to target_count drops the template entries sharing it)
    normal = [d for d in found if runs.on[d].anomaly is None and runs.on[d].business]
    assert len(normal) <= 0.05 * len(labelled)
    assert len([d for d in _pairs_found(runs.off) if runs.off[d].business]) \
        <= 0.05 * len(labelled)
    used = {(e.company, line[0]) for e in runs.on.values() if e.anomaly is None
            for line in e.lines}
    for e, new, _ in _replaced(runs, labelled):
        assert (e.company, new["gl_account"]) in used
        assert new["sub_type"] not in ("cash", "receivables", "payables", "inventory")


def test_circular_flow(runs):
    """Three two-line entries of one amount within a week that take money out of a cash
    account, through two other accounts, and back into cash: exactly the labelled entries;
    the run without injection has none."""
    cash = {a for a, r in runs.accounts.items() if r["sub_type"] == "cash"}

    def circles(entries: dict[str, Entry]) -> set[str]:
        by_amount: dict[tuple, list[Entry]] = defaultdict(list)
        for e in entries.values():
            if e.pair and e.business:
                by_amount[(e.company, e.amount)].append(e)
        out = set()
        for group in by_amount.values():
            for a in (e for e in group if e.pair[1] in cash and e.pair[0] not in cash):
                for b in group:
                    if b.pair[1] != a.pair[0] or b.pair[0] in cash | {a.pair[0]} \
                            or not a.posting <= b.posting <= a.posting + dt.timedelta(7):
                        continue
                    for c in group:
                        if c.pair == (a.pair[1], b.pair[0]) \
                                and b.posting <= c.posting <= a.posting + dt.timedelta(7):
                            out |= {a.document_id, b.document_id, c.document_id}
        return out

    assert circles(runs.on) == runs.labelled("circular_flow")
    assert circles(runs.off) == set()
    for rows in runs.scheme_labels("circular_flow").values():
        entries = [runs.on[r["document_id"]] for r in rows]
        assert len(entries) == 3
        assert len({(e.company, e.created_by, e.amount) for e in entries}) == 1
        reconciled = {runs.accounts[a]["sub_type"] for e in entries for a in e.pair}
        assert not reconciled & {"receivables", "payables", "inventory", "fixed_assets"}
