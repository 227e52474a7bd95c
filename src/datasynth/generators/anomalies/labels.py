"""The ``anomaly_labels`` table of one company, built after its entries are numbered.

A labelled journal entry knows its label's row (``Block.anomaly``); numbering gives the entry
its document id, which the row then takes. Clusters group instances of one type whose first
rows fall within seven days of the previous one (the peer's clustering window, domain study
§8.2).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.anomalies.catalog import DIFFICULTIES, FAMILIES, TYPE_NAMES, TYPES
from datasynth.generators.anomalies.context import LABELLED_TABLES, LabelRows
from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary, padded_ids
from datasynth.generators.ledger.journal import SPLITS
from datasynth.money import to_decimal
from datasynth.schemas.anomalies import ANOMALY_LABELS

CLUSTER_DAYS = 7
_FAMILY = np.array([FAMILIES.index(TYPES[t].family) for t in TYPE_NAMES])
_SEVERITY = np.array([TYPES[t].severity for t in TYPE_NAMES], np.int8)
_DIFFICULTY = np.array([DIFFICULTIES.index(TYPES[t].difficulty) for t in TYPE_NAMES])
_FRAUD = np.array([TYPES[t].is_fraud for t in TYPE_NAMES])
_DESCRIPTIONS = [TYPES[t].description for t in TYPE_NAMES]
_STRATEGIES = sorted({TYPES[t].strategy for t in TYPE_NAMES})
_STRATEGY = np.array([_STRATEGIES.index(TYPES[t].strategy) for t in TYPE_NAMES])


def concat(labels: LabelRows) -> dict[str, np.ndarray | pa.Array]:
    if labels.count == 0:
        empty = np.zeros(0, np.int64)
        return {"type": empty, "scheme": empty, "table": empty, "day": empty,
                "impact": empty, "document_id": pa.array([], pa.string())}
    return {"type": np.concatenate(labels.type_code), "scheme": np.concatenate(labels.scheme),
            "table": np.concatenate(labels.table), "day": np.concatenate(labels.day),
            "impact": np.concatenate(labels.impact),
            "document_id": pa.concat_arrays(labels.document_id)}


def label_table(company: str, exponent: int, labels: LabelRows, entry_label: np.ndarray,
                entry_ids: pa.Array, entry_day: np.ndarray,
                scheme_split: np.ndarray | None) -> pa.Table:
    """The labels, with journal-entry rows given the id and posting day of their entry
    (``entry_label[i]`` is the label row of numbered entry ``i``, -1 if none)."""
    rows = concat(labels)
    n = labels.count
    doc = np.asarray(rows["document_id"].to_numpy(zero_copy_only=False), dtype=object)
    day = np.array(rows["day"], copy=True)
    labelled = np.flatnonzero(entry_label >= 0)
    if len(labelled):
        doc[entry_label[labelled]] = np.asarray(
            entry_ids.take(pa.array(labelled)).to_numpy(zero_copy_only=False), dtype=object)
        day[entry_label[labelled]] = entry_day[labelled]
    if any(d is None for d in doc):
        raise AssertionError(f"{company}: an anomaly label lost the row it labels")
    order = np.lexsort((np.arange(n), day))
    t, scheme = rows["type"][order], rows["scheme"][order]
    cluster = clusters(t, scheme, day[order])
    split = (np.full(n, -1) if scheme_split is None else scheme_split[scheme])
    return pa.Table.from_arrays([
        padded_ids(f"ANO-{company}-", np.arange(1, n + 1), 8).cast(pa.string()),
        dictionary(_FAMILY[t], FAMILIES),
        dictionary(t, TYPE_NAMES),
        padded_ids(f"SCH-{company}-", scheme + 1, 6).cast(pa.string()),
        dictionary(rows["table"][order], LABELLED_TABLES),
        pa.array(doc[order], pa.string()),
        constant_dictionary(company, n),
        dates(day[order]),
        pa.array(_SEVERITY[t]),
        dictionary(_DIFFICULTY[t], DIFFICULTIES),
        to_decimal(rows["impact"][order], exponent),
        dictionary(t, _DESCRIPTIONS),
        dictionary(_STRATEGY[t], _STRATEGIES),
        pa.array(_FRAUD[t]),
        _cluster_ids(company, cluster),
        dictionary(np.maximum(split, 0), SPLITS, mask=split < 0),
    ], schema=ANOMALY_LABELS.schema)


def clusters(type_code: np.ndarray, scheme: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Cluster number of each row (-1 when its instance has no neighbour): instances of one
    type, in order of their first day, chain while the gap is at most CLUSTER_DAYS."""
    out = np.full(len(scheme), -1, np.int64)
    if len(scheme) == 0:
        return out
    schemes, first = np.unique(scheme, return_index=True)
    start = np.array([day[scheme == s].min() for s in schemes]) if len(schemes) < 5000 else \
        _first_days(scheme, day, schemes)
    kind = type_code[first]
    order = np.lexsort((schemes, start, kind))
    k, d = kind[order], start[order]
    new = np.r_[True, (k[1:] != k[:-1]) | (np.diff(d) > CLUSTER_DAYS)]
    group = np.cumsum(new) - 1
    size = np.bincount(group)
    number = np.full(len(size), -1, np.int64)
    multi = np.flatnonzero(size > 1)
    number[multi] = np.arange(len(multi))
    per_scheme = np.empty(len(schemes), np.int64)
    per_scheme[order] = number[group]
    return per_scheme[np.searchsorted(schemes, scheme)]


def _first_days(scheme, day, schemes) -> np.ndarray:
    order = np.lexsort((day, scheme))
    s = scheme[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    return day[order][starts]


def _cluster_ids(company: str, cluster: np.ndarray) -> pa.Array:
    ids = padded_ids(f"CL-{company}-", np.maximum(cluster, 0) + 1, 6).cast(pa.string())
    return pa.array(np.where(cluster >= 0, np.asarray(ids.to_numpy(zero_copy_only=False),
                                                      dtype=object), None), pa.string())
