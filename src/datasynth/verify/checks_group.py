"""What the group checks share: exact currency arithmetic in SQL, rates, and the group keys.

The intercompany checks (checks_intercompany.py, checks_intercompany_balances.py) and the
consolidation checks (checks_consolidation.py) recompute amounts the generator converted.
They do it exactly, the way ``generators/fx/convert.py`` does, but in DuckDB: money
(``DECIMAL(18, 2)``) and rates (``DECIMAL(18, 10)``) become HUGEINT counts of cents and of
1e-10, a product is divided and rounded half to even once, and a cross rate between two
companies' currencies is the quotient of their rates to the group currency rounded
half-even to 10 places. The group currency is 1 on every day and has no rows in
``fx_rates``; an output without ``fx_rates`` has no other rate either (a check then reports
the rates it misses).

Amounts are stored with two decimals whatever the currency; a currency with fewer (JPY)
rounds to its own minor unit, ``unit_of()`` says how many cents one is.
"""

from __future__ import annotations

from datasynth.config.currencies import CURRENCIES
from datasynth.verify import relations as R
from datasynth.verify.checks_keys import run_relations
from datasynth.verify.result import CheckResult, named, skipped
from datasynth.verify.source import Source, quote

RATE_UNIT = 10_000_000_000          # rates have ten decimals
# accounts.sub_type of the intercompany balances (accounts/catalog.py): the seller's or
# lender's side, and the buyer's or borrower's
IC_RECEIVABLE = ("ic_receivables", "ic_loans_receivable")
IC_PAYABLE = ("ic_payables", "ic_loans_payable")


def group_skip(src: Source, name: str, *tables: str) -> CheckResult | None:
    """A skipped result naming the absent ``tables`` and why they are absent, or None."""
    missing = src.missing(*tables)
    if not missing:
        return None
    why = ("no intercompany trading in this output" if "intercompany_pairs" not in src.formats
           else "the consolidation was not generated")
    return skipped(name, f"tables absent: {', '.join(missing)} ({why})")


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(quote(v) for v in values)


def group_currency(src: Source) -> str:
    return str(src.manifest.get("config", {}).get("global", {}).get("group_currency")
               or "USD")


def run_end(src: Source) -> str | None:
    """SQL of the run's last day, or None when the manifest does not say."""
    settings = src.manifest.get("config", {}).get("global", {})
    start, months = settings.get("start_date"), settings.get("period_months")
    if not start or not months:
        return None
    return f"CAST(DATE {quote(str(start))} + INTERVAL {int(months)} MONTH - INTERVAL 1 DAY AS DATE)"


def period_end(key: str, src: Source) -> str:
    """SQL of the snapshot day of a period key: its last day, or the run's last day."""
    last = f"last_day(make_date(CAST({key} // 100 AS INTEGER), CAST({key} % 100 AS INTEGER), 1))"
    end = run_end(src)
    return f"least({last}, {end})" if end else last


def cents(column: str) -> str:
    """A money column as HUGEINT cents (exact: the column has two decimals)."""
    return f"CAST({column} * 100 AS HUGEINT)"


def rate_units(column: str) -> str:
    """A rate column as HUGEINT units of 1e-10 (exact: the column has ten decimals)."""
    return f"CAST({column} * {RATE_UNIT} AS HUGEINT)"


def half_even(numerator: str, denominator: str) -> str:
    """numerator / denominator (HUGEINT, denominator > 0) rounded half to even, the sign
    kept (a negative amount rounds like its magnitude), as ``convert.div_half_even``."""
    n, d = f"abs({numerator})", f"({denominator})"
    q, r = f"({n} // {d})", f"({n} % {d})"
    return (f"(sign({numerator}) * ({q} + CASE WHEN 2 * {r} > {d} "
            f"OR (2 * {r} = {d} AND {q} % 2 = 1) THEN 1 ELSE 0 END))")


