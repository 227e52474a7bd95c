"""The period close of one company, month by month: depreciation, accruals, tax, closing.

Order within a month follows the close calendar: on the first day the previous month's
accruals reverse; at the month end the depreciation run posts (IAS 16), then the accruals
for services received but not invoiced (IAS 37), at a quarter end the income-tax provision
on year-to-date profit (IAS 12, IAS 34), and on 31 December the closing of the nominal
accounts into retained earnings. Every step reads the activity of all earlier ones, so the
tax provision sees the depreciation and the year-end close sees the tax.

Pure function of its inputs: a chart, the company's ledger context, its asset register, its
activity so far (``ledger_activity`` of the opening and the business) and one random stream.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.common.arrow import constant_dictionary, dictionary
from datasynth.generators.ledger import depreciation as dep
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.close_entries import (
    CloseBook,
    closing_lines,
    depreciation_lines,
    draw_accruals,
    tax_provision,
)
from datasynth.generators.ledger.journal import REF, LedgerContext, activity, assemble
from datasynth.money import to_decimal, to_minor_units
from datasynth.schemas.journal_entries import JOURNAL_ENTRIES
from datasynth.schemas.ledgers import FIXED_ASSET_BALANCES

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# Opex accounts that are never accrued: allowances for bad debts and credit losses are
# estimates of the receivables (IFRS 9), not services received; banks debit charges directly.
NOT_ACCRUED = ("775000", "776000", "810000")
ACCRUED_EXPENSES, INCOME_TAX_EXPENSE, INCOME_TAX_PAYABLE, RETAINED_EARNINGS = (
    "220000", "900000", "210100", "320000")


@dataclass(frozen=True)
class CloseSettings:
    accruals: bool
    tax_provision: bool
    year_end_close: bool
    tax_rate_bp: int          # statutory income-tax rate, basis points
    start_day: int            # first day of the run, days since the epoch
    end_day: int              # first day after the run
    accrual_floor: int        # smallest accrual, minor units


@dataclass(frozen=True)
class Assets:
    """A company's asset register (master data and acquisitions), accounts as chart positions
    and cost centers as positions in the ledger context (-1: none)."""

    asset_id: pa.Array
    acquired: np.ndarray
    cost: np.ndarray
    salvage: np.ndarray
    life: np.ndarray
    center: np.ndarray
    account: np.ndarray
    contra: np.ndarray
    expense: np.ndarray


@dataclass(frozen=True)
class CloseResult:
    journal: pa.RecordBatch
    activity: pa.Table
    balances: pa.Table


def month_days(month: int) -> tuple[int, int]:
    """First and last day (days since the epoch) of ``month`` (months since 1970-01)."""
    first = np.array([month, month + 1]).astype("datetime64[M]").astype("datetime64[D]")
    days = first.astype(np.int64)
    return int(days[0]), int(days[1]) - 1


def run_months(start_day: int, end_day: int) -> tuple[int, int]:
    """First month and number of months holding any day of ``[start_day, end_day)``."""
    first, last = dep.month_index(np.array([start_day, end_day - 1]))
    return int(first), int(last - first + 1)


def asset_register(tables: list[pa.Table], ledger: LedgerContext, chart: ChartIndex) -> Assets:
    """The company's assets from ``fixed_assets`` and ``asset_acquisitions`` rows."""
    cols = ("asset_id", "acquisition_date", "acquisition_cost", "salvage_value",
            "useful_life_months", "cost_center", "asset_account",
            "accumulated_depreciation_account", "depreciation_expense_account")
    data = {c: [] for c in cols}
    for table in tables:
        rows = table.filter(pc.equal(table["company_code"].cast(pa.string()),
                                     ledger.company_code))
        for c in cols:
            data[c].append(_plain(rows[c]))
    col = {c: pa.concat_arrays(v) for c, v in data.items()}

    def money(column: str) -> np.ndarray:
        return to_minor_units(col[column], ledger.exponent)

    centers = pc.index_in(col["cost_center"], value_set=ledger.cost_center_ids)
    return Assets(
        asset_id=col["asset_id"],
        acquired=col["acquisition_date"].cast(pa.int32()).to_numpy().astype(np.int64),
        cost=money("acquisition_cost"), salvage=money("salvage_value"),
        life=col["useful_life_months"].to_numpy().astype(np.int64),
        center=centers.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64),
        account=chart.positions(col["asset_account"]),
        contra=chart.positions(col["accumulated_depreciation_account"]),
        expense=chart.positions(col["depreciation_expense_account"]))


