"""Pydantic models of the configuration file.

Every model derives from :class:`StrictModel`, which forbids unknown keys: ``extra="forbid"``
must sit on each nested model, not only on the root. Defaults are the documented figures of the
reference study (``shared/reference/domain.md`` §4.2) unless a preset overrides them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

import holidays
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from datasynth.config.currencies import CURRENCIES, THREE_DECIMAL_CURRENCIES

Industry = Literal["manufacturing", "retail", "financial_services", "healthcare", "technology"]
Complexity = Literal["small", "medium", "large"]
OutputFormat = Literal["parquet", "csv", "jsonl", "json"]
Compression = Literal["zstd", "snappy", "gzip", "lz4", "none"]
ExecutorName = Literal["serial", "process", "dask"]

INDUSTRIES: tuple[str, ...] = Industry.__args__  # type: ignore[attr-defined]
COMPLEXITIES: tuple[str, ...] = Complexity.__args__  # type: ignore[attr-defined]
FORMATS: tuple[str, ...] = OutputFormat.__args__  # type: ignore[attr-defined]

PositiveWeight = Annotated[float, Field(ge=0.0)]
_SUPPORTED_COUNTRIES = frozenset(holidays.list_supported_countries())
_COMPANY_CODE = re.compile(r"^[A-Za-z0-9_-]{1,10}$")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _check_currency(code: str) -> str:
    code = code.upper()
    if code in THREE_DECIMAL_CURRENCIES:
        raise ValueError(f"currency {code!r} has three minor digits; datasynth supports "
                         f"currencies with zero or two ({', '.join(sorted(CURRENCIES))})")
    if code not in CURRENCIES:
        raise ValueError(f"unknown currency {code!r}; expected an ISO 4217 code, one of "
                         f"{', '.join(sorted(CURRENCIES))}")
    return code


class GlobalSettings(StrictModel):
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 42
    industry: Industry = "manufacturing"
    start_date: dt.date = dt.date(2024, 1, 1)
    period_months: Annotated[int, Field(ge=1, le=120)] = 12
    group_currency: str = "USD"

    @field_validator("start_date", mode="before")
    @classmethod
    def _date_only(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
        return value

    @field_validator("group_currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _check_currency(value)


class CompanySettings(StrictModel):
    code: str
    name: Annotated[str, Field(min_length=1, max_length=120)]
    currency: str = "USD"
    country: str = "US"
    volume_weight: Annotated[float, Field(gt=0.0)] = 1.0

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)   # YAML reads an unquoted 1000 as a number
        if isinstance(value, str) and not _COMPANY_CODE.match(value):
            raise ValueError("expected 1-10 letters, digits, '-' or '_'")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _check_currency(value)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        value = value.upper()
        if value not in _SUPPORTED_COUNTRIES:
            raise ValueError(f"unknown country {value!r}; expected an ISO 3166 alpha-2 code "
                             "such as US, DE, GB, FR, JP")
        return value


class ChartOfAccountsSettings(StrictModel):
    complexity: Complexity = "small"


class LogNormalComponent(StrictModel):
    """One component of the amount mixture: ``weight``, and ``mu``/``sigma`` of ln(USD)."""

    weight: Annotated[float, Field(gt=0.0)]
    mu: Annotated[float, Field(ge=-5.0, le=20.0)]
    sigma: Annotated[float, Field(gt=0.0, le=5.0)]


def _default_components() -> list[LogNormalComponent]:
    # Routine, significant and major transactions (reference §4.3, "typical_transactions").
    return [LogNormalComponent(weight=0.60, mu=6.0, sigma=1.5),
            LogNormalComponent(weight=0.30, mu=8.5, sigma=1.0),
            LogNormalComponent(weight=0.10, mu=11.0, sigma=0.8)]


class AmountSettings(StrictModel):
    components: list[LogNormalComponent] = Field(default_factory=_default_components, min_length=1)
    min_amount: Annotated[float, Field(gt=0.0)] = 1.0
    max_amount: Annotated[float, Field(gt=0.0)] = 50_000_000.0
    round_share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.12

    @model_validator(mode="after")
    def _range(self) -> AmountSettings:
        if self.max_amount <= self.min_amount:
            raise ValueError(f"max_amount ({self.max_amount}) must exceed min_amount "
                             f"({self.min_amount})")
        return self


_LINE_KEY = re.compile(r"^(\d+)(?:-(\d+))?$")


def _default_line_counts() -> dict[str, float]:
    # Empirical line-count table of the "accounting network" paper (reference §4.2 step 3).
    return {"2": 0.6068, "3": 0.0577, "4": 0.1663, "5": 0.0306, "6": 0.0332, "7": 0.0113,
            "8": 0.0188, "9": 0.0042, "10-99": 0.0633, "100-999": 0.0076, "1000-9999": 0.0002}


class LineCountSettings(StrictModel):
    """Line counts: weights of single counts (``"2"``) or uniform ranges (``"10-99"``)."""

    weights: dict[str, PositiveWeight] = Field(default_factory=_default_line_counts)
    even_share_in_ranges: Annotated[float, Field(ge=0.0, le=1.0)] = 0.77

    @field_validator("weights")
    @classmethod
    def _keys(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or sum(value.values()) <= 0:
            raise ValueError("expected at least one positive weight")
        for key in value:
            match = _LINE_KEY.match(str(key))
            if not match:
                raise ValueError(f"bad key {key!r}: expected a count like '4' or a range '10-99'")
            low = int(match.group(1))
            high = int(match.group(2) or low)
            if low < 2 or high < low or high > 9999:
                raise ValueError(f"bad key {key!r}: counts run from 2 to 9999")
        return value

    def bins(self) -> list[tuple[int, int, float]]:
        """(low, high, probability) per key, probabilities normalised to sum to one."""
        total = sum(self.weights.values())
        out = []
        for key, weight in self.weights.items():
            match = _LINE_KEY.match(str(key))
            assert match is not None
            low = int(match.group(1))
            out.append((low, int(match.group(2) or low), weight / total))
        return sorted(out)


class SourceMix(StrictModel):
    manual: PositiveWeight = 0.20
    automated: PositiveWeight = 0.70
    recurring: PositiveWeight = 0.07
    adjustment: PositiveWeight = 0.03

    @model_validator(mode="after")
    def _positive(self) -> SourceMix:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one source needs a positive weight")
        return self


class ProcessMix(StrictModel):
    O2C: PositiveWeight = 0.35
    P2P: PositiveWeight = 0.30
    R2R: PositiveWeight = 0.20
    H2R: PositiveWeight = 0.10
    A2R: PositiveWeight = 0.05

    @model_validator(mode="after")
    def _positive(self) -> ProcessMix:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one business process needs a positive weight")
        return self


class SeasonalitySettings(StrictModel):
    """Relative posting activity per day (reference §4.2 step 1 and §4.3)."""

    weekday_weights: Annotated[list[PositiveWeight], Field(min_length=7, max_length=7)] = \
        Field(default_factory=lambda: [1.3, 1.1, 1.0, 1.0, 0.85, 0.08, 0.04])
    holiday_multiplier: Annotated[float, Field(ge=0.0, le=1.0)] = 0.05
    period_end_days: Annotated[int, Field(ge=0, le=10)] = 3
    month_end_multiplier: Annotated[float, Field(ge=1.0, le=20.0)] = 2.0
    quarter_end_multiplier: Annotated[float, Field(ge=1.0, le=20.0)] = 3.0
    year_end_multiplier: Annotated[float, Field(ge=1.0, le=20.0)] = 4.0


class TransactionSettings(StrictModel):
    target_count: Annotated[int, Field(ge=0, le=10_000_000_000)] = 10_000
    line_counts: LineCountSettings = Field(default_factory=LineCountSettings)
    amounts: AmountSettings = Field(default_factory=AmountSettings)
    sources: SourceMix = Field(default_factory=SourceMix)
    business_processes: ProcessMix = Field(default_factory=ProcessMix)
    seasonality: SeasonalitySettings = Field(default_factory=SeasonalitySettings)


Count = Annotated[int, Field(ge=0, le=10_000_000)]


class MasterDataSettings(StrictModel):
    """Per-company counts. ``employees`` counts people; technical users come on top."""

    vendors: Count = 200
    customers: Count = 400
    materials: Count = 300
    fixed_assets: Count = 100
    employees: Count = 100
    cost_centers: Count = 20


class OutputSettings(StrictModel):
    """``format`` takes one format or a list of them; it is kept as a list."""

    format: list[OutputFormat] = Field(default_factory=lambda: ["parquet"])
    compression: Compression = "zstd"
    directory: str | None = None

    @field_validator("format", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("format")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("expected at least one format")
        if len(set(value)) != len(value):
            raise ValueError("a format is listed twice")
        return value

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.format)


class MemorySettings(StrictModel):
    """Limits on the resident memory of the whole run (main process and workers), in MB."""

    hard_limit_mb: Annotated[int, Field(ge=64)]
    soft_limit_mb: Annotated[int, Field(ge=32)] | None = None      # default 80 % of hard
    check_interval_ms: Annotated[int, Field(ge=10, le=10_000)] = 100

    @model_validator(mode="after")
    def _soft_below_hard(self) -> MemorySettings:
        if self.soft_limit_mb is not None and self.soft_limit_mb >= self.hard_limit_mb:
            raise ValueError(f"soft_limit_mb ({self.soft_limit_mb}) must be below "
                             f"hard_limit_mb ({self.hard_limit_mb})")
        return self


class RuntimeSettings(StrictModel):
    workers: Annotated[int, Field(ge=1, le=512)] | None = None
    executor: ExecutorName | None = None
    rows_per_shard: Annotated[int, Field(ge=100, le=10_000_000)] = 100_000
    memory: MemorySettings | None = None


Rate = Annotated[float, Field(ge=0.0, le=1.0)]


class OpeningBalanceSettings(StrictModel):
    """An opening balance sheet per company, shaped by the industry (phase opening_balances)."""

    enabled: bool = True


class DocumentFlowSettings(StrictModel):
    """P2P, O2C, H2R, A2R and R2R document flows behind the journal entries (phase
    transactions). Rates are shares of orders, invoices or payments."""

    enabled: bool = True
    partial_delivery_rate: Rate = 0.08      # P2P: a purchase order received in two parts
    partial_shipment_rate: Rate = 0.06      # O2C: a sales order shipped in two parts
    partial_payment_rate: Rate = 0.05       # an invoice paid in two instalments
    price_variance_rate: Rate = 0.06        # vendor invoice price differs from the order
    quantity_variance_rate: Rate = 0.02     # stock invoice bills units not received:
    #                                         blocked until the vendor's credit memo
    match_tolerance_percent: Annotated[float, Field(ge=0.0, le=100.0)] = 2.0
    discount_take_rate: Rate = 0.7          # discounts taken when offered and paid in time
    return_rate: Rate = 0.03                # deliveries returned for a credit memo
    short_payment_rate: Rate = 0.02         # receipts short of the invoice, written off
    bad_debt_rate: Rate = 0.005             # invoices written off as uncollectible
    credit_release_rate: Rate = 0.5         # over-limit orders released (others rejected)
    overdraft_facility: Annotated[float, Field(ge=0.0)] = 0.0   # company currency
    # share of a company's vendors that invoice in their own currency, drawn among those
    # whose country uses another currency than the company's (all of them when fewer);
    # needs exchange rates (off with fx.enabled: false). docs/foreign_currency.md
    foreign_currency_share: Rate = 0.12


class SubledgerSettings(StrictModel):
    """AR and AP open items with aging and inventory positions at every period end."""

    enabled: bool = True


class PeriodCloseSettings(StrictModel):
    """Monthly depreciation and accruals, quarterly tax provision, year-end closing."""

    enabled: bool = True
    accruals: bool = True
    tax_provision: bool = True
    year_end_close: bool = True


class FamilyShares(StrictModel):
    """Share of the injected anomalies per family (reference §8.2 defaults); normalised, so
    only the ratios matter."""

    fraud: PositiveWeight = 0.25
    error: PositiveWeight = 0.35
    process: PositiveWeight = 0.20
    statistical: PositiveWeight = 0.15
    relational: PositiveWeight = 0.05

    @model_validator(mode="after")
    def _positive(self) -> FamilyShares:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one anomaly family needs a positive share")
        return self


class PeriodEndIntensity(StrictModel):
    """How much likelier an entry in the last ``days`` of a month, quarter or year is to be
    picked (year end takes precedence over quarter end over month end)."""

    days: Annotated[int, Field(ge=0, le=10)] = 3
    month_end: Annotated[float, Field(ge=1.0, le=20.0)] = 1.5
    quarter_end: Annotated[float, Field(ge=1.0, le=20.0)] = 2.0
    year_end: Annotated[float, Field(ge=1.0, le=20.0)] = 3.0


SplitMethod = Literal["stratified", "time"]


class SplitSettings(StrictModel):
    """A ``split`` column (train / validation / test) on journal entries and anomaly labels.
    ``stratified`` draws by label, keeping a scheme's entries together; ``time`` gives the
    earliest periods to training and the latest to test."""

    enabled: bool = False
    method: SplitMethod = "stratified"
    train: Rate = 0.70
    validation: Rate = 0.15
    test: Rate = 0.15

    @model_validator(mode="after")
    def _sums_to_one(self) -> SplitSettings:
        if abs(self.train + self.validation + self.test - 1.0) > 1e-9:
            raise ValueError(f"train + validation + test must be 1 (got "
                             f"{self.train + self.validation + self.test:g})")
        return self


class AnomalyInjectionSettings(StrictModel):
    """Anomalies and fraud injected into the books, labelled for machine learning.
    ``total_rate`` is the share of business journal entries affected; ``families`` splits it;
    ``type_weights`` overrides the relative weight of a type within its family (0 turns the
    type off)."""

    enabled: bool = False
    total_rate: Annotated[float, Field(ge=0.0, le=0.2)] = 0.02
    families: FamilyShares = Field(default_factory=FamilyShares)
    type_weights: dict[str, PositiveWeight] = Field(default_factory=dict)
    period_end: PeriodEndIntensity = Field(default_factory=PeriodEndIntensity)
    approval_limit: Annotated[float, Field(gt=0)] = 10_000.0   # company currency
    split: SplitSettings = Field(default_factory=SplitSettings)

    @field_validator("type_weights")
    @classmethod
    def _known_types(cls, value: dict[str, float]) -> dict[str, float]:
        from datasynth.generators.anomalies.catalog import TYPES

        unknown = sorted(set(value) - set(TYPES))
        if unknown:
            raise ValueError(f"unknown anomaly type(s) {', '.join(unknown)}; expected some of "
                             f"{', '.join(sorted(TYPES))}")
        return value


class FxSettings(StrictModel):
    """Exchange rates to the group currency (docs/fx.md). ``enabled`` left unset means on
    when a company books in a currency other than the group's. ``levels`` sets a floating
    currency's rate on the first day, in US dollars per unit (default: late-2020s levels);
    ``volatility`` its annual volatility (default: profiles.py). Pegged currencies (HKD, AED,
    SAR, DKK) follow their anchor and take no level."""

    enabled: bool | None = None
    half_life_days: Annotated[float, Field(ge=5.0, le=10_000.0)] = 500.0   # market days
    tail_df: Annotated[float, Field(gt=2.0, le=1000.0)] = 4.0
    turbulent_share: Annotated[float, Field(ge=0.0, le=0.5)] = 0.05
    levels: dict[str, Annotated[float, Field(gt=0.0)]] = Field(default_factory=dict)
    volatility: dict[str, Annotated[float, Field(ge=0.0, le=2.0)]] = Field(default_factory=dict)

    @field_validator("levels", "volatility")
    @classmethod
    def _currencies(cls, value: dict[str, float]) -> dict[str, float]:
        for code in value:
            _check_currency(code)
        return value

    @field_validator("levels")
    @classmethod
    def _floating(cls, value: dict[str, float]) -> dict[str, float]:
        from datasynth.generators.fx.profiles import profile

        for code in value:
            peg = profile(code).peg
            if peg is not None:
                raise ValueError(f"{code} is pegged to {peg} at {profile(code).peg_rate}; its "
                                 f"level follows the peg (remove fx.levels.{code})")
            if code == "USD":
                raise ValueError("USD is the quoting currency of the levels (1 by definition)")
        return value


IntercompanyActivity = Literal["goods", "services", "management_fees", "loans"]


class GroupRelationship(StrictModel):
    """One subsidiary of the group: who owns it, how much, and what they trade. Goods and
    services flow from the parent to the subsidiary (downstream, cost plus ``markup``),
    management fees from the subsidiary to the parent, loans from the parent to the
    subsidiary with monthly interest."""

    parent: str
    subsidiary: str
    ownership: Annotated[float, Field(gt=0.5, le=1.0)] = 1.0    # IFRS 10: control
    activities: list[IntercompanyActivity] = Field(
        default_factory=lambda: ["goods", "services", "management_fees", "loans"])

    @field_validator("parent", "subsidiary", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class IntercompanySettings(StrictModel):
    """Intercompany trading and the group structure (docs/intercompany.md). With
    ``enabled`` and no ``relationships``, the first company owns 100 % of every other and
    trades with each in every activity. ``invoices_per_month`` is per relationship and
    activity; ``timing_difference_rate`` is the share of invoices the buyer books in the
    next period (goods in transit), ``mismatch_rate`` the share booked at a wrong amount
    (injected and labelled in intercompany_pairs)."""

    enabled: bool = False
    relationships: list[GroupRelationship] = Field(default_factory=list)
    markup: Annotated[float, Field(ge=0.0, le=1.0)] = 0.08
    invoices_per_month: Annotated[float, Field(gt=0.0, le=1000.0)] = 4.0
    settlement_days: Annotated[int, Field(ge=0, le=365)] = 30
    loan_amount: Annotated[float, Field(gt=0.0)] = 500_000.0      # group currency
    interest_rate: Annotated[float, Field(ge=0.0, le=0.5)] = 0.05  # a year
    consumption_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.6   # of IC stock a month
    timing_difference_rate: Rate = 0.05
    mismatch_rate: Rate = 0.01


class DataQualitySettings(StrictModel):
    """Degraded copies of master data and journal-entry text fields, the way real extracts
    are degraded; every change labelled in ``quality_labels``. Rates are per value (missing,
    typos, format variations, encoding) or per record (duplicates). ``missing_dependent_rate``
    applies on top of ``missing_rate`` to a field whose record meets its rule (a foreign
    vendor's tax_id, a manual entry's texts; docs/data_quality.md). A value gets at most one
    change, so the per-value rates may sum to at most 1."""

    enabled: bool = False
    tables: list[Literal["vendors", "customers", "materials", "employees",
                         "journal_entries"]] = Field(
        default_factory=lambda: ["vendors", "customers", "materials", "employees",
                                 "journal_entries"])
    missing_rate: Rate = 0.01               # completely at random
    missing_dependent_rate: Rate = 0.03     # depending on another field of the record
    typo_rate: Rate = 0.01
    format_variation_rate: Rate = 0.05
    duplicate_rate: Rate = 0.005
    near_duplicate_share: Rate = 0.6        # of the duplicates; the rest are exact
    encoding_rate: Rate = 0.002

    @model_validator(mode="after")
    def _one_change_per_value(self) -> DataQualitySettings:
        # the per-value rates share one uniform draw per value (generators/quality/cells.py)
        total = (self.missing_rate + self.missing_dependent_rate + self.typo_rate
                 + self.format_variation_rate + self.encoding_rate)
        if total > 1.0 + 1e-9:
            raise ValueError(f"missing_rate + missing_dependent_rate + typo_rate + "
                             f"format_variation_rate + encoding_rate must be at most 1 (a value "
                             f"gets at most one change); got {total:g}")
        return self
