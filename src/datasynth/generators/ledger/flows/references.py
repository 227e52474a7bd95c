"""``document_references``: which document follows from which, with the amount carried.

One row per (source, target) document pair of a company, amounts summed over the target's
lines: requisition -> order, order -> receipt / invoice / delivery, invoice -> payment,
invoice -> asset. Pairs are summed with a sort over integer codes of the two ids (cheaper
than a hash group-by over strings), in the order of the sources' first appearance.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.common.arrow import constant_dictionary
from datasynth.generators.ledger.journal import sum_by
from datasynth.money import to_decimal, to_minor_units
from datasynth.schemas.documents import DOCUMENT_REFERENCES

_LINKS = (  # (table, source type, source column, target type, target column, kind, amount)
    ("purchase_orders", "purchase_requisition", "requisition_id", "purchase_order",
     "purchase_order_id", "follow_on", "net_amount"),
    ("deliveries", "sales_order", "sales_order_id", "delivery", "delivery_id", "follow_on",
     "cost_amount"),
    ("customer_invoices", "sales_order", "sales_order_id", "customer_invoice", "invoice_id",
     "follow_on", "gross_amount"),
    ("customer_receipts", "customer_invoice", "invoice_id", "customer_receipt", "receipt_id",
     "payment", "cleared_amount"),
    ("goods_receipts", "purchase_order", "purchase_order_id", "goods_receipt",
     "goods_receipt_id", "follow_on", "order_value"),
    ("vendor_invoices", "purchase_order", "purchase_order_id", "vendor_invoice", "invoice_id",
     "follow_on", "gross_amount"),
    ("vendor_payments", "vendor_invoice", "invoice_id", "vendor_payment", "payment_id",
     "payment", "cleared_amount"),
    ("asset_acquisitions", "vendor_invoice", "vendor_invoice_id", "asset_acquisition",
     "asset_id", "capitalisation", "acquisition_cost"),
)


def references(code: str, exponent: int, tables: dict[str, pa.Table]) -> pa.Table:
    parts = []
    for table, s_type, s_col, t_type, t_col, kind, amount in _LINKS:
        if table not in tables:
            continue
        t = tables[table]
        t = t.filter(pc.is_valid(t[s_col]))
        source, target, total = _pair_sums(t[s_col], t[t_col],
                                           to_minor_units(t[amount].combine_chunks(), exponent))
        n = len(source)
        parts.append(pa.table({
            "company_code": constant_dictionary(code, n),
            "source_document_type": constant_dictionary(s_type, n),
            "source_document_id": source,
            "target_document_type": constant_dictionary(t_type, n),
            "target_document_id": target,
            "reference_type": constant_dictionary(kind, n),
            "amount": to_decimal(total, exponent)}, schema=DOCUMENT_REFERENCES.schema))
    if not parts:
        return DOCUMENT_REFERENCES.schema.empty_table()
    return pa.concat_tables(parts).unify_dictionaries()


def _pair_sums(source, target, amount: np.ndarray) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Distinct (source, target) pairs and the sum of ``amount`` over each."""
    s = pc.dictionary_encode(source.combine_chunks().cast(pa.string()))
    t = pc.dictionary_encode(target.combine_chunks().cast(pa.string()))
    width = max(len(t.dictionary), 1)
    key = (s.indices.to_numpy(zero_copy_only=False).astype(np.int64) * width
           + t.indices.to_numpy(zero_copy_only=False).astype(np.int64))
    pairs, which = np.unique(key, return_inverse=True)
    total = sum_by(which, amount, len(pairs))
    return (s.dictionary.take(pa.array(pairs // width)),
            t.dictionary.take(pa.array(pairs % width)), total)