def _plain(column: pa.ChunkedArray) -> pa.Array:
    values = column.combine_chunks()
    return values.dictionary_decode() if pa.types.is_dictionary(values.type) else values


def activity_matrix(activity: pa.Table, company: str, chart: ChartIndex, first_month: int,
                    months: int) -> np.ndarray:
    """Net activity (debit - credit, int64) per run month and chart position of a company."""
    rows = activity.filter(pc.equal(activity["company_code"].cast(pa.string()), company))
    month = ((rows["fiscal_year"].to_numpy().astype(np.int64) - 1970) * 12
             + rows["fiscal_period"].to_numpy().astype(np.int64) - 1 - first_month)
    account = chart.positions(rows["gl_account"])
    net = np.zeros((months, len(chart)), dtype=np.int64)
    inside = (month >= 0) & (month < months) & (account >= 0)
    values = rows["debit"].to_numpy() - rows["credit"].to_numpy()
    np.add.at(net, (month[inside], account[inside]), values[inside].astype(np.int64))
    return net


def close_company(rng: np.random.Generator, ledger: LedgerContext, chart: ChartIndex,
                  assets: Assets, activity: np.ndarray, settings: CloseSettings,
                  creator: int) -> CloseResult:
    """Post the whole run's close of one company; ``activity`` from :func:`activity_matrix`."""
    first_month, months = run_months(settings.start_day, settings.end_day)
    book = CloseBook(activity.copy(), first_month)
    code = ledger.company_code
    nominal = np.flatnonzero(np.isin(chart.account_types, ("revenue", "expense")))
    pretax = nominal[chart.sub_types[nominal] != "tax_expense"]
    numbers = np.asarray(chart.numbers.to_pylist(), dtype=object)
    opex = chart.of_sub_type("opex")
    opex = opex[~np.isin(numbers[opex], NOT_ACCRUED)]
    accrued = accrued_accounts(chart, opex, numbers)
    pending: list[tuple] = []            # last month's accruals, reversed on the 1st
    provided: dict[int, int] = {}        # tax provided so far per fiscal year
    balances: list[dict[str, np.ndarray]] = []
    for i in range(months):
        month = first_month + i
        year, period = 1970 + month // 12, month % 12 + 1
        first_day, last_day = month_days(month)
        label = f"{MONTH_NAMES[period - 1]} {year}"
        # Every month after the first lies inside the run, so last month's accruals reverse
        # here; those of the run's last month stay open (they reverse after the run).
        for reference, account, credit, amount, center in pending:
            book.post(first_day, "reversal", f"Reversal of accrual {reference}", reference,
                      np.r_[account, credit], np.r_[-amount, amount], np.r_[center, -1])
        pending = []
        if not settings.start_day <= last_day < settings.end_day:
            # A partial month at the end is closed after the run: the register still has
            # its snapshot (acquisitions up to the run's end, no charge yet).
            balances.append(_asset_rows(assets, month, settings.end_day - 1,
                                        np.zeros(len(assets.cost), np.int64), month - 1))
            continue
        charge = dep.charge_for_month(assets.cost, assets.salvage, assets.life,
                                      assets.acquired, month)
        book.post(last_day, "depreciation", f"Depreciation run {label}",
                  f"DEP-{code}-{year}-{period:02d}",
                  *depreciation_lines(charge, assets.expense, assets.contra, assets.center))
        balances.append(_asset_rows(assets, month, last_day, charge, month))
        if settings.accruals and len(opex):
            drawn = draw_accruals(rng, opex, activity[i, opex], accrued,
                                  len(ledger.cost_center_ids), settings.accrual_floor)
            for n, (account, credit, amount, center) in enumerate(zip(*drawn), start=1):
                reference = f"ACR-{code}-{year}-{period:02d}-{n:02d}"
                book.post(last_day, "accrual", f"Accrued {chart.names[account].as_py()} "
                          f"{label}", reference, np.r_[account, credit],
                          np.r_[amount, -amount], np.r_[center, -1])
                pending.append((reference, account, credit, amount, center))
        in_year = slice(max(0, i - period + 1), i + 1)      # run months of this fiscal year
        if settings.tax_provision and period % 3 == 0:
            ytd = -int(book.net[in_year][:, pretax].sum())
            delta = tax_provision(ytd, settings.tax_rate_bp, provided.get(year, 0))
            provided[year] = provided.get(year, 0) + delta
            book.post(last_day, "tax", f"Income tax provision Q{period // 3} {year}",
                      f"TAX-{code}-{year}-Q{period // 3}",
                      np.r_[chart.of(INCOME_TAX_EXPENSE), chart.of(INCOME_TAX_PAYABLE)],
                      np.r_[delta, -delta], np.r_[-1, -1])
        if settings.year_end_close and period == 12:
            book.post(last_day, "close", f"Year-end closing {year}", f"YEC-{code}-{year}",
                      *closing_lines(book.net[in_year].sum(axis=0), nominal,
                                     chart.of(RETAINED_EARNINGS)))
    return _result(book, ledger, creator, assets, balances)


