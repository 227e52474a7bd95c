"""What the anomaly-family tests share: a seeded configuration that injects one family, the
run with injection next to the same books without it, and ways to read and compare them.

Each family's module generates its two runs once (a module-scoped fixture) and checks them
with rules written from the types' definitions; this module holds only the scaffolding: the
configuration (``family_config``), the two runs (``clean_and_injected``), journal entries
read back as ``Entry`` objects and matched with their twin in the clean run (``Runs``), the
runs as DuckDB views (``Books``), and the checks every family makes (flags equal labels,
the books verify, the same seed gives the same bytes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from datasynth.config import Config
from datasynth.generators.anomalies import engine
from datasynth.runtime.orchestrator import GenerationOrchestrator
from datasynth.runtime.result import GenerationResult
from datasynth.sinks.memory import MemoryStore
from datasynth.verify import verify
from tests.conftest import small_config_dict

FAMILIES = ("fraud", "error", "process", "statistical", "relational")
# two companies' year with the master data to go with 24,000 entries
MASTER_DATA = {"vendors": 60, "customers": 80, "materials": 40, "fixed_assets": 15,
               "employees": 40, "cost_centers": 8}
# one company, and the master data of a year of 6,000-8,000 entries
ONE_COMPANY = [{"code": "1000", "name": "Alpha Inc.", "currency": "USD", "country": "US"}]
ONE_COMPANY_MASTER_DATA = {"vendors": 40, "customers": 50, "materials": 30, "fixed_assets": 10,
                           "employees": 30, "cost_centers": 6}
# entries built from the books after injection (or the opening), so they follow what was
# injected (a tuple: its repr is an SQL list)
FOLLOW_ON = ("vat_return", "financing", "tax_provision", "year_end_close", "accrual",
             "depreciation_run", "opening_balance")
# the template entries fit_to_target adds or drops to hit target_count: which ones differs
# between the runs, so they may have no twin
FIT = ("Bank charges", "Reclassification of costs")


def family_config(family: str, *, enabled: bool = True, seed: int = 7, months: int = 12,
                  target: int = 24000, rate: float = 0.1,
                  master_data: dict | None = MASTER_DATA, companies: list | None = None,
                  **injection) -> Config:
    """A seeded run from 2024-01-01 (USD group) injecting only ``family``, at ``rate`` of the
    entries. ``master_data`` and ``companies`` replace those of ``small_config_dict`` (None:
    keep its); ``injection`` adds settings of ``anomaly_injection`` (approval_limit,
    type_weights, ...)."""
    assert family in FAMILIES, family
    overrides: dict = {
        "global": {"seed": seed, "industry": "manufacturing", "start_date": "2024-01-01",
                   "period_months": months, "group_currency": "USD"},
        "transactions": {"target_count": target},
        "anomaly_injection": {"enabled": enabled, "total_rate": rate,
                              "families": {f: int(f == family) for f in FAMILIES},
                              **injection}}
    if master_data is not None:
        overrides["master_data"] = master_data
    if companies is not None:
        overrides["companies"] = companies
    return Config.from_dict(small_config_dict(**overrides))


# ---- the two runs ----------------------------------------------------------------------------
def generate(config: Config, out: Path | None = None) -> GenerationResult:
    """One run of ``config``, written to ``out`` or kept in memory."""
    if out is None:
        return GenerationOrchestrator(config, memory=MemoryStore(), workers=1).run()
    return GenerationOrchestrator(config, output_dir=out, workers=1).run()


def clean_and_injected(out: Path, config: Config, *, clean: Config | None = None,
                       clean_out: Path | None = None
                       ) -> tuple[GenerationResult, GenerationResult]:
    """The run of ``config`` written to ``out``, and the same books without anomalies,
    written to ``clean_out`` (or kept in memory when it is None).

    The clean run is the run of ``clean`` when given (the family switched off), otherwise
    of ``config`` itself with every injector skipped (``engine.INJECTORS`` patched to {}):
    then the master data holds back the same vendors and employees for the schemes and the
    normal business is drawn from the same ones, so it is identical."""
    injected = generate(config, out)
    if clean is not None:
        return injected, generate(clean, clean_out)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "INJECTORS", {})
        return injected, generate(config, clean_out)


def injected_books(tmp_path_factory, name: str, config: Config,
                   tables: Iterable[str]) -> tuple[Path, Books]:
    """``clean_and_injected`` with the run of ``config`` written to a fresh folder
    ``<name>``/out and the clean run in memory; returns the folder and both runs' ``tables``
    as ``Books``."""
    out = tmp_path_factory.mktemp(name) / "out"
    anomalous, clean = clean_and_injected(out, config)
    return out, Books(anomalous, clean, tables)


def written_runs(tmp_path_factory, name: str, config: Config, *,
                 clean: Config | None = None) -> tuple[Path, Path]:
    """``clean_and_injected`` with both runs written, to fresh folders ``<name>_on`` and
    ``<name>_off``; returns the two folders."""
    on_root = tmp_path_factory.mktemp(f"{name}_on")
    off_root = tmp_path_factory.mktemp(f"{name}_off")
    clean_and_injected(on_root, config, clean=clean, clean_out=off_root)
    return on_root, off_root


# ---- journal entries -------------------------------------------------------------------------
@dataclass
class Entry:
    """One journal entry: its header, and its lines by line number."""

    document_id: str
    company: str
    reference_type: str | None
    reference_id: str | None
    partner: str | None
    created_by: str
    created_at: dt.datetime
    posting: dt.date
    document: dt.date
    header: str
    document_type: str
    business_process: str
    source: str
    lines: tuple           # (account, debit, credit, cost center) by line number
    anomaly: str | None

    @property
    def key(self) -> tuple:
        """The business event: the same in a run with and one without injection as long as
        no anomaly changed the reference, user, time of day or line count."""
        return (self.company, self.reference_type, self.reference_id, self.created_by,
                self.created_at.time(), len(self.lines))

    @property
    def debit(self) -> Decimal:
        return sum((line[1] for line in self.lines), Decimal(0))

    @property
    def credit(self) -> Decimal:
        return sum((line[2] for line in self.lines), Decimal(0))

    @property
    def amount(self) -> Decimal:
        """The entry's amount: the sum of its debits."""
        return self.debit

    @property
    def document_kind(self) -> tuple:
        """Document type, business process and source: the kind of posting."""
        return (self.document_type, self.business_process, self.source)

    @property
    def recurring_kind(self) -> tuple:
        """Text and first debit and credit account: one recurring kind of entry."""
        debit = [line[0] for line in self.lines if line[1] > 0]
        credit = [line[0] for line in self.lines if line[2] > 0]
        return (self.company, self.header, tuple(debit[:1]), tuple(credit[:1]))

    @property
    def pair(self) -> tuple[str, str] | None:
        """(debit account, credit account) of a two-line entry (one debit and one credit
        line); None for any other entry."""
        debit = [line[0] for line in self.lines if line[1] > 0]
        credit = [line[0] for line in self.lines if line[2] > 0]
        if len(self.lines) == 2 and len(debit) == len(credit) == 1:
            return debit[0], credit[0]
        return None

    @property
    def debit_account(self) -> str | None:
        """The debit account of a two-line entry (one debit and one credit line)."""
        pair = self.pair
        return pair[0] if pair else None

    @property
    def business(self) -> bool:
        """Not one of the entries computed from the books after injection."""
        return self.reference_type not in FOLLOW_ON


