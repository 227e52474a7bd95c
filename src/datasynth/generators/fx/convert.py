"""Exact currency conversion with the rates of ``fx_rates``.

Rates are integers in units of 1e-10 (``money.RATE_SCALE``), quoted as group-currency units
per unit of a currency. A rate between two companies' currencies is the cross rate through
the group currency, rounded half-even to 10 places, the way ERP rate tables derive it. An
amount is converted in integer minor units and rounded half-even once (IAS 21.21: the spot
rate at the date of the transaction). Conversion is vectorised int64 (see :func:`convert`);
cross rates, a handful a day, divide on Python integers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from datasynth.errors import GenerationError
from datasynth.money import RATE_SCALE

EPOCH = dt.date(1970, 1, 1)


def div_half_even(numerator: np.ndarray, denominator: int | np.ndarray) -> np.ndarray:
    """Integer division rounded half to even, on object arrays of Python ints."""
    n = np.asarray(numerator, dtype=object)
    d = np.broadcast_to(np.asarray(denominator, dtype=object), n.shape)
    out = np.empty(n.shape, dtype=object)
    for i, (a, b) in enumerate(zip(n.ravel().tolist(), d.ravel().tolist())):
        q, r = divmod(a, b)              # b > 0: r in [0, b)
        if 2 * r > b or (2 * r == b and q % 2):
            q += 1
        out.flat[i] = q
    return out


def cross_rate(rate_from: np.ndarray, rate_to: np.ndarray) -> np.ndarray:
    """Units of the ``to`` currency per unit of the ``from`` currency (int64, 1e-10), from
    their rates to the group currency."""
    a = np.asarray(rate_from, dtype=np.int64).astype(object)
    b = np.asarray(rate_to, dtype=np.int64).astype(object)
    return div_half_even(a * RATE_SCALE, b).astype(np.int64)


def convert(amount: np.ndarray, rate: np.ndarray, exponent_from: int,
                  exponent_to: int) -> np.ndarray:
    """int64 minor units at ``rate`` (1e-10 units of the target per unit of the source) ->
    int64 minor units of the target, rounded half-even (signs kept: a negative amount rounds
    symmetrically), exactly and without Python integers. The product of an amount and a
    rate overflows int64, but the quotient does not: a float64 estimate of the quotient is
    off by far less than 2**63 / divisor units, so the remainder ``amount x rate - q x
    divisor`` fits int64 and int64 arithmetic (which wraps modulo 2**64) gets it exactly;
    the estimate is then corrected by the remainder's whole divisors. Quotients must fit
    int64 (amounts of decimal(18, 2) do)."""
    amount = np.asarray(amount, dtype=np.int64)
    rate = np.broadcast_to(np.asarray(rate, dtype=np.int64), amount.shape)
    sign = np.where(amount < 0, -1, 1).astype(np.int64)
    magnitude = np.abs(amount)
    shift = exponent_to - exponent_from
    if shift >= 0:
        magnitude = magnitude * np.int64(10 ** shift)
        divisor = np.int64(RATE_SCALE)
    else:
        divisor = np.int64(RATE_SCALE * 10 ** -shift)
    q = np.floor(magnitude.astype(np.float64) * rate.astype(np.float64)
                 / float(divisor)).astype(np.int64)
    with np.errstate(over="ignore"):
        r = magnitude * rate - q * divisor          # exact: the true value fits in int64
    k = r // divisor                                # the estimate's error, in whole units
    q, r = q + k, r - k * divisor
    up = (2 * r > divisor) | ((2 * r == divisor) & (q % 2 == 1))
    return (q + up) * sign


class RateBook:
    """The rates of an ``fx_rates`` table by day and by month, per currency.

    ``spot(days, code)``: days since 1970-01-01; ``average``/``closing(months, code)``: months
    since 1970-01. The group currency is 1 on every day. A missing rate is an error, never a
    silent 1: the books would be wrong.
    """

    def __init__(self, fx_rates: pa.Table | None, group: str) -> None:
        self.group = group
        self._spot: dict[str, tuple[int, np.ndarray]] = {}
        self._monthly: dict[tuple[str, str], dict[int, int]] = {}
        if fx_rates is None or fx_rates.num_rows == 0:
            return
        kind = fx_rates["rate_type"].cast(pa.string())
        codes = fx_rates["from_currency"].cast(pa.string())
        scaled = _scaled(fx_rates["rate"])
        day = fx_rates["rate_date"].cast(pa.int32()).to_numpy().astype(np.int64)
        kinds = np.asarray(kind.to_pylist(), dtype=object)
        currencies = np.asarray(codes.to_pylist(), dtype=object)
        month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        for code in np.unique(currencies):
            mine = currencies == code
            spot = mine & (kinds == "spot")
            d = day[spot]
            order = np.argsort(d)
            d, r = d[order], scaled[spot][order]
            if len(d) and not np.array_equal(d, np.arange(d[0], d[0] + len(d))):
                raise GenerationError(f"fx_rates: spot rates of {code} have gaps")
            self._spot[str(code)] = (int(d[0]) if len(d) else 0, r)
            for kind_name in ("average", "closing"):
                rows = mine & (kinds == kind_name)
                self._monthly[(str(code), kind_name)] = dict(zip(month[rows].tolist(),
                                                                 scaled[rows].tolist()))

    def spot(self, days: np.ndarray, code: str) -> np.ndarray:
        days = np.asarray(days, dtype=np.int64)
        if code == self.group:
            return np.full(days.shape, RATE_SCALE, dtype=np.int64)
        first, rates = self._series(code)
        at = days - first
        if len(at) and (at.min() < 0 or at.max() >= len(rates)):
            first_bad = int(days[(at < 0) | (at >= len(rates))][0])
            bad = dt.date.fromordinal(EPOCH.toordinal() + first_bad)
            raise GenerationError(f"fx_rates has no spot rate of {code} on {bad}")
        return rates[at]

    def average(self, months: np.ndarray, code: str) -> np.ndarray:
        return self._month_rates(months, code, "average")

    def closing(self, months: np.ndarray, code: str) -> np.ndarray:
        return self._month_rates(months, code, "closing")

    def cross_spot(self, days: np.ndarray, code_from: str, code_to: str) -> np.ndarray:
        """``code_to`` units per ``code_from`` unit on each day (1 when they are the same)."""
        days = np.asarray(days, dtype=np.int64)
        if code_from == code_to:
            return np.full(days.shape, RATE_SCALE, dtype=np.int64)
        return cross_rate(self.spot(days, code_from), self.spot(days, code_to))

    def cross_closing(self, months: np.ndarray, code_from: str, code_to: str) -> np.ndarray:
        months = np.asarray(months, dtype=np.int64)
        if code_from == code_to:
            return np.full(months.shape, RATE_SCALE, dtype=np.int64)
        return cross_rate(self.closing(months, code_from), self.closing(months, code_to))

    def _series(self, code: str) -> tuple[int, np.ndarray]:
        try:
            return self._spot[code]
        except KeyError:
            raise GenerationError(f"fx_rates has no rates of {code} to {self.group}") from None

    def _month_rates(self, months: np.ndarray, code: str, kind: str) -> np.ndarray:
        months = np.asarray(months, dtype=np.int64)
        if code == self.group:
            return np.full(months.shape, RATE_SCALE, dtype=np.int64)
        table = self._monthly.get((code, kind))
        if table is None:
            raise GenerationError(f"fx_rates has no {kind} rates of {code} to {self.group}")
        try:
            return np.array([table[int(m)] for m in months.ravel()],
                            dtype=np.int64).reshape(months.shape)
        except KeyError as missing:
            m = int(missing.args[0])
            raise GenerationError(f"fx_rates has no {kind} rate of {code} for "
                                  f"{1970 + m // 12}-{m % 12 + 1:02d}") from None


def _scaled(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """decimal128(18, 10) rates -> int64 units of 1e-10."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    words = np.frombuffer(array.buffers()[1], dtype=np.int64,
                          count=2 * (len(array) + array.offset))
    return words[2 * array.offset::2].copy()
