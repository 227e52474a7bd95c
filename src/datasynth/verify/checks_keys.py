"""Keys: primary keys are unique, and every foreign key resolves in the table it names.

A group of relations is one check; its detail lists each failing relation with its first
dangling values. Relations whose tables are absent are left out (and counted in the
detail); a group with none left is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from datasynth.schemas.registry import TABLES
from datasynth.verify import relations as R
from datasynth.verify.relations import Relation
from datasynth.verify.result import (
    EXAMPLES,
    CheckResult,
    counted,
    named,
    outcome,
    skipped,
)
from datasynth.verify.source import Source, quote


def _resolve(src: Source, rel: Relation) -> tuple[int, int, list[str]] | None:
    """(checked, dangling, first dangling values), or None if a table is absent."""
    if not src.has(rel.table, *(t for t, _ in rel.targets)):
        return None
    keys = " UNION ".join(f"SELECT {col} AS k FROM {t}" for t, col in rel.targets)
    where = f"{rel.column} IS NOT NULL" + (f" AND {rel.where}" if rel.where else "")
    values = f"SELECT {rel.column} AS v FROM {rel.table} WHERE {where}"
    checked, dangling = src.rows(
        f"""SELECT count(*), count(*) FILTER (WHERE keys.k IS NULL)
            FROM ({values}) s LEFT JOIN ({keys}) keys ON keys.k = s.v""")[0]
    shown = []
    if dangling:
        shown = [r[0] for r in src.rows(
            f"""SELECT DISTINCT v FROM ({values}) s
                WHERE NOT EXISTS (SELECT 1 FROM ({keys}) keys WHERE keys.k = s.v)
                ORDER BY v LIMIT {EXAMPLES}""")]
    return int(checked), int(dangling), shown


def run_relations(src: Source, name: str, relations: tuple[Relation, ...],
                  extra: list[tuple[str, int, int, list[str]]] | None = None) -> CheckResult:
    """One check over a group of relations (plus ``extra`` precomputed findings)."""
    found = [(rel.describe(), _resolve(src, rel)) for rel in relations]
    ran = [(label, *res) for label, res in found if res is not None] + (extra or [])
    absent = sum(1 for _, res in found if res is None)
    if not ran:
        return skipped(name, "tables absent for every relation")
    checked = sum(r[1] for r in ran)
    bad = [r for r in ran if r[2]]
    note = f" ({counted(absent, 'relation')} skipped: tables absent)" if absent else ""
    detail = "; ".join(f"{label}: {n} dangling (e.g. {', '.join(map(str, shown))})"
                       for label, _, n, shown in bad[:EXAMPLES]) + note
    return outcome(name, checked, sum(r[2] for r in bad), detail,
                   f"{counted(len(ran), 'relation')} resolved{note}")


def _group(check_name: str, relations: tuple[Relation, ...]) -> Callable[[Source], CheckResult]:
    @named(check_name)
    def check(src: Source, name: str) -> CheckResult:
        return run_relations(src, name, relations)

    return check


def _unknown_types(src: Source, table: str, column: str,
                   known: tuple[str, ...]) -> list[tuple[str, int, int, list[str]]]:
    """A finding for type values no relation covers: their ids cannot be resolved."""
    if not src.has(table):
        return []
    listed = ", ".join(quote(k) for k in known)
    rows = src.rows(f"""SELECT count({column}), count(*) FILTER (WHERE {column} NOT IN ({listed})),
                               list(DISTINCT {column} ORDER BY {column})
                                   FILTER (WHERE {column} NOT IN ({listed}))
                        FROM {table}""")
    checked, unknown, values = rows[0]
    return [(f"{table}.{column} (known types)", int(checked), int(unknown),
             list(values or [])[:EXAMPLES])]


@named("keys.journal_references")
def check_journal_references(src: Source, name: str) -> CheckResult:
    """Reference ids resolve in the table their type names; an unknown type is an error too."""
    extra = _unknown_types(src, "journal_entries", "reference_document_type",
                           (*R.DOCUMENT_TABLES, *R.INTERNAL_REFERENCES))
    return run_relations(src, name, R.JOURNAL_REFERENCES, extra)


@named("keys.document_references")
def check_document_references(src: Source, name: str) -> CheckResult:
    extra = [finding for side in ("source", "target") for finding in _unknown_types(
        src, "document_references", f"{side}_document_type", tuple(R.DOCUMENT_TABLES))]
    return run_relations(src, name, R.DOCUMENT_REFERENCES, extra)


@named("keys.primary_unique")
def check_primary_keys(src: Source, name: str) -> CheckResult:
    tables = [t for t in sorted(src.formats) if TABLES[t].key]
    if not tables:
        return skipped(name, "no tables")
    checked, bad = 0, []
    for table in tables:
        key = ", ".join(TABLES[table].key)
        rows, duplicates = src.rows(
            f"""SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE n > 1), 0)
                FROM (SELECT count(*) AS n FROM {table} GROUP BY {key})""")[0]
        checked += int(rows)
        if duplicates:
            bad.append((table, int(duplicates)))
    detail = "; ".join(f"{t} ({', '.join(TABLES[t].key)}): {n} rows share a key"
                       for t, n in bad[:EXAMPLES])
    return outcome(name, checked, sum(n for _, n in bad), detail,
                   f"{counted(len(tables), 'table')}, keys unique")


check_journal_keys = _group("keys.journal_entries", R.JOURNAL)
check_document_journal = _group("keys.documents_to_journal", R.DOCUMENT_JOURNAL)
check_document_keys = _group("keys.documents", R.DOCUMENTS)
check_ledger_keys = _group("keys.ledgers", R.LEDGERS)
check_master_data_keys = _group("keys.master_data", R.MASTER_DATA)

KEY_CHECKS = (check_primary_keys, check_master_data_keys, check_journal_keys,
              check_journal_references, check_document_journal, check_document_keys,
              check_document_references, check_ledger_keys)
