"""Degrading one chunk of a table: the text extract, its damaged values, its duplicates.

Column by column: the clean values as text; one uniform draw per value decides its damage
(``cells.assign``); the few damaged values are rewritten by the module of their kind and
put back with one vectorised replace. Every change is recorded as an issue; a rewrite that
happens to leave the value as it was is dropped, so each label is a real change. Duplicates
are copies of clean records with at most one small change, returned separately so the caller
appends them after all the chunks of a table.

Random streams are asked for by purpose (``cells/<column>``, ``typos/<column>``, ...), so
adding or dropping a column leaves the draws of the others alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.quality import cells, duplicates, encoding, formats, typos
from datasynth.generators.quality.labels import Issues
from datasynth.generators.quality.missing import dependent_mask
from datasynth.generators.quality.profiles import Profile
from datasynth.generators.quality.text import as_text, longer_than, replace_at, unscaled, usable

Streams = Callable[[str], np.random.Generator]
_TYPE = {cells.MCAR: "missing_value", cells.MAR: "missing_value", cells.TYPO: "typo",
         cells.FORMAT: "format_variation", cells.ENCODING: "encoding"}


@dataclass(frozen=True)
class Settings:
    rates: cells.Rates
    duplicate_rate: float
    near_duplicate_share: float
    country: str                 # the company's, for the foreign-partner rule
    currency: str                # the company's, for currency-prefixed amounts


@dataclass(frozen=True)
class Degraded:
    clean: pa.Table              # the chunk as text, undamaged (row keys, duplicates)
    degraded: pa.Table           # the chunk as text, damaged, in the degraded schema
    issues: Issues               # one per damaged value, by row then column
    duplicates: pa.Table         # extra rows to append
    duplicate_issues: Issues     # one per extra row


def extract(rows: pa.Table, profile: Profile, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_arrays([as_text(rows[name]) for name in profile.columns],
                                schema=schema)


def degrade(rows: pa.Table, profile: Profile, schema: pa.Schema, settings: Settings,
            streams: Streams) -> Degraded:
    """Degrade ``rows`` (clean, with ``profile.inputs``) into ``schema``'s text columns."""
    clean = extract(rows, profile, schema)
    columns, parts, order = [], [], []
    for position, name in enumerate(profile.columns):
        text = clean[name].combine_chunks()
        if name in profile.protected:
            columns.append(text)
            continue
        damaged, issues = degrade_column(rows, name, text, profile, settings, streams)
        columns.append(damaged)
        parts.append(issues)
        order.append(np.full(len(issues), position))
    issues = Issues.concat(parts)
    if len(issues):
        issues = issues.take(np.lexsort((np.concatenate(order), issues.rows)))
    extra, extra_issues = duplicate(clean, profile, settings, streams)
    return Degraded(clean, pa.Table.from_arrays(columns, schema=schema), issues, extra,
                    extra_issues)


def degrade_column(rows: pa.Table, name: str, text: pa.StringArray, profile: Profile,
                   settings: Settings, streams: Streams) -> tuple[pa.StringArray, Issues]:
    """One column: which values change, how, and the column with the changes in place."""
    kinds = cells.assign(streams(f"cells/{name}").random(len(text)),
                         _eligible(rows, name, text, profile, settings), settings.rates)
    changed = np.flatnonzero(kinds != cells.NONE)
    if len(changed) == 0:
        return text, Issues.empty()
    original = text.take(pa.array(changed))
    kind_of = kinds[changed]
    new, subtype = _rewrite(rows[name], name, changed, original, kind_of, settings, streams)
    modified = pa.array(new, pa.string())
    real = pc.fill_null(pc.not_equal(original, modified), True).to_numpy(zero_copy_only=False)
    keep = np.flatnonzero(real)
    index = pa.array(keep)
    issues = Issues(changed[keep], pa.array([name] * len(keep), pa.string()),
                    pa.array([_TYPE[k] for k in kind_of[keep]], pa.string()),
                    pa.array(subtype[keep], pa.string()), original.take(index),
                    modified.take(index))
    return replace_at(text, issues.rows, issues.modified), issues