_HEADER = ("document_id", "company_code", "reference_document_type", "reference_document_id",
           "partner_id", "created_by", "created_at", "posting_date", "document_date",
           "header_text", "document_type", "business_process", "source")
_LINE = ("gl_account", "debit_amount", "credit_amount", "cost_center")


def read_entries(root: Path) -> dict[str, Entry]:
    """The journal entries of the output in ``root``, by document id."""
    columns = (*_HEADER, *_LINE, "anomaly_type")
    table = pq.read_table(root / "journal_entries", columns=[*columns, "line_number"])
    table = table.sort_by([("document_id", "ascending"), ("line_number", "ascending")])
    values = [table[c].to_pylist() for c in columns]
    head, line = len(_HEADER), len(_HEADER) + len(_LINE)
    out: dict[str, Entry] = {}
    lines: dict[str, list] = defaultdict(list)
    for row in zip(*values):
        doc = row[0]
        if doc not in out:
            out[doc] = Entry(*row[:head], (), row[line])
        lines[doc].append(row[head:line])
    for doc, e in out.items():
        e.lines = tuple(lines[doc])
    return out


def twins(on: dict[str, Entry], off: dict[str, Entry]) -> dict[str, Entry | None]:
    """Each entry of ``on`` -> the one entry of ``off`` with its key (the same event), or
    None where there is none or more than one."""
    by_key: dict[tuple, list[Entry]] = defaultdict(list)
    for e in off.values():
        by_key[e.key].append(e)
    return {d: (by_key[e.key][0] if len(by_key.get(e.key, ())) == 1 else None)
            for d, e in on.items()}


@dataclass
class Runs:
    """The two written runs read back: entries by id, and each entry's twin."""

    root: Path
    off_root: Path
    on: dict[str, Entry]
    off: dict[str, Entry]
    twin: dict[str, Entry | None]       # on-run id -> the same event in the off run
    labels: list[dict]

    @classmethod
    def read(cls, root: Path, off_root: Path, **extra):
        """The runs in ``root`` (with injection) and ``off_root``; ``extra``: the fields a
        subclass adds."""
        on, off = read_entries(root), read_entries(off_root)
        return cls(root, off_root, on, off, twins(on, off),
                   pq.read_table(root / "anomaly_labels").to_pylist(), **extra)

    def labelled(self, anomaly: str) -> set[str]:
        """The entries flagged with ``anomaly``."""
        return {d for d, e in self.on.items() if e.anomaly == anomaly}

    def scheme_labels(self, anomaly: str) -> dict[str, list[dict]]:
        """The labels of ``anomaly`` by scheme."""
        out: dict[str, list[dict]] = defaultdict(list)
        for label in self.labels:
            if label["anomaly_type"] == anomaly:
                out[label["scheme_id"]].append(label)
        return out

    def scheme_entries(self, anomaly: str) -> dict[str, list[Entry]]:
        """The labelled entries of ``anomaly`` by scheme (every label must name an entry)."""
        return {scheme: [self.on[label["document_id"]] for label in labels]
                for scheme, labels in self.scheme_labels(anomaly).items()}


