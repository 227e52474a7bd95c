"""The root configuration: sections, cross-field rules, canonical form and hash."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from datasynth.config.models import (
    AnomalyInjectionSettings,
    DataQualitySettings,
    FxSettings,
    IntercompanySettings,
    GroupRelationship,
    ChartOfAccountsSettings,
    CompanySettings,
    DocumentFlowSettings,
    GlobalSettings,
    MasterDataSettings,
    OpeningBalanceSettings,
    OutputSettings,
    PeriodCloseSettings,
    RuntimeSettings,
    SubledgerSettings,
    StrictModel,
    TransactionSettings,
)


class Config(StrictModel):
    """A complete, validated generation configuration (immutable)."""

    global_: GlobalSettings = Field(default_factory=GlobalSettings, alias="global")
    companies: list[CompanySettings] = Field(min_length=1)
    chart_of_accounts: ChartOfAccountsSettings = Field(default_factory=ChartOfAccountsSettings)
    transactions: TransactionSettings = Field(default_factory=TransactionSettings)
    master_data: MasterDataSettings = Field(default_factory=MasterDataSettings)
    opening_balances: OpeningBalanceSettings = Field(default_factory=OpeningBalanceSettings)
    document_flows: DocumentFlowSettings = Field(default_factory=DocumentFlowSettings)
    subledgers: SubledgerSettings = Field(default_factory=SubledgerSettings)
    period_close: PeriodCloseSettings = Field(default_factory=PeriodCloseSettings)
    anomaly_injection: AnomalyInjectionSettings = Field(
        default_factory=AnomalyInjectionSettings)
    data_quality: DataQualitySettings = Field(default_factory=DataQualitySettings)
    fx: FxSettings = Field(default_factory=FxSettings)
    intercompany: IntercompanySettings = Field(default_factory=IntercompanySettings)
    output: OutputSettings = Field(default_factory=OutputSettings)
    runtime: RuntimeSettings = Field(default_factory=RuntimeSettings)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _cross_checks(self) -> Config:
        seen: dict[str, int] = {}
        for index, company in enumerate(self.companies):
            if company.code in seen:
                raise _located(("companies", index, "code"), company.code,
                               f"duplicate company code (also companies[{seen[company.code]}]);"
                               " expected unique codes")
            seen[company.code] = index
        if self.transactions.target_count > 0 and self.master_data.employees < 1:
            raise _located(("master_data", "employees"), self.master_data.employees,
                           "journal entries need at least one employee per company to create "
                           "them; expected employees >= 1")
        if self.anomaly_injection.enabled and not self.document_flows.enabled:
            raise _located(("anomaly_injection", "enabled"), True,
                           "anomalies are injected into the books, which need document flows; "
                           "expected document_flows.enabled: true (or anomaly_injection off)")
        if self.intercompany.enabled:
            self._check_group()
        return self

    def _check_group(self) -> None:
        """The group is one parent and its direct subsidiaries (one level, IFRS 10)."""
        codes = {c.code for c in self.companies}
        if len(self.companies) < 2:
            raise _located(("intercompany", "enabled"), True,
                           "intercompany trading needs at least two companies; expected two or "
                           "more entries in companies")
        if not (self.document_flows.enabled and self.transactions.target_count > 0):
            raise _located(("intercompany", "enabled"), True,
                           "intercompany entries go into the books, which need document flows "
                           "and transactions.target_count > 0")
        owner: dict[str, str] = {}
        for i, rel in enumerate(self.intercompany.relationships):
            for field in ("parent", "subsidiary"):
                if getattr(rel, field) not in codes:
                    raise _located(("intercompany", "relationships", i, field),
                                   getattr(rel, field), "unknown company code; expected one of "
                                   + ", ".join(sorted(codes)))
            if rel.parent == rel.subsidiary:
                raise _located(("intercompany", "relationships", i, "subsidiary"),
                               rel.subsidiary, "a company cannot own itself")
            if rel.subsidiary in owner:
                raise _located(("intercompany", "relationships", i, "subsidiary"),
                               rel.subsidiary, f"already owned by {owner[rel.subsidiary]}; "
                               "expected one parent per subsidiary")
            owner[rel.subsidiary] = rel.parent
        parents = set(owner.values())
        if len(parents) > 1 or parents & set(owner):
            raise _located(("intercompany", "relationships"), sorted(parents),
                           "expected one parent owning its subsidiaries directly (one level); "
                           "got parents " + ", ".join(sorted(parents)))
        if self.fx.enabled is False and len(self.fx_currencies()) > 1:
            raise _located(("fx", "enabled"), False,
                           "a group with companies in several currencies needs exchange "
                           "rates; expected fx.enabled unset or true")

    def group_relationships(self) -> list[GroupRelationship]:
        """The configured relationships, or by default: the first company owns 100 % of
        every other and trades with each in every activity."""
        if not self.intercompany.enabled:
            return []
        if self.intercompany.relationships:
            return list(self.intercompany.relationships)
        parent = self.companies[0].code
        return [GroupRelationship(parent=parent, subsidiary=c.code)
                for c in self.companies[1:]]

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def from_yaml_file(cls, path: str | Path) -> Config:
        from datasynth.config.loader import load_config

        return load_config(path)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> Config:
        from datasynth.config.loader import validate_config

        return validate_config(data, source)

    def replace(self, **sections: Any) -> Config:
        """A copy with whole sections or ``runtime``/``output`` fields replaced, re-validated."""
        data = self.to_dict()
        for key, value in sections.items():
            key = "global" if key == "global_" else key
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Config.from_dict(data, source="<override>")

    # ---- canonical form -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    @property
    def seed(self) -> int:
        return self.global_.seed

    def fx_currencies(self) -> list[str]:
        """Currencies the exchange-rate table covers: every company's, and the group's, in
        a fixed order (the group currency first); with foreign-currency partners on, also
        every currency their countries may use (config/partner_currencies.py)."""
        group = self.global_.group_currency
        codes = {c.currency for c in self.companies}
        if self.foreign_partners_on:
            from datasynth.config.partner_currencies import partner_currencies

            for c in self.companies:
                codes |= set(partner_currencies(c.country, c.currency))
        return [group, *sorted(codes - {group})]

    @property
    def foreign_partners_on(self) -> bool:
        """Some vendors invoice in their own currency: document flows with entries, a
        positive ``document_flows.foreign_currency_share`` and exchange rates not switched
        off (``fx.enabled`` unset or true)."""
        flows = self.document_flows
        return (flows.enabled and flows.foreign_currency_share > 0
                and self.transactions.target_count > 0 and self.fx.enabled is not False)

    @property
    def fx_enabled(self) -> bool:
        """``fx.enabled``, or when unset: some company books in another currency."""
        if self.fx.enabled is not None:
            return self.fx.enabled
        return len(self.fx_currencies()) > 1

    def entries_per_company(self) -> list[int]:
        """``transactions.target_count`` split across companies by volume weight (largest
        remainder, so the parts sum exactly to the target)."""
        from datasynth.generators.common.sampling import apportion

        return [int(n) for n in apportion(self.transactions.target_count,
                                          [c.volume_weight for c in self.companies])]


class _LocatedError(ValueError):
    """A cross-field error that knows the exact field path it belongs to."""

    def __init__(self, loc: tuple[Any, ...], value: Any, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.value = value


def _located(loc: tuple[Any, ...], value: Any, message: str) -> _LocatedError:
    return _LocatedError(loc, value, message)