def cross(rate_from: str, rate_to: str) -> str:
    """Units of the ``to`` currency per ``from`` unit (1e-10) from their rates to the group
    currency (1e-10 units); null when a rate is missing."""
    return half_even(f"CAST({rate_from} AS HUGEINT) * {RATE_UNIT}", f"nullif({rate_to}, 0)")


def convert(amount_cents: str, rate: str, unit_to: str) -> str:
    """Cents of one currency at ``rate`` (1e-10 units) -> cents of the other, rounded
    half-even to its minor unit (``unit_to`` cents)."""
    return (f"({half_even(f'({amount_cents}) * ({rate})', f'{RATE_UNIT} * ({unit_to})')}"
            f" * ({unit_to}))")


def unit_of(currency: str) -> str:
    """SQL of the cents per minor unit of a currency expression: 1, or 100 for a currency
    without decimals."""
    whens = " ".join(f"WHEN {quote(code)} THEN {10 ** (2 - c.exponent)}"
                     for code, c in sorted(CURRENCIES.items()) if c.exponent < 2)
    return f"(CASE {currency} {whens} ELSE 1 END)" if whens else "1"


def rates(src: Source, rate_type: str) -> str:
    """SQL of (currency, d, p, r, rate): every ``rate_type`` rate to the group currency by
    day and period key, ``r`` in 1e-10 units, ``rate`` as stored. Empty when the output has
    no ``fx_rates``."""
    if not src.has("fx_rates"):
        return ("SELECT NULL::VARCHAR AS currency, NULL::DATE AS d, NULL::INTEGER AS p, "
                "NULL::HUGEINT AS r, NULL::DECIMAL(18, 10) AS rate WHERE false")
    return f"""SELECT CAST(from_currency AS VARCHAR) AS currency, rate_date AS d,
                      CAST(year(rate_date) * 100 + month(rate_date) AS INTEGER) AS p,
                      {rate_units('rate')} AS r, rate
               FROM fx_rates WHERE CAST(rate_type AS VARCHAR) = {quote(rate_type)}
                 AND CAST(to_currency AS VARCHAR) = {quote(group_currency(src))}"""


def to_group(src: Source, currency: str, rate: str, one: str = str(RATE_UNIT)) -> str:
    """A currency's rate to the group currency: ``rate`` (looked up), or ``one`` for the
    group currency itself (1e-10 units; pass ``'1'`` for a stored decimal rate)."""
    return f"(CASE WHEN {currency} = {quote(group_currency(src))} THEN {one} ELSE {rate} END)"


def from_cents(expr: str) -> str:
    """HUGEINT cents -> DECIMAL(38, 2), exactly (null stays null)."""
    return f"(CAST({expr} AS DECIMAL(36, 0)) * 0.01)"


def from_units(expr: str) -> str:
    """HUGEINT 1e-10 units -> DECIMAL(38, 10), exactly."""
    return f"(CAST({expr} AS DECIMAL(27, 0)) * 0.0000000001)"


def money_text(expr: str) -> str:
    """SQL of an amount as text for a detail, ``1,234.56`` (``null`` when null)."""
    return f"coalesce(format('{{:,.2f}}', {expr}), 'null')"


def rate_text(expr: str) -> str:
    """SQL of a rate as text for a detail, ten decimals (``missing`` when null)."""
    return f"coalesce(format('{{:.10f}}', CAST({expr} AS DOUBLE)), 'missing')"


def as_rate(value) -> str:
    return "missing" if value is None else f"{value:.10f}"


@named("keys.group")
def check_group_keys(src: Source, name: str) -> CheckResult:
    """The foreign keys of the intercompany and consolidation tables (relations.GROUP)."""
    if not src.has("intercompany_pairs") and not src.has("translated_trial_balances"):
        return group_skip(src, name, "intercompany_pairs", "translated_trial_balances")
    return run_relations(src, name, R.GROUP)