# ---- the runs as DuckDB views ----------------------------------------------------------------
class Books:
    """The two runs as DuckDB views: ``x`` names a table of the run with anomalies,
    ``clean_x`` the same table of the clean run (the labels only in the first)."""

    def __init__(self, anomalous: GenerationResult, clean: GenerationResult,
                 tables: Iterable[str]) -> None:
        self.con = duckdb.connect()
        for name in tables:
            self.con.register(name, anomalous.table(name))
            if name != "anomaly_labels":
                self.con.register(f"clean_{name}", clean.table(name))

    def ids(self, sql: str) -> set:
        """The rows ``sql`` selects: the value of a one-column row, else the row's tuple."""
        return {r[0] if len(r) == 1 else tuple(r) for r in self.con.execute(sql).fetchall()}

    def one(self, sql: str):
        return self.con.execute(sql).fetchone()

    def labelled(self, kind: str, table: str) -> set:
        return self.ids(f"SELECT document_id FROM anomaly_labels WHERE anomaly_type = '{kind}' "
                        f"AND table_name = '{table}'")

    def entries_of(self, documents: str) -> set:
        """Journal entries whose reference document is among ``documents`` (SQL)."""
        return self.ids(f"SELECT DISTINCT document_id FROM journal_entries "
                        f"WHERE reference_document_id IN ({documents})")


def sql_list(ids: Iterable) -> str:
    """``ids`` as the items of an SQL list of strings (NULL when there are none)."""
    return ", ".join(f"'{i}'" for i in sorted(ids)) or "NULL"


# ---- checks every family makes ---------------------------------------------------------------
def assert_every_type_injected(labels: list[dict], types: Iterable[str], *,
                               schemes: int = 5,
                               companies: Collection[str] = ("1000", "2000")) -> None:
    """The labels name exactly ``types``, each with at least ``schemes`` schemes, and fall
    on exactly ``companies``."""
    counts = Counter(label["anomaly_type"] for label in labels)
    assert set(counts) == set(types)
    found = {t: len({label["scheme_id"] for label in labels if label["anomaly_type"] == t})
             for t in types}
    assert all(n >= schemes for n in found.values()), found
    assert {label["company_code"] for label in labels} == set(companies)


def assert_flags_equal_labels(output: Path, tables: Mapping[str, str], *,
                              kind: str | None = None, exhaustive: bool = False,
                              count_rows: Collection[str] = ()) -> None:
    """In each of ``tables`` (table -> the key column its labels name): a row is flagged
    (``is_anomaly``) exactly when it has an anomaly type, and the labels of the table are
    the flagged keys with their types, one label each. ``kind``: only that type's labels
    and flags. ``exhaustive``: no label names another table. ``count_rows``: tables whose
    flagged rows count one by one (a key flagged on two rows needs two labels, so a
    flagged key has one row) rather than once a key."""
    labels = pq.read_table(output / "anomaly_labels").to_pylist()
    if kind is not None:
        labels = [label for label in labels if label["anomaly_type"] == kind]
    if exhaustive:
        assert {label["table_name"] for label in labels} <= set(tables), kind
    for table, key in tables.items():
        rows = pq.read_table(output / table,
                             columns=[key, "is_anomaly", "anomaly_type"]).to_pylist()
        assert all(r["is_anomaly"] == (r["anomaly_type"] is not None) for r in rows), table
        flagged = [(r[key], r["anomaly_type"]) for r in rows if r["is_anomaly"]
                   and (kind is None or r["anomaly_type"] == kind)]
        if table not in count_rows:
            flagged = list(set(flagged))
        named = [(label["document_id"], label["anomaly_type"]) for label in labels
                 if label["table_name"] == table]
        assert Counter(named) == Counter(flagged), (kind, table)


def assert_verifies(root: Path):
    """The output in ``root`` passes every check of ``verify``; returns the report."""
    report = verify(root)
    failed = [f"{r.name}: {r.detail}" for r in report.results if r.failed]
    assert not failed, failed
    return report


def assert_same_bytes(config: Config, root: Path, out: Path, tables: Iterable[str]) -> None:
    """``config`` generated again into ``out`` writes ``tables`` byte for byte as in
    ``root``."""
    generate(config, out)
    for table in tables:
        first = sorted((root / table).glob("*.parquet"))
        second = sorted((out / table).glob("*.parquet"))
        assert first and [p.read_bytes() for p in first] == \
            [p.read_bytes() for p in second], table
