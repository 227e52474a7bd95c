"""Blocks of journal entries and their numbering (flows.postings), on small hand-built and
seeded random blocks checked against a plain-Python reference."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pyarrow as pa
import pytest

from datasynth.generators.ledger.flows.postings import (
    DocTable,
    number_blocks,
    stack_lines,
    two_sided,
)
from tests.unit.generators.flows.sample_blocks import make_block, random_block

EPOCH = dt.date(1970, 1, 1)
ID = re.compile(r"^(?P<co>[A-Z0-9]+)-(?P<year>\d{4})-(?P<seq>\d{10})$")


def day(d: dt.date) -> int:
    return (d - EPOCH).days


# ---- two_sided / stack_lines -----------------------------------------------------------------

def test_two_sided_lines_debit_first_and_balance():
    entry, account, debit, credit, center = two_sided(
        3, np.array([10, 11, 12]), np.array([20, 21, 22]), np.array([5, 6, 7]),
        debit_center=np.array([1, 2, 3]))
    assert entry.tolist() == [0, 0, 1, 1, 2, 2]
    assert account.tolist() == [10, 20, 11, 21, 12, 22], "debit line first, then credit"
    assert debit.tolist() == [5, 0, 6, 0, 7, 0]
    assert credit.tolist() == [0, 5, 0, 6, 0, 7]
    assert center.tolist() == [1, -1, 2, -1, 3, -1], "only the debit side got a center"


def reference_stack(parts):
    """Plain-Python stack_lines: entries ascending; within one, part by part, rows in order."""
    rows = []
    entries = sorted({int(e) for p in parts for e in p[0]})
    for e in entries:
        for p in parts:
            for i in range(len(p[0])):
                if p[0][i] == e:
                    rows.append(tuple(int(p[k][i]) for k in range(5)))
    return rows


def test_stack_lines_groups_by_entry_and_keeps_part_order_small():
    first = (np.array([0, 1, 2]), np.array([100, 101, 102]), np.array([1, 2, 3]),
             np.zeros(3, np.int64), np.full(3, -1))
    # a part whose rows are not sorted by entry, and two rows of the same entry
    second = (np.array([2, 0, 2]), np.array([200, 201, 202]), np.zeros(3, np.int64),
              np.array([4, 5, 6]), np.array([7, 8, 9]))
    third = (np.array([1]), np.array([300]), np.zeros(1, np.int64), np.array([2]),
             np.array([-1]))
    entry, account, debit, credit, center = stack_lines([first, second, third], 3)
    assert entry.tolist() == [0, 0, 1, 1, 2, 2, 2]
    assert account.tolist() == [100, 201, 101, 300, 102, 200, 202], \
        "within an entry, lines follow the parts' order, and each part's own row order"
    assert center.tolist() == [-1, 8, -1, -1, -1, 7, 9], "columns travel with their row"
    assert debit.tolist() == [1, 0, 2, 0, 3, 0, 0]
    assert credit.tolist() == [0, 5, 0, 2, 0, 4, 6]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stack_lines_matches_reference_on_random_parts(seed):
    rng = np.random.default_rng(seed)
    count = 40
    parts = []
    for k in range(4):
        m = int(rng.integers(0, 60))
        parts.append((rng.integers(0, count, m), rng.integers(0, 1000, m) + 1000 * k,
                      rng.integers(0, 50, m), rng.integers(0, 50, m), rng.integers(-1, 9, m)))
    got = stack_lines(parts, count)
    rows = list(zip(*(a.tolist() for a in got)))
    assert rows == reference_stack(parts), f"seed {seed}: stacked lines differ from reference"
    assert np.all(np.diff(got[0]) >= 0), "lines are grouped by entry, ascending"


# ---- number_blocks ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def numbered_sample():
    """Three random blocks over a year end (Dec 2024 - Jan 2025) and an empty block."""
    rng = np.random.default_rng(42)
    start = day(dt.date(2024, 12, 20))
    blocks = [random_block(rng, "A", 60, start, 25), random_block(rng, "B", 45, start, 25),
              make_block("E", [], [], (np.zeros(0),) * 5),
              random_block(rng, "C", 30, start, 25)]
    first = {2025: 501}
    numbered = number_blocks("1000", blocks, first)
    return blocks, numbered, first


def test_number_blocks_ids_run_per_year_in_posting_order(numbered_sample):
    blocks, numbered, first = numbered_sample
    entries = numbered.entries
    ids = entries.document_id.to_pylist()
    total = sum(len(b) for b in blocks)
    assert len(ids) == total and len(set(ids)) == total, "one unique id per entry"
    parsed = [ID.match(i) for i in ids]
    malformed = [i for i, p in zip(ids, parsed) if not p]
    assert not malformed, f"ids not <co>-<year>-<10 digits>: {malformed[:3]}"
    assert {p["co"] for p in parsed} == {"1000"}
    year = np.array([int(p["year"]) for p in parsed])
    seq = np.array([int(p["seq"]) for p in parsed])
    posting_year = np.array([(EPOCH + dt.timedelta(days=int(d))).year
                             for d in entries.posting_day])
    assert np.array_equal(year, posting_year), "the id's year is the posting year"
    key = entries.posting_day * 86_400 + entries.seconds
    assert np.all(np.diff(key) >= 0), "entries come out in (posting day, time) order"
    for y, start in ((2024, 1), (2025, 501)):
        mask = year == y
        assert mask.any(), f"sample has no entries in {y}"
        assert seq[mask].tolist() == list(range(start, start + int(mask.sum()))), \
            f"{y}: sequence must run contiguously from {start} in posting order"
        # strictly increasing ids <=> strictly increasing sequence along (day, time)
        k = key[mask][np.argsort(seq[mask])]
        assert np.all(np.diff(k) >= 0), f"{y}: a later number was posted earlier"
    assert first == {2024: 1 + int((year == 2024).sum()),
                     2025: 501 + int((year == 2025).sum())}, "next free numbers handed back"


def test_number_blocks_breaks_ties_by_block_then_index(numbered_sample):
    blocks, numbered, _ = numbered_sample
    position = {i: p for p, i in enumerate(numbered.entries.document_id.to_pylist())}
    rows = []
    for b_index, (b, ids) in enumerate(zip(blocks, numbered.block_ids)):
        for j, entry_id in enumerate(ids.to_pylist()):
            rows.append((int(b.posting_day[j]), int(b.seconds[j]), b_index, j,
                         position[entry_id]))
    expected = [r[4] for r in sorted(rows)]
    assert expected == list(range(len(rows))), \
        "same (day, time): the earlier block, then the lower index, gets the lower number"


def test_number_blocks_block_ids_map_back_to_their_entries(numbered_sample):
    blocks, numbered, _ = numbered_sample
    e, lines = numbered.entries, numbered.lines
    position = {i: p for p, i in enumerate(e.document_id.to_pylist())}
    assert np.all(np.diff(lines.entry) >= 0), "numbered lines grouped by entry"
    starts = np.searchsorted(lines.entry, np.arange(len(e) + 1))
    for b, ids in zip(blocks, numbered.block_ids):
        assert len(ids) == len(b)
        for j, entry_id in enumerate(ids.to_pylist()):
            p = position[entry_id]
            assert e.posting_day[p] == b.posting_day[j] and e.seconds[p] == b.seconds[j]
            assert e.reference_id[p].as_py() == b.reference_id[j].as_py(), entry_id
            assert e.partner_id[p].as_py() == b.partner_id[j].as_py(), entry_id
            assert e.header_text[p].as_py() == b.header_text[j].as_py(), entry_id
            mine = b.line_entry == j
            got = slice(starts[p], starts[p + 1])
            for name, theirs in (("account", lines.account), ("debit", lines.debit),
                                 ("credit", lines.credit), ("cost_center", lines.cost_center)):
                assert theirs[got].tolist() == getattr(b, name)[mine].tolist(), \
                    f"{entry_id}: {name} of its lines differ from the block's entry {j}"


# ---- Block.select ----------------------------------------------------------------------------

def test_select_drops_entries_with_their_lines():
    rng = np.random.default_rng(7)
    b = random_block(rng, "S", 25, day(dt.date(2024, 5, 1)), 20)
    keep = rng.random(25) < 0.6
    keep[0], keep[-1] = False, True
    s = b.select(keep)
    kept = np.flatnonzero(keep)
    assert len(s) == len(kept)
    assert s.reference_id.to_pylist() == [f"S-{j}" for j in kept]
    assert s.posting_day.tolist() == b.posting_day[kept].tolist()
    assert s.header_text.to_pylist() == b.header_text.take(pa.array(kept)).to_pylist()
    assert s.partner_id.to_pylist() == b.partner_id.take(pa.array(kept)).to_pylist()
    for new, old in enumerate(kept):
        for name in ("account", "debit", "credit", "cost_center"):
            assert getattr(s, name)[s.line_entry == new].tolist() == \
                getattr(b, name)[b.line_entry == old].tolist(), \
                f"kept entry {old} (now {new}) lost or changed its {name} lines"
    assert len(s.line_entry) == int(keep[b.line_entry].sum()), "dropped entries' lines gone"
    assert np.all(np.diff(s.line_entry) >= 0) and set(s.line_entry) == set(range(len(kept)))
    net = np.bincount(s.line_entry, weights=s.debit - s.credit, minlength=len(s))
    assert not net.any(), "kept entries still balance"


def test_select_refuses_a_block_with_document_tables():
    b = make_block("T", [day(dt.date(2024, 1, 2))], [0],
                   (np.zeros(2), np.array([1, 2]), np.array([5, 0]), np.array([0, 5]),
                    np.full(2, -1)),
                   tables={"deliveries": DocTable({"delivery_id": pa.array(["D1"])},
                                                  np.zeros(1, np.int64))})
    with pytest.raises(ValueError):
        b.select(np.array([True]))
