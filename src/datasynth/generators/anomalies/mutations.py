"""Changes to existing entries that keep each entry balanced: new amounts spread over its
lines, swapped sides, moved dates. Loops run over the few altered entries, never over the
ledger."""

from __future__ import annotations

import numpy as np

from datasynth.generators.ledger.flows.common import scale_to_total


def safe_for_amounts(inj) -> np.ndarray:
    """Entries whose amounts may change on their own: no document posts them and no line
    is on an account a subledger or a position check replays (cash and VAT may change:
    the cash plan and VAT returns are built after injection)."""
    return ~inj.has_documents & ~inj.reconciled & (inj.amount > 0)


def set_totals(inj, flat: np.ndarray, totals: np.ndarray) -> None:
    """Give each entry a new total (sum of debits = sum of credits), each side spread over
    its lines in proportion to the old amounts."""
    for f, total in zip(np.asarray(flat, np.int64), np.asarray(totals, np.int64)):
        b, sl = inj.line_slice(int(f))
        for side in (b.debit, b.credit):
            part = side[sl]
            nonzero = np.flatnonzero(part)
            part[nonzero] = scale_to_total(part[nonzero].astype(np.float64), int(total))
            side[sl] = part
        inj.amount[f] = total


def swap_sides(inj, flat: np.ndarray) -> None:
    """Every debit becomes a credit of the same amount and vice versa."""
    for f in np.asarray(flat, np.int64):
        b, sl = inj.line_slice(int(f))
        debit = b.debit[sl].copy()
        b.debit[sl] = b.credit[sl]
        b.credit[sl] = debit


def leading_digit(amount: np.ndarray) -> np.ndarray:
    a = np.maximum(np.asarray(amount, np.int64), 1)
    return (a // 10 ** np.floor(np.log10(a)).astype(np.int64)).astype(np.int64)


def transpose_digits(rng: np.random.Generator, amount: np.ndarray) -> np.ndarray:
    """Swap two adjacent, different digits of each amount (minor units); amounts with no
    such pair come back unchanged."""
    out = np.array(amount, np.int64, copy=True)
    for i, value in enumerate(out):
        digits = list(str(int(value)))
        pairs = [k for k in range(len(digits) - 1) if digits[k] != digits[k + 1]]
        if not pairs:
            continue
        k = pairs[int(rng.integers(0, len(pairs)))]
        digits[k], digits[k + 1] = digits[k + 1], digits[k]
        if digits[0] != "0":
            out[i] = int("".join(digits))
    return out
