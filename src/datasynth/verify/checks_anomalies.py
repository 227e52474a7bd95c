"""Anomaly labels: the flags on the rows and the ``anomaly_labels`` table tell one story.

A model trained on the output learns from the flags (``is_anomaly``, ``is_fraud``,
``anomaly_type`` on journal lines and documents) or from the labels; an auditor reads the
labels. Both must name exactly the injected rows, so coverage is checked both ways: every
flagged row has a label of its type, and every label points at a row flagged with its type.
A label row then says of its type what the catalog (``generators/anomalies/catalog.py``)
says: family, severity, difficulty, and fraud exactly when the family is fraud.

A label's ``document_id`` is the labelled row's key: the journal entry's ``document_id``, the
first key column of a document table (a document of several lines is one label), or the
master-data id (a fictitious vendor, a ghost employee). Master data carries no flags, so a
master-data label only has to resolve. Both checks skip when the output has no labels table
(injection off). Every query is SQL over the files; nothing is read row by row.
"""

from __future__ import annotations

from datasynth.generators.anomalies.catalog import TYPES
from datasynth.schemas.registry import TABLES
from datasynth.verify.labelled import FLAG_COLUMNS
from datasynth.verify.result import (
    EXAMPLES,
    CheckResult,
    counted,
    named,
    outcome,
    skipped,
)
from datasynth.verify.source import Source, quote

LABELS = "anomaly_labels"
JOURNAL = "journal_entries"
DOCUMENT_TABLES = ("purchase_requisitions", "purchase_orders", "goods_receipts",
                   "vendor_invoices", "vendor_payments", "sales_orders", "deliveries",
                   "customer_invoices", "customer_receipts")
FLAGGED_TABLES = (JOURNAL, *DOCUMENT_TABLES)      # carry the flag columns
MASTER_TABLES = ("vendors", "employees")          # labelled, but carry no flags
NO_LABELS = "no anomaly_labels table (anomaly injection off)"

Finding = tuple[str, int, list[str]]              # what is wrong, how many, first examples


def key_column(table: str) -> str:
    """The column a label's document_id names in ``table``."""
    return "document_id" if table == JOURNAL else TABLES[table].key[0]


def _names(tables: tuple[str, ...] | list[str]) -> str:
    return ", ".join(quote(t) for t in tables)


def _flag_tables(src: Source) -> list[str]:
    """The flaggable tables present with their flag columns (an older output lacks them)."""
    return [t for t in FLAGGED_TABLES
            if src.has(t) and set(FLAG_COLUMNS) <= src.columns(t)]


def _union(parts: list[str], empty: str) -> str:
    return " UNION ALL ".join(parts) if parts else f"SELECT {empty} WHERE false"


def _flagged(tables: list[str]) -> str:
    """SQL of the flagged rows: ``t, id, co, ty, fr``, one per key and type."""
    return _union([f"""SELECT DISTINCT {quote(t)} AS t, {key_column(t)} AS id,
                              company_code AS co, anomaly_type AS ty, is_fraud AS fr
                       FROM {t} WHERE is_anomaly""" for t in tables],
                  "NULL::VARCHAR AS t, NULL::VARCHAR AS id, NULL::VARCHAR AS co, "
                  "NULL::VARCHAR AS ty, NULL::BOOLEAN AS fr")


def _findings(src: Source, queries: list[tuple[str, str]]) -> list[Finding]:
    """Run every (label, SQL of a ``what`` column, one row per violation) in one query;
    the findings with violations, in order, each with its first examples sorted."""
    if not queries:
        return []
    union = " UNION ALL ".join(f"SELECT {i} AS i, what FROM ({sql})"
                               for i, (_, sql) in enumerate(queries))
    rows = src.rows(f"""SELECT i, count(*), list(what ORDER BY what)[1:{EXAMPLES}]
                        FROM ({union}) GROUP BY i ORDER BY i""")
    return [(queries[i][0], int(n), [str(x) for x in shown]) for i, n, shown in rows]


def _result(name: str, checked: int, found: list[Finding], ok_detail: str) -> CheckResult:
    detail = "; ".join(f"{label}: {n:,} (e.g. {', '.join(shown)})" for label, n, shown in found)
    return outcome(name, checked, sum(n for _, n, _ in found), detail, ok_detail)


