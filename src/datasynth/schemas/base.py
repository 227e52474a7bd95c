"""Building blocks of table schemas: column types, field descriptions and the TableSpec record.

Conventions (DESIGN §4): money is ``decimal128(18, 2)``; dates ``date32``; timestamps
``timestamp("us")``; low-cardinality codes dictionary-encoded strings; high-cardinality keys
plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

MONEY = pa.decimal128(18, 2)
CODE = pa.dictionary(pa.int32(), pa.string())
DATE = pa.date32()
TIMESTAMP = pa.timestamp("us")
KEY = pa.string()


def column(name: str, type_: pa.DataType, description: str, nullable: bool = False) -> pa.Field:
    """A field carrying its description as metadata (readable from the Parquet footer)."""
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


@dataclass(frozen=True)
class TableSpec:
    """A table's contract: its Arrow schema, primary key and whether it is written out."""

    name: str
    schema: pa.Schema
    description: str
    key: tuple[str, ...] = ()
    exported: bool = True

    def __post_init__(self) -> None:
        missing = [k for k in self.key if k not in self.schema.names]
        if missing:
            raise ValueError(f"table {self.name}: key columns {missing} not in schema")


def table_schema(*fields: pa.Field, description: str) -> pa.Schema:
    return pa.schema(list(fields), metadata={"description": description})


def spec(name: str, key: tuple[str, ...], description: str, *fields: pa.Field,
         exported: bool = True) -> TableSpec:
    """A TableSpec whose schema carries the table's description."""
    return TableSpec(name=name, description=description, key=key, exported=exported,
                     schema=table_schema(*fields, description=description))
