"""Injection of every configured anomaly type into one company's books.

Types run in catalog order, each from its own random stream (``anomaly.<type>``), so adding
or re-weighting one type never changes what another injects. An entry carries at most one
anomaly: an injector picks only entries no earlier one has used.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.anomalies import errors, fraud, process, relational, statistical
from datasynth.generators.anomalies.catalog import TYPE_NAMES, TYPES
from datasynth.generators.anomalies.context import Injection
from datasynth.generators.anomalies.labels import concat, label_table
from datasynth.generators.anomalies.plan import reserved, type_quotas
from datasynth.generators.anomalies.splits import assign

INJECTORS = {**fraud.INJECTORS, **errors.INJECTORS, **process.INJECTORS,
             **statistical.INJECTORS, **relational.INJECTORS}


def inject(books, streams, config, company: int, blocks, first_ids) -> Injection | None:
    """Inject the company's quota of every type into ``blocks`` (in place; injected blocks
    are appended). None when injection is off."""
    quotas = type_quotas(config, company)
    if not quotas:
        return None
    injection = Injection(books, blocks, config.anomaly_injection, first_ids,
                          reserved(config, company))
    injection.flows = config.document_flows     # payment runs of injected invoices
    for name in TYPE_NAMES:
        count = quotas.get(name, 0)
        if count and name in INJECTORS:
            INJECTORS[name](injection, streams(f"anomaly.{name}"), count)
    injection.release()         # finish() needs only the labels
    return injection


def finish(books, streams, config, injection: Injection | None, numbered) -> pa.Table | None:
    """Give the numbered entries their anomaly types and splits; the labels table (None
    when injection is off)."""
    entries = numbered.entries
    label_row = entries.anomaly if entries.anomaly is not None else np.full(len(entries), -1)
    rows = concat(injection.labels) if injection is not None else None
    if rows is not None and len(rows["type"]):
        entries.anomaly = np.where(label_row >= 0, rows["type"][np.maximum(label_row, 0)], -1)
    else:
        entries.anomaly = np.full(len(entries), -1, np.int64)
    settings = config.anomaly_injection.split
    scheme_split = None
    if settings.enabled:
        schemes = int(rows["scheme"].max()) + 1 if rows is not None and len(rows["type"]) \
            else 0
        scheme_type = np.zeros(schemes, np.int64)
        scheme_day = np.full(schemes, np.iinfo(np.int64).max)
        if schemes:
            scheme_type[rows["scheme"]] = rows["type"]
            day = np.array(rows["day"], copy=True)
            has = label_row >= 0
            day[label_row[has]] = entries.posting_day[has]
            np.minimum.at(scheme_day, rows["scheme"], day)
        normal = np.flatnonzero(label_row < 0)
        unit = np.full(len(entries), -1, np.int64)
        unit[normal] = schemes + np.arange(len(normal))
        if schemes:
            unit[label_row >= 0] = rows["scheme"][label_row[label_row >= 0]]
        stratum = np.r_[scheme_type, np.full(len(normal), len(TYPES))]
        first = np.r_[scheme_day, entries.posting_day[normal]]
        split = assign(streams("anomaly.split"), settings, stratum, first)
        entries.split = split[unit]
        scheme_split = split[:schemes]
    if injection is None:
        return None
    return label_table(books.code, books.exponent, injection.labels, label_row,
                       entries.document_id, entries.posting_day, scheme_split)
