"""Anomaly labels and injected unbalanced entries in ``verify``: a generated output with
anomalies injected passes, and each damage to its flags, its labels or its balance fails the
check that covers it (and no other besides the manifest, whose checksums any edit breaks).

One output is generated per module, with only the example types (whose behaviour other
work does not change); every test damages a private copy. An injected unbalanced entry is
made by damage too: a cash line of a normal entry gets 1.00 more, the entry is flagged and
labelled, and the trial balance takes the ledger's suspense posting for it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import datasynth
from datasynth.config import Config
from datasynth.generators.anomalies.catalog import TYPES
from datasynth.schemas.registry import TABLES
from tests.unit.verify.builder import part_files
from tests.unit.verify.conftest import failing, results

KEEP = ("decimal_shift", "weekend_posting", "round_dollar_suspense")
COVER, CONSISTENT = "anomalies.labels_cover_flags", "anomalies.labels_consistent"
BALANCED = "journal.balanced"
TB_JOURNAL = {"trial_balance.agrees_with_journal", "trial_balance.movements"}
ONE = Decimal("1.00")


def _config(**anomalies) -> Config:
    return Config.from_dict({
        "global": {"seed": 11, "industry": "manufacturing", "start_date": "2024-01-01",
                   "period_months": 12},
        "companies": [{"code": "1000", "name": "Alpha", "currency": "USD", "country": "US"},
                      {"code": "2000", "name": "Beta", "currency": "EUR", "country": "DE",
                       "volume_weight": 0.5}],
        "transactions": {"target_count": 5000},
        "master_data": {"vendors": 40, "customers": 50, "materials": 30, "fixed_assets": 10,
                        "employees": 30, "cost_centers": 6},
        "anomaly_injection": {"enabled": True, "total_rate": 0.1, **anomalies},
    })


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("anomalies") / "out"
    weights = {name: 0.0 for name in TYPES if name not in KEEP}
    datasynth.generate(_config(type_weights=weights,
                               families={"fraud": 1, "error": 1, "process": 1,
                                         "statistical": 0, "relational": 0}), out, workers=1)
    return out


@pytest.fixture
def copy(generated, tmp_path) -> Path:
    return shutil.copytree(generated, tmp_path / "damaged")


# --- reading and damaging the output -----------------------------------------------------------

def query(root: Path, sql: str, **tables: str) -> list[tuple]:
    """``sql`` over the named tables' Parquet parts (``{name}`` placeholders)."""
    names = {alias: "read_parquet([" + ", ".join(f"'{p}'" for p in part_files(root, t)) + "])"
             for alias, t in tables.items()}
    return duckdb.sql(sql.format(**names)).fetchall()


class Sql(str):
    """An SQL expression, where ``update`` otherwise takes a Python value."""


def literal(value) -> str:
    if isinstance(value, Sql):
        return value
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def update(root: Path, table: str, where: str, **values) -> int:
    """Set columns of the rows ``where`` selects (SQL), in place, types kept; how many rows.

    DuckDB rewrites each part file: the journal is too large to edit row by row in Python.
    """
    touched = 0
    for path in part_files(root, table):
        part = f"read_parquet('{path}')"
        hit = duckdb.sql(f"SELECT count(*) FROM {part} WHERE {where}").fetchall()[0][0]
        if hit:
            changed = ", ".join(f"CASE WHEN {where} THEN {literal(v)} ELSE {c} END AS {c}"
                                for c, v in values.items())
            schema = pq.read_schema(path)
            pq.write_table(duckdb.sql(f"SELECT * REPLACE ({changed}) FROM {part}")
                           .arrow().read_all().cast(schema), path)
            touched += hit
    return touched


def rewrite(root: Path, table: str, change: Callable[[dict], dict | None]) -> int:
    """Apply ``change`` to every row of a small table (None drops the row); how many rows it
    changed or dropped."""
    touched = 0
    for path in part_files(root, table):
        before = pq.read_table(path)
        rows = []
        for row in before.to_pylist():
            new = change(dict(row))
            touched += new != row
            if new is not None:
                rows.append(new)
        if rows != before.to_pylist():
            pq.write_table(pa.Table.from_pylist(rows, schema=before.schema), path)
    return touched


def append(root: Path, table: str, rows: list[dict]) -> None:
    path = part_files(root, table)[-1]
    before = pq.read_table(path)
    pq.write_table(pa.Table.from_pylist(before.to_pylist() + rows, schema=before.schema), path)


