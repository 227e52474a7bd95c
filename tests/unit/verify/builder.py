"""Writing hand-built books as a real output directory, and damaging an output afterwards.

Files go through the real part writers (``SinkSpec``) and the real ``ManifestWriter``, so
the layout, checksums and Parquet encoding are exactly what ``generate`` produces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from datasynth.config import Config
from datasynth.runtime.manifest import ManifestWriter
from datasynth.schemas.registry import table_spec
from datasynth.sinks.spec import SinkSpec
from tests.conftest import small_config_dict
from tests.unit.verify import books

Rows = list[dict]


def _neutral(field: pa.Field):
    """The value a column takes when a hand-written row leaves it out."""
    t = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
    if field.nullable:
        return None
    if pa.types.is_decimal(t):
        return Decimal(0)
    if pa.types.is_date(t):
        return dt.date(2024, 11, 1)
    if pa.types.is_timestamp(t):
        return dt.datetime(2024, 11, 1)
    if pa.types.is_boolean(t):
        return False
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        return 0
    return ""


def to_arrow(name: str, rows: Rows) -> pa.Table:
    schema = table_spec(name).schema
    full = []
    for row in rows:
        unknown = set(row) - set(schema.names)
        assert not unknown, f"{name}: no columns {unknown}"
        values = {f.name: row.get(f.name, _neutral(f)) for f in schema}
        for f in schema:   # books write amounts as ints: money columns take Decimals
            if pa.types.is_decimal(f.type) and isinstance(values[f.name], int):
                values[f.name] = Decimal(values[f.name])
        full.append(values)
    return pa.Table.from_pylist(full, schema=schema)


def write_output(root: Path, data: dict[str, Rows], formats: tuple[str, ...] = ("parquet",),
                 status: str = "complete") -> Path:
    """Write ``data`` as a datasynth output; tables of more than four rows get two parts."""
    sink = SinkSpec(str(root), formats)
    sink.preflight()                       # creates the output directory, as a run does
    manifest = ManifestWriter(root, Config.from_dict(small_config_dict()), "verify-test",
                              formats, plan=[])
    for name, rows in data.items():
        spec = table_spec(name)
        half = len(rows) // 2 if len(rows) > 4 else len(rows)
        for part, chunk in enumerate((rows[:half], rows[half:]) if half < len(rows)
                                     else (rows,)):
            writer = sink.open_part(spec, part)
            writer.write(to_arrow(name, chunk))
            manifest.add_files(writer.close(), {name: len(chunk)})
    manifest.finish(status)
    return root


def build_output(root: Path, drop: tuple[str, ...] = (),
                 edit: Callable[[dict[str, Rows]], None] | None = None,
                 **kwargs) -> Path:
    """The coherent books, less the ``drop`` tables, after ``edit`` changed them in place.

    Editing before writing keeps the manifest true to the data, so only the semantic check
    the edit targets can fail.
    """
    data = {name: rows for name, rows in books.tables().items() if name not in drop}
    if edit is not None:
        edit(data)
    return write_output(root, data, **kwargs)


def find(rows: Rows, **match) -> dict:
    """The one row whose columns equal ``match`` (to edit it in place)."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{len(found)} rows match {match}"
    return found[0]


# --- damage after writing: the manifest no longer matches the files ------------------------

def part_files(root: Path, table: str, fmt: str = "parquet") -> list[Path]:
    import json
    manifest = json.loads((root / "manifest.json").read_text())
    return [root / f["path"] for f in manifest["tables"][table]["files"] if f["format"] == fmt]


def rewrite_parquet(path: Path, change: Callable[[list[dict]], list[dict]]) -> None:
    """Rewrite one part file with ``change`` applied to its rows (types preserved)."""
    table = pq.read_table(path)
    rows = change(table.to_pylist())
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


def rewrite_first(root: Path, table: str, change: Callable[[dict], bool]) -> dict:
    """Apply ``change`` to the first row (over the part files) it accepts; return that row."""
    for path in part_files(root, table):
        rows = pq.read_table(path).to_pylist()
        for row in rows:
            if change(row):
                rewrite_parquet(path, lambda _, rows=rows: rows)
                return row
    raise AssertionError(f"no row of {table} could be changed")


def delete_first(root: Path, table: str, accept: Callable[[dict], bool]) -> dict:
    for path in part_files(root, table):
        rows = pq.read_table(path).to_pylist()
        for i, row in enumerate(rows):
            if accept(row):
                rewrite_parquet(path, lambda _, rows=rows, i=i: rows[:i] + rows[i + 1:])
                return row
    raise AssertionError(f"no row of {table} accepted")
