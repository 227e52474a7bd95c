"""One company's table, chunk by chunk: degraded rows and labels as they are made, then the
duplicate rows and their labels at the end.

A journal can have millions of lines per company, so rows are taken and degraded a fixed
number at a time (a constant, not a memory measure, so the random streams — addressed by
chunk — are the same on every machine). Label ids continue from chunk to chunk and table to
table through ``Numbering``; duplicates are held back (half a percent of the rows) so that
they follow every clean row of the table, as an appended extract would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datasynth.generators.quality.degrade import Settings, degrade
from datasynth.generators.quality.labels import Issues, build_labels, row_keys
from datasynth.generators.quality.profiles import Profile
from datasynth.schemas.quality import QUALITY_LABELS
from datasynth.schemas.registry import table_spec

CHUNK_ROWS = 100_000

#: streams(chunk, purpose) -> generator
ChunkStreams = Callable[[int, str], np.random.Generator]


@dataclass
class Numbering:
    """The next label number of a company (ids run 1, 2, ... across its tables)."""

    next: int = 1

    def take(self, count: int) -> int:
        first, self.next = self.next, self.next + count
        return first


def degrade_rows(source: pa.Table, rows: np.ndarray, profile: Profile, settings: Settings,
                 streams: ChunkStreams, company: str, numbering: Numbering
                 ) -> Iterator[tuple[str, pa.Table]]:
    """(table name, data) pairs: ``<table>_degraded`` and ``quality_labels`` for the rows
    ``rows`` (ascending) of ``source`` (a table with ``profile.inputs``)."""
    schema = table_spec(profile.degraded).schema
    held: list[tuple[pa.Table, Issues, pa.Array]] = []
    for chunk, start in enumerate(range(0, len(rows), CHUNK_ROWS)):
        part = source.take(pa.array(rows[start:start + CHUNK_ROWS], pa.int64()))
        done = degrade(part, profile, schema, settings,
                       lambda purpose, c=chunk: streams(c, purpose))
        yield profile.degraded, done.degraded
        yield "quality_labels", _labels(done.issues, row_keys(done.clean, profile.key,
                                                              done.issues.rows),
                                        profile, company, numbering)
        held.append((done.duplicates, done.duplicate_issues,
                     row_keys(done.clean, profile.key, done.duplicate_issues.rows)))
    if held:
        yield profile.degraded, pa.concat_tables([extra for extra, _, _ in held])
        yield "quality_labels", _labels(Issues.concat([i for _, i, _ in held]),
                                        pa.concat_arrays([k for _, _, k in held]),
                                        profile, company, numbering)


def _labels(issues: Issues, keys: pa.Array, profile: Profile, company: str,
            numbering: Numbering) -> pa.Table:
    if not len(issues):
        return QUALITY_LABELS.schema.empty_table()
    return build_labels(issues, keys, profile.table, company, numbering.take(len(issues)))
