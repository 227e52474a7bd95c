"""Label leakage: can a simple classifier tell labelled journal entries from normal ones by
what the anomaly does NOT define?

    python benchmarks/leakage.py [--entries 100000] [--dir EXISTING_OUTPUT] [--seed 42]
                                 [--json FILE] [--write-md] [--keep DIR]
                                 [--min-labels 20] [--bound 0.75] [--quiet]

Why: generated fraud labels are worthless for machine learning when the anomalous rows come
from other distributions than the normal ones, or carry an artefact of the injection (a
special user, a round time, a line count no real entry has): any model then scores an AUC
near 0.99 on them and learns nothing that transfers to real books. That is the criticism of
PaySim-style data. A good generator makes an anomaly differ only in the dimension that
defines it (a weekend posting only in its date), so a classifier that is NOT shown that
dimension should do little better than chance (AUC 0.5).

What is measured, per anomaly family and per type (types with at least ``--min-labels``
labelled journal entries): the ROC AUC of a gradient-boosted tree classifier
(``HistGradientBoostingClassifier``, categorical features native, fixed random state) in
5-fold cross-validation (pooled out-of-fold scores), separating the labelled entries from
normal ones, on per-entry features

    amount   log10 of the entry's total debit
    account  gl_account of the entry's largest debit line (categorical)
    weekday  of posting_date (= of created_at)
    hour     of created_at
    lines    line count
    user     created_by (categorical)
    source, process (business_process), doctype (document_type)   (categorical)

minus the features the anomaly defines (``SPECS`` below; a family drops the union of its
types'). Two choices keep the measure honest both ways:

* Folds are grouped by scheme (``anomaly_labels.scheme_id``): the entries of one fictitious
  vendor or one activity burst are in the same fold, so the model must generalise to unseen
  schemes instead of recognising a scheme's other entries (which share a vendor or a user
  by definition, and would inflate the AUC without being leakage).
* Normal entries are compared "like with like" where the definition names the kind of entry:
  a duplicate payment is a vendor payment, so its entries are compared with normal vendor
  payments (same document type and reference document type), not with all entries (against
  which any payment is "unusual": the AUC would measure how rare payments are). The normal
  entries are weighted so that, for each type, they have the labelled entries' distribution
  over the columns in ``Spec.like`` (exactly: weight = labelled count / normal count of the
  cell; a cell without normal entries falls back to fewer columns, then to all). Where the
  definition says nothing about the kind of entry (a weekend posting may be any posting),
  ``like`` is empty and the comparison is with every normal entry, so an injector that only
  picks some kinds of entries shows up as leakage. For families the AUC against all normal
  entries (no matching) is printed too.

Normal entries are business entries without a label: not the opening entry (document type OB)
nor the period close (numbered from 9000000001). Large comparison sets are Poisson-sampled
(inclusion probability proportional to the weight, capped at 1; kept entries re-weighted by
1 / probability), so the estimate stays unbiased and a run at 100,000 entries takes a few
minutes on two cores. The 95 % interval is a Poisson bootstrap of the out-of-fold scores
over schemes and normal entries. Where a group's AUC is at or above ``--bound`` (a family's:
where its interval reaches it), what drives it is reported: the AUC of each feature alone,
with each feature left out, and against normal entries of the same kinds (document type and
reference document type matched for every type): near 0.5 there, the leak is in which kinds
of entry the injector picks, not in how it alters them.

The bound: every family that is not statistical by nature (fraud, error, process,
relational) below 0.75. Statistical anomalies are defined by distributions, so after their
defining features go there is little left to test; they are reported, not bounded.
Labels on other tables (documents, master data: a self-approved requisition posts nothing)
are not classified here; their counts are listed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FAMILIES = ("fraud", "error", "process", "statistical", "relational")
BOUNDED = ("fraud", "error", "process", "relational")   # not statistical by nature
BOUND = 0.75
MIN_LABELS = 20
FOLDS = 5
NEGATIVES_PER_POSITIVE = 25        # normal entries kept per labelled entry (at least MIN_NEG)
MIN_NEGATIVES = 10_000
CLOSE_SEQUENCE_BASE = 9_000_000_000
FEATURES = ("amount", "account", "weekday", "hour", "lines", "user", "source", "process",
            "doctype")
CATEGORICAL = frozenset({"account", "weekday", "user", "source", "process", "doctype"})
LIKE_COLUMNS = ("doctype", "reftype", "source", "account", "process")
KIND = ("doctype", "reftype")      # what kind of entry: SA/gl_template, KZ/vendor_payment, ...
RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS_MD = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


@dataclass(frozen=True)
class Spec:
    """What an anomaly type defines among the features (dropped from the model), and which
    columns the normal entries it is compared with share with it (the kind of entry its
    definition names)."""

    defines: tuple[str, ...] = ()
    like: tuple[str, ...] = ()
    why: str = ""


# Read from the catalog's descriptions (src/datasynth/generators/anomalies/catalog.py). A
# feature is "defined" when the definition sets or changes it, so that a correct injection
# MUST make it differ from normal entries; a consequence an injector could avoid (a date moved
# to the next period need not land on a Sunday) is not defined and counts as leakage.
SPECS: dict[str, Spec] = {
    # ---- fraud ----
    "fictitious_vendor": Spec((), KIND + ("account",),
                              "invoices for services and their payments: compared with real "
                              "service invoices to the same expense account and real payments; "
                              "what defines it is the vendor, not a feature here"),
    "duplicate_payment": Spec((), KIND, "a vendor payment like any other"),
    "split_purchase": Spec(("amount",), KIND, "amounts just below the approval limit"),
    "kickback": Spec(("amount",), KIND, "inflated prices"),
    "ghost_employee": Spec((), KIND, "payroll postings like the real ones"),
    "early_revenue": Spec(("account",), KIND + ("source",),
                          "revenue recognised (debit receivable, credit revenue) and reversed "
                          "(debit revenue): the accounts; the date near period end is not a "
                          "feature here"),
    "expense_capitalisation": Spec(("account",), KIND + ("source",),
                                   "debits an intangible-asset account"),
    "round_dollar_suspense": Spec(("amount", "account"), KIND + ("source",),
                                  "a manual GL entry of a round amount to suspense"),
    "self_approval": Spec(("user",), KIND, "the approver is the requester"),
    "channel_stuffing": Spec((), KIND, "ordinary sales and credit notes, timed at period end"),
    # ---- errors ----
    "duplicate_entry": Spec((), (), "a copy of any entry"),
    "reversed_sign": Spec(("account",), (), "the debit side changes account"),
    "transposed_digits": Spec(("amount",), ()),
    "decimal_shift": Spec(("amount",), ()),
    "wrong_period": Spec((), (), "the period changes; the weekday need not"),
    "wrong_account": Spec(("account",), ()),
    "wrong_cost_center": Spec((), (), "the cost center is not a feature here"),
    "backdated_entry": Spec((), (), "the date changes; the weekday need not"),
    "missing_field": Spec((), (), "an empty field (none of these features unless it is "
                          "created_by)"),
    "unbalanced_entry": Spec(("amount",), (), "debits differ from credits"),
    # ---- process ----
    "skipped_approval": Spec((), KIND),
    "late_approval": Spec((), KIND),
    "after_hours_posting": Spec(("hour",), ("source",), "a manual entry posted at night"),
    "weekend_posting": Spec(("weekday",), (), "any posting, on a Saturday or Sunday"),
    "invoice_without_po": Spec((), KIND, "a vendor invoice like the real ones"),
    "receipt_without_invoice": Spec((), KIND, "a goods receipt like the real ones"),
    "payment_before_receipt": Spec((), KIND + ("account",),
                                   "a stock purchase (invoice to GR/IR) and its payment, dated "
                                   "before the goods arrive"),
    "match_override": Spec((), KIND + ("account",),
                           "a stock invoice (to GR/IR, three-way matched) and its payment"),
    # ---- statistical ----
    "unusual_amount_high": Spec(("amount",), ()),
    "unusual_amount_low": Spec(("amount",), ()),
    "benford_violation": Spec(("amount", "user"), (), "one user's entries"),
    "repeating_amount": Spec(("amount",), ()),
    "activity_burst": Spec(("hour", "user"), (), "one user within an hour"),
    "level_shift": Spec(("amount", "account"), (), "one account's amounts"),
    # ---- relational ----
    "new_counterparty_large": Spec(("amount",), KIND, "a large first vendor invoice"),
    "dormant_account": Spec(("account",), ()),
    "unusual_account_pair": Spec(("account",), ()),
    "circular_flow": Spec(("account",), (), "through related-party accounts"),
}


def spec(name: str) -> Spec:
    return SPECS.get(name, Spec())


# ---- data -------------------------------------------------------------------------------------
@dataclass
class Entries:
    """Business journal entries, one row each; strings as object arrays (None for null)."""

    document_id: np.ndarray
    columns: dict[str, np.ndarray]     # the features' raw values and the ``like`` columns
    anomaly_type: np.ndarray           # None for normal entries
    family: np.ndarray                 # None for normal entries
    scheme: np.ndarray                 # label scheme id; the document id for normal entries
    document_labels: dict[str, int]    # (family/type -> labels on documents, not entries)

    def __len__(self) -> int:
        return len(self.document_id)


def load(out: Path) -> Entries:
    """Group ``journal_entries`` lines to entries in DuckDB, with their labels' family and
    scheme from ``anomaly_labels``."""
    import duckdb

    con = duckdb.connect()
    je = str(Path(out, "journal_entries", "*.parquet"))
    labels_dir = Path(out, "anomaly_labels")
    has_labels = labels_dir.exists() and any(labels_dir.glob("*.parquet"))
    labels = (f"read_parquet('{labels_dir / '*.parquet'}')" if has_labels else
              "(select null::varchar as document_id, null::varchar as family, "
              "null::varchar as scheme_id, null::varchar as table_name, "
              "null::varchar as anomaly_type where false)")
    table = _arrow(con.sql(f"""
        with e as (
            select document_id,
                   any_value(document_type) as doctype,
                   any_value(business_process) as process,
                   any_value(source) as source,
                   any_value(created_by) as "user",
                   any_value(reference_document_type) as reftype,
                   any_value(posting_date) as posting_date,
                   any_value(created_at) as created_at,
                   sum(debit_amount)::double as total_debit,
                   count(*) as lines,
                   first(gl_account order by debit_amount desc, line_number) as account,
                   any_value(anomaly_type) as anomaly_type
            from read_parquet('{je}') group by document_id),
        l as (
            select document_id, any_value(family) as family, min(scheme_id) as scheme
            from {labels} where table_name = 'journal_entries' group by document_id)
        select e.document_id, doctype, process, source, "user", reftype,
               isodow(posting_date) - 1 as weekday, hour(created_at) as hour,
               log10(greatest(total_debit, 0) + 1) as amount, lines, account,
               e.anomaly_type, l.family, coalesce(l.scheme, e.document_id) as scheme
        from e left join l using (document_id)
        where doctype <> 'OB'
          and cast(split_part(e.document_id, '-', 3) as bigint) < {CLOSE_SEQUENCE_BASE}
        order by e.document_id"""))
    documents = dict(con.execute(f"""
        select family || '/' || anomaly_type, count(*) from {labels}
        where table_name <> 'journal_entries' group by 1 order by 1""").fetchall())
    col = {name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names}
    anomaly_type = col["anomaly_type"]
    family = col["family"].copy()
    # an entry flagged but without a label row (should not happen): family from the catalog
    missing = np.flatnonzero([t is not None and f is None for t, f in zip(anomaly_type, family)])
    if len(missing):
        types = _catalog_families()
        family[missing] = [types.get(anomaly_type[i]) for i in missing]
    features = {name: col[name] for name in (*FEATURES, "reftype")}
    return Entries(col["document_id"], features, anomaly_type, family, col["scheme"],
                   documents)


def unlabelled(entries: Entries) -> np.ndarray:
    """Normal entries: no label."""
    return np.array([f is None for f in entries.family], bool)


def _arrow(relation):
    """A DuckDB relation as a pyarrow Table (``to_arrow_table`` since duckdb 1.4)."""
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") \
        else relation.arrow()


def _catalog_families() -> dict[str, str]:
    try:
        from datasynth.generators.anomalies.catalog import TYPES
    except ImportError:
        return {}
    return {name: t.family for name, t in TYPES.items()}


def codes(values: np.ndarray, cap: int | None = None) -> np.ndarray:
    """Integer codes of categorical values, most frequent first (ties by value); None is -1.
    With ``cap``, categories past the first ``cap - 1`` share the code ``cap - 1``."""
    keys = np.array(["\x00" if v is None else str(v) for v in values], dtype=object)
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    order = np.lexsort((uniq, -counts))
    rank = np.empty(len(uniq), np.int64)
    rank[order] = np.arange(len(uniq))
    out = rank[inverse]
    if cap is not None:
        out = np.minimum(out, cap - 1)
    null = keys == "\x00"
    out[null] = -1
    return out


def design(entries: Entries) -> dict[str, np.ndarray]:
    """Every feature as a float column the classifier takes (categorical: codes < 255,
    NaN for null)."""
    x = {}
    for name in FEATURES:
        raw = entries.columns[name]
        if name in CATEGORICAL:
            c = codes(raw, cap=254).astype(float)
            c[c < 0] = np.nan
            x[name] = c
        else:
            x[name] = np.array([np.nan if v is None else v for v in raw], float) \
                if raw.dtype == object else raw.astype(float)
    return x


def like_keys(entries: Entries) -> dict[str, np.ndarray]:
    return {name: codes(entries.columns[name]) for name in LIKE_COLUMNS}


# ---- the comparison set ----------------------------------------------------------------------
def comparison_weights(keys: dict[str, np.ndarray], normal: np.ndarray, positives: np.ndarray,
                       types: np.ndarray, match: bool = True,
                       force: tuple[str, ...] = ()) -> np.ndarray:
    """Weights of the normal entries (0 elsewhere) such that, for each type, they have its
    labelled entries' distribution over the type's ``like`` columns (after the ``force``d
    ones); they sum to the number of labelled entries. ``match=False``: every normal entry
    alike."""
    n = len(normal)
    w = np.zeros(n)
    if not match:
        w[normal] = len(positives) / normal.sum()
        return w
    for name in np.unique(types):
        remaining = positives[types == name]
        cols = tuple(dict.fromkeys(force + spec(name).like))
        for k in range(len(cols), -1, -1):
            if k:
                stacked = np.stack([keys[c] for c in cols[:k]], axis=1)
                _, key = np.unique(stacked, axis=0, return_inverse=True)
                key = key.ravel()
            else:
                key = np.zeros(n, np.int64)
            size = int(key.max()) + 1
            normal_count = np.bincount(key[normal], minlength=size)
            ok = normal_count[key[remaining]] > 0
            matched = remaining[ok]
            if len(matched):
                share = np.bincount(key[matched], minlength=size) / np.maximum(normal_count, 1)
                w[normal] += share[key[normal]]
            remaining = remaining[~ok]
            if not len(remaining):
                break
    return w


def poisson_sample(w: np.ndarray, target: int, rng: np.random.Generator) -> tuple[np.ndarray,
                                                                                   np.ndarray]:
    """Indices kept with probability min(1, c w) (sum about ``target``) and their weights
    w / probability: an unbiased, smaller comparison set."""
    idx = np.flatnonzero(w > 0)
    ww = w[idx]
    if len(idx) <= target:
        return idx, ww
    lo, hi = 0.0, target / ww.min()
    for _ in range(60):                      # bisection on c: sum(min(1, c w)) = target
        c = (lo + hi) / 2
        if np.minimum(1.0, c * ww).sum() < target:
            lo = c
        else:
            hi = c
    p = np.minimum(1.0, hi * ww)
    keep = rng.random(len(idx)) < p
    return idx[keep], ww[keep] / p[keep]


# ---- the classifier --------------------------------------------------------------------------
def _model(categorical: list[bool], seed: int):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=20,
        l2_regularization=1.0, categorical_features=categorical, early_stopping=True,
        validation_fraction=0.15, n_iter_no_change=15, random_state=seed)


def folds(groups: np.ndarray, y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Fold of each row: labelled rows by scheme (a scheme's entries stay together), normal
    rows one by one; both spread evenly over the folds in random order."""
    fold = np.empty(len(y), np.int64)
    pos = np.flatnonzero(y == 1)
    schemes, inverse = np.unique(groups[pos], return_inverse=True)
    scheme_fold = np.empty(len(schemes), np.int64)
    scheme_fold[rng.permutation(len(schemes))] = np.arange(len(schemes)) % k
    fold[pos] = scheme_fold[inverse.ravel()]
    neg = np.flatnonzero(y == 0)
    neg_fold = np.empty(len(neg), np.int64)
    neg_fold[rng.permutation(len(neg))] = np.arange(len(neg)) % k
    fold[neg] = neg_fold
    return fold


