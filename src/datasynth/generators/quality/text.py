"""The clean extract: every column as the text a plain export writes, before any damage.

A degraded copy is a table of strings, so damage is defined against one canonical text form
per value: ISO dates (``2024-03-14``), plain decimals (``1234.56``, ``-0.50``), ``true`` /
``false``, integers and floats as Arrow prints them, strings and codes as they are; nulls
stay null. ``original_value`` in ``quality_labels`` is this form, so anyone can reconstruct
the clean value from a label (``date.fromisoformat``, ``Decimal``, ...).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def as_text(values: pa.Array | pa.ChunkedArray) -> pa.StringArray:
    """The canonical text of a column (one contiguous array)."""
    if isinstance(values, pa.ChunkedArray):
        values = (pc.cast(values, pa.string()).combine_chunks() if len(values.chunks)
                  else pa.array([], pa.string()))
    elif values.type != pa.string():
        values = pc.cast(values, pa.string())
    return values


def unscaled(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The integers behind a ``decimal128`` column (``12.34`` at scale 2 -> ``1234``), read
    straight from the value buffer; null slots hold arbitrary numbers.

    A decimal128 value is a 16-byte little-endian two's complement integer; money in this
    project fits in 64 bits, so its low word is the value, sign included.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_decimal128(values.type):
        raise TypeError(f"expected a decimal128 column, got {values.type}")
    words = np.frombuffer(values.buffers()[1], dtype="<i8")
    start = 2 * values.offset
    return words[start:start + 2 * len(values):2].astype(np.int64)


def usable(text: pa.StringArray) -> np.ndarray:
    """Values that can lose or change something: present and not blank."""
    present = pc.fill_null(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(text)), 0),
                           False)
    return present.to_numpy(zero_copy_only=False)


def longer_than(text: pa.StringArray, length: int) -> np.ndarray:
    return pc.fill_null(pc.greater(pc.utf8_length(text), length),
                        False).to_numpy(zero_copy_only=False)


def replace_at(text: pa.StringArray, rows: np.ndarray, new: list[str | None] | pa.Array
               ) -> pa.StringArray:
    """``text`` with the values at ``rows`` (ascending, unique) replaced by ``new``."""
    if len(rows) == 0:
        return text
    mask = np.zeros(len(text), dtype=bool)
    mask[rows] = True
    replacements = new if isinstance(new, pa.Array) else pa.array(new, pa.string())
    return pc.replace_with_mask(text, pa.array(mask), replacements)
