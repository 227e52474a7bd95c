"""Everything the flows of one company read: its master data as arrays, its calendar, its
accounts, its scale (revenue from payroll) and its tax rates.

Built once per company shard. Master-data columns become NumPy arrays (amounts as int64 minor
units) so flows index them with vectorised draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config import Config
from datasynth.generators.journal_entries.people import (
    CompanyDirectory,
    build_directory,
)
from datasynth.generators.ledger import economics
from datasynth.generators.ledger.chart import ChartIndex, ledger_context
from datasynth.generators.ledger.flows.currency import (
    Currencies,
    build_currencies,
    foreign_partner_currency,
)
from datasynth.generators.ledger.journal import LedgerContext
from datasynth.generators.master_data.terms import TERMS
from datasynth.money import to_minor_units


def _own(table: pa.Table, company: str) -> pa.Table:
    return table.filter(pc.equal(table["company_code"].cast(pa.string()), company))


def _str(column) -> pa.Array:
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return column.cast(pa.string())


def _np(column, dtype=None) -> np.ndarray:
    return np.asarray(_str(column).to_numpy(zero_copy_only=False) if dtype is None else
                      column.to_numpy(), dtype=dtype)


@dataclass
class Partners:
    """Vendors or customers of the company."""

    ids: pa.Array
    weight: np.ndarray             # spend / revenue share (sums to 1)
    terms_days: np.ndarray
    discount_percent: np.ndarray
    discount_days: np.ndarray
    control_account: np.ndarray    # chart positions
    credit_limit: np.ndarray       # minor units (customers; 0 for vendors)
    behavior: np.ndarray           # payment behaviour index (customers), 0 for vendors
    # invoicing currency: index into CompanyBooks.currencies.codes (0: the company's own)
    currency: np.ndarray | None = None


BEHAVIORS = ("early", "on_time", "slightly_late", "often_late", "high_risk")


@dataclass
class CompanyBooks:
    code: str
    country: str
    exponent: int
    ledger: LedgerContext
    chart: ChartIndex
    directory: CompanyDirectory
    start_day: int
    end_day: int                   # first day after the run
    months: list[tuple[int, int]]
    month_days: list[np.ndarray]   # calendar days of each month
    month_weights: list[np.ndarray]
    vendors: Partners
    customers: Partners
    material_ids: pa.Array         # sellable (stock) materials
    material_cost: np.ndarray      # minor units
    material_price: np.ndarray
    material_inventory: np.ndarray  # chart positions
    material_cogs: np.ndarray
    material_revenue: np.ndarray
    employee_ids: pa.Array         # persons
    employee_salary: np.ndarray    # annual, minor units
    employee_center: np.ndarray    # index into ledger.cost_center_ids, -1 if none
    system_user: int               # index into ledger.user_ids (batch user)
    revenue: int                   # annual revenue, minor units
    profile: economics.IndustryProfile
    vat: float                     # fraction
    payroll_rates: tuple[float, float, float]
    # master data held back for anomaly schemes (anomalies.plan.reserved): fictitious and
    # never-used vendors, ghost employees; normal flows never touch them
    spare_vendors: Partners | None = None
    spare_employee_ids: pa.Array | None = None
    spare_employee_salary: np.ndarray | None = None
    spare_employee_center: np.ndarray | None = None
    # working days (neither weekend nor public holiday) of each month, from the calendar's
    # is_business_day; None: Monday to Friday
    month_business: list[np.ndarray] | None = None
    # the company's currency and its foreign vendors' and customers' with their rates
    # (flows/currency.py);
    # None: every partner invoices in the company currency
    currencies: Currencies | None = None
    # accounts the blocks kept out of anomaly injection post to (flows/company.py), which
    # an injector looking for unused accounts must count as used
    withheld_accounts: np.ndarray | None = None
    _work: WorkingDays | None = field(default=None, repr=False, compare=False)

    def account(self, number: int) -> int:
        return self.chart.of(number)

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Run-month index of each day (the run's months, in order)."""
        first = np.array([d.min() for d in self.month_days])
        return np.searchsorted(first, np.asarray(days, np.int64), side="right") - 1

    # ---- the posting calendar's working days ------------------------------------------------
    @property
    def working(self) -> WorkingDays:
        if self._work is None:
            self._work = WorkingDays.build(self)
        return self._work

    def working_day(self, days, rng: np.random.Generator | None = None,
                    backward=False) -> np.ndarray:
        """Each day moved to a working day of its own month: the next one (``backward``: the
        previous one), else the previous (next) one when none is left in the month or the
        run. With ``rng``, a weekend day or holiday stays where it is with probability
        weight(day) / weight(an ordinary working day) (Saturday 0.08, Sunday 0.04, a
        holiday 0.05 with the default seasonality), so the small weekend share the calendar
        gives survives. Days outside the run move off Saturdays and Sundays only."""
        return self.working.move(days, rng, backward)

    @property
    def first_working(self) -> np.ndarray:
        """First working day of each run month (its first day when it has none)."""
        return self.working.first

    @property
    def last_working(self) -> np.ndarray:
        """Last working day of each run month (its last day when it has none)."""
        return self.working.last


