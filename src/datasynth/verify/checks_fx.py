"""Exchange rates: the ``fx_rates`` table is complete and agrees with itself.

- ``fx.rates_complete``: every company's currency other than the group's has a positive spot
  rate for every day of the run, and an average and a closing rate for every month, all to
  the group currency (from the manifest's configuration).
- ``fx.rates_consistent``: each weekend spot carries the last fixing before it; each closing
  rate is the spot rate of its day; each average is the mean of its month's fixings, rounded
  to the last decimal (generators/fx/rates.py). One tampered rate breaks one of these:
  a fixing enters its month's average, a weekend spot must repeat a fixing, and a closing
  or average rate must match what the spot rows give.
"""

from __future__ import annotations

from datasynth.verify.result import CheckResult, examples, named, outcome, skipped
from datasynth.verify.source import Source

_KEY = "from_currency, to_currency"


def _run_days(src: Source) -> tuple[str, str] | None:
    settings = src.manifest.get("config", {}).get("global", {})
    start, months = settings.get("start_date"), settings.get("period_months")
    if not start or not months:
        return None
    return start, f"CAST(DATE '{start}' + INTERVAL {int(months)} MONTH AS DATE)"


@named("fx.rates_complete")
def check_rates_complete(src: Source, name: str) -> CheckResult:
    if not src.has("fx_rates", "companies"):
        return skipped(name, src.missing("fx_rates", "companies"))
    group = src.manifest.get("config", {}).get("global", {}).get("group_currency", "USD")
    days = _run_days(src)
    if days is None:
        return skipped(name, "the manifest has no run dates")
    start, end = days
    expected = f"""
        WITH cur AS (SELECT DISTINCT CAST(currency AS VARCHAR) AS c FROM companies
                     WHERE CAST(currency AS VARCHAR) <> '{group}'),
             day AS (SELECT CAST(d AS DATE) AS d FROM range(DATE '{start}', {end},
                                                            INTERVAL 1 DAY) t(d)),
             month_end AS (SELECT max(d) AS d FROM day GROUP BY date_trunc('month', d))
        SELECT c, 'spot' AS t, d FROM cur, day
        UNION ALL SELECT c, 'average', d FROM cur, month_end
        UNION ALL SELECT c, 'closing', d FROM cur, month_end"""
    found = f"""SELECT CAST(from_currency AS VARCHAR) AS c, CAST(rate_type AS VARCHAR) AS t,
                       rate_date AS d FROM fx_rates
                WHERE CAST(to_currency AS VARCHAR) = '{group}' AND rate > 0"""
    checked = src.scalar(f"SELECT count(*) FROM ({expected})")
    count, rows = src.violations(f"SELECT * FROM ({expected}) EXCEPT SELECT * FROM ({found})")
    detail = "missing or not positive: " + examples(rows, lambda c, t, d: f"{c} {t} {d}")
    return outcome(name, checked, count, detail,
                   f"{checked:,} rates to {group}, every currency, day and month")


@named("fx.rates_consistent")
def check_rates_consistent(src: Source, name: str) -> CheckResult:
    if not src.has("fx_rates"):
        return skipped(name, ["fx_rates"])
    spot = f"""SELECT {_KEY}, rate_date, rate, is_fixing FROM fx_rates
               WHERE CAST(rate_type AS VARCHAR) = 'spot'"""
    carried = f"""
        SELECT 'weekend spot' AS what, s.from_currency, s.rate_date, s.rate,
               (SELECT f.rate FROM ({spot}) f
                WHERE f.is_fixing AND f.from_currency = s.from_currency
                  AND f.to_currency = s.to_currency AND f.rate_date < s.rate_date
                ORDER BY f.rate_date DESC LIMIT 1) AS expected
        FROM ({spot}) s WHERE NOT s.is_fixing"""
    closing = f"""
        SELECT 'closing' AS what, c.from_currency, c.rate_date, c.rate, s.rate AS expected
        FROM fx_rates c LEFT JOIN ({spot}) s USING ({_KEY}, rate_date)
        WHERE CAST(c.rate_type AS VARCHAR) = 'closing'"""
    # exact: |average * n - sum of fixings| <= n / 2 units of the last decimal
    average = f"""
        SELECT 'average' AS what, a.from_currency, a.rate_date, a.rate,
               CAST(m.total / m.n AS DECIMAL(18, 10)) AS expected,
               abs(a.rate * m.n - m.total) * 2 <= m.n * 0.0000000001 AS within
        FROM fx_rates a LEFT JOIN (
            SELECT {_KEY}, date_trunc('month', rate_date) AS month,
                   sum(CAST(rate AS DECIMAL(38, 10))) AS total, count(*) AS n
            FROM ({spot}) WHERE is_fixing GROUP BY ALL) m
          ON m.from_currency = a.from_currency AND m.to_currency = a.to_currency
         AND m.month = date_trunc('month', a.rate_date)
        WHERE CAST(a.rate_type AS VARCHAR) = 'average'"""
    checked = src.scalar("""SELECT count(*) FROM fx_rates
                             WHERE CAST(rate_type AS VARCHAR) <> 'spot' OR NOT is_fixing""")
    bad = f"""
        SELECT what, CAST(from_currency AS VARCHAR), rate_date, rate, expected FROM ({carried})
        WHERE expected IS DISTINCT FROM rate
        UNION ALL
        SELECT what, CAST(from_currency AS VARCHAR), rate_date, rate, expected FROM ({closing})
        WHERE expected IS DISTINCT FROM rate
        UNION ALL
        SELECT what, CAST(from_currency AS VARCHAR), rate_date, rate, expected FROM ({average})
        WHERE within IS NOT TRUE"""
    count, rows = src.violations(bad)
    detail = examples(rows, lambda what, c, d, rate, expected:
                      f"{what} {c} {d} is {rate}, the spot rows give {expected}")
    return outcome(name, checked, count, detail,
                   f"{checked:,} weekend, average and closing rates agree with the fixings")


FX_CHECKS = (check_rates_complete, check_rates_consistent)
