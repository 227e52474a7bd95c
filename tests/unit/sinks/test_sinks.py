"""Every sink through the same checks: round trip via pyarrow and DuckDB, schema guard,
atomic files, abort leaves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from datasynth.errors import GenerationError, OutputError
from datasynth.generators.common.arrow import dates, dictionary, timestamps_us
from datasynth.money import to_decimal
from datasynth.generators.ledger.journal import local_currency_columns
from datasynth.schemas.journal_entries import JOURNAL_ENTRIES
from datasynth.sinks import SinkSpec, read_part
from datasynth.sinks.memory import MemoryStore

FORMATS = ["parquet", "csv", "jsonl", "json"]


def _batch(n: int = 5) -> pa.RecordBatch:
    day = (dt.date(2024, 3, 1) - dt.date(1970, 1, 1)).days
    rng = np.random.default_rng(0)
    amount = rng.integers(1, 10**9, n)
    debit = np.arange(n) % 2 == 0
    center = np.arange(n) % 3
    return pa.RecordBatch.from_arrays([
        pa.array([f"1000-2024-{i:010d}" for i in range(n)]),
        dictionary(np.zeros(n, np.int32), ["1000"]),
        pa.array(np.full(n, 2024, np.int16)), pa.array(np.full(n, 3, np.int8)),
        dates(np.full(n, day)), dates(np.full(n, day - 2)),
        timestamps_us(np.full(n, day * 86_400_000_000 + 3_723_000_000)),
        dictionary(np.zeros(n, np.int32), ["SA"]), dictionary(np.zeros(n, np.int32), ["R2R"]),
        dictionary(np.zeros(n, np.int32), ["manual"]),
        dictionary(np.zeros(n, np.int32), ["EMP-1000-000001"]),
        dictionary(np.zeros(n, np.int32), ["USD"]),
        dictionary(np.zeros(n, np.int32), ['Accrual, "March" 2024']),
        pa.array(np.arange(1, n + 1, dtype=np.int32)),
        dictionary(np.arange(n) % 2, ["700000", "220000"]),
        to_decimal(np.where(debit, amount, 0)), to_decimal(np.where(debit, 0, amount)),
        *local_currency_columns("USD", amount, 2),
        dictionary(center, ["CC-1000-FIN", "CC-1000-PROD", "CC-1000-CORP"], mask=center == 2),
        dictionary(np.arange(n) % 2, ["Rent, office", "Accrued"]),
        dictionary(np.zeros(n, np.int32), ["accrual"]),
        pa.array([f"ACR-{i}" if i % 2 else None for i in range(n)], pa.string()),
        pa.nulls(n, pa.string()),
        dictionary(np.zeros(n, np.int32), ["2000"], mask=center != 0),
        pa.array(np.ones(n, bool)), pa.array(np.ones(n, bool)),
        dictionary(np.zeros(n, np.int32), ["duplicate_payment"]),
        dictionary(np.arange(n) % 3, ["train", "validation", "test"], mask=center == 1),
    ], schema=JOURNAL_ENTRIES.schema)


def _plain(table: pa.Table) -> list[dict]:
    return table.to_pylist()


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_pyarrow_and_duckdb(tmp_path, fmt):
    batch = _batch(7)
    writer = SinkSpec(str(tmp_path), (fmt,)).open_part(JOURNAL_ENTRIES, 3)
    writer.write(batch.slice(0, 4))
    writer.write(batch.slice(4))
    [info] = writer.close()
    path = tmp_path / info.path
    assert info.path == f"journal_entries/part-00003.{fmt}"
    assert info.rows == 7 and info.bytes == path.stat().st_size and len(info.sha256) == 64
    assert not list(tmp_path.rglob("*.tmp"))
    expected = _plain(pa.Table.from_batches([batch]))
    assert _plain(read_part(path, JOURNAL_ENTRIES)) == expected
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json",
              "json": "read_json"}[fmt]
    rows = duckdb.sql(f"select document_id, debit_amount, credit_amount, posting_date, "
                      f"cost_center, header_text from {reader}('{path}') "
                      f"order by document_id").fetchall()
    assert [r[0] for r in rows] == [e["document_id"] for e in expected]
    assert [Decimal(str(r[1])) for r in rows] == [e["debit_amount"] for e in expected]
    assert [Decimal(str(r[2])) for r in rows] == [e["credit_amount"] for e in expected]
    assert [str(r[3]) for r in rows] == [str(e["posting_date"]) for e in expected]
    assert [r[4] for r in rows] == [e["cost_center"] for e in expected]
    assert rows[0][5] == 'Accrual, "March" 2024'


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_part_is_still_a_valid_file(tmp_path, fmt):
    writer = SinkSpec(str(tmp_path), (fmt,)).open_part(JOURNAL_ENTRIES, 0)
    [info] = writer.close()
    assert info.rows == 0
    assert read_part(tmp_path / info.path, JOURNAL_ENTRIES).num_rows == 0


def test_multiple_formats_get_their_own_trees(tmp_path):
    writer = SinkSpec(str(tmp_path), ("parquet", "csv")).open_part(JOURNAL_ENTRIES, 0)
    writer.write(_batch())
    infos = writer.close()
    assert sorted(i.path for i in infos) == ["csv/journal_entries/part-00000.csv",
                                             "parquet/journal_entries/part-00000.parquet"]


def test_batches_that_do_not_match_the_schema_are_rejected(tmp_path):
    writer = SinkSpec(str(tmp_path), ("parquet",)).open_part(JOURNAL_ENTRIES, 0)
    wrong = _batch().drop_columns(["is_fraud"])
    with pytest.raises(GenerationError, match="does not match its schema"):
        writer.write(wrong)
    writer.abort()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_abort_leaves_no_part_file(tmp_path):
    writer = SinkSpec(str(tmp_path), ("parquet",)).open_part(JOURNAL_ENTRIES, 0)
    writer.write(_batch())
    writer.abort()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_memory_sink_keeps_or_counts():
    kept, counted = MemoryStore(keep=True), MemoryStore(keep=False)
    for store in (kept, counted):
        writer = SinkSpec("<memory>", memory=store).open_part(JOURNAL_ENTRIES, 0)
        writer.write(_batch(6))
        writer.close()
    assert kept.table("journal_entries", JOURNAL_ENTRIES.schema).num_rows == 6
    assert counted.rows["journal_entries"] == 6
    assert counted.table("journal_entries", JOURNAL_ENTRIES.schema).num_rows == 0


def test_preflight_refuses_a_file_and_an_unwritable_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="not a directory"):
        SinkSpec(str(blocker)).preflight()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os
        if os.geteuid() == 0:
            pytest.skip("root can write anywhere")
        with pytest.raises(OutputError, match="permission denied"):
            SinkSpec(str(locked / "out")).preflight()
    finally:
        locked.chmod(0o700)
