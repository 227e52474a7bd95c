"""Payment schedules of invoices (flows.settlement.payment_schedule) on seeded samples."""

from __future__ import annotations

import numpy as np
import pytest

from datasynth.generators.ledger.flows.common import percent_of
from datasynth.generators.ledger.flows.settlement import LATENESS, payment_schedule

N = 3000


def invoices(seed: int, lateness=None):
    """A seeded sample of invoices: dates, gross amounts (some below the 200 floor of a
    partial payment), terms, discounts offered (or not) and payment behaviour."""
    rng = np.random.default_rng(seed)
    day = 19_700 + rng.integers(0, 365, N)
    gross = np.where(rng.random(N) < 0.1, rng.integers(1, 200, N), rng.integers(200, 10**8, N))
    terms = rng.choice([0, 15, 30, 45, 60], N)
    percent = rng.choice([0.0, 0.0, 1.0, 2.0, 3.0], N)
    discount_days = np.where(percent > 0, rng.choice([0, 7, 10, 14], N), 0)
    behavior = rng.integers(0, len(LATENESS), N)
    late = LATENESS[behavior] if lateness is None else np.tile(lateness, (N, 1))
    return {"invoice_day": day, "gross": gross, "terms_days": terms,
            "discount_percent": percent, "discount_days": discount_days, "lateness": late}


def schedule(seed: int, take_rate=0.7, partial_rate=0.3, lateness=None):
    inv = invoices(seed, lateness)
    rows = payment_schedule(np.random.default_rng(seed + 100), take_rate=take_rate,
                            partial_rate=partial_rate, **inv)
    return inv, rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_instalments_sum_exactly_to_the_gross(seed):
    inv, rows = schedule(seed)
    paid = np.zeros(N, np.int64)
    np.add.at(paid, rows["invoice"], rows["cleared"])
    bad = np.flatnonzero(paid != inv["gross"])
    assert len(bad) == 0, f"invoices {bad[:5]} cleared {paid[bad[:5]]} != {inv['gross'][bad[:5]]}"
    assert (rows["cleared"] > 0).all(), "every instalment clears something"
    assert np.array_equal(rows["due"], inv["invoice_day"] + inv["terms_days"])
    assert (rows["day"] >= inv["invoice_day"][rows["invoice"]]).all(), "paid before invoiced"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_discounts_only_when_taken_within_the_discount_days(seed):
    inv, rows = schedule(seed)
    i = rows["invoice"]
    has = rows["discount"] > 0
    assert has.any(), "the sample should take some discounts"
    assert (inv["discount_percent"][i][has] > 0).all(), "discount where none was offered"
    elapsed = rows["day"] - inv["invoice_day"][i]
    assert (elapsed[has] <= inv["discount_days"][i][has]).all(), \
        "discount taken after the discount period"
    expected = percent_of(inv["gross"][i], inv["discount_percent"][i] / 100.0)
    assert np.array_equal(rows["discount"][has], expected[has]), "discount != percent x gross"
    assert (rows["discount"] < rows["cleared"]).all(), "a discount as large as the payment"
    # a discounted invoice is settled in one payment
    counts = np.bincount(i, minlength=N)
    assert (counts[i[has]] == 1).all(), "a discounted invoice was paid in instalments"


def test_no_discount_without_take_rate_and_all_when_always_taken_early():
    _, never = schedule(4, take_rate=0.0)
    assert not never["discount"].any(), "take_rate 0 still took discounts"
    inv, always = schedule(4, take_rate=1.0, lateness=np.array([-5, -1]))
    i = always["invoice"]
    offered = inv["discount_percent"] > 0
    taken = np.zeros(N, bool)
    taken[i[always["discount"] > 0]] = True
    # a tiny invoice may round its discount to zero
    expected = offered & (percent_of(inv["gross"], inv["discount_percent"] / 100.0) > 0)
    assert np.array_equal(taken, expected), "early payers offered a discount must all take it"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_partial_invoices_have_two_rows(seed):
    inv, rows = schedule(seed)
    i = rows["invoice"]
    counts = np.bincount(i, minlength=N)
    assert set(np.unique(counts)) <= {1, 2}, "an invoice has one or two settlement rows"
    two = counts == 2
    assert two.any(), "the sample should have instalments"
    assert np.array_equal(two[i], rows["partial"]), "rows flagged partial <=> invoice has two"
    assert (inv["gross"][two] >= 200).all(), "instalments of an invoice under 200"
    assert np.all(np.diff(i) >= 0), "rows ordered by invoice"
    first = np.searchsorted(i, np.flatnonzero(two))
    assert (rows["day"][first + 1] > rows["day"][first]).all(), \
        "the second instalment must come after the first"
    assert (rows["discount"][first] == 0).all() and (rows["discount"][first + 1] == 0).all()
    _, single = schedule(seed, partial_rate=0.0)
    assert len(single["invoice"]) == N and not single["partial"].any(), \
        "partial_rate 0 still split invoices"
