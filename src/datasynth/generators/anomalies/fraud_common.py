"""Helpers the fraud schemes share: flags and labels of document rows, fresh ids, the
document-flow settings, and real purchase and sales lines to borrow amounts and accounts
from (so an injected document is drawn from the same marginals as real ones)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.context import doc_flags
from datasynth.generators.anomalies.process_docs import with_kind
from datasynth.generators.ledger.flows.common import doc_ids
from datasynth.generators.ledger.flows.postings import DocTable
from datasynth.money import to_minor_units

# key column and date column of each document table a scheme labels
KEYS = {"vendor_invoices": ("invoice_id", "posting_date"),
        "vendor_payments": ("payment_id", "payment_date"),
        "purchase_orders": ("purchase_order_id", "order_date"),
        "purchase_requisitions": ("requisition_id", "requisition_date"),
        "sales_orders": ("sales_order_id", "order_date"),
        "customer_invoices": ("invoice_id", "invoice_date"),
        "customer_receipts": ("receipt_id", "receipt_date")}


def flow_settings(inj):
    """The document-flow settings payments are drawn with. The injection context carries
    only the anomaly settings; the flows' defaults stand in unless it is given ``flows``."""
    settings = getattr(inj, "flows", None)
    if settings is None:
        from datasynth.config.models import DocumentFlowSettings
        settings = DocumentFlowSettings()
    return settings


def take_ids(inj, prefix: str, count: int, key: str | None = None) -> pa.Array:
    """``count`` fresh document ids of ``prefix`` (numbered from ``first_ids[key]``)."""
    key = key or prefix
    start = inj.first_ids.get(key, 1)
    inj.first_ids[key] = start + count
    return doc_ids(prefix, inj.books.code, start, count)


def rows_of(doc: DocTable) -> int:
    return len(next(iter(doc.columns.values())))


def days_of(column: pa.Array) -> np.ndarray:
    return np.asarray(column.cast(pa.int32()).to_numpy(zero_copy_only=False), np.int64)


def strings_of(column: pa.Array) -> np.ndarray:
    return np.asarray(column.cast(pa.string()).to_numpy(zero_copy_only=False), dtype=object)


def flagged(doc: DocTable) -> np.ndarray:
    """Rows an anomaly already injected or altered."""
    if "is_anomaly" not in doc.columns:
        return np.zeros(rows_of(doc), bool)
    return np.asarray(doc.columns["is_anomaly"].to_numpy(zero_copy_only=False), bool)


def flag_rows(doc: DocTable, rows: np.ndarray, anomaly: str) -> None:
    """Flag ``rows`` of a document table as ``anomaly``, keeping flags set before."""
    n = rows_of(doc)
    cols = doc.columns
    if "is_anomaly" not in cols:
        cols.update(doc_flags(None, n))
    is_anomaly = flagged(doc).copy()
    is_fraud = np.asarray(cols["is_fraud"].to_numpy(zero_copy_only=False), bool).copy()
    new = doc_flags(anomaly, 1)
    is_anomaly[rows] = True
    is_fraud[rows] = new["is_fraud"][0].as_py()
    cols["is_anomaly"], cols["is_fraud"] = pa.array(is_anomaly), pa.array(is_fraud)
    cols["anomaly_type"] = with_kind(cols["anomaly_type"], rows, anomaly)


def flag_all(doc: DocTable, anomaly: str) -> None:
    doc.columns.update(doc_flags(anomaly, rows_of(doc)))


def label_doc(inj, anomaly: str, name: str, doc: DocTable, scheme, impact=0,
              rows: np.ndarray | None = None) -> None:
    """Flag and label rows of document table ``name`` (all rows when ``rows`` is None)."""
    key, date = KEYS[name]
    if rows is None:
        flag_all(doc, anomaly)
        ids, day = doc.columns[key], days_of(doc.columns[date])
    else:
        flag_rows(doc, rows, anomaly)
        take = pa.array(np.asarray(rows, np.int64))
        ids, day = doc.columns[key].take(take), days_of(doc.columns[date].take(take))
    inj.label_rows(anomaly, name, ids, day, scheme, impact)


# the amount column whose share is a document row's monetary impact
AMOUNTS = {"vendor_invoices": "gross_amount", "vendor_payments": "cleared_amount",
           "customer_invoices": "gross_amount", "customer_receipts": "cleared_amount"}


