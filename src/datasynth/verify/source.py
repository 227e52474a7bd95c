"""Opening a datasynth output for checking: the manifest, and every table in DuckDB.

Checks never load a table into Python. Each table reads exactly the part files the manifest
lists, so a stray file in a table directory cannot leak into the results. Parquet (preferred
when several formats were written) is a view DuckDB streams; CSV and JSON Lines are parsed
once, with the column types of the schema so money stays DECIMAL(18,2) and compares exactly,
into a scratch database on disk. Either way memory stays bounded: DuckDB spills to disk.
"""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path
from typing import Any, Self

import duckdb
import pyarrow as pa

from datasynth.errors import DataSynthError
from datasynth.schemas.registry import TABLES
from datasynth.sinks.layout import MANIFEST

# fiscal_year is SMALLINT: widen before scaling, or 2024 * 100 overflows
PERIOD_KEY = "(CAST(fiscal_year AS INTEGER) * 100 + fiscal_period)"
# DuckDB's working memory for checking: verify's whole process stays within about 1.3 GiB of
# it, 115 million journal lines included (BENCHMARKS.md, case 6)
DEFAULT_MEMORY_LIMIT_MB = 1024
READ_ORDER = ("parquet", "csv", "jsonl", "json")   # the most exact, fastest format first


class NotAnOutput(DataSynthError):
    """The directory holds no (readable) datasynth manifest."""

    exit_code = 2


class UnreadableTable(DataSynthError):
    """A table's part files exist but cannot be read (damaged or not the recorded format)."""


