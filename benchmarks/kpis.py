"""Financial KPIs of a generated output, per company and fiscal year, beside the industry
targets the generators aim at (``datasynth.generators.ledger.economics``).

    python benchmarks/kpis.py OUTPUT_DIR [OUTPUT_DIR ...] [--json] [--whole-years]

Flows come from ``journal_entries`` (without the opening-balance entry and the year-end
closing entry, which would cancel the year's P&L); balances are period-end balances from
``trial_balances``, averaged over the fiscal periods of the year; ``days`` is the number of
days of the year the run covers (365 or 366 for a whole year, fewer for a partial one).

  gross_margin        (net sales - COGS) / net sales; target 1 - (1 - gross_margin) x
                      (1 - service_share), as services carry no cost of goods
  goods_margin        (product revenue - COGS) / product revenue; target gross_margin
  dso                 average trade receivables / invoiced sales incl. VAT x days
  dpo                 average trade payables / invoiced purchases incl. VAT x days
  dio                 average inventory / COGS x days

Receivables and payables carry VAT, so DSO and DPO divide by what was invoiced including
VAT (the debits to receivables, the credits to payables), as the opening balances are sized
(``generators/ledger/opening.py``); against net revenue DSO would read (1 + VAT rate) higher.
Needs Parquet output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

METRICS = ("gross_margin", "goods_margin", "dso", "dpo", "dio")
# Entries that are not business of the year: the opening balance sheet, the closing of the
# nominal accounts into retained earnings.
NOT_FLOWS = ("opening_balance", "year_end_close")


@dataclass(frozen=True)
class Kpi:
    company: str
    year: int
    days: int              # days of the fiscal year the run covers
    metric: str
    measured: float | None
    target: float

    @property
    def deviation(self) -> float | None:
        """Points for a margin, relative for days."""
        if self.measured is None:
            return None
        if self.metric.endswith("margin"):
            return self.measured - self.target
        return self.measured / self.target - 1 if self.target else None


def targets(industry: str) -> dict[str, float]:
    from datasynth.generators.ledger.economics import profile

    p = profile(industry)
    return {"gross_margin": 1 - (1 - p.gross_margin) * (1 - p.service_share),
            "goods_margin": p.gross_margin, "dso": p.dso, "dpo": p.dpo, "dio": p.dio}


def _period_end(start: dt.date, months: int) -> dt.date:
    from datasynth.generators.calendar import period_end

    return period_end(start, months)


def covered_days(root: Path) -> dict[int, int]:
    """Days of each fiscal (calendar) year inside the run, from the manifest's config."""
    config = json.loads((root / "manifest.json").read_text())["config"]["global"]
    start = dt.date.fromisoformat(str(config["start_date"]))
    end = _period_end(start, int(config["period_months"]))          # exclusive
    return {year: (min(end, dt.date(year + 1, 1, 1)) - max(start, dt.date(year, 1, 1))).days
            for year in range(start.year, (end - dt.timedelta(days=1)).year + 1)}


def _connect(root: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table in ("accounts", "companies", "journal_entries", "trial_balances"):
        files = sorted((root / table).glob("**/*.parquet"))
        if not files:
            raise FileNotFoundError(f"{root / table}: no Parquet files")
        paths = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{paths}])")
    return con


FLOWS_SQL = f"""
SELECT j.company_code, j.fiscal_year,
  SUM(CASE WHEN a.sub_type = 'product_revenue' THEN j.credit_amount - j.debit_amount END),
  SUM(CASE WHEN a.sub_type IN ('product_revenue', 'service_revenue', 'sales_deductions')
           THEN j.credit_amount - j.debit_amount END),
  SUM(CASE WHEN a.sub_type = 'cogs' THEN j.debit_amount - j.credit_amount END),
  SUM(CASE WHEN a.sub_type = 'receivables' THEN j.debit_amount END),
  SUM(CASE WHEN a.sub_type = 'payables' THEN j.credit_amount END)
FROM journal_entries j JOIN accounts a USING (gl_account)
WHERE coalesce(CAST(j.reference_document_type AS VARCHAR), '') NOT IN {NOT_FLOWS}
GROUP BY ALL
"""

# Month-end balances (debit positive), averaged over the periods of the year.
BALANCES_SQL = """
WITH month_end AS (
  SELECT t.company_code, t.fiscal_year, t.fiscal_period,
    SUM(CASE WHEN a.sub_type = 'receivables' THEN t.closing_balance ELSE 0 END) AS ar,
    -SUM(CASE WHEN a.sub_type = 'payables' THEN t.closing_balance ELSE 0 END) AS ap,
    SUM(CASE WHEN a.sub_type = 'inventory' THEN t.closing_balance ELSE 0 END) AS inventory
  FROM trial_balances t JOIN accounts a USING (gl_account)
  GROUP BY ALL)
SELECT company_code, fiscal_year, AVG(ar), AVG(ap), AVG(inventory), COUNT(*)
FROM month_end GROUP BY ALL
"""