def label_blocks(inj, anomaly: str, blocks, scheme_of: dict[str, int],
                 share_of: dict[str, float] | None = None) -> None:
    """Add blocks whose every entry and document belongs to a scheme: rows and entries take
    the scheme of the order or invoice they stem from (``scheme_of``: id -> scheme). A row's
    impact is ``share_of[id]`` (default 1) of its amount; an entry's, that of its rows."""
    exponent = inj.books.exponent
    for b in blocks:
        if len(b) == 0:
            continue
        entry_scheme = np.full(len(b), -1, np.int64)
        entry_impact = np.zeros(len(b), np.int64)
        for name, doc in b.tables.items():
            link = "purchase_order_id" if name in ("purchase_orders", "purchase_requisitions") \
                else "sales_order_id" if name == "sales_orders" else "invoice_id"
            keys = strings_of(doc.columns[link])
            scheme = np.array([scheme_of[x] for x in keys], np.int64)
            impact = np.zeros(len(keys), np.int64)
            if name in AMOUNTS:
                share = np.array([1.0 if share_of is None else share_of.get(x, 1.0)
                                  for x in keys])
                amount = to_minor_units(doc.columns[AMOUNTS[name]], exponent)
                impact = np.rint(np.abs(amount) * share).astype(np.int64)
            label_doc(inj, anomaly, name, doc, scheme, impact)
            if doc.entry is not None:
                entry_scheme[doc.entry] = scheme
                np.add.at(entry_impact, doc.entry, impact)
        if (entry_scheme < 0).any():
            raise AssertionError(f"{anomaly}: an injected entry belongs to no scheme")
        inj.label_block(anomaly, inj.add_block(b), entry_scheme, entry_impact)


def doc_tables(inj, name: str):
    """(block index, DocTable) of every block holding table ``name``."""
    return [(i, b.tables[name]) for i, b in enumerate(inj.blocks)
            if name in b.tables and isinstance(b.tables[name], DocTable)]


@dataclass
class Lines:
    """Real document lines to borrow from: partner index, account (chart position), cost
    center (-1 none) and net amount (minor units)."""

    partner: np.ndarray
    account: np.ndarray
    center: np.ndarray
    amount: np.ndarray

    def __len__(self) -> int:
        return len(self.amount)

    def take(self, index: np.ndarray) -> Lines:
        return Lines(self.partner[index], self.account[index], self.center[index],
                     self.amount[index])


def service_lines(inj) -> Lines:
    """Every real (unflagged) purchase-order line for a service, vendor by position in
    ``books.vendors``."""
    books = inj.books
    parts = []
    for _, doc in doc_tables(inj, "purchase_orders"):
        c = doc.columns
        service = pc.equal(c["item_type"].cast(pa.string()), "service").fill_null(False)
        keep = np.asarray(service.to_numpy(zero_copy_only=False), bool) & ~flagged(doc)
        if not keep.any():
            continue
        mask = pa.array(keep)
        vendor = pc.index_in(c["vendor_id"].filter(mask).cast(pa.string()),
                             value_set=books.vendors.ids).fill_null(-1)
        center = c["cost_center"].filter(mask)
        center_index = pc.index_in(center.cast(pa.string()),
                                   value_set=books.ledger.cost_center_ids).fill_null(-1)
        parts.append(Lines(np.asarray(vendor.to_numpy(zero_copy_only=False), np.int64),
                           books.chart.positions(c["gl_account"].filter(mask)),
                           np.asarray(center_index.to_numpy(zero_copy_only=False), np.int64),
                           to_minor_units(c["net_amount"].filter(mask), books.exponent)))
    if not parts:
        e = np.zeros(0, np.int64)
        return Lines(e, e, e, e)
    lines = Lines(*(np.concatenate([getattr(p, f) for p in parts])
                    for f in ("partner", "account", "center", "amount")))
    return lines.take(np.flatnonzero((lines.partner >= 0) & (lines.account >= 0)))


def sub_partners(partners, index: np.ndarray):
    """The partners at ``index`` (a new Partners, weights renormalised)."""
    index = np.asarray(index, np.int64)
    weight = partners.weight[index]
    return replace(partners, ids=partners.ids.take(pa.array(index)),
                   weight=weight / weight.sum() if weight.sum() > 0 else
                   np.full(len(index), 1.0 / max(len(index), 1)),
                   terms_days=partners.terms_days[index],
                   discount_percent=partners.discount_percent[index],
                   discount_days=partners.discount_days[index],
                   control_account=partners.control_account[index],
                   credit_limit=partners.credit_limit[index],
                   behavior=partners.behavior[index])


def month_bounds(books) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of every run month."""
    return (np.array([d.min() for d in books.month_days]),
            np.array([d.max() for d in books.month_days]))


def quarter_ends(books) -> np.ndarray:
    """Run months that close a calendar quarter and have a next month inside the run (so a
    reversal after the period end stays in the run); every such month end when none does."""
    months = np.array([m for _, m in books.months])
    last = len(months) - 1
    has_next = np.arange(len(months)) < last
    quarter = np.flatnonzero((months % 3 == 0) & has_next)
    return quarter if len(quarter) else np.flatnonzero(has_next)


def consecutive_months(rng, count: int, low: int, high: int, months: int):
    """``count`` schemes of ``low``..``high`` purchases in consecutive months: the scheme
    and run month of every purchase."""
    per = np.minimum(rng.integers(low, high + 1, count), months)
    first = np.floor(rng.random(count) * (months - per + 1)).astype(np.int64)
    scheme = np.repeat(np.arange(count), per)
    step = np.arange(len(scheme)) - np.repeat(np.cumsum(per) - per, per)
    return scheme, first[scheme] + step
