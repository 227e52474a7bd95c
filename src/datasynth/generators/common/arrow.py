"""Building Arrow arrays from NumPy without per-row Python objects."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def dictionary(indices: np.ndarray, values: pa.Array | Sequence[str],
               mask: np.ndarray | None = None) -> pa.DictionaryArray:
    """A dictionary<int32, string> array; ``mask`` marks nulls (True = null)."""
    dictionary_values = (values if isinstance(values, pa.Array)
                         else pa.array(list(values), pa.string()))
    idx = pa.array(np.ascontiguousarray(indices, dtype=np.int32),
                   mask=mask if mask is not None and mask.any() else None)
    if len(dictionary_values) == 0 and len(idx) > idx.null_count:
        # safe=False skips the bounds check; an index into nothing would crash the writer
        raise ValueError("dictionary codes given for an empty dictionary")
    return pa.DictionaryArray.from_arrays(idx, dictionary_values, safe=False)


def constant_dictionary(value: str, length: int) -> pa.DictionaryArray:
    return dictionary(np.zeros(length, dtype=np.int32), [value])


def dates(days_since_epoch: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days_since_epoch, dtype=np.int32)).view(pa.date32())


def timestamps_us(microseconds_since_epoch: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(microseconds_since_epoch, dtype=np.int64).view("datetime64[us]"),
                    pa.timestamp("us"))


def padded_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded number, e.g. ``V-000042`` (plain strings, vectorised)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, pa.scalar(""))