def cv_scores(x: dict[str, np.ndarray], rows: np.ndarray, y: np.ndarray, weight: np.ndarray,
              fold: np.ndarray, features: list[str], seed: int) -> np.ndarray:
    """Out-of-fold scores of the classifier on ``features`` (constant without features)."""
    from threadpoolctl import threadpool_limits

    score = np.zeros(len(rows))
    if not features:
        return score
    X = np.stack([x[f][rows] for f in features], axis=1)
    categorical = [f in CATEGORICAL for f in features]
    # each class carries the same total weight in training (AUC ignores the classes' totals)
    train_w = weight / np.where(y == 1, weight[y == 1].sum(), weight[y == 0].sum())
    # one OpenMP thread: as fast on these small sets, and two processes each spinning two
    # threads on a two-core machine ran 100 times slower
    with threadpool_limits(limits=1):
        for k in np.unique(fold):
            test = fold == k
            model = _model(categorical, seed).fit(X[~test], y[~test],
                                                  sample_weight=train_w[~test] * len(rows))
            score[test] = model.predict_proba(X[test])[:, 1]
    return score


def cv_auc(x, rows, y, weight, fold, features, seed) -> float:
    """Weighted ROC AUC of the pooled out-of-fold scores (scikit-learn's)."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, cv_scores(x, rows, y, weight, fold, features, seed),
                               sample_weight=weight))


def weighted_auc(y: np.ndarray, score: np.ndarray, weight: np.ndarray) -> float:
    """Weighted ROC AUC, ties counted half (equals sklearn's roc_auc_score)."""
    _, level = np.unique(score, return_inverse=True)
    level = level.ravel()
    pos = np.bincount(level, weights=weight * (y == 1))
    neg = np.bincount(level, weights=weight * (y == 0))
    below = np.cumsum(neg) - neg
    return float((pos * (below + 0.5 * neg)).sum() / (pos.sum() * neg.sum()))


def bootstrap_ci(y: np.ndarray, score: np.ndarray, weight: np.ndarray, groups: np.ndarray,
                 rng: np.random.Generator, reps: int = 200) -> tuple[float, float]:
    """95 % interval of the AUC over Poisson bootstrap replicates: labelled entries resampled
    by scheme (a scheme's entries together), normal entries one by one. The scores stay those
    of the cross-validation (the spread of the estimate over the sample, not of refits)."""
    pos = y == 1
    _, scheme = np.unique(groups[pos], return_inverse=True)
    scheme = scheme.ravel()
    n_schemes = int(scheme.max()) + 1
    values = []
    for _ in range(reps):
        m = np.empty(len(y))
        m[pos] = rng.poisson(1.0, n_schemes)[scheme]
        m[~pos] = rng.poisson(1.0, int((~pos).sum()))
        w = weight * m
        if w[pos].sum() > 0 and w[~pos].sum() > 0:
            values.append(weighted_auc(y, score, w))
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


@dataclass
class Group:
    """One row of the report: a family or a type."""

    level: str                  # family | type
    name: str
    family: str
    labelled: int               # labelled journal entries
    schemes: int
    dropped: list[str]
    features: list[str]
    auc: float | None = None
    ci: tuple[float, float] | None = None      # 95 % bootstrap interval of ``auc``
    auc_all_normal: float | None = None
    auc_within_kind: float | None = None        # normal entries matched on KIND for all types
    comparison: int = 0         # normal entries in the (sampled) comparison set
    single: dict[str, float] | None = None
    drop_one: dict[str, float] | None = None
    note: str = ""

    @property
    def bounded(self) -> bool:
        return self.family in BOUNDED


def evaluate(entries: Entries, x, keys, level: str, name: str, family: str,
             members: np.ndarray, types_of_members: list[str], seed: int, min_labels: int,
             bound: float, all_normal: bool) -> Group:
    normal = unlabelled(entries)
    dropped = sorted({f for t in types_of_members for f in spec(t).defines},
                     key=FEATURES.index)
    features = [f for f in FEATURES if f not in dropped]
    schemes = len(np.unique(entries.scheme[members]))
    group = Group(level, name, family, len(members), schemes, dropped, features)
    if len(members) < min_labels or schemes < 2:
        group.note = (f"fewer than {min_labels} labelled entries" if len(members) < min_labels
                      else "a single scheme")
        return group
    k = min(FOLDS, schemes)

    def compare(match: bool, force: tuple[str, ...] = ()):
        """Rows (labelled, then sampled normal), labels, weights, folds, out-of-fold scores."""
        rng = np.random.default_rng([seed, len(members), int(match), len(force)])
        w = comparison_weights(keys, normal, members, entries.anomaly_type[members], match,
                               force)
        target = max(MIN_NEGATIVES, NEGATIVES_PER_POSITIVE * len(members))
        neg, neg_w = poisson_sample(w, target, rng)
        rows = np.r_[members, neg]
        y = np.r_[np.ones(len(members), np.int64), np.zeros(len(neg), np.int64)]
        weight = np.r_[np.ones(len(members)), neg_w]
        fold = folds(entries.scheme[rows], y, k, rng)
        return rows, y, weight, fold, cv_scores(x, rows, y, weight, fold, features, seed), rng

    rows, y, weight, fold, score, rng = compare(True)
    group.auc = weighted_auc(y, score, weight)
    group.comparison = len(rows) - len(members)
    group.ci = bootstrap_ci(y, score, weight, entries.scheme[rows], rng)
    if all_normal:
        _, y2, w2, _, s2, _ = compare(False)
        group.auc_all_normal = weighted_auc(y2, s2, w2)
    # families whose interval reaches the bound are explained too
    reaches = group.auc >= bound or (level == "family" and group.ci[1] >= bound)
    if reaches and len(features) > 1:
        # what drives it: each feature alone, each feature left out, and the AUC when every
        # type is compared with normal entries of its own kinds (document and reference type)
        group.single = {f: cv_auc(x, rows, y, weight, fold, [f], seed) for f in features}
        group.drop_one = {f: cv_auc(x, rows, y, weight, fold,
                                    [g for g in features if g != f], seed)
                          for f in features}
        _, y3, w3, _, s3, _ = compare(True, KIND)
        group.auc_within_kind = weighted_auc(y3, s3, w3)
    return group


def report(entries: Entries, seed: int, min_labels: int = MIN_LABELS, bound: float = BOUND,
           progress=None) -> list[Group]:
    x = design(entries)
    keys = like_keys(entries)
    groups: list[Group] = []
    labelled = ~unlabelled(entries)
    known = [f for f in FAMILIES] + sorted({f for f in entries.family[labelled]} - set(FAMILIES))
    for family in known:
        members = np.flatnonzero(entries.family == family)
        types = sorted({t for t in entries.anomaly_type[members]})
        g = evaluate(entries, x, keys, "family", family, family, members, types, seed,
                     min_labels, bound, all_normal=True)
        groups.append(g)
        if progress:
            progress(g)
        for t in types:
            rows = members[entries.anomaly_type[members] == t]
            if len(rows) < min_labels:
                groups.append(Group("type", t, family, len(rows),
                                    len(np.unique(entries.scheme[rows])), list(spec(t).defines),
                                    [], note=f"fewer than {min_labels} labelled entries"))
                continue
            g = evaluate(entries, x, keys, "type", t, family, rows, [t], seed, min_labels,
                         bound, all_normal=False)
            groups.append(g)
            if progress:
                progress(g)
    return groups


# ---- generation ------------------------------------------------------------------------------
def config_dict(entries: int, seed: int) -> dict:
    """The demo (manufacturing, two companies USD/EUR, 12 months, small chart) with anomaly
    injection on at 2 % of the business entries, default family shares."""
    from datasynth.config.presets import preset_dict

    data = preset_dict("manufacturing", "small", companies=2, target_count=entries)
    data["global"]["seed"] = seed
    data["anomaly_injection"] = {"enabled": True, "total_rate": 0.02}
    data["runtime"] = {"workers": 1}
    return data


def generate(entries: int, seed: int, out: Path) -> float:
    from datasynth.config import Config
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    config = Config.from_dict(config_dict(entries, seed), source="benchmarks/leakage.py")
    started = time.perf_counter()
    GenerationOrchestrator(config, output_dir=out, workers=1).run()
    return time.perf_counter() - started


# ---- output ----------------------------------------------------------------------------------
def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def _drivers(g: Group) -> str:
    if not g.single:
        return ""
    top = sorted(g.single.items(), key=lambda kv: -kv[1])[:3]
    loss = sorted(g.drop_one.items(), key=lambda kv: kv[1])[:3]
    text = ("alone: " + ", ".join(f"{f} {a:.3f}" for f, a in top) + "; without: "
            + ", ".join(f"{f} {a:.3f}" for f, a in loss))
    if g.auc_within_kind is not None:
        text += f"; vs normal entries of the same kinds: {g.auc_within_kind:.3f}"
    return text


def verdict(groups: list[Group], bound: float) -> dict:
    families = [g for g in groups if g.level == "family" and g.bounded]
    over = [g.name for g in families if g.auc is not None and g.auc >= bound]
    measured = [g.name for g in families if g.auc is not None]
    return {"bound": bound, "bounded_families": list(BOUNDED), "measured": measured,
            "over_bound": over, "met": not over}


def _ci(g: Group) -> str:
    return f"{g.ci[0]:.2f}-{g.ci[1]:.2f}" if g.ci else ""


def text_table(groups: list[Group], bound: float) -> str:
    lines = [f"{'family / type':<28} {'labelled':>8} {'schemes':>7} {'AUC':>6} {'95% CI':>10} "
             f"{'vs all':>6}  features used (dropped)"]
    for g in groups:
        label = g.name if g.level == "family" else f"  {g.name}"
        flag = " *" if g.auc is not None and g.auc >= bound else ""
        used = ",".join(g.features) if g.features and g.auc is not None else "-"
        drop = ",".join(g.dropped) if g.dropped else "-"
        lines.append(f"{label:<28} {g.labelled:>8,} {g.schemes:>7,} {_fmt(g.auc):>6} "
                     f"{_ci(g):>10} "
                     f"{(_fmt(g.auc_all_normal) if g.level == 'family' else ''):>6}  "
                     f"{used} ({drop}){flag}" + (f"  [{g.note}]" if g.note else ""))
        if g.single:
            lines.append(f"{'':<28} drivers: {_drivers(g)}")
    return "\n".join(lines)


def markdown(result: dict) -> str:
    groups = [Group(**{k: v for k, v in g.items() if k in Group.__dataclass_fields__})
              for g in result["groups"]]
    v = result["verdict"]
    bound = v["bound"]
    fam = [g for g in groups if g.level == "family"]
    over = v["over_bound"]
    status = ("**Met**: every family that is not statistical by nature is below "
              f"{bound:.2f}." if v["met"] else
              f"**Not met**: {', '.join(over)} at or above {bound:.2f}.")
    out = ["## Leakage of the anomaly labels", "",
           "```", result["command"], "```", "",
           f"Machine: {result['machine']}; scikit-learn {result['versions']['sklearn']}. "
           f"{result['source']}. {result['entries']:,} business entries, "
           f"{result['labelled_entries']:,} of them labelled; run {result['seconds']:.0f} s.",
           "",
           "Can a classifier tell a family's labelled journal entries from normal ones without "
           "the features the anomaly defines? ROC AUC of a gradient-boosted tree "
           "classifier (scikit-learn `HistGradientBoostingClassifier`), 5-fold cross-validated "
           "with the folds grouped by scheme, on per-entry features: amount (log total debit), "
           "account (largest debit line), weekday, hour (created_at), line count, user "
           "(created_by), source, business process, document type — less the features the "
           "family's types define (`SPECS` in `benchmarks/leakage.py`, read from the catalog's "
           "descriptions: a weekend posting defines the weekday, a decimal shift the amount, "
           "a wrong account the account, ...). Where the definition names the kind of entry "
           "(a duplicate payment is a vendor payment; a payment before receipt is a stock "
           "purchase, invoiced to GR/IR) the normal entries are weighted to the labelled ones' "
           "mix of document type and reference document type (and account or source where "
           "the definition names them: \"compared with\" below), so the AUC measures how an "
           "anomaly differs from entries of its kind; \"vs all\" compares with every normal "
           "entry. 0.5 is chance, 1.0 perfect separation (PaySim-style leakage). The 95 % "
           "interval is a bootstrap over schemes and normal entries.",
           "",
           f"{status} (Statistical anomalies are defined by distributions; reported, not "
           "bounded.)", "",
           "| family | labelled entries | schemes | features used | dropped (defined) | AUC "
           "| 95 % CI | AUC vs all normal |",
           "|---|---:|---:|---|---|---:|---:|---:|"]
    for g in fam:
        out.append(f"| {g.name} | {g.labelled:,} | {g.schemes:,} | "
                   f"{', '.join(g.features) if g.auc is not None else '—'} | "
                   f"{', '.join(g.dropped) or '—'} | "
                   f"{_fmt(g.auc) if g.auc is not None else 'n/a (' + g.note + ')'} | "
                   f"{_ci(g)} | {_fmt(g.auc_all_normal)} |")
    out += ["", f"Per type (types with at least {result['min_labels']} labelled entries; AUC "
            "without the type's own defining features):", "",
            "| type | family | labelled | schemes | dropped | compared with | AUC | 95 % CI |",
            "|---|---|---:|---:|---|---|---:|---:|"]
    for g in groups:
        if g.level == "type" and g.auc is not None:
            like = result["specs"].get(g.name, {}).get("like") or []
            out.append(f"| {g.name} | {g.family} | {g.labelled:,} | {g.schemes:,} | "
                       f"{', '.join(g.dropped) or '—'} | "
                       f"{'same ' + ', '.join(like) if like else 'all'} | "
                       f"{_fmt(g.auc) if g.auc is not None else 'n/a (' + g.note + ')'} | "
                       f"{_ci(g)} |")
    few = [g for g in groups if g.level == "type" and g.auc is None]
    if few:
        out += ["", "Not measured (" + (few[0].note or "too few labels") + "): "
                + ", ".join(f"{g.name} ({g.labelled})" for g in few) + "."]
    driven = [g for g in groups if g.single]
    if driven:
        out += ["", f"What drives the AUC where it is at or above {bound:.2f} (for families: "
                "where its 95 % interval reaches it): the AUC of "
                "each feature alone (top three), with each feature left out (the three that "
                "cost most), and against normal entries of the same kinds (document type and "
                "reference document type matched for every type). Where the last is near 0.5, "
                "the leak is in which kinds of entry the injector picks, not in how it alters "
                "them.", ""]
        for g in driven:
            out.append(f"- {g.level} **{g.name}** ({_fmt(g.auc)}): {_drivers(g)}")
    if result["document_labels"]:
        out += ["", "Labels on other tables (documents, master data), not classified here: "
                + ", ".join(f"{k} {n:,}" for k, n in result["document_labels"].items()) + "."]
    return "\n".join(out) + "\n"


def write_md(section: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace the Leakage section of BENCHMARKS.md (up to the next ``## `` heading), or
    append it."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Leakage.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def run(out: Path, seed: int, min_labels: int = MIN_LABELS, bound: float = BOUND,
        verbose: bool = False) -> tuple[list[Group], Entries]:
    entries = load(out)

    def progress(g: Group) -> None:
        if verbose:
            print(f"  {g.level} {g.name}: {g.labelled} labelled, AUC {_fmt(g.auc)}",
                  file=sys.stderr, flush=True)

    return report(entries, seed, min_labels, bound, progress), entries


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000,
                        help="target business entries of the generated run")
    parser.add_argument("--dir", type=Path, default=None,
                        help="measure this existing output instead of generating one")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, default=None,
                        help="write the results here (default when generating: "
                             "benchmarks/results/leakage.json; with --dir: none)")
    parser.add_argument("--write-md", action="store_true",
                        help="replace (or append) the Leakage section of BENCHMARKS.md")
    parser.add_argument("--keep", type=Path, default=None,
                        help="generate into this directory and keep it")
    parser.add_argument("--min-labels", type=int, default=MIN_LABELS)
    parser.add_argument("--bound", type=float, default=BOUND)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.json is None and args.dir is None:
        args.json = RESULTS / "leakage.json"

    import sklearn

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    from tree_memory import machine

    started = time.perf_counter()
    command = "python benchmarks/leakage.py " + (
        f"--dir {args.dir} --seed {args.seed}" if args.dir else
        f"--entries {args.entries} --seed {args.seed}")
    with tempfile.TemporaryDirectory(prefix="datasynth-leakage-") as tmp:
        if args.dir:
            out = args.dir
            source = f"Output {args.dir}"
            generated_s = None
        else:
            out = args.keep or Path(tmp, "out")
            if not args.quiet:
                print(f"generating {args.entries:,} entries (seed {args.seed}) into {out} ...",
                      file=sys.stderr, flush=True)
            generated_s = generate(args.entries, args.seed, out)
            source = ("Generated: the demo (manufacturing, two companies USD/EUR, 12 months, "
                      f"small chart), seed {args.seed}, target_count {args.entries:,}, "
                      "anomaly_injection {enabled: true, total_rate: 0.02} (default family "
                      "shares)")
        groups, entries = run(out, args.seed, args.min_labels, args.bound,
                              verbose=not args.quiet)
    labelled = int((~unlabelled(entries)).sum())
    result = {
        "machine": machine(), "command": command, "source": source, "seed": args.seed,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "entries": len(entries), "labelled_entries": labelled,
        "min_labels": args.min_labels, "generate_s": generated_s,
        "seconds": time.perf_counter() - started,
        "verdict": verdict(groups, args.bound),
        "document_labels": entries.document_labels,
        "specs": {name: {"defines": list(s.defines), "like": list(s.like), "why": s.why}
                  for name, s in SPECS.items()},
        "groups": [g.__dict__ for g in groups],
    }
    if not args.quiet:
        print(f"machine: {result['machine']}")
        print(f"command: {command}")
        print(f"{len(entries):,} business entries, {labelled:,} labelled; "
              f"AUC = weighted cross-validated ROC AUC (* >= {args.bound})")
        print(text_table(groups, args.bound))
        if entries.document_labels:
            print("labels on other tables (documents, master data; not classified here): " + ", ".join(
                f"{k} {n:,}" for k, n in entries.document_labels.items()))
        v = result["verdict"]
        print(f"bound: every family of {', '.join(BOUNDED)} below {args.bound}: "
              f"{'met' if v['met'] else 'NOT met (' + ', '.join(v['over_bound']) + ')'}"
              f"{'' if len(v['measured']) == len(BOUNDED) else '; measured: ' + ', '.join(v['measured'])}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=_json_default) + "\n")
    if args.write_md:
        write_md(markdown(result))
    return result


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value))


if __name__ == "__main__":
    main()
