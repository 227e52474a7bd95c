"""The manifest check: status, checksums, row counts, missing and unlisted files."""

from __future__ import annotations

import json
import shutil

from datasynth.sinks.base import sha256_of
from tests.unit.verify.builder import delete_first, part_files
from tests.unit.verify.conftest import results


def _manifest(root) -> dict:
    return json.loads((root / "manifest.json").read_text())


def _save(root, data) -> None:
    (root / "manifest.json").write_text(json.dumps(data))


def test_a_run_that_did_not_complete_fails(books_dir):
    data = _manifest(books_dir)
    data["status"] = "running"
    _save(books_dir, data)
    found = results(books_dir)["manifest"]
    assert found.failed and "run status is 'running'" in found.detail


def test_a_changed_file_fails_its_checksum(books_dir):
    path = part_files(books_dir, "vendors")[0]
    # same size, different bytes: only the checksum can tell
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    found = results(books_dir)["manifest"]
    assert found.failed and found.violations == 1
    assert "vendors/part-00000.parquet sha256 differs" in found.detail


def test_a_row_count_differing_from_the_manifest_fails(books_dir):
    delete_first(books_dir, "journal_entries", lambda row: True)
    path = part_files(books_dir, "journal_entries")[0]
    data = _manifest(books_dir)   # make checksum and size agree: only the rows differ
    entry = next(f for f in data["tables"]["journal_entries"]["files"]
                 if f["path"].endswith(path.name))
    entry["sha256"], entry["bytes"] = sha256_of(path), path.stat().st_size
    _save(books_dir, data)
    found = results(books_dir)["manifest"]
    assert found.failed and f"{path.name} holds 19 rows, manifest says 20" in found.detail


def test_table_totals_must_match_their_files(books_dir):
    data = _manifest(books_dir)
    data["tables"]["customers"]["rows"] = 7
    _save(books_dir, data)
    found = results(books_dir)["manifest"]
    assert "customers: parquet files hold 1 rows, table total says 7" in found.detail


def test_missing_and_unlisted_files_are_reported(books_dir):
    first, second = part_files(books_dir, "journal_entries")
    shutil.copy(second, second.with_name("part-00007.parquet"))
    first.unlink()
    found = results(books_dir)
    assert found["manifest"].violations == 2
    assert "journal_entries/part-00000.parquet is missing" in found["manifest"].detail
    assert "part-00007.parquet is not listed in the manifest" in found["manifest"].detail
    # the other checks read exactly the listed files that exist: half the journal is gone
    assert found["trial_balance.agrees_with_journal"].failed
    assert not found["keys.master_data"].failed