def _eligible(rows: pa.Table, name: str, text: pa.StringArray, profile: Profile,
              settings: Settings) -> cells.Eligible:
    n = len(text)
    ok = usable(text)
    none = np.zeros(n, dtype=bool)
    is_text = name in profile.text
    words = (ok & longer_than(text, 2)
             & pc.fill_null(pc.match_substring_regex(text, r"[\pL\pN]"), False)
             .to_numpy(zero_copy_only=False)) if is_text else none
    return cells.Eligible(
        missing=ok, dependent=dependent_mask(profile.table, name, rows, settings.country),
        typo=words, format=ok if name in profile.dates or name in profile.amounts else none,
        encoding=ok if is_text else none)


def _rewrite(clean: pa.ChunkedArray, name: str, changed: np.ndarray, original: pa.Array,
             kind_of: np.ndarray, settings: Settings, streams: Streams
             ) -> tuple[np.ndarray, np.ndarray]:
    """New values (None: missing) and subtypes of the values at ``changed``."""
    new = np.empty(len(changed), dtype=object)
    subtype = np.empty(len(changed), dtype=object)
    subtype[kind_of == cells.MCAR] = "mcar"
    subtype[kind_of == cells.MAR] = "mar"
    for kind, purpose, rewrite in ((cells.TYPO, "typos", typos.make_typos),
                                   (cells.ENCODING, "encoding", encoding.corrupt)):
        at = np.flatnonzero(kind_of == kind)
        if len(at):
            new[at], subtype[at] = rewrite(streams(f"{purpose}/{name}"),
                                           original.take(pa.array(at)).to_pylist())
    at = np.flatnonzero(kind_of == cells.FORMAT)
    if len(at):
        values, how = _vary(clean, changed[at], streams(f"formats/{name}"), settings)
        new[at], subtype[at] = values.to_pylist(), how
    return new, subtype


def _vary(values: pa.ChunkedArray, rows: np.ndarray, rng: np.random.Generator,
          settings: Settings) -> tuple[pa.Array, np.ndarray]:
    values = values.combine_chunks()
    if pa.types.is_date(values.type):
        return formats.vary_dates(rng, values.take(pa.array(rows)))
    return formats.vary_amounts(rng, unscaled(values)[rows], values.type.scale,
                                settings.currency)


def duplicate(clean: pa.Table, profile: Profile, settings: Settings, streams: Streams
              ) -> tuple[pa.Table, Issues]:
    """Extra rows: copies of clean records; the near ones with one text field changed."""
    rows, near = duplicates.pick(streams("duplicates"), clean.num_rows,
                                 settings.duplicate_rate, settings.near_duplicate_share)
    extra = clean.take(pa.array(rows, pa.int64()))
    fields = [f for f in profile.text if f not in profile.protected]
    which = np.full(len(rows), -1)
    if fields and len(rows):
        candidates = np.column_stack([usable(extra[f].combine_chunks())
                                      & longer_than(extra[f].combine_chunks(), 2)
                                      for f in fields])
        picked = cells.choose(streams("near/field").random(len(rows)), candidates)
        which = np.where(near, picked, -1)
    original = np.full(len(rows), None, dtype=object)
    modified = np.full(len(rows), None, dtype=object)
    for k, name in enumerate(fields):
        mine = np.flatnonzero(which == k)
        if len(mine):
            column = extra[name].combine_chunks()
            original[mine] = column.take(pa.array(mine)).to_pylist()
            modified[mine] = duplicates.near_values(streams(f"near/{name}"),
                                                    list(original[mine]))
            i = extra.schema.get_field_index(name)
            extra = extra.set_column(i, extra.schema.field(i), replace_at(
                column, mine, pa.array(list(modified[mine]), pa.string())))
    field = [fields[k] if k >= 0 else None for k in which]
    issues = Issues(rows.astype(np.int64), pa.array(field, pa.string()),
                    pa.array(["duplicate"] * len(rows), pa.string()),
                    pa.array(np.where(which >= 0, "near", "exact"), pa.string()),
                    pa.array(original, pa.string()), pa.array(modified, pa.string()))
    return extra, issues
