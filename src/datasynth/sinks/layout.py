"""Where files go: ``<out>/<table>/part-NNNNN.<ext>``, one part file per shard.

With several formats each gets its own tree, ``<out>/<format>/<table>/part-NNNNN.<ext>``, so
every table directory stays readable as one dataset by pyarrow, DuckDB, pandas or Spark.
"""

from __future__ import annotations

EXTENSIONS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl", "json": "json"}
MANIFEST = "manifest.json"
STATE_DIR = ".datasynth"


def table_dir(table: str, fmt: str, multi_format: bool) -> str:
    return f"{fmt}/{table}" if multi_format else table


def part_path(table: str, part: int, fmt: str, multi_format: bool) -> str:
    return f"{table_dir(table, fmt, multi_format)}/part-{part:05d}.{EXTENSIONS[fmt]}"
