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


def _sql(rel: Relation) -> tuple[str, str]:
    """(values to resolve, keys they must be among) of one relation, as SQL."""
    keys = " UNION ".join(f"SELECT {col} AS k FROM {t}" for t, col in rel.targets)
    where = f"{rel.column} IS NOT NULL" + (f" AND {rel.where}" if rel.where else "")
    return f"SELECT {rel.column} AS v FROM {rel.table} WHERE {where}", keys


def _resolve(src: Source, relations: list[Relation]) -> list[tuple[str, int, int, list[str]]]:
    """(label, checked, dangling, first dangling values) per relation.

    All relations of a group are counted in one query: per-query overhead, not the data,
    dominates on small outputs.
    """
    if not relations:
        return []
    counts = " UNION ALL ".join(
        f"""SELECT {i} AS i, count(*) AS n, count(*) FILTER (WHERE keys.k IS NULL) AS bad
            FROM ({values}) s LEFT JOIN ({keys}) keys ON keys.k = s.v"""
        for i, (values, keys) in enumerate(map(_sql, relations)))
    found = []
    for i, checked, dangling in sorted(src.rows(counts)):
        shown = []
        if dangling:     # only then look for examples
            values, keys = _sql(relations[i])
            shown = [r[0] for r in src.rows(
                f"""SELECT DISTINCT v FROM ({values}) s
                    WHERE NOT EXISTS (SELECT 1 FROM ({keys}) keys WHERE keys.k = s.v)
                    ORDER BY v LIMIT {EXAMPLES}""")]
        found.append((relations[i].describe(), int(checked), int(dangling), shown))
    return found


def run_relations(src: Source, name: str, relations: tuple[Relation, ...],
                  extra: list[tuple[str, int, int, list[str]]] | None = None) -> CheckResult:
    """One check over a group of relations (plus ``extra`` precomputed findings)."""
    present = [r for r in relations if src.has(r.table, *(t for t, _ in r.targets))]
    ran = _resolve(src, present) + (extra or [])
    absent = len(relations) - len(present)
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


def _duplicate_count(table: str) -> str:
    """One row: the table, its rows, and the rows whose key another row shares.

    Grouping 100 million string keys needs gigabytes, so rows are first grouped by a 64-bit
    hash of their key (fixed width, a fraction of the strings' memory). Rows that share a key share its
    hash, so no duplicate is missed; only rows in a shared hash are then grouped by their
    real key, which removes the rare hash collisions of distinct keys.
    """
    key = ", ".join(TABLES[table].key)
    return f"""SELECT {quote(table)},
                  (SELECT count(*) FROM {table}),
                  coalesce((SELECT sum(n) FROM (
                      SELECT count(*) AS n FROM {table}
                      WHERE hash({key}) IN (SELECT h FROM (
                          SELECT hash({key}) AS h FROM {table} GROUP BY h HAVING count(*) > 1))
                      GROUP BY {key} HAVING count(*) > 1)), 0)"""


@named("keys.primary_unique")
def check_primary_keys(src: Source, name: str) -> CheckResult:
    tables = [t for t in sorted(src.formats) if TABLES[t].key]
    if not tables:
        return skipped(name, "no tables")
    counts = " UNION ALL ".join(_duplicate_count(table) for table in tables)
    found = sorted(src.rows(counts))
    checked = sum(int(rows) for _, rows, _ in found)
    bad = [(table, int(duplicates)) for table, _, duplicates in found if duplicates]
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
