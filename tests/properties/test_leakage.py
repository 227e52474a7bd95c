"""Anomaly labels do not leak: a classifier that is not shown the features an anomaly
defines separates the labelled journal entries of the fraud, error and process families from
normal entries only weakly (``benchmarks/leakage.py``; its docstring says how).

A small run (20,000 entries, two companies, 2 % injected) with a generous bound, AUC < 0.85
(the benchmark's bound at 100,000 entries is 0.75). Controls check that the measure can fail:
random normal entries relabelled score near chance, entries marked by an artefact (a user no
real entry has) score near 1.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

ENTRIES = 20_000
SEED = 42
BOUND = 0.85
FAMILIES = ("fraud", "error", "process")


def _load_leakage():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "leakage.py"
    spec = importlib.util.spec_from_file_location("benchmarks_leakage", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


leakage = _load_leakage()


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    out = tmp_path_factory.mktemp("leakage") / "out"
    leakage.generate(ENTRIES, SEED, out)
    return leakage.load(out)


@pytest.fixture(scope="module")
def families(entries):
    """Family rows of the report (types are not needed here)."""
    x, keys = leakage.design(entries), leakage.like_keys(entries)
    out = {}
    for family in FAMILIES:
        members = np.flatnonzero(entries.family == family)
        types = sorted(set(entries.anomaly_type[members]))
        out[family] = leakage.evaluate(entries, x, keys, "family", family, family, members,
                                       types, SEED, leakage.MIN_LABELS, 1.0, all_normal=False)
    return out


@pytest.mark.parametrize("family", FAMILIES)
def test_family_does_not_leak(families, family):
    g = families[family]
    assert g.auc is not None, f"{family}: {g.labelled} labelled entries, {g.note}"
    assert g.auc < BOUND, (f"{family}: AUC {g.auc:.3f} (95 % CI {g.ci[0]:.2f}-{g.ci[1]:.2f}) "
                           f"on {', '.join(g.features)} without {', '.join(g.dropped)}; "
                           f"run benchmarks/leakage.py for the features that drive it")


def _relabelled(entries, rows, name):
    """The entries with only ``rows`` labelled, as type ``name`` of the error family."""
    anomaly = np.full(len(entries), None, dtype=object)
    family = np.full(len(entries), None, dtype=object)
    anomaly[rows], family[rows] = name, "error"
    return leakage.Entries(entries.document_id, dict(entries.columns), anomaly, family,
                           entries.document_id.copy(), {})


def _auc(entries, rows, name):
    x, keys = leakage.design(entries), leakage.like_keys(entries)
    g = leakage.evaluate(entries, x, keys, "type", name, "error", rows, [name], SEED, 20, 1.0,
                         all_normal=False)
    return g.auc


def _normal_sample(entries, n):
    normal = np.flatnonzero(leakage.unlabelled(entries))
    return np.sort(np.random.default_rng(0).choice(normal, n, replace=False))


def test_random_labels_score_chance(entries):
    rows = _normal_sample(entries, 300)
    auc = _auc(_relabelled(entries, rows, "duplicate_entry"), rows, "duplicate_entry")
    assert 0.35 < auc < 0.65


def test_an_artefact_is_found(entries):
    """The same entries, created by a user no other entry has: a leak the measure must see
    (duplicate_entry does not define the user)."""
    rows = _normal_sample(entries, 300)
    marked = _relabelled(entries, rows, "duplicate_entry")
    user = marked.columns["user"].copy()
    user[rows] = "LEAKED-USER"
    marked.columns["user"] = user
    assert _auc(marked, rows, "duplicate_entry") > 0.95


def test_comparison_is_like_with_like(entries):
    """A type whose definition names the kind of entry is compared with normal entries of
    that kind: the weighted normal entries have its labelled entries' mix of kinds."""
    keys = leakage.like_keys(entries)
    normal = leakage.unlabelled(entries)
    kind = keys["doctype"] * 1000 + keys["reftype"]
    rows = _normal_sample(entries, 300)
    w = leakage.comparison_weights(keys, normal, rows, np.full(len(rows), "duplicate_payment"))
    assert w.sum() == pytest.approx(len(rows))
    labelled = np.bincount(kind[rows], minlength=kind.max() + 1)
    weighted = np.bincount(kind, weights=w, minlength=kind.max() + 1)
    assert np.allclose(weighted, labelled)


def test_weighted_auc_is_sklearns():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(1)
    y = (rng.random(500) < 0.2).astype(int)
    score = np.round(rng.random(500) + 0.3 * y, 1)          # many ties
    weight = rng.random(500) * 3
    assert leakage.weighted_auc(y, score, weight) == pytest.approx(
        roc_auc_score(y, score, sample_weight=weight))
