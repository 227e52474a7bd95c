"""Reading a written table back into its exact schema, from any output format."""

from __future__ import annotations

import decimal
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from datasynth.schemas.base import TableSpec


def read_part(path: Path, spec: TableSpec) -> pa.Table:
    suffix = path.suffix.lstrip(".")
    if suffix == "parquet":
        table = pq.read_table(path)
    elif suffix == "csv":
        table = _read_csv(path, spec)
    elif suffix in ("jsonl", "json"):
        table = _read_json(path, spec, array=(suffix == "json"))
    else:
        raise ValueError(f"not a datasynth part file: {path}")
    return table.select(spec.schema.names).cast(spec.schema)


def read_parts(paths: list[Path], spec: TableSpec) -> pa.Table:
    tables = [read_part(p, spec) for p in paths]
    return pa.concat_tables(tables) if tables else spec.schema.empty_table()


def _plain(type_: pa.DataType) -> pa.DataType:
    return type_.value_type if pa.types.is_dictionary(type_) else type_


def _read_csv(path: Path, spec: TableSpec) -> pa.Table:
    types = {f.name: _plain(f.type) for f in spec.schema}
    strings = [f.name for f in spec.schema if pa.types.is_string(_plain(f.type))]
    options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                   quoted_strings_can_be_null=True,
                                   null_values=[""])
    table = pacsv.read_csv(path, convert_options=options)
    # an unquoted empty field is null; a quoted empty string stays ""
    for name in strings:
        if not spec.schema.field(name).nullable:
            column = table[name].fill_null("")
            table = table.set_column(table.schema.get_field_index(name), name, column)
    return table


def _read_json(path: Path, spec: TableSpec, array: bool) -> pa.Table:
    with open(path, encoding="utf-8") as handle:
        rows = json.load(handle) if array else [json.loads(line) for line in handle if line.strip()]
    plain = pa.schema([pa.field(f.name, _plain(f.type)) for f in spec.schema])
    money = [f.name for f in spec.schema if pa.types.is_decimal(f.type)]
    for row in rows:
        for name in money:
            if row.get(name) is not None:
                row[name] = decimal.Decimal(str(row[name]))
    if not rows:
        return plain.empty_table()
    columns = {f.name: [r.get(f.name) for r in rows] for f in plain}
    arrays = [_json_column(columns[f.name], f.type) for f in plain]
    return pa.Table.from_arrays(arrays, schema=plain)


def _json_column(values: list, type_: pa.DataType) -> pa.Array:
    if pa.types.is_timestamp(type_):
        return pa.array(values, pa.string()).cast(type_)
    if pa.types.is_date(type_):
        return pa.array(values, pa.string()).cast(pa.timestamp("s")).cast(type_)
    return pa.array(values, type_)
