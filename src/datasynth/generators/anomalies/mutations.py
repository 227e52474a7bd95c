"""Changes to existing entries that keep each entry balanced: new amounts spread over its
lines, swapped sides, moved dates. Loops run over the few altered entries, never over the
ledger."""

from __future__ import annotations

import numpy as np

from datasynth.generators.anomalies.context import lines_of


def safe_for_amounts(inj) -> np.ndarray:
    """Entries whose amounts may change on their own: no document posts them and no line
    is on an account a subledger or a position check replays (cash and VAT may change:
    the cash plan and VAT returns are built after injection)."""
    return ~inj.has_documents & ~inj.reconciled & (inj.amount > 0)


def set_totals(inj, flat: np.ndarray, totals: np.ndarray) -> None:
    """Give each entry a new total (sum of debits = sum of credits), each side spread over
    its lines in proportion to the old amounts (as ``scale_to_total`` spreads it, for all
    the entries at once)."""
    flat, totals = np.asarray(flat, np.int64), np.asarray(totals, np.int64)
    if len(np.unique(flat)) < len(flat):            # an entry twice: one after the other
        for f, total in zip(flat, totals):
            set_totals(inj, np.array([f]), np.array([total]))
        return
    lines = inj.flat_lines()
    at, owner = lines_of(lines.flat, flat)
    for name in ("debit", "credit"):
        amount = getattr(lines, name)[at]
        line, group, weight = at[amount != 0], owner[amount != 0], amount[amount != 0]
        if len(line) == 0:
            continue
        start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])    # one run an entry
        size = np.diff(np.r_[start, len(line)])
        share = weight / np.repeat(np.add.reduceat(weight, start).astype(np.float64), size)
        out = np.maximum(np.floor(share * totals[group]).astype(np.int64), 1)
        # the remainder goes to each entry's first largest line
        top = np.flatnonzero(out == np.repeat(np.maximum.reduceat(out, start), size))
        top = top[np.r_[True, group[top][1:] != group[top][:-1]]]
        out[top] += totals[group[top]] - np.add.reduceat(out, start)
        for b in np.unique(lines.block[line]):
            mine = lines.block[line] == b
            getattr(inj.blocks[b], name)[lines.pos[line[mine]]] = out[mine]
    inj.amount[flat] = totals


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