@named("anomalies.labels_cover_flags")
def check_labels_cover_flags(src: Source, name: str) -> CheckResult:
    """Every flagged row has a label of its type and fraud flag, and every label points at
    a row so flagged (or, for master data, at a row that exists); flags agree with each
    other on every row (a type and the fraud flag only on anomalous rows)."""
    if not src.has(LABELS):
        return skipped(name, NO_LABELS)
    tables = _flag_tables(src)
    flagged = _flagged(tables)
    masters = [t for t in MASTER_TABLES if src.has(t)]
    master_keys = _union([f"SELECT {quote(t)} AS t, {key_column(t)} AS id FROM {t}"
                          for t in masters], "NULL::VARCHAR AS t, NULL::VARCHAR AS id")
    # concat, not ||: a null in a damaged label still names the label
    labelled = "concat(l.anomaly_id, ' ', l.table_name, ' ', l.document_id)"
    same_label = """l.table_name = f.t AND l.document_id = f.id
                    AND l.anomaly_type IS NOT DISTINCT FROM f.ty
                    AND l.is_fraud IS NOT DISTINCT FROM f.fr"""
    queries = [
        ("flagged rows without a label of their type",
         f"""SELECT f.t || ' ' || f.id || ' (' || coalesce(f.ty, 'no type')
                    || CASE WHEN f.fr THEN ', fraud' ELSE '' END || ')' AS what
             FROM ({flagged}) f ANTI JOIN {LABELS} l ON {same_label}"""),
        ("labels whose row is missing or not flagged with their type",
         f"""SELECT concat({labelled}, ' (', l.anomaly_type, ')') AS what
             FROM {LABELS} l ANTI JOIN ({flagged}) f ON {same_label}
             WHERE l.table_name IN ({_names(FLAGGED_TABLES)})"""),
        ("labels of master data that does not exist",
         f"""SELECT {labelled} AS what FROM {LABELS} l
             ANTI JOIN ({master_keys}) k ON k.t = l.table_name AND k.id = l.document_id
             WHERE l.table_name IN ({_names(MASTER_TABLES)})"""),
        ("labels of a table that carries no anomalies",
         f"""SELECT {labelled} AS what FROM {LABELS} l
             WHERE l.table_name IS NULL OR l.table_name NOT IN
                 ({_names(FLAGGED_TABLES + MASTER_TABLES)})"""),
        *((f"{t} rows whose flags disagree",
           f"""SELECT {key_column(t)} || ': is_anomaly ' || coalesce(is_anomaly::VARCHAR, 'null')
                      || ', is_fraud ' || coalesce(is_fraud::VARCHAR, 'null')
                      || ', type ' || coalesce(anomaly_type, 'null') AS what
               FROM {t} WHERE is_anomaly IS NULL OR is_fraud IS NULL
                   OR is_anomaly <> (anomaly_type IS NOT NULL) OR (is_fraud AND NOT is_anomaly)""")
          for t in tables),
    ]
    found = _findings(src, queries)
    labels, flags, master = src.rows(f"""SELECT
        (SELECT count(*) FROM {LABELS}), (SELECT count(*) FROM ({flagged})),
        (SELECT count(*) FROM {LABELS} WHERE table_name IN ({_names(MASTER_TABLES)}))""")[0]
    unflaggable = [t for t in FLAGGED_TABLES if src.has(t) and t not in tables]
    ok = (f"{counted(labels, 'label')} and "
          f"{counted(flags, 'flagged entry or document', 'flagged entries and documents')} "
          "match both ways") if labels or flags else "no anomalies: no labels, no flagged rows"
    if master:
        ok += f", {counted(master, 'master-data label')} resolved"
    if unflaggable:
        ok += f" ({', '.join(unflaggable)} without flag columns)"
    return _result(name, int(labels) + int(flags), found, ok)


def _catalog() -> str:
    """The catalog's types as SQL rows: type, family, severity, difficulty, fraud."""
    rows = ", ".join(f"({quote(t.name)}, {quote(t.family)}, {t.severity}, "
                     f"{quote(t.difficulty)}, {str(t.is_fraud).lower()})"
                     for t in TYPES.values())
    return f"SELECT * FROM (VALUES {rows}) AS k(type, family, severity, difficulty, fraud)"