@dataclass
class WorkingDays:
    """Lookup tables over the run's days (index = day - start): where each day moves."""

    start: int
    forward: np.ndarray          # day index of the working day a forward move lands on
    backward: np.ndarray
    stay: np.ndarray             # probability that a non-working day keeps its date
    first: np.ndarray            # per run month
    last: np.ndarray
    latest: np.ndarray           # day index of the last working day on or before, -1: none

    @classmethod
    def build(cls, books: CompanyBooks) -> WorkingDays:
        days = np.concatenate(books.month_days).astype(np.int64)
        weight = np.concatenate(books.month_weights).astype(np.float64)
        if books.month_business is not None:
            work = np.concatenate(books.month_business).astype(bool)
        else:
            work = (days + 3) % 7 < 5                  # 1970-01-01 was a Thursday
        month = np.repeat(np.arange(len(books.month_days)),
                          [len(d) for d in books.month_days])
        order = np.argsort(days, kind="stable")
        days, weight, work, month = days[order], weight[order], work[order], month[order]
        start = int(days[0]) if len(days) else books.start_day
        size = int(days[-1]) - start + 1 if len(days) else 0
        index = np.arange(size)
        at = days - start
        full_work = np.zeros(size, bool)
        full_work[at] = work
        full_month = np.full(size, -1, np.int64)
        full_month[at] = month
        full_weight = np.zeros(size)
        full_weight[at] = weight
        nxt = np.minimum.accumulate(np.where(full_work, index, size)[::-1])[::-1] \
            if size else index
        prv = np.maximum.accumulate(np.where(full_work, index, -1)) if size else index
        has_next = (nxt < size) & (full_month[np.minimum(nxt, size - 1)] == full_month)
        has_prev = (prv >= 0) & (full_month[np.maximum(prv, 0)] == full_month)
        forward = np.where(has_next, nxt, np.where(has_prev, prv, index))
        backward = np.where(has_prev, prv, np.where(has_next, nxt, index))
        # an ordinary working day's weight: the median over the working days
        ref = float(np.median(full_weight[full_work])) if full_work.any() else 1.0
        stay = np.where(full_work, 1.0, np.clip(full_weight / max(ref, 1e-12), 0.0, 1.0))
        first = np.array([d.min() for d in books.month_days], np.int64)
        last = np.array([d.max() for d in books.month_days], np.int64)
        return cls(start, forward, backward, stay,
                   forward[first - start] + start if size else first,
                   backward[last - start] + start if size else last, prv)

    def on_or_before(self, days) -> np.ndarray:
        """The last working day of the run on or before each day (across month ends); the
        day before the run when there is none."""
        days = np.asarray(days, np.int64)
        at = np.clip(days - self.start, -1, len(self.latest) - 1)
        found = np.where(at >= 0, self.latest[np.maximum(at, 0)], -1)
        return np.where(found >= 0, found + self.start, self.start - 1)

    def move(self, days, rng: np.random.Generator | None, backward) -> np.ndarray:
        days = np.asarray(days, np.int64)
        back = np.broadcast_to(np.asarray(backward, bool), days.shape)
        size = len(self.forward)
        at = days - self.start
        inside = (at >= 0) & (at < size)
        # outside the run: off Saturday and Sunday only (no month to stay in, no holidays)
        weekday = (days + 3) % 7
        off = np.where(weekday == 5, np.where(back, -1, 2),
                       np.where(weekday == 6, np.where(back, -2, 1), 0))
        if size == 0:
            return days + off
        i = np.where(inside, at, 0)
        moved = np.where(back, self.backward[i], self.forward[i]) + self.start
        moved = np.where(inside, moved, days + off)
        if rng is not None:
            u = rng.random(days.shape)
            moved = np.where(inside & (u < self.stay[i]), days, moved)
        return moved


