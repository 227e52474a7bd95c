"""Anomaly labels, and the flag columns every labelled table carries.

One label row per injected or altered row: a journal entry (all its lines), a document row
(an invoice, a payment, a requisition) or a master-data row (a fictitious vendor). Rows of one
multi-entry scheme share ``scheme_id``. Reference: domain study §8.3 (the peer's label
record), trimmed to the fields a model or an auditor uses.
"""

import pyarrow as pa

from datasynth.schemas.base import CODE, DATE, KEY, MONEY, TableSpec, column, table_schema


def flag_columns() -> tuple[pa.Field, pa.Field, pa.Field]:
    """``is_anomaly``, ``is_fraud`` and ``anomaly_type`` of a labelled table."""
    return (column("is_anomaly", pa.bool_(), "The row was injected or altered by an anomaly "
                   "(anomaly_labels lists it)."),
            column("is_fraud", pa.bool_(), "The anomaly is part of a fraud scheme."),
            column("anomaly_type", CODE, "Type of the anomaly (anomaly_labels.anomaly_type), "
                   "null for normal rows.", nullable=True))


def split_column() -> pa.Field:
    return column("split", CODE, "Machine-learning split (train, validation, test) when "
                  "anomaly_injection.split is enabled, else null.", nullable=True)


_DESCRIPTION = ("Injected anomalies, one row per injected or altered row (journal entry, "
                "document or master-data record); entries of one scheme share scheme_id.")

ANOMALY_LABELS = TableSpec(
    name="anomaly_labels",
    description=_DESCRIPTION,
    key=("anomaly_id",),
    schema=table_schema(
        column("anomaly_id", KEY, "Label id, unique across the dataset."),
        column("family", CODE, "fraud, error, process, statistical or relational."),
        column("anomaly_type", CODE, "Type within the family (see docs/anomalies.md)."),
        column("scheme_id", KEY, "Instance of the anomaly; the rows of a multi-entry scheme "
               "share it."),
        column("table_name", CODE, "Table of the labelled row: journal_entries, "
               "vendor_invoices, vendor_payments, purchase_requisitions, vendors, ..."),
        column("document_id", KEY, "Key of the labelled row: the journal entry's document_id, "
               "the document's id, or the master-data id."),
        column("company_code", CODE, "Company code."),
        column("anomaly_date", DATE, "Posting (or document) date of the labelled row."),
        column("severity", pa.int8(), "1 (minor) to 5 (critical)."),
        column("detection_difficulty", CODE, "trivial, easy, moderate, hard or expert."),
        column("monetary_impact", MONEY, "Amount misstated, paid away or at risk, in the "
               "company's currency (0 where nothing is)."),
        column("description", CODE, "What was done, in words."),
        column("injection_strategy", CODE, "How it was injected: added entries, altered "
               "amount, date, account, user, ..."),
        column("is_fraud", pa.bool_(), "The anomaly is fraud (family fraud)."),
        column("cluster_id", KEY, "Anomalies of one type and company within 7 days of each "
               "other share a cluster (null when alone).", nullable=True),
        split_column(),
        description=_DESCRIPTION,
    ),
)