# Period-end balances on their account's normal side (debit-normal: >= 0; credit-normal,
# contra assets included: <= 0), as a share of company x account x period cells. Exchange
# differences (realised, unrealised, rounding, the payables and receivables valuations) have
# no normal side: they are gains or losses as the rates move.
NORMAL_SIDE_SQL = """
SELECT t.company_code,
       AVG(CASE WHEN a.normal_balance = 'debit' THEN (t.closing_balance >= 0)::INT
                ELSE (t.closing_balance <= 0)::INT END),
       COUNT(*)
FROM trial_balances t JOIN accounts a USING (gl_account)
WHERE a.sub_type NOT IN ('fx_result', 'fx_unrealised', 'fx_rounding', 'payables_valuation',
                         'receivables_valuation')
GROUP BY ALL ORDER BY 1
"""


def normal_side_shares(root: str | Path) -> dict[str, float]:
    """Per company, the share of trial-balance cells (account x period end) whose balance is
    on the account's normal side."""
    con = _connect(Path(root))
    try:
        return {c: float(share) for c, share, _ in con.execute(NORMAL_SIDE_SQL).fetchall()}
    finally:
        con.close()


def _ratio(numerator, denominator) -> float | None:
    return float(numerator) / float(denominator) if numerator is not None and denominator \
        else None


def measure(root: str | Path, partial_years: bool = True) -> list[Kpi]:
    """The KPIs of every company and fiscal year of the output at ``root`` (whole years
    only unless ``partial_years``)."""
    root = Path(root)
    days = covered_days(root)
    con = _connect(root)
    industry = {code: ind for code, ind in
                con.execute("SELECT company_code, industry FROM companies").fetchall()}
    flows = {(c, int(y)): rest for c, y, *rest in con.execute(FLOWS_SQL).fetchall()}
    balances = {(c, int(y)): rest for c, y, *rest in con.execute(BALANCES_SQL).fetchall()}
    out: list[Kpi] = []
    for company, year in sorted(balances):
        n_days = days.get(year, 0)
        if not n_days or (not partial_years and n_days < 365):
            continue
        product, sales, cogs, billed, purchased = flows.get((company, year), [None] * 5)
        ar, ap, inventory, _ = balances[(company, year)]
        measured = {
            "gross_margin": _ratio(sales - cogs, sales) if sales and cogs is not None else None,
            "goods_margin": (_ratio(product - cogs, product)
                             if product and cogs is not None else None),
            "dso": _scaled(ar, billed, n_days),
            "dpo": _scaled(ap, purchased, n_days),
            "dio": _scaled(inventory, cogs, n_days),
        }
        target = targets(str(industry[company]))
        out.extend(Kpi(str(company), year, n_days, m, measured[m], target[m]) for m in METRICS)
    return out


def _scaled(balance, flow, days: int) -> float | None:
    ratio = _ratio(balance, flow)
    return None if ratio is None else ratio * days


def table(kpis: list[Kpi], label: str = "") -> str:
    lines = [f"{'output':<16}{'company':<9}{'year':>5}{'days':>5}  {'metric':<13}"
             f"{'measured':>9}{'target':>9}{'off':>10}"]
    for k in kpis:
        margin = k.metric.endswith("margin")
        fmt = (lambda v: f"{100 * v:8.1f}%") if margin else (lambda v: f"{v:9.1f}")
        off = k.deviation
        lines.append(
            f"{label[:15]:<16}{k.company:<9}{k.year:>5}{k.days:>5}  {k.metric:<13}"
            f"{fmt(k.measured) if k.measured is not None else '        -':>9}"
            f"{fmt(k.target):>9}"
            + (f"{'':>8}" if off is None else
               f"{100 * off:+8.1f}{'pt' if margin else '%'}"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outputs", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    parser.add_argument("--whole-years", action="store_true",
                        help="leave out fiscal years the run covers only in part")
    args = parser.parse_args(argv)
    rows = []
    for root in args.outputs:
        kpis = measure(root, partial_years=not args.whole_years)
        if args.json:
            rows += [{"output": str(root), **asdict(k), "deviation": k.deviation} for k in kpis]
        else:
            print(table(kpis, root.name))
            shares = normal_side_shares(root)
            print("normal-side balances: " + ", ".join(
                f"{c} {share:.1%}" for c, share in shares.items()))
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