def _differs(column: str, expected: str, text: str) -> str:
    return (f"CASE WHEN l.{column} IS DISTINCT FROM k.{expected} THEN '{text} ' "
            f"|| coalesce(l.{column}::VARCHAR, 'null') || ' (catalog ' "
            f"|| k.{expected}::VARCHAR || ')' END")


@named("anomalies.labels_consistent")
def check_labels_consistent(src: Source, name: str) -> CheckResult:
    """Label ids are unique; family, severity, difficulty and the fraud flag are the
    catalog's for the type (fraud exactly for the fraud family); a scheme is one type; a
    label's company is its row's."""
    if not src.has(LABELS):
        return skipped(name, NO_LABELS)
    # the labelled rows' companies; the labels pick the few rows of large tables first
    keyed = [t for t in (*FLAGGED_TABLES, *MASTER_TABLES) if src.has(t)]
    companies = _union([
        f"""SELECT DISTINCT {quote(t)} AS t, {key_column(t)} AS id, company_code AS co
            FROM {t} WHERE {key_column(t)} IN
                (SELECT document_id FROM {LABELS} WHERE table_name = {quote(t)})"""
        for t in keyed], "NULL::VARCHAR AS t, NULL::VARCHAR AS id, NULL::VARCHAR AS co")
    queries = [
        ("anomaly ids used more than once",
         f"""SELECT coalesce(anomaly_id, 'null') || ' x' || count(*) AS what FROM {LABELS}
             GROUP BY anomaly_id HAVING count(*) > 1 OR anomaly_id IS NULL"""),
        ("labels that differ from the catalog",
         f"""SELECT concat(l.anomaly_id, ' ', coalesce(l.anomaly_type, 'null'), ': ') || concat_ws(
                 ', ', CASE WHEN k.type IS NULL THEN 'not in the catalog' END,
                 {_differs('family', 'family', 'family')},
                 {_differs('severity', 'severity', 'severity')},
                 {_differs('detection_difficulty', 'difficulty', 'difficulty')},
                 {_differs('is_fraud', 'fraud', 'is_fraud')},
                 CASE WHEN l.is_fraud IS DISTINCT FROM (l.family = 'fraud')
                      THEN 'is_fraud ' || coalesce(l.is_fraud::VARCHAR, 'null')
                           || ' in family ' || coalesce(l.family, 'null') END) AS what
             FROM {LABELS} l LEFT JOIN ({_catalog()}) k ON k.type = l.anomaly_type
             WHERE k.type IS NULL OR l.family IS DISTINCT FROM k.family
                OR l.severity IS DISTINCT FROM k.severity
                OR l.detection_difficulty IS DISTINCT FROM k.difficulty
                OR l.is_fraud IS DISTINCT FROM k.fraud
                OR l.is_fraud IS DISTINCT FROM (l.family = 'fraud')"""),
        ("schemes of several types",
         f"""SELECT concat(scheme_id, ': ') || string_agg(DISTINCT anomaly_type, ' + '
                                                    ORDER BY anomaly_type) AS what
             FROM {LABELS} GROUP BY scheme_id HAVING count(DISTINCT anomaly_type) > 1"""),
        ("labels whose company is not their row's",
         f"""SELECT concat(l.anomaly_id, ' ', l.table_name, ' ', l.document_id) || ': '
                    || coalesce(l.company_code, 'null') || ' vs '
                    || string_agg(DISTINCT c.co, '/' ORDER BY c.co) AS what
             FROM {LABELS} l JOIN ({companies}) c
                  ON c.t = l.table_name AND c.id = l.document_id
             GROUP BY l.anomaly_id, l.table_name, l.document_id, l.company_code
             HAVING NOT bool_or(c.co IS NOT DISTINCT FROM l.company_code)"""),
    ]
    found = _findings(src, queries)
    labels, kinds, schemes = src.rows(f"""SELECT count(*), count(DISTINCT anomaly_type),
                                                 count(DISTINCT scheme_id) FROM {LABELS}""")[0]
    ok = (f"{counted(labels, 'label')} of {counted(kinds, 'type')} in "
          f"{counted(schemes, 'scheme')}: ids unique, as the catalog says, one type per "
          "scheme, companies match") if labels else "no labels"
    return _result(name, int(labels), found, ok)


ANOMALY_CHECKS = (check_labels_cover_flags, check_labels_consistent)
