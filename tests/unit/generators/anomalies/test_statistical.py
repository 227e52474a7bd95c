"""Statistical anomalies (generators/anomalies/statistical.py), checked on written output.

One seeded run (two companies, a year) with only the statistical family injected at 10 % of
the entries, and one with injection off, same seed. An entry of one run is the same business
event as an entry of the other when its reference, user, time of day and line count agree
(no statistical type changes those; a burst's copies are new entries). Each type's rule is
written from its definition and measured on the books themselves — an account's range, a
user's first digits, a kind's level — never on the labels; the labels then have to be what
the rule finds. Every entry that differs from its twin, or has none, must be labelled, save
the entries computed from the books after injection (VAT returns, financing, the close) and
the template entries the fit to ``target_count`` adds or drops.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from decimal import Decimal

import numpy as np
import pytest

from tests.unit.generators.anomalies.books import (
    FIT,
    Entry,
    Runs,
    assert_every_type_injected,
    assert_flags_equal_labels,
    assert_same_bytes,
    assert_verifies,
    family_config,
    written_runs,
)

TYPES = ("unusual_amount_high", "unusual_amount_low", "benford_violation",
         "repeating_amount", "activity_burst", "level_shift")
# entries that post no business document: the only ones whose amounts may change alone
NO_DOCUMENT = {"gl_template", "expense_claim", "payroll_run"}
ANTI_BENFORD = np.array([0.05, 0.05, 0.05, 0.10, 0.25, 0.10, 0.20, 0.05, 0.15])
CHI2_8DF_999 = 26.12          # chi-square, 8 degrees of freedom, 99.9th percentile
CONFIG = family_config("statistical")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    """The run with the statistical family and the one with injection switched off."""
    return Runs.read(*written_runs(tmp_path_factory, "statistical", CONFIG,
                                   clean=family_config("statistical", enabled=False)))


def _normal_amounts(entries: dict[str, Entry]) -> dict[tuple, np.ndarray]:
    """Per company and account: the debit amounts of its lines on unlabelled business
    entries (the account's usual range in these books)."""
    out: dict[tuple, list[float]] = defaultdict(list)
    for e in entries.values():
        if e.anomaly is None and e.business:
            for account, debit, _, _ in e.lines:
                if debit > 0:
                    out[(e.company, account)].append(float(debit))
    return {k: np.array(v) for k, v in out.items() if len(v) >= 30}


def _first_digit(amount: Decimal) -> int:
    return int(str(int(amount * 100))[0])


def _close_day(day: dt.date) -> bool:
    """The first or last four days of a month: the close, when finance posts in bulk."""
    return day.day <= 4 or (day + dt.timedelta(days=4)).month != day.month


# ---- the run as a whole ----------------------------------------------------------------------
def test_every_statistical_type_is_injected(runs):
    assert_every_type_injected(runs.labels, TYPES)
    # one label per altered or added journal entry, nothing else
    assert_flags_equal_labels(runs.root, {"journal_entries": "document_id"}, exhaustive=True)


def test_verify_passes(runs):
    assert_verifies(runs.root)


def test_altered_entries_are_exactly_the_labelled_ones(runs):
    """Amount changes only (same accounts, cost centers, dates, texts and users), except the
    bursts, which are added entries."""
    for d, e in runs.on.items():
        t = runs.twin[d]
        if not e.business:
            continue
        if t is None:
            assert e.anomaly == "activity_burst" or e.header in FIT, (d, e.header, e.anomaly)
            continue
        same = e.lines == t.lines and (e.posting, e.document, e.header) == \
            (t.posting, t.document, t.header)
        assert same == (e.anomaly is None), (d, e.anomaly)
        if e.anomaly is not None:
            assert [(a, c, x > 0, y > 0) for a, x, y, c in e.lines] == \
                [(a, c, x > 0, y > 0) for a, x, y, c in t.lines]
            assert (e.posting, e.document, e.header) == (t.posting, t.document, t.header)
            assert e.amount != t.amount and e.reference_type in NO_DOCUMENT
    assert sum(runs.twin[d] is not None for d in runs.on) > 0.95 * len(runs.on)


def test_same_seed_same_bytes(runs, tmp_path):
    assert_same_bytes(CONFIG, runs.root, tmp_path, ("journal_entries", "anomaly_labels"))


# ---- one rule per type -----------------------------------------------------------------------
def test_unusual_amount_high(runs):
    """A two-line entry above the 99.9th percentile of its debit account's usual amounts
    (unlabelled business entries of the company); the labelled ones stand at least twice
    above it."""
    usual = _normal_amounts(runs.on)
    top = {k: np.quantile(v, 0.999) for k, v in usual.items()}
    found = {d for d, e in runs.on.items() if e.business and e.debit_account
             and (e.company, e.debit_account) in top
             and float(e.amount) > top[(e.company, e.debit_account)]}
    labelled = runs.labelled("unusual_amount_high")
    normal = {d for d, e in runs.on.items() if e.anomaly is None}
    assert labelled <= found
    assert all(float(runs.on[d].amount) > 2 * top[(runs.on[d].company,
                                                     runs.on[d].debit_account)]
               for d in labelled)
    # the rule's other finds are the normal tail it cuts off (about 0.1 %), not more
    assert len(found & normal) < 0.003 * len(normal)


def test_unusual_amount_low(runs):
    """A two-line entry below the 0.1th percentile of its debit account's usual amounts, and
    above zero; the labelled ones stand at least twice below it."""
    usual = _normal_amounts(runs.on)
    bottom = {k: np.quantile(v, 0.001) for k, v in usual.items()}
    found = {d for d, e in runs.on.items() if e.business and e.debit_account
             and (e.company, e.debit_account) in bottom
             and 0 < float(e.amount) < bottom[(e.company, e.debit_account)]}
    labelled = runs.labelled("unusual_amount_low")
    normal = {d for d, e in runs.on.items() if e.anomaly is None}
    assert labelled <= found
    assert all(2 * float(runs.on[d].amount) < bottom[(runs.on[d].company,
                                                        runs.on[d].debit_account)]
               for d in labelled)
    assert len(found & normal) < 0.003 * len(normal)


def test_benford_violation(runs):
    """Each scheme is one user's entries whose leading digits are far likelier under the
    anti-Benford distribution than under that user's own normal first digits: the
    log-likelihood ratio beats 99.9 % of same-size samples of the user's normal manual
    entries. Together the schemes' digits fit the anti-Benford distribution, and every
    amount kept its order of magnitude."""
    schemes = runs.scheme_entries("benford_violation")
    normal: dict[tuple, list[int]] = defaultdict(list)
    for e in runs.on.values():
        if e.anomaly is None and e.business and e.source == "manual" and e.amount > 0:
            normal[(e.company, e.created_by)].append(_first_digit(e.amount))
    rng = np.random.default_rng(0)
    pooled: list[int] = []
    users = [(s[0].company, s[0].created_by) for s in schemes.values()]
    assert len(set(users)) == len(users)                    # one scheme a user
    for entries in schemes.values():
        user = (entries[0].company, entries[0].created_by)
        assert all((e.company, e.created_by) == user for e in entries)
        assert len(entries) >= 30
        digits = np.array([_first_digit(e.amount) for e in entries])
        own = np.array(normal[user])
        p = (np.bincount(own, minlength=10)[1:] + 1) / (len(own) + 9)
        weight = np.log(ANTI_BENFORD / p)
        score = weight[digits - 1].sum()
        samples = [weight[rng.choice(own, len(digits), replace=False) - 1].sum()
                   for _ in range(2000)]
        assert score > np.quantile(samples, 0.999), user
        pooled += digits.tolist()
        for e in entries:
            twin = runs.twin[e.document_id]
            assert twin is None or len(str(int(e.amount * 100))) == \
                len(str(int(twin.amount * 100)))
    observed = np.bincount(pooled, minlength=10)[1:]
    expected = ANTI_BENFORD * len(pooled)
    assert ((observed - expected) ** 2 / expected).sum() < CHI2_8DF_999


def _repeats(entries: dict[str, Entry]) -> set[str]:
    """Entries in a run of three or more two-line entries without a business document, of
    one user and debit account, with the same exact amount within three weeks."""
    groups: dict[tuple, list[Entry]] = defaultdict(list)
    for e in entries.values():
        if e.reference_type in NO_DOCUMENT and e.debit_account:
            groups[(e.company, e.debit_account, e.created_by, e.amount)].append(e)
    found = set()
    for group in groups.values():
        group.sort(key=lambda e: e.posting)
        for first in group:
            window = [e for e in group if 0 <= (e.posting - first.posting).days <= 21]
            if len(window) >= 3:
                found |= {e.document_id for e in window}
    return found


def _natural(runs: Runs, found: set[str], found_off: set[str]) -> list[str]:
    """Entries a rule finds in the run with injection that are neither labelled nor found by
    it in the run without (as the same event) — none may be left."""
    return [d for d in found if runs.on[d].anomaly is None
            and not (runs.twin[d] is not None and runs.twin[d].document_id in found_off)
            and not (runs.twin[d] is None and runs.on[d].header in FIT)]


def test_repeating_amount(runs):
    """Three or more two-line entries without a business document, of one user and debit
    account, with the same exact amount within three weeks: every labelled entry, and
    otherwise only the rare chance repetitions the run without injection has too. Each
    scheme is 3-6 such entries."""
    found = _repeats(runs.on)
    labelled = runs.labelled("repeating_amount")
    assert labelled <= found
    assert found - labelled <= {d for d, e in runs.on.items() if e.anomaly is None}
    off = _repeats(runs.off)
    assert _natural(runs, found, off) == []
    assert len(off) <= 0.05 * len(labelled)
    for entries in runs.scheme_entries("repeating_amount").values():
        assert 3 <= len(entries) <= 6
        assert len({(e.company, e.debit_account, e.created_by, e.amount)
                    for e in entries}) == 1


def _bursts(entries: dict[str, Entry]) -> list[list[Entry]]:
    """Windows of one hour in which one person keys five or more manual entries, on days
    outside the close (a month's first and last four days)."""
    by_user: dict[tuple, list[Entry]] = defaultdict(list)
    for e in entries.values():
        if e.source == "manual" and not _close_day(e.posting):
            by_user[(e.company, e.created_by)].append(e)
    windows = []
    for group in by_user.values():
        group.sort(key=lambda e: e.created_at)
        start = 0
        for end in range(len(group)):
            while group[end].created_at - group[start].created_at >= dt.timedelta(hours=1):
                start += 1
            if end - start + 1 >= 5:
                windows.append(group[start:end + 1])
    return windows


def test_activity_burst(runs):
    """Five or more manual entries by one person within an hour: every labelled burst is
    found, together with the person's normal work of that hour; any other such window is
    one the run without injection has too (a busy hour of a high-volume user), and those
    are rare. A burst is 5-12 new entries copying the kinds of entry the person usually
    posts."""
    windows = _bursts(runs.on)
    found = {e.document_id for w in windows for e in w}
    labelled = runs.labelled("activity_burst")
    assert labelled <= found
    natural = {e.document_id for w in _bursts(runs.off) for e in w}
    quiet = [w for w in windows if not any(e.anomaly == "activity_burst" for e in w)]
    assert _natural(runs, {e.document_id for w in quiet for e in w}, natural) == []
    assert len(natural) <= 0.1 * len(labelled)
    usual: dict[tuple, set[str]] = defaultdict(set)
    for e in runs.on.values():
        if e.anomaly is None:
            usual[(e.company, e.created_by)].add(e.header)
    references = Counter((e.company, e.reference_id) for e in runs.on.values()
                         if e.reference_id)
    for entries in runs.scheme_entries("activity_burst").values():
        assert 5 <= len(entries) <= 12
        assert len({(e.company, e.created_by) for e in entries}) == 1
        times = sorted(e.created_at for e in entries)
        assert times[-1] - times[0] < dt.timedelta(hours=1)
        assert {e.header for e in entries} <= usual[(entries[0].company,
                                                     entries[0].created_by)]
        assert all(references[(e.company, e.reference_id)] == 1 for e in entries)


def _shift_z(logs: np.ndarray, after: np.ndarray) -> float:
    """How many standard errors the mean log amount after a date stands above the mean
    before it (two-sample, pooled spread; at least 1 %)."""
    na, nb = int(after.sum()), int((~after).sum())
    within = float(((logs[after] - logs[after].mean()) ** 2).sum()
                   + ((logs[~after] - logs[~after].mean()) ** 2).sum())
    spread = max(math.sqrt(within / max(na + nb - 2, 1)), 0.01)
    return float(logs[after].mean() - logs[~after].mean()) / (spread * math.sqrt(1 / na + 1 / nb))


def _series(entries: dict[str, Entry], kind: tuple, skip: set) -> tuple[np.ndarray, ...]:
    """Log amounts and posting days of the entries of one kind (but those labelled ``skip``)."""
    chosen = [e for e in entries.values() if e.reference_type in NO_DOCUMENT
              and e.recurring_kind == kind and e.anomaly not in skip]
    return (np.log([float(e.amount) for e in chosen]),
            np.array([e.posting.toordinal() for e in chosen]))


def test_level_shift(runs):
    """Each scheme is every entry of one recurring kind (text, debit and credit account) from
    a date to the end of the run, all 1.5-3 times what they were by one factor. At that date
    the kind's mean log amount stands at least three standard errors above its level
    before, and at least 1.5 more than the same date shows in the run without injection."""
    others = set(TYPES) - {"level_shift"}
    kinds: dict[tuple, list[Entry]] = defaultdict(list)
    for e in runs.on.values():
        if e.reference_type in NO_DOCUMENT and e.anomaly not in others:
            kinds[e.recurring_kind].append(e)
    schemes = runs.scheme_entries("level_shift")
    for entries in schemes.values():
        kind = {e.recurring_kind for e in entries}
        assert len(kind) == 1
        kind = kind.pop()
        start = min(e.posting for e in entries)
        assert {e.document_id for e in entries} == \
            {e.document_id for e in kinds[kind] if e.posting >= start}
        twins = [(e, runs.twin[e.document_id]) for e in entries
                 if runs.twin[e.document_id] is not None]
        assert len(twins) >= 0.5 * len(entries)
        ratios = [e.amount / t.amount for e, t in twins]
        tolerance = max(1 / t.amount for _, t in twins)
        assert max(ratios) - min(ratios) <= 2 * tolerance
        assert Decimal("1.5") - tolerance <= ratios[0] <= 3 + tolerance
        logs, days = _series(runs.on, kind, others)
        shift = _shift_z(logs, days >= start.toordinal())
        logs, days = _series(runs.off, kind, set())
        assert shift >= 3
        assert shift - _shift_z(logs, days >= start.toordinal()) >= 1.5
    assert sum(len(v) for v in schemes.values()) >= 4 * len(schemes)
