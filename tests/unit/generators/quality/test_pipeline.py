"""A company's table in chunks: degraded rows first, duplicates appended after every chunk,
label ids numbered on across chunks and tables."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.quality import PROFILES, Numbering, Rates, degrade_rows, pipeline
from tests.unit.generators.quality.samples import journal, master, settings


def _streams(seed=3):
    return lambda chunk, purpose: np.random.default_rng([seed, chunk, len(purpose),
                                                         sum(map(ord, purpose))])


def _run(monkeypatch, chunk_rows, table="journal_entries", rows=None):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", chunk_rows)
    profile = PROFILES[table]
    source = (journal(1000) if table == "journal_entries" else master(table, 300)
              ).select(list(profile.inputs))
    mine = np.arange(source.num_rows) if rows is None else rows
    numbering = Numbering()
    out = list(degrade_rows(source, mine, profile,
                            settings(Rates(0.02, 0.02, 0.02, 0.05, 0.01), 0.03),
                            _streams(), "1000", numbering))
    return source, mine, out, numbering


def test_chunks_then_duplicates_with_running_ids(monkeypatch):
    source, _, out, numbering = _run(monkeypatch, 300)
    names = [name for name, _ in out]
    # 2000 lines in chunks of 300: 7 (copy, labels) pairs, then the duplicates and theirs
    assert names == ["journal_entries_degraded", "quality_labels"] * 8
    copy = pa.concat_tables([t for n, t in out if n == "journal_entries_degraded"])
    labels = pa.concat_tables([t for n, t in out if n == "quality_labels"])
    assert copy.num_rows == source.num_rows + out[-2][1].num_rows
    assert copy["document_id"].slice(0, source.num_rows).equals(source["document_id"])
    ids = labels["issue_id"].to_pylist()
    assert ids == [f"DQ-1000-{i:08d}" for i in range(1, len(ids) + 1)]
    assert numbering.next == len(ids) + 1
    tail = labels.slice(len(ids) - out[-2][1].num_rows)
    assert set(tail["issue_type"].to_pylist()) == {"duplicate"}


def test_only_the_given_rows_are_read(monkeypatch):
    rows = np.arange(0, 300, 3)
    source, _, out, _ = _run(monkeypatch, 1000, "vendors", rows)
    copy = out[0][1]
    assert copy["vendor_id"].to_pylist() == source["vendor_id"].take(pa.array(rows)).to_pylist()