def build_company_books(config: Config, index: int, tables, calendar: pa.Table,
                        chart: ChartIndex, directory_rng: np.random.Generator) -> CompanyBooks:
    company = config.companies[index]
    code = company.code
    employees, centers = tables("employees"), tables("cost_centers")
    ledger = ledger_context(code, company.currency, chart, employees, centers)
    days_table = _own(calendar, code)
    days = days_table["date"].cast(pa.int32()).to_numpy().astype(np.int64)
    weights = days_table["weight"].to_numpy()
    business = days_table["is_business_day"].to_numpy(zero_copy_only=False).astype(bool)
    key = (days_table["fiscal_year"].to_numpy().astype(np.int64) * 100
           + days_table["fiscal_period"].to_numpy())
    months, month_days, month_weights, month_business = [], [], [], []
    for k in np.unique(key):
        mask = key == k
        months.append((int(k // 100), int(k % 100)))
        month_days.append(days[mask])
        month_weights.append(weights[mask])
        month_business.append(business[mask])

    staff = _own(employees, code)
    persons = staff.filter(pc.equal(staff["employee_type"].cast(pa.string()), "person"))
    salary = to_minor_units(persons["base_salary"].combine_chunks(), ledger.exponent)
    center_pos = {c: i for i, c in enumerate(ledger.cost_center_ids.to_pylist())}
    emp_center = np.array([center_pos.get(c, -1) for c in _str(persons["cost_center"])
                           .to_pylist()], dtype=np.int64)
    users = _np(staff["user_name"])
    batch = np.flatnonzero(users == "BATCH01")
    system_user = int(batch[0]) if len(batch) else 0

    from datasynth.generators.anomalies.plan import reserved

    spare = reserved(config, index)
    keep_persons = persons.num_rows - spare.ghost_employees
    ghosts = frozenset(_str(persons["employee_id"])[keep_persons:].to_pylist())
    directory = build_directory(code, employees, centers, directory_rng, ghosts)
    vendors = _own(tables("vendors"), code)
    keep_vendors = vendors.num_rows - spare.vendors

    vendor_rows = vendors.slice(0, keep_vendors)
    customer_rows = _own(tables("customers"), code)
    currencies, vendor_currency, customer_currency = None, None, None
    if config.foreign_partners_on:
        # spare vendors (anomaly schemes) keep the company currency: anomalies never touch
        # foreign-currency documents (flows/company.py); customers are drawn from a stream
        # of their own, with the same share (flows/foreign_receivables.py)
        share = config.document_flows.foreign_currency_share
        codes, vendor_extra = foreign_partner_currency(
            config, index, vendor_rows["country"].combine_chunks(), share, company.country,
            company.currency, "vendors")
        customer_codes, customer_extra = foreign_partner_currency(
            config, index, customer_rows["country"].combine_chunks(), share,
            company.country, company.currency, "customers")
        extra = sorted(set(vendor_extra) | set(customer_extra))
        if extra:
            from datasynth.generators.fx.convert import RateBook

            currencies = build_currencies(
                config, company, RateBook(tables("fx_rates"), config.global_.group_currency),
                int(days.min()), int(days.max()) + 1, months, extra)
            lookup = {c: i for i, c in enumerate(currencies.codes)}
            lookup[""] = 0
            vendor_currency = np.array([lookup[c] for c in codes], np.int64)
            customer_currency = np.array([lookup[c] for c in customer_codes], np.int64)
            ledger = replace(ledger, currencies=currencies.codes,
                             exponents=currencies.exponents)
    mats = _own(tables("materials"), code)
    mats = mats.filter(pc.greater(mats["list_price"].cast(pa.float64()), 0))
    revenue = economics.annual_revenue(int(salary.sum()), config.global_.industry)
    return CompanyBooks(
        code=code, country=company.country, exponent=ledger.exponent, ledger=ledger,
        chart=chart, directory=directory, start_day=int(days.min()),
        end_day=int(days.max()) + 1, months=months, month_days=month_days,
        month_weights=month_weights, month_business=month_business,
        vendors=_partners(vendor_rows, "spend_weight", chart, ledger, False,
                          vendor_currency),
        currencies=currencies,
        customers=_partners(customer_rows, "revenue_weight", chart, ledger, True,
                            customer_currency),
        material_ids=_str(mats["material_id"]),
        material_cost=to_minor_units(mats["standard_cost"].combine_chunks(), ledger.exponent),
        material_price=to_minor_units(mats["list_price"].combine_chunks(), ledger.exponent),
        material_inventory=chart.positions(mats["inventory_account"]),
        material_cogs=chart.positions(mats["cogs_account"]),
        material_revenue=chart.positions(mats["revenue_account"]),
        employee_ids=_str(persons["employee_id"])[:keep_persons],
        employee_salary=salary[:keep_persons], employee_center=emp_center[:keep_persons],
        system_user=system_user, revenue=revenue,
        profile=economics.profile(config.global_.industry),
        vat=economics.vat_rate(company.country) / 100.0,
        payroll_rates=economics.payroll_rates(company.country),
        spare_vendors=_partners(vendors.slice(keep_vendors), "spend_weight", chart, ledger,
                                False),
        spare_employee_ids=_str(persons["employee_id"])[keep_persons:],
        spare_employee_salary=salary[keep_persons:],
        spare_employee_center=emp_center[keep_persons:])


def _partners(table: pa.Table, weight: str, chart: ChartIndex, ledger: LedgerContext,
              customers: bool, currency: np.ndarray | None = None) -> Partners:
    n = table.num_rows
    w = table[weight].to_numpy().astype(np.float64)
    w = w / w.sum() if n and w.sum() > 0 else np.full(n, 1.0 / max(n, 1))
    if customers:
        keys = _np(table["payment_terms"])
        percent = np.array([TERMS[k].discount_percent if k in TERMS else 0.0 for k in keys])
        disc_days = np.array([TERMS[k].discount_days if k in TERMS else 0 for k in keys])
        limit = to_minor_units(table["credit_limit"].combine_chunks(), ledger.exponent)
        behavior_names = _np(table["payment_behavior"])
        behavior = np.array([BEHAVIORS.index(b) if b in BEHAVIORS else 1
                             for b in behavior_names], dtype=np.int64)
    else:
        percent = table["discount_percent"].to_numpy().astype(np.float64)
        disc_days = table["discount_days"].to_numpy().astype(np.int64)
        limit = np.zeros(n, dtype=np.int64)
        behavior = np.zeros(n, dtype=np.int64)
    id_column = "customer_id" if customers else "vendor_id"
    return Partners(_str(table[id_column]), w,
                    table["payment_terms_days"].to_numpy().astype(np.int64), percent,
                    np.asarray(disc_days, dtype=np.int64),
                    chart.positions(table["reconciliation_account"]), limit, behavior,
                    currency)
