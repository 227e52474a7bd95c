"""transactions.target_count is exactly the number of business journal entries (not the
opening entry, not the period close), split between companies by volume weight — the
document flows plus r2r.fit_to_target — for several target sizes and run lengths."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.generators.ledger.flows import company as company_flows
from tests.unit.generators.flows.runs import (
    CLOSE_SEQUENCE,
    business_mask,
    days,
    first_lines,
    generate,
    sequence,
    strings,
)

CASES = {  # name: (target_count, months, start, seed, volume weights of the two companies)
    "2000_over_12_months": (2000, 12, "2024-01-01", 3, (1.0, 0.5)),
    "5000_over_6_months": (5000, 6, "2024-07-01", 8, (1.0, 0.5)),
    "3000_over_9_months_uneven": (3000, 9, "2023-05-01", 21, (0.3, 1.7)),
    "400_over_12_months_one_company": (400, 12, "2024-01-01", 1, (1.0,)),
}
COMPANIES = [{"code": "1000", "name": "Alpha Inc.", "currency": "USD", "country": "US"},
             {"code": "2000", "name": "Beta GmbH", "currency": "EUR", "country": "DE"}]


def largest_remainder(total: int, weights) -> list[int]:
    exact = [total * w / sum(weights) for w in weights]
    counts = [math.floor(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[:total - sum(counts)]:
        counts[i] += 1
    return counts


def spied_run(target, months, start, seed, weights, **overrides):
    """A run, and per company what fit_to_target saw: (entries built, target), and the
    entries of the fitted blocks that have no journal lines (header text, reference)."""
    companies = [{**c, "volume_weight": w} for c, w in zip(COMPANIES, weights)]
    fits, empty = {}, {}
    real = company_flows.fit_to_target

    def spy(books, rng, blocks, singles, goal, *args):
        fits[books.code] = (sum(len(b) for b in blocks[1:]), goal)
        out = real(books, rng, blocks, singles, goal, *args)
        empty[books.code] = [(b.header_text[e].as_py(), b.reference_id[e].as_py())
                             for b in out for e in np.setdiff1d(np.arange(len(b)),
                                                                b.line_entry)]
        return out

    with pytest.MonkeyPatch.context() as patch:      # workers=1 runs in this process
        patch.setattr(company_flows, "fit_to_target", spy)
        config, result = generate(transactions={"target_count": target}, companies=companies,
                                  **{"global": {"seed": seed, "industry": "manufacturing",
                                                "start_date": start, "period_months": months,
                                                "group_currency": "USD"}}, **overrides)
    assert set(fits) == {c["code"] for c in companies}, "fit_to_target not called per company"
    return config, result, fits, empty


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    target, _, _, _, weights = CASES[request.param]
    config, result, fits, empty = spied_run(*CASES[request.param])
    return request.param, config, result, target, weights, fits, empty


def business_per_company(config, result) -> list[int]:
    first = first_lines(result.table("journal_entries"))
    business = business_mask(first)
    codes = strings(first, "company_code")
    return [int((business & (codes == c.code)).sum()) for c in config.companies]


def test_business_entries_equal_the_target_split_by_volume_weight(case):
    name, config, result, target, weights, fits, _ = case
    expected = largest_remainder(target, weights)
    got = business_per_company(config, result)
    assert got == expected, f"{name}: business entries per company {got}, expected " \
                            f"{expected} (flows built, target: {fits})"
    assert sum(got) == target
    assert [fits[c.code][1] for c in config.companies] == expected, \
        f"{name}: fit_to_target was given other targets {fits}"


def test_every_entry_the_flows_build_posts_lines(case):
    """An entry without lines is counted towards the target but never reaches the journal."""
    name, *_, empty = case
    assert not any(empty.values()), f"{name}: entries without journal lines {empty}"


START_UP = (1500, 6, "2024-01-01", 4, (1.0, 0.5))


@pytest.fixture(scope="module")
def start_up():
    return spied_run(*START_UP, opening_balances={"enabled": False})


def test_start_up_companies_post_exactly_the_target(start_up):
    config, result, fits, _ = start_up
    expected = largest_remainder(START_UP[0], START_UP[4])
    got = business_per_company(config, result)
    assert got == expected, f"start-up: business entries {got}, expected {expected} ({fits})"


def test_start_up_flows_build_no_entry_without_lines(start_up):
    *_, empty = start_up
    assert not any(empty.values()), f"start-up: entries without journal lines {empty}"


def test_only_one_opening_entry_and_close_entries_are_numbered_apart(case):
    name, config, result, *_ = case
    first = first_lines(result.table("journal_entries"))
    codes, doc_type = strings(first, "company_code"), strings(first, "document_type")
    for c in config.companies:
        assert int(((codes == c.code) & (doc_type == "OB")).sum()) == 1, \
            f"{name}: {c.code} must have exactly one opening entry"
    business = business_mask(first)
    # the flows' entries are the references of documents and templates; the close's are not
    refs = strings(first, "reference_document_type")
    close_refs = set(refs[~business & (doc_type != "OB")])
    assert close_refs and close_refs <= {"depreciation_run", "accrual", "tax_provision",
                                         "year_end_close"}, f"{name}: close entries {close_refs}"
    ids = strings(first, "document_id")
    assert len(set(ids)) == len(ids), f"{name}: duplicate journal entry ids"
    assert np.isin(refs[business], ["depreciation_run", "tax_provision",
                                    "year_end_close"]).sum() == 0, \
        f"{name}: period-close references among the business entries"


def test_entry_numbers_run_per_company_and_year_in_posting_order(case):
    """Business entries (with the opening entry) are numbered from 1 in each company and
    year in (posting date, time) order; the close from 9000000001."""
    name, _, result, *_ = case
    check_numbering(name, result)


def test_start_up_entry_numbers_have_no_gaps(start_up):
    _, result, *_ = start_up
    check_numbering("start-up", result)


def check_numbering(name, result):
    first = first_lines(result.table("journal_entries"))
    ids = strings(first, "document_id")
    seq = sequence(ids)
    id_year = np.array([int(i.split("-")[-2]) for i in ids])
    codes = strings(first, "company_code")
    assert all(i.startswith(f"{c}-") for i, c in zip(ids, codes)), f"{name}: id prefix"
    posting = first["posting_date"]
    assert np.array_equal(id_year, pc.year(posting).to_numpy()), \
        f"{name}: an id's year is not its posting year"
    when = days(first, "posting_date") * 86_400 + \
        first["created_at"].cast(pa.int64()).to_numpy() // 1_000_000 % 86_400
    groups = defaultdict(list)
    for k in range(len(ids)):
        groups[(codes[k], id_year[k], seq[k] >= CLOSE_SEQUENCE)].append(k)
    for (co, year, close), rows in groups.items():
        rows = np.array(rows)[np.argsort(seq[rows])]
        start = CLOSE_SEQUENCE + 1 if close else 1
        assert seq[rows].tolist() == list(range(start, start + len(rows))), \
            f"{name}: {co} {year} {'close' if close else 'business'} numbers not contiguous " \
            f"from {start}"
        if not close:
            late = np.flatnonzero(np.diff(when[rows]) < 0)
            assert len(late) == 0, f"{name}: {co} {year}: {ids[rows[late[0] + 1]]} posted " \
                                   f"before {ids[rows[late[0]]]}"