def labels(root: Path) -> list[dict]:
    return [row for path in part_files(root, "anomaly_labels")
            for row in pq.read_table(path).to_pylist()]


def a_label(root: Path, anomaly_type: str = "decimal_shift") -> dict:
    return min((r for r in labels(root) if r["anomaly_type"] == anomaly_type),
               key=lambda r: r["anomaly_id"])


def new_label(root: Path, anomaly_type: str, table: str, document_id: str, company: str,
              number: int = 1) -> dict:
    """A label as the generator writes it, for a row the test injected."""
    kind = TYPES[anomaly_type]
    return {**a_label(root), "anomaly_id": f"ANO-TEST-{number:04d}",
            "scheme_id": f"SCH-TEST-{number:04d}", "cluster_id": None,
            "anomaly_type": anomaly_type, "family": kind.family, "severity": kind.severity,
            "detection_difficulty": kind.difficulty, "is_fraud": kind.is_fraud,
            "injection_strategy": kind.strategy, "description": kind.description,
            "table_name": table, "document_id": document_id, "company_code": company}


def flag(anomaly_type: str | None, fraud: bool = False) -> dict:
    return {"is_anomaly": anomaly_type is not None, "anomaly_type": anomaly_type,
            "is_fraud": fraud}


def set_label(root: Path, label_id: str, /, **changes) -> None:
    assert rewrite(root, "anomaly_labels", lambda r: {**r, **changes}
                   if r["anomaly_id"] == label_id else r) == 1


def set_entry(root: Path, document_id: str, **changes) -> None:
    assert update(root, "journal_entries", f"document_id = '{document_id}'", **changes) > 0


def verdict(root: Path) -> set[str]:
    """The checks an edit fails, the manifest aside (its checksums fail on any edit)."""
    return failing(root) - {"manifest"}


def detail(root: Path, check: str) -> str:
    return results(root)[check].detail


# --- the generated output ------------------------------------------------------------------------

def test_the_generated_output_passes_with_its_labels(generated):
    assert failing(generated) == set()
    found = results(generated)
    n = len(labels(generated))
    assert n > 30 and {r["anomaly_type"] for r in labels(generated)} == set(KEEP)
    assert found[COVER].status == "pass" and found[COVER].checked == 2 * n
    assert found[CONSISTENT].status == "pass" and found[CONSISTENT].checked == n
    assert "labelled" not in found[BALANCED].detail     # none of these types unbalances