def accrued_accounts(chart: ChartIndex, opex: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """The liability each opex account accrues to: the detail accrued account named after
    its kind (``Accrued - Utilities`` for ``Utilities - Sales``), else 220000 Accrued
    Expenses. Accrued Bonuses and Interest (2201xx-2202xx) belong to payroll and financing."""
    detail = chart.of_sub_type("accrued")
    detail = detail[(numbers[detail] >= "221000") & (numbers[detail] <= "229999")]
    out = np.full(len(opex), chart.of(ACCRUED_EXPENSES), dtype=np.int64)
    names = [chart.names[int(i)].as_py().lower() for i in opex]
    for d in detail[::-1]:                        # a few accounts: the lowest match wins
        kind = chart.names[int(d)].as_py().lower().split(" - ")[-1].split()[0]
        out[[i for i, name in enumerate(names) if kind in name.replace("-", " ").split()]] = d
    return out


def _asset_rows(assets: Assets, month: int, last_day: int, charge: np.ndarray,
                through: int) -> dict[str, np.ndarray]:
    """The fixed-asset subledger at a month end: assets in service by ``last_day``, with
    depreciation charged through month ``through`` (IAS 16.73(e))."""
    held = np.flatnonzero(assets.acquired <= last_day)
    accumulated = dep.accumulated(assets.cost[held], assets.salvage[held], assets.life[held],
                                  assets.acquired[held], through)
    return {"month": np.full(len(held), month), "asset": held, "accumulated": accumulated,
            "charge": charge[held]}


def _result(book: CloseBook, ledger: LedgerContext, creator: int, assets: Assets,
            balances: list[dict[str, np.ndarray]]) -> CloseResult:
    entries, lines = book.build(ledger.company_code, creator)
    journal = (assemble(ledger, entries, lines) if len(entries)
               else pa.RecordBatch.from_pylist([], schema=JOURNAL_ENTRIES.schema))
    # the year-end closing is activity of its own origin (journal.ORIGINS)
    closing = entries.reference_type[lines.entry] == REF["year_end_close"]
    parts = [activity(ledger, origin, entries.posting_day[lines.entry[mask]],
                      lines.account[mask], lines.debit[mask], lines.credit[mask])
             for origin, mask in (("close", ~closing), ("year_end", closing))]
    return CloseResult(journal, pa.concat_tables(parts),
                       _balances_table(ledger, assets, balances))


def _balances_table(ledger: LedgerContext, assets: Assets,
                    parts: list[dict[str, np.ndarray]]) -> pa.Table:
    rows = {k: np.concatenate([p[k] for p in parts]) if parts else np.zeros(0, np.int64)
            for k in ("month", "asset", "accumulated", "charge")}
    held, n = rows["asset"].astype(np.int64), len(rows["asset"])
    cost = assets.cost[held]
    contra = assets.contra[held]
    money = ledger.exponent
    return pa.Table.from_arrays([
        constant_dictionary(ledger.company_code, n),
        pa.array((rows["month"] // 12 + 1970).astype(np.int16)),
        pa.array((rows["month"] % 12 + 1).astype(np.int8)),
        assets.asset_id.take(pa.array(held)),
        to_decimal(cost, money),
        to_decimal(rows["accumulated"], money),
        to_decimal(cost - rows["accumulated"], money),
        to_decimal(rows["charge"], money),
        dictionary(np.maximum(assets.account[held], 0), ledger.account_numbers),
        dictionary(np.maximum(contra, 0), ledger.account_numbers, mask=contra < 0),
    ], schema=FIXED_ASSET_BALANCES.schema)