def load_manifest(root: Path) -> dict[str, Any]:
    """The manifest of ``root``, or NotAnOutput saying what is wrong with it."""
    if not root.is_dir():
        raise NotAnOutput(f"{root} is not a directory")
    path = root / MANIFEST
    if not path.is_file():
        raise NotAnOutput(f"{root} is not a datasynth output: it has no {MANIFEST} "
                          "(generate one with `datasynth-data generate -o DIR`)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise NotAnOutput(f"cannot read {path}: {exc}") from None
    except ValueError as exc:
        raise NotAnOutput(f"{path} is not valid JSON ({exc}); the output is damaged") from None
    if not isinstance(data, dict) or data.get("generator") != "datasynth":
        raise NotAnOutput(f"{path} was not written by datasynth")
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(
            isinstance(t, dict) and isinstance(t.get("files"), list)
            and all(isinstance(f, dict) and isinstance(f.get("path"), str) for f in t["files"])
            for t in tables.values()):
        raise NotAnOutput(f"{path} has no valid 'tables' section; the output is damaged")
    return data


def _sql_type(type_: pa.DataType) -> str:
    if pa.types.is_dictionary(type_):
        type_ = type_.value_type
    if pa.types.is_decimal(type_):
        return f"DECIMAL({type_.precision},{type_.scale})"
    simple = {pa.string(): "VARCHAR", pa.int8(): "TINYINT", pa.int16(): "SMALLINT",
              pa.int32(): "INTEGER", pa.int64(): "BIGINT", pa.float32(): "FLOAT",
              pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN", pa.date32(): "DATE"}
    if type_ in simple:
        return simple[type_]
    if pa.types.is_timestamp(type_):
        return "TIMESTAMP"
    raise ValueError(f"no SQL type for {type_}")


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reader_sql(fmt: str, paths: list[Path], table: str) -> str:
    """A DuckDB table function reading ``paths`` (one format) with the table's column types."""
    files = "[" + ", ".join(quote(str(p)) for p in paths) + "]"
    if fmt == "parquet":
        return f"read_parquet({files})"
    columns = "{" + ", ".join(f"{quote(f.name)}: {quote(_sql_type(f.type))}"
                              for f in TABLES[table].schema) + "}"
    if fmt == "csv":
        return f"read_csv({files}, header = true, columns = {columns})"
    style = "newline_delimited" if fmt == "jsonl" else "array"
    return f"read_json({files}, format = {quote(style)}, columns = {columns})"


class Source:
    """One output directory: its manifest, and a DuckDB connection with a view per table."""

    def __init__(self, root: Path, memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB) -> None:
        self.root = root
        self.manifest = load_manifest(root)
        # a scratch database on disk: text tables are loaded into it, and large joins spill
        self._scratch = tempfile.TemporaryDirectory(prefix="datasynth-verify-")
        self.con = duckdb.connect(str(Path(self._scratch.name) / "verify.duckdb"))
        # every check reads the same part files again: keep their footers after the first
        self.con.execute("SET parquet_metadata_cache = true")
        # DuckDB's own default is 80 % of the machine; a bounded budget instead, so verifying
        # a 100-million-line output fits beside other work (aggregates spill to the scratch)
        self.con.execute(f"SET memory_limit = '{memory_limit_mb}MB'")
        self.con.execute("SET preserve_insertion_order = false")   # checks never rely on it
        self._local = threading.local()          # checks run on threads: a cursor each
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self.formats: dict[str, str] = {}        # table -> format its view reads
        self.unreadable: dict[str, str] = {}     # table -> why its files cannot be read
        self._columns: dict[str, set[str]] = {}  # table -> its columns, once asked
        for name, entry in self.manifest["tables"].items():
            if name in TABLES:       # an unknown table is reported by the manifest check only
                self._register(name, entry["files"])

    def _register(self, name: str, files: list[dict[str, Any]]) -> None:
        by_format: dict[str, list[Path]] = {}
        for f in files:
            path = self.root / f["path"]
            if path.is_file():       # a missing file fails the manifest check, not every check
                by_format.setdefault(str(f.get("format") or path.suffix.lstrip(".")),
                                     []).append(path)
        fmt = next((f for f in READ_ORDER if by_format.get(f)), None)
        if fmt is None:              # listed with no readable file: an empty table of its schema
            # a real table, not a registered Arrow object: those are invisible to cursors
            self.con.register("_empty", TABLES[name].schema.empty_table())
            self.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _empty')
            self.con.unregister("_empty")
            self.formats[name] = "none"
            return
        # Parquet is streamed by a view; text is parsed once into a table, since every
        # check reading it again would re-parse it (seconds per check on large outputs)
        kind = "VIEW" if fmt == "parquet" else "TABLE"
        try:
            self.con.execute(f'CREATE {kind} "{name}" AS SELECT * FROM '
                             f"{reader_sql(fmt, sorted(by_format[fmt]), name)}")
        except duckdb.Error as exc:  # a damaged file: the checks that need it say so
            self.unreadable[name] = str(exc).strip().splitlines()[0]
            return
        self.formats[name] = fmt

    def has(self, *tables: str) -> bool:
        return not self.missing(*tables)

    def missing(self, *tables: str) -> list[str]:
        """The absent ones of ``tables``; an unreadable one raises (the check cannot run)."""
        for table in tables:
            if table in self.unreadable:
                raise UnreadableTable(f"table {table} cannot be read: {self.unreadable[table]}")
        return [t for t in tables if t not in self.formats]

    def columns(self, table: str) -> set[str]:
        """The columns ``table`` has in this output (empty if absent): an output written
        before a column existed lacks it, and a check reading it must know."""
        if not self.has(table):
            return set()
        if table not in self._columns:     # checks on several threads may both fill it: same
            self._columns[table] = {row[0] for row in self.rows(
                f'SELECT column_name FROM (DESCRIBE "{table}")')}
        return self._columns[table]

    def rows(self, sql: str) -> list[tuple]:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self.con.cursor()
            with self._lock:
                self._cursors.append(cursor)
        return cursor.execute(sql).fetchall()

    def scalar(self, sql: str) -> Any:
        found = self.rows(sql)
        return found[0][0] if found else None

    def violations(self, sql: str, limit: int = 3) -> tuple[int, list[tuple]]:
        """How many rows ``sql`` returns, and the first ``limit`` in sort order (only if any).

        Sorting makes the examples a report shows the same from run to run; the window count
        is taken before the limit, so one query gives both.
        """
        found = self.rows(f"SELECT *, count(*) OVER () AS _violations FROM ({sql}) "
                          f"ORDER BY ALL LIMIT {limit}")
        return (int(found[0][-1]), [row[:-1] for row in found]) if found else (0, [])

    def last_period(self) -> int | None:
        """The last period of the run (year * 100 + period) found in the ledger tables."""
        keys = [f"SELECT max({PERIOD_KEY}) FROM {t}"
                for t in ("journal_entries", "trial_balances") if self.has(t)]
        return self.scalar(f"SELECT max(p) FROM ({' UNION ALL '.join(keys)}) AS t(p)") \
            if keys else None

    def close(self) -> None:
        for cursor in self._cursors:
            cursor.close()
        self.con.close()
        self._scratch.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