def test_without_a_labels_table_both_checks_skip(copy):
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["tables"]["anomaly_labels"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    found = results(copy)
    assert found[COVER].status == found[CONSISTENT].status == "skip"
    assert "no anomaly_labels table" in found[COVER].detail


# --- coverage: flags <-> labels -------------------------------------------------------------

def test_a_cleared_flag_leaves_its_label_pointing_at_a_normal_entry(copy):
    label = a_label(copy)
    set_entry(copy, label["document_id"], **flag(None))
    assert verdict(copy) == {COVER}
    assert results(copy)[COVER].violations == 1
    assert (f"labels whose row is missing or not flagged with their type: 1 (e.g. "
            f"{label['anomaly_id']} journal_entries {label['document_id']} (decimal_shift))"
            in detail(copy, COVER))


def test_a_dropped_label_leaves_a_flagged_entry_unlabelled(copy):
    label = a_label(copy, "weekend_posting")
    assert rewrite(copy, "anomaly_labels",
                   lambda r: None if r["anomaly_id"] == label["anomaly_id"] else r) == 1
    assert verdict(copy) == {COVER}
    assert (f"flagged rows without a label of their type: 1 (e.g. journal_entries "
            f"{label['document_id']} (weekend_posting))" in detail(copy, COVER))


def test_an_empty_labels_table_leaves_every_flagged_entry_unlabelled(copy):
    """An output written with injection off has an empty labels table: the checks run, so
    flags without labels fail instead of skipping."""
    n = len(labels(copy))
    assert rewrite(copy, "anomaly_labels", lambda r: None) == n
    assert verdict(copy) == {COVER}
    assert results(copy)[COVER].violations == n
    assert results(copy)[CONSISTENT].detail == "no labels"


def test_a_label_of_another_type_fails_both_ways_and_against_the_catalog(copy):
    label = a_label(copy)
    set_label(copy, label["anomaly_id"], anomaly_type="weekend_posting")
    assert verdict(copy) == {COVER, CONSISTENT}
    assert results(copy)[COVER].violations == 2      # the entry unlabelled, the label unmatched
    # weekend_posting is a process type of severity 2: the label still says error, 3
    assert (f"{label['anomaly_id']} weekend_posting: family error (catalog process), "
            "severity 3 (catalog 2)" in detail(copy, CONSISTENT))


def test_a_label_whose_fraud_flag_differs_from_its_row(copy):
    label = a_label(copy, "round_dollar_suspense")
    set_entry(copy, label["document_id"], is_fraud=False)
    assert verdict(copy) == {COVER}
    assert results(copy)[COVER].violations == 2


def test_flags_that_disagree_on_a_normal_line(copy):
    victim = query(copy, "SELECT min(document_id) FROM {j} WHERE NOT is_anomaly",
                   j="journal_entries")[0][0]
    set_entry(copy, victim, is_fraud=True)
    assert verdict(copy) == {COVER}
    assert "journal_entries rows whose flags disagree" in detail(copy, COVER)
    assert f"{victim}: is_anomaly false, is_fraud true, type null" in detail(copy, COVER)


def test_a_label_pointing_at_no_row(copy):
    label = a_label(copy)
    set_label(copy, label["anomaly_id"], document_id="1000-2024-9999999999")
    assert verdict(copy) == {COVER}
    assert results(copy)[COVER].violations == 2      # and its entry is left unlabelled


def test_a_label_of_a_table_that_carries_no_anomalies(copy):
    label = a_label(copy)
    append(copy, "anomaly_labels", [new_label(copy, "decimal_shift", "customers", "C-1",
                                              label["company_code"])])
    assert verdict(copy) == {COVER}
    assert "labels of a table that carries no anomalies: 1 (e.g. ANO-TEST-0001 customers " \
        "C-1)" in detail(copy, COVER)


@pytest.mark.parametrize("table", ["vendor_invoices", "purchase_orders"])
def test_a_flagged_document_needs_a_label_of_its_key(copy, table):
    """A document flagged by injection is labelled by its id (the first key column); one
    flagged line of a document of several lines is enough for its label."""
    key = TABLES[table].key
    first = query(copy, f"SELECT {', '.join(key)} FROM {{t}} WHERE company_code = '1000' "
                  f"ORDER BY ALL LIMIT 1", t=table)[0]
    assert update(copy, table, " AND ".join(f"{k} = {literal(v)}" for k, v in zip(key, first)),
                  **flag("invoice_without_po")) == 1
    assert verdict(copy) == {COVER}
    assert f"{table} {first[0]} (invoice_without_po)" in detail(copy, COVER)
    append(copy, "anomaly_labels",
           [new_label(copy, "invoice_without_po", table, first[0], "1000")])
    assert verdict(copy) == set()
    assert results(copy)[COVER].status == "pass"


def test_a_master_data_label_must_resolve(copy):
    vendor = query(copy, "SELECT max(vendor_id) FROM {v} WHERE company_code = '1000'",
                   v="vendors")[0][0]
    append(copy, "anomaly_labels",
           [new_label(copy, "fictitious_vendor", "vendors", vendor, "1000", 1),
            new_label(copy, "fictitious_vendor", "vendors", "V-NOT-THERE", "1000", 2)])
    assert verdict(copy) == {COVER}
    assert results(copy)[COVER].violations == 1
    assert "labels of master data that does not exist: 1 (e.g. ANO-TEST-0002 vendors " \
        "V-NOT-THERE)" in detail(copy, COVER)


# --- consistency: ids, catalog, schemes, companies -------------------------------------------

@pytest.mark.parametrize("column, value, text", [
    ("severity", 1, "severity 1 (catalog 3)"),
    ("family", "process", "family process (catalog error)"),
    ("detection_difficulty", "expert", "difficulty expert (catalog easy)"),
])
def test_a_label_attribute_differs_from_the_catalog(copy, column, value, text):
    label = a_label(copy)
    set_label(copy, label["anomaly_id"], **{column: value})
    assert verdict(copy) == {CONSISTENT}
    assert f"{label['anomaly_id']} decimal_shift: {text}" in detail(copy, CONSISTENT)


def test_a_fraud_flag_outside_the_fraud_family(copy):
    label = a_label(copy)
    set_label(copy, label["anomaly_id"], is_fraud=True)
    set_entry(copy, label["document_id"], is_fraud=True)     # row and label agree
    assert verdict(copy) == {CONSISTENT}
    assert "is_fraud true (catalog false), is_fraud true in family error" in \
        detail(copy, CONSISTENT)


def test_a_type_the_catalog_does_not_know(copy):
    label = a_label(copy)
    set_label(copy, label["anomaly_id"], anomaly_type="made_up")
    set_entry(copy, label["document_id"], anomaly_type="made_up")
    assert verdict(copy) == {CONSISTENT}
    assert f"{label['anomaly_id']} made_up: not in the catalog" in detail(copy, CONSISTENT)


def test_a_reused_anomaly_id(copy):
    first, second = sorted(labels(copy), key=lambda r: r["anomaly_id"])[:2]
    set_label(copy, second["anomaly_id"], anomaly_id=first["anomaly_id"])
    assert verdict(copy) == {CONSISTENT, "keys.primary_unique"}
    assert f"anomaly ids used more than once: 1 (e.g. {first['anomaly_id']} x2)" in \
        detail(copy, CONSISTENT)


def test_a_scheme_of_two_types(copy):
    shift, weekend = a_label(copy), a_label(copy, "weekend_posting")
    set_label(copy, weekend["anomaly_id"], scheme_id=shift["scheme_id"])
    assert verdict(copy) == {CONSISTENT}
    assert f"{shift['scheme_id']}: decimal_shift + weekend_posting" in detail(copy, CONSISTENT)


def test_a_label_of_another_company(copy):
    label = a_label(copy)
    other = "2000" if label["company_code"] == "1000" else "1000"
    set_label(copy, label["anomaly_id"], company_code=other)
    assert verdict(copy) == {CONSISTENT}
    assert (f"{label['anomaly_id']} journal_entries {label['document_id']}: {other} vs "
            f"{label['company_code']}") in detail(copy, CONSISTENT)


# --- injected unbalanced entries --------------------------------------------------------------

def _cash_line(root: Path, skip: tuple[str, ...] = ()) -> tuple[str, int, str, int]:
    """(entry, line, account, period key) of a cash debit of a normal business entry."""
    excluded = ", ".join(f"'{d}'" for d in skip) or "''"
    return query(root, f"""SELECT j.document_id, min(j.line_number), min(j.gl_account),
                                  min(CAST(j.fiscal_year AS INT) * 100 + j.fiscal_period)
        FROM {{j}} j JOIN {{a}} a USING (gl_account)
        WHERE a.sub_type = 'cash' AND j.debit_amount > 0 AND NOT j.is_anomaly
          AND j.company_code = '1000' AND j.document_id NOT IN ({excluded})
          AND j.reference_document_type IS DISTINCT FROM 'opening_balance'
        GROUP BY j.document_id ORDER BY j.document_id LIMIT 1""",
                 j="journal_entries", a="accounts")[0]


def _post(root: Path, company: str, account: str, key: int, debit: Decimal,
          credit: Decimal) -> None:
    """Post to the trial balance as the ledger would: the period's movement, and the
    balance carried into every later period (rows the account lacked are added)."""
    net = debit - credit
    periods = query(root, f"SELECT DISTINCT fiscal_year, fiscal_period FROM {{t}} "
                    f"WHERE company_code = '{company}'", t="trial_balances")
    seen = set()

    def change(row):
        k = row["fiscal_year"] * 100 + row["fiscal_period"]
        if row["company_code"] != company or row["gl_account"] != account or k < key:
            return row
        seen.add(k)
        opening = row["opening_balance"] + (net if k > key else 0)
        d = row["debit"] + (debit if k == key else 0)
        c = row["credit"] + (credit if k == key else 0)
        return {**row, "opening_balance": opening, "debit": d, "credit": c,
                "closing_balance": opening + d - c}

    rewrite(root, "trial_balances", change)
    kind = query(root, f"SELECT account_type FROM {{a}} WHERE gl_account = '{account}'",
                 a="accounts")[0][0]
    missing = [(y, p) for y, p in periods if y * 100 + p >= key and y * 100 + p not in seen]
    append(root, "trial_balances", [
        {"company_code": company, "fiscal_year": y, "fiscal_period": p, "gl_account": account,
         "account_type": kind, "opening_balance": net if y * 100 + p > key else Decimal(0),
         "debit": debit if y * 100 + p == key else Decimal(0),
         "credit": credit if y * 100 + p == key else Decimal(0), "closing_balance": net}
        for y, p in missing])


def unbalance(root: Path, *, flagged: bool = True, labelled: bool = True,
              ledger: bool = True, skip: tuple[str, ...] = ()) -> str:
    """Make a normal entry of company 1000 debit 1.00 more cash than it credits; the
    injection's flags and label, and the ledger's postings (cash, and the difference to
    suspense), each on request. Returns the entry's id."""
    doc, line, cash, key = _cash_line(root, skip)
    assert update(root, "journal_entries", f"document_id = '{doc}' AND line_number = {line}",
                  debit_amount=Sql("debit_amount + 1.00")) == 1
    if flagged:
        set_entry(root, doc, **flag("unbalanced_entry"))
    if labelled:
        day = query(root, f"SELECT min(posting_date) FROM {{j}} WHERE document_id = '{doc}'",
                    j="journal_entries")[0][0]
        append(root, "anomaly_labels", [{**new_label(root, "unbalanced_entry",
                                                     "journal_entries", doc, "1000"),
                                         "anomaly_date": day, "monetary_impact": ONE}])
    if ledger:
        suspense = query(root, "SELECT gl_account FROM {a} WHERE sub_type = 'suspense'",
                         a="accounts")[0][0]
        _post(root, "1000", cash, key, ONE, Decimal(0))
        _post(root, "1000", suspense, key, Decimal(0), ONE)
    return doc


def test_a_labelled_unbalanced_entry_is_an_exception_and_its_suspense_posting_agrees(copy):
    entries = results(copy)[BALANCED].checked
    unbalance(copy)
    assert verdict(copy) == set()
    found = results(copy)
    assert found[BALANCED].detail == (f"{entries - 1:,} entries balanced; 1 labelled "
                                      "unbalanced entry (injected)")
    for name in TB_JOURNAL:
        assert found[name].detail.endswith(
            "(with the suspense postings of 1 labelled unbalanced entry)"), name


def test_the_trial_balance_checks_expect_the_suspense_posting(copy):
    unbalance(copy, ledger=False)          # the trial balance lacks the ledger's postings
    assert verdict(copy) == TB_JOURNAL


def test_an_unlabelled_unbalanced_entry_fails(copy):
    doc = unbalance(copy, flagged=False, labelled=False)
    assert verdict(copy) == {BALANCED, *TB_JOURNAL}
    assert results(copy)[BALANCED].violations == 1 and doc in detail(copy, BALANCED)


@pytest.mark.parametrize("flagged, labelled", [(True, False), (False, True)],
                         ids=["flagged_only", "labelled_only"])
def test_an_unbalanced_entry_labelled_one_way_fails(copy, flagged, labelled):
    doc = unbalance(copy, flagged=flagged, labelled=labelled)
    assert verdict(copy) == {BALANCED, COVER, *TB_JOURNAL}
    assert doc in detail(copy, BALANCED)


def test_a_second_unbalanced_entry_without_a_label_still_fails(copy):
    first = unbalance(copy)
    second = unbalance(copy, flagged=False, labelled=False, ledger=False, skip=(first,))
    assert verdict(copy) == {BALANCED, *TB_JOURNAL}
    found = results(copy)[BALANCED]
    assert found.violations == 1
    assert found.detail.startswith(f"unbalanced: {second} (1000)")
    assert found.detail.endswith("; 1 labelled unbalanced entry (injected)")


def test_the_injector_of_unbalanced_entries_verifies(tmp_path):
    """The real injector (when present): its entries are excused and its suspense postings
    agree with the trial balance."""
    from datasynth.generators.anomalies.engine import INJECTORS
    if "unbalanced_entry" not in INJECTORS:
        pytest.skip("errors.unbalanced_entry is not written yet")
    weights = {name: 0.0 for name in TYPES if name != "unbalanced_entry"}
    out = tmp_path / "out"
    datasynth.generate(_config(type_weights=weights), out, workers=1)
    assert failing(out) == set()
    found = results(out)
    injected = sum(r["anomaly_type"] == "unbalanced_entry" for r in labels(out))
    assert injected > 0
    assert found[BALANCED].detail.endswith(
        f"; {injected:,} labelled unbalanced entries (injected)")
