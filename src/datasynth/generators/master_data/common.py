"""Column helpers shared by the master-data generators.

Everything here works on whole columns: weighted draws by inverse CDF, dictionary-encoded code
columns, fixed-width strings written straight into Arrow buffers, per-group generation with a
scatter back into row order, deterministic de-duplication ranks, and money in integer minor
units of the company currency (DESIGN §4: never float for money).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.currencies import CURRENCIES
from datasynth.config.models import CompanySettings
from datasynth.generators.common.arrow import (  # noqa: F401 - shared column helpers
    constant_dictionary,
    dates,
    dictionary,
    padded_ids,
)
from datasynth.generators.common.sampling import (
    apportion,
    choice,
    choice_cumulative,
    cumulative,
)
from datasynth.money import minor_per_usd, to_decimal

_EPOCH = dt.date(1970, 1, 1)


@cache
def load_json(name: str) -> dict:
    """A packaged word list from ``master_data/data/<name>.json`` (read once)."""
    text = resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8")
    return json.loads(text)


# --- weighted draws -----------------------------------------------------------------------

cdf = cumulative
pick_cdf = choice_cumulative


def pick(rng: np.random.Generator, weights: Mapping[str, float] | Sequence[float],
         size: int) -> np.ndarray:
    """Indices into ``weights`` (a label->weight mapping or a sequence), drawn by weight."""
    values = list(weights.values()) if isinstance(weights, Mapping) else list(weights)
    return choice(rng, values, size)


def quotas(shares: Sequence[float], total: int) -> np.ndarray:
    """Largest-remainder split of ``total`` into parts proportional to ``shares``."""
    return apportion(total, shares)


def pareto_weights(rng: np.random.Generator, size: int, alpha: float = 1.5) -> np.ndarray:
    """Pareto-tailed weights ``u^(-1/alpha)``, u ~ U[0.01, 1), normalised to sum to 1
    (the peer's tier-1 vendor spend draw, reference §2.1)."""
    if size == 0:
        return np.zeros(0)
    raw = rng.uniform(0.01, 1.0, size) ** (-1.0 / alpha)
    return raw / raw.sum()


# --- Arrow columns ------------------------------------------------------------------------

codes = dictionary                 # labels[indices] as a dictionary column
constant_code = constant_dictionary


def encode(values: pa.Array) -> pa.DictionaryArray:
    """Dictionary-encode a string column (dictionary in order of first appearance)."""
    return pc.dictionary_encode(values)


def take(pool: pa.Array, indices: np.ndarray) -> pa.Array:
    return pool.take(pa.array(indices, pa.int32()))


def int_strings(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation of string columns and literals."""
    return pc.binary_join_element_wise(*parts, sep)


def sequential_ids(prefix: str, id_offset: int, count: int, width: int = 6) -> pa.Array:
    """``V-000001``-style ids: ``prefix`` + zero-padded ``id_offset + 1`` onwards."""
    return padded_ids(prefix, np.arange(id_offset + 1, id_offset + count + 1), width)


def fixed_width(matrix: np.ndarray) -> pa.Array:
    """Rows of a ``(n, width)`` uint8 matrix of UTF-8 bytes as a string column (zero copy)."""
    matrix = np.ascontiguousarray(matrix, dtype=np.uint8)
    n, width = matrix.shape
    offsets = np.arange(n + 1, dtype=np.int32) * np.int32(width)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets),
                                                  pa.py_buffer(matrix.tobytes())])


def per_group(groups: np.ndarray, labels: Sequence[Any],
              make: Callable[[Any, int], pa.Array], type_: pa.DataType = pa.string()) -> pa.Array:
    """Build a column group by group (``make(label, size)``, in label order) and scatter the
    values back to row order. Randomness is drawn in label order, so the result is
    deterministic."""
    groups = np.asarray(groups)
    order = np.argsort(groups, kind="stable")
    counts = np.bincount(groups, minlength=len(labels)) if groups.size else []
    chunks = [make(labels[g], int(c)) for g, c in enumerate(counts) if c]
    if not chunks:
        return pa.array([], type_)
    combined = pa.concat_arrays([c.cast(type_) for c in chunks])
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return combined.take(pa.array(inverse))


def duplicate_ranks(values: pa.Array) -> np.ndarray:
    """For each row, how many earlier rows hold the same value (0 for a first occurrence)."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ids = encode(values).indices.to_numpy(zero_copy_only=False)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    starts = np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n) - first
    return ranks


def numbered_unique(values: pa.Array, sep: str = "") -> pa.Array:
    """Make values unique by appending 2, 3, ... to repeats, in row order (``JSMITH2``).
    Assumes no value ends in a digit, so appended numbers cannot collide."""
    ranks = duplicate_ranks(values)
    dup = ranks > 0
    if not dup.any():
        return values
    suffixed = join(values.filter(pa.array(dup)), int_strings(ranks[dup] + 1), sep=sep)
    return pc.replace_with_mask(values, pa.array(dup), suffixed)


# --- text ---------------------------------------------------------------------------------

_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O",
                          "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                          "þ": "th", "Þ": "TH", "ı": "i", "ð": "d"})


def ascii_fold(text: str) -> str:
    """``Müller-Lüdenscheidt`` -> ``Muller-Ludenscheidt``: strip accents, drop the rest."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def alnum_token(text: str) -> str:
    """Lower-case ASCII letters and digits only (for e-mail addresses and domains)."""
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


# --- dates and money ----------------------------------------------------------------------

def epoch_days(day: dt.date) -> int:
    return (day - _EPOCH).days




def days_before(rng: np.random.Generator, start: dt.date, size: int, low: int,
                high: int) -> np.ndarray:
    """Epoch days uniformly ``low``..``high`` days before ``start``."""
    return epoch_days(start) - rng.integers(low, high + 1, size)


def usd_to_minor(usd: np.ndarray | float, company: CompanySettings) -> np.ndarray:
    """USD amounts -> int64 minor units of the company currency at the indicative rate."""
    cur = CURRENCIES[company.currency]
    return np.rint(np.asarray(usd, dtype=np.float64)
                   * minor_per_usd(cur.exponent, cur.usd_per_unit)).astype(np.int64)


def round_minor(minor: np.ndarray, major_step: float, company: CompanySettings) -> np.ndarray:
    """Round minor units to a multiple of ``major_step`` whole currency units."""
    step = max(1, int(round(major_step * 10 ** CURRENCIES[company.currency].exponent)))
    return (np.rint(np.asarray(minor) / step) * step).astype(np.int64)


def round_significant(minor: np.ndarray, digits: int, company: CompanySettings) -> np.ndarray:
    """Round to ``digits`` significant digits of whole currency units (909.09 -> 910)."""
    scale = 10 ** CURRENCIES[company.currency].exponent
    major = np.asarray(minor, dtype=np.float64) / scale
    safe = np.where(major > 0, major, 1.0)
    step = 10.0 ** (np.floor(np.log10(safe)) - digits + 1)
    return (np.rint(major / step) * step * scale).astype(np.int64)


def money(minor: np.ndarray, company: CompanySettings) -> pa.Array:
    return to_decimal(np.asarray(minor, dtype=np.int64), CURRENCIES[company.currency].exponent)
