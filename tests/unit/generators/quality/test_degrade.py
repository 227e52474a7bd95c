"""Degrading a table: every change labelled, every label a real change, keys untouched,
rates near their settings, duplicates appended as labelled, the same draws the same bytes."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from decimal import Decimal

import pyarrow as pa
import pytest

from datasynth.generators.quality import PROFILES, Rates, degrade, encoding, formats
from datasynth.generators.quality.labels import build_labels, row_keys
from datasynth.schemas.quality import QUALITY_LABELS
from datasynth.schemas.registry import table_spec
from tests.unit.generators.quality.edits import distance
from tests.unit.generators.quality.samples import journal, master, settings, streams

RATES = Rates(missing=0.02, missing_dependent=0.05, typo=0.04, format_variation=0.10,
              encoding=0.03)
TABLES = ["vendors", "customers", "materials", "employees", "journal_entries"]


def _clean(table: str) -> pa.Table:
    return journal(3000) if table == "journal_entries" else master(table, 1500)


def _run(table: str, rates=RATES, duplicate_rate=0.03, seed=7):
    profile = PROFILES[table]
    rows = _clean(table).select(list(profile.inputs))
    return rows, profile, degrade(rows, profile, table_spec(profile.degraded).schema,
                                  settings(rates, duplicate_rate), streams(seed))


def _typed_text(value) -> str | None:
    """The clean value as text, computed here independently of the code under test."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _same(original: str, clean) -> bool:
    if isinstance(clean, float):
        return float(original) == pytest.approx(clean, rel=1e-6)
    return original == _typed_text(clean)


def _detectable(issue_type, subtype, original, modified) -> bool:
    if issue_type == "missing_value":
        return modified is None
    if issue_type == "typo":
        return distance(original, modified) <= 2
    if issue_type == "format_variation":
        parse = formats.parse_date if subtype.startswith("date") else formats.parse_amount
        value = parse(modified, subtype)
        return (value.isoformat() if isinstance(value, dt.date) else value) == (
            original if isinstance(value, dt.date) else Decimal(original))
    if issue_type == "encoding":
        repair = {"mojibake": lambda s: s.encode("latin-1").decode("utf-8"),
                  "html_entity": html.unescape, "control_char": encoding.strip_control}
        return repair[subtype](modified) == original
    return False


@pytest.mark.parametrize("table", TABLES)
def test_labels_and_changes_match_both_ways(table):
    rows, profile, done = _run(table)
    labels = {}
    for r, f, t, s, o, m in zip(done.issues.rows, done.issues.field.to_pylist(),
                                done.issues.issue_type.to_pylist(),
                                done.issues.subtype.to_pylist(),
                                done.issues.original.to_pylist(),
                                done.issues.modified.to_pylist()):
        assert (int(r), f) not in labels, "a value got two changes"
        labels[(int(r), f)] = (t, s, o, m)
    changed = 0
    for name in profile.columns:
        clean = rows[name].to_pylist()
        degraded = done.degraded[name].to_pylist()
        for r, (c, d) in enumerate(zip(clean, degraded)):
            text = done.clean[name][r].as_py()
            if d != text:
                changed += 1
                assert name not in profile.protected
                t, s, o, m = labels[(r, name)]
                assert _same(o, c) and m == d
                assert _detectable(t, s, o, m), (t, s, o, m)
            else:
                assert (r, name) not in labels
    assert changed == len(labels) > 0


@pytest.mark.parametrize("table", TABLES)
def test_duplicates_are_labelled_copies_of_clean_rows(table):
    _, profile, done = _run(table, duplicate_rate=0.05)
    issues = done.duplicate_issues
    assert done.duplicates.num_rows == len(issues) > 0
    assert done.duplicates.schema.equals(done.degraded.schema)
    kinds = Counter(issues.subtype.to_pylist())
    assert kinds["near"] / len(issues) == pytest.approx(0.6, abs=0.15)
    for i, r in enumerate(issues.rows):
        extra, clean = done.duplicates.slice(i, 1).to_pylist()[0], done.clean.slice(
            int(r), 1).to_pylist()[0]
        differing = [k for k in clean if clean[k] != extra[k]]
        field = issues.field[i].as_py()
        if issues.subtype[i].as_py() == "exact":
            assert differing == [] and field is None
        else:
            assert differing == [field] and field in profile.text
            assert issues.original[i].as_py() == clean[field]
            assert issues.modified[i].as_py() == extra[field]


def test_rates_land_near_their_settings():
    rows, _, done = _run("journal_entries", duplicate_rate=0.0)
    n = rows.num_rows
    per = Counter(zip(done.issues.issue_type.to_pylist(), done.issues.field.to_pylist()))
    # typos and encoding on the two text columns, formats on the date and the two amounts
    assert per[("typo", "line_text")] / n == pytest.approx(RATES.typo, abs=0.01)
    assert per[("encoding", "header_text")] / n == pytest.approx(RATES.encoding, abs=0.008)
    assert per[("format_variation", "posting_date")] / n == pytest.approx(
        RATES.format_variation, abs=0.015)
    assert per[("missing_value", "created_by")] / n == pytest.approx(RATES.missing, abs=0.008)
    assert ("typo", "posting_date") not in per and ("format_variation", "line_text") not in per


def test_nothing_changes_at_zero_rates():
    _, _, done = _run("vendors", rates=Rates(), duplicate_rate=0.0)
    assert done.degraded.equals(done.clean)
    assert len(done.issues) == 0 and done.duplicates.num_rows == 0


def test_same_streams_same_output_other_seed_other_output():
    _, _, a = _run("customers", seed=11)
    _, _, b = _run("customers", seed=11)
    _, _, c = _run("customers", seed=12)
    assert a.degraded.equals(b.degraded) and a.duplicates.equals(b.duplicates)
    assert a.issues.modified.equals(b.issues.modified)
    assert not a.degraded.equals(c.degraded)


def test_labels_table_matches_its_schema():
    _, profile, done = _run("journal_entries")
    keys = row_keys(done.clean, profile.key, done.issues.rows)
    labels = build_labels(done.issues, keys, "journal_entries", "1000", 41)
    assert labels.schema.equals(QUALITY_LABELS.schema)
    assert labels["issue_id"][0].as_py() == "DQ-1000-00000041"
    first = done.issues.rows[0]
    assert labels["row_key"][0].as_py() == (f"{done.clean['document_id'][first]}:"
                                            f"{done.clean['line_number'][first]}")
    assert set(labels["table_name"].to_pylist()) == {"journal_entries"}


@pytest.mark.parametrize("table", TABLES)
def test_profile_covers_exactly_the_copy_columns(table):
    profile = PROFILES[table]
    spec = table_spec(profile.degraded)
    assert spec.key == ()
    assert all(f.type == pa.string() and f.nullable for f in spec.schema)
    assert set(profile.key) | {"company_code"} <= profile.protected
    classified = set(profile.text) | set(profile.dates) | set(profile.amounts)
    assert classified <= set(profile.columns) - profile.protected
    source = table_spec(table).schema
    for name in profile.dates:
        assert pa.types.is_date(source.field(name).type)
    for name in profile.amounts:
        assert pa.types.is_decimal(source.field(name).type)
