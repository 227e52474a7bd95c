"""``data_quality`` through the real CLI: the degraded copies and labels are written, every
changed value and every appended duplicate is labelled and every label is a real change
(checked against the clean tables, with the clean text computed here), the clean output still
verifies, and the worker count does not change a byte."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import manifest, part_hashes, run_cli, write_config

RATES = {"missing_rate": 0.02, "missing_dependent_rate": 0.05, "typo_rate": 0.03,
         "format_variation_rate": 0.05, "encoding_rate": 0.02, "duplicate_rate": 0.03,
         "near_duplicate_share": 0.6}
CONFIG = small_config_dict(document_flows={"enabled": True},
                           transactions={"target_count": 1500},
                           data_quality={"enabled": True, **RATES})
KEYS = {"vendors": ("vendor_id",), "customers": ("customer_id",),
        "materials": ("material_id",), "employees": ("employee_id",),
        "journal_entries": ("document_id", "line_number")}
QUALITY = [f"{t}_degraded" for t in KEYS] + ["quality_labels"]


def _generate(base, workers: int):
    out = base / f"out{workers}"
    done = run_cli("generate", "--config", write_config(base / "config.yaml", CONFIG),
                   "--output", out, "--workers", str(workers), "--progress", "none")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("dq"), 2)


def _text(value) -> str | None:
    """A clean value as the text a plain extract writes (ISO dates, plain decimals)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _same(text: str | None, clean) -> bool:
    if text is None or clean is None:
        return text is None and clean is None
    if isinstance(clean, float):            # floats: Arrow's shortest form, compare numbers
        return float(text) == pytest.approx(clean, rel=1e-6)
    return text == _text(clean)


def _key(row: dict, table: str) -> str:
    return ":".join(str(row[k]) for k in KEYS[table])


def test_the_quality_tables_are_written(output):
    tables = manifest(output)["tables"]
    for name in QUALITY:
        assert tables[name]["rows"] > 0, name
    assert tables["vendors_degraded"]["rows"] >= tables["vendors"]["rows"]
    assert tables["journal_entries_degraded"]["rows"] > tables["journal_entries"]["rows"]


@pytest.mark.parametrize("table", list(KEYS))
def test_every_change_is_labelled_and_every_label_is_a_change(output, table):
    columns = pq.read_schema(next((output / f"{table}_degraded").glob("*.parquet"))).names
    clean = {_key(r, table): r for r in pq.read_table(output / table,
                                                      columns=columns).to_pylist()}
    labels = [r for r in pq.read_table(output / "quality_labels").to_pylist()
              if r["table_name"] == table]
    cell_labels = {(r["row_key"], r["field"]): r for r in labels
                   if r["issue_type"] != "duplicate"}
    assert len(cell_labels) == len(labels) - sum(r["issue_type"] == "duplicate"
                                                 for r in labels), "a value changed twice"
    seen: set[str] = set()
    extra: dict[str, list[dict]] = defaultdict(list)
    changed = 0
    for row in pq.read_table(output / f"{table}_degraded").to_pylist():
        key = _key(row, table)
        if key in seen:                      # appended duplicates follow the primary row
            extra[key].append(row)
            continue
        seen.add(key)
        for name in columns:
            label = cell_labels.get((key, name))
            if _same(row[name], clean[key][name]):
                assert label is None, (key, name)
                continue
            changed += 1
            assert label is not None, f"unlabelled change {key} {name}: {row[name]!r}"
            assert _same(label["original_value"], clean[key][name])
            assert label["modified_value"] == row[name]
            assert label["company_code"] == _text(clean[key]["company_code"])
    assert seen == set(clean)
    assert changed == len(cell_labels) > 0
    _check_duplicates(table, clean, extra, [r for r in labels if r["issue_type"] == "duplicate"])


def _check_duplicates(table, clean, extra, labels):
    assert sum(map(len, extra.values())) == len(labels)
    found, expected = Counter(), Counter()
    for key, rows in extra.items():
        for row in rows:
            diff = [n for n in row if not _same(row[n], clean[key][n])]
            assert len(diff) <= 1, (key, diff)
            found[(key, diff[0] if diff else None, row[diff[0]] if diff else None)] += 1
    for label in labels:
        field = label["field"]
        assert (label["subtype"] == "exact") == (field is None)
        if field is not None:
            assert _same(label["original_value"], clean[label["row_key"]][field])
        expected[(label["row_key"], field, label["modified_value"])] += 1
    assert found == expected


def test_labels_have_unique_ids_per_company_and_rates_near_settings(output):
    labels = pq.read_table(output / "quality_labels").to_pylist()
    ids = [r["issue_id"] for r in labels]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(f"DQ-{r['company_code']}-") and len(i.split("-")[-1]) == 8
               for i, r in zip(ids, labels))
    lines = manifest(output)["tables"]["journal_entries"]["rows"]
    journal = [r for r in labels if r["table_name"] == "journal_entries"]
    per = Counter((r["issue_type"], r["field"]) for r in journal)
    assert per[("format_variation", "debit_amount")] / lines == \
        pytest.approx(RATES["format_variation_rate"], abs=0.015)
    duplicates = sum(r["issue_type"] == "duplicate" for r in journal)
    assert duplicates / lines == pytest.approx(RATES["duplicate_rate"], abs=0.01)


def test_the_clean_output_still_verifies(output):
    done = run_cli("verify", output)
    assert done.returncode == 0, done.stdout


def test_the_worker_count_changes_no_byte(output, tmp_path):
    other = _generate(tmp_path, 1)
    mine = {k: v for k, v in part_hashes(output).items() if k.split("/")[0] in QUALITY}
    assert mine and mine == {k: v for k, v in part_hashes(other).items()
                             if k.split("/")[0] in QUALITY}
