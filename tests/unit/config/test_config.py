"""Configuration loading: the peer's minimal file, presets, and every kind of bad value."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from datasynth.config import COMPLEXITIES, INDUSTRIES, Config, parse_config, preset_config
from datasynth.errors import ConfigurationError

MINIMAL = textwrap.dedent("""\
    global:
      seed: 42
      industry: manufacturing
      start_date: 2024-01-01
      period_months: 12
      group_currency: USD
    companies:
      - code: "1000"
        name: "Headquarters"
        currency: USD
        country: US
    transactions:
      target_count: 100000
    output:
      format: csv               # csv, json, parquet
    """)


def test_minimal_peer_configuration_loads_unchanged():
    config = parse_config(MINIMAL)
    assert config.global_.start_date == dt.date(2024, 1, 1)
    assert config.companies[0].code == "1000"
    assert config.transactions.target_count == 100_000
    assert config.output.formats == ("csv",)


def test_unquoted_numeric_company_code_becomes_text():
    config = parse_config("companies: [{code: 1000, name: HQ}]")
    assert config.companies[0].code == "1000"


@pytest.mark.parametrize("industry", INDUSTRIES)
@pytest.mark.parametrize("complexity", COMPLEXITIES)
def test_every_preset_is_valid(industry, complexity):
    config = preset_config(industry, complexity)
    assert config.global_.industry == industry
    assert config.chart_of_accounts.complexity == complexity


@pytest.mark.parametrize("yaml_text, path, fragment", [
    ("global: {seed: 1, colour: red}\ncompanies: [{code: A, name: a}]", "global.colour",
     "unknown key"),
    ("companies: [{code: A, name: a, owner: me}]", "companies[0].owner", "unknown key"),
    ("companies: [{code: A, name: a}]\ntransactions: {amounts: {components: "
     "[{weight: 1, mu: 5, sigma: 1, skew: 2}]}}",
     "transactions.amounts.components[0].skew", "unknown key"),
    ("companies: [{code: A, name: a}]\nruntime: {threads: 4}", "runtime.threads", "unknown key"),
    ("companies: [{code: A, name: a}]\noutput: {fromat: csv}", "output.fromat", "unknown key"),
    ("companies: [{code: A, name: a}]\nmaster_data: {vendors: -5}", "master_data.vendors",
     "greater than or equal to 0"),
    ("companies: [{code: A, name: a}]\nmaster_data: {vendors: many}", "master_data.vendors",
     "integer"),
    ("companies: [{code: A, name: a}]\nglobal: {start_date: 2024-02-30}", "global.start_date",
     "date"),
    ("companies: [{code: A, name: a}]\nglobal: {start_date: soon}", "global.start_date", "date"),
    ("companies: [{code: A, name: a}]\nglobal: {period_months: 0}", "global.period_months",
     "greater than or equal to 1"),
    ("companies: [{code: A, name: a, currency: XYZ}]", "companies[0].currency",
     "unknown currency 'XYZ'"),
    ("companies: [{code: A, name: a}]\nglobal: {group_currency: ABC}", "global.group_currency",
     "unknown currency"),
    ("companies: [{code: A, name: a, country: QQ}]", "companies[0].country", "unknown country"),
    ("companies: [{code: A, name: a}]\nglobal: {industry: mining}", "global.industry",
     "expected one of"),
    ("companies: [{code: A, name: a}, {code: A, name: b}]", "companies[1].code",
     "duplicate company code"),
    ("companies: [{code: A, name: a}]\noutput: {format: xml}", "output.format[0]",
     "expected one of"),
    ("companies: [{code: A, name: a}]\nchart_of_accounts: {complexity: huge}",
     "chart_of_accounts.complexity", "expected one of"),
    ("companies: []", "companies", "at least 1"),
    ("global: {seed: 1}", "companies", "required"),
    ("companies: [{code: A, name: a, currency: KWD}]", "companies[0].currency",
     "three minor digits"),
    ("companies: [{code: A, name: a}]\nfx: {levels: {HKD: 0.13}}", "fx.levels",
     "HKD is pegged to USD at 7.8; its level follows the peg"),
    ("companies: [{code: A, name: a}]\nfx: {volatility: {EUX: 0.1}}", "fx.volatility",
     "unknown currency 'EUX'"),
    ("companies: [{code: A, name: a}]\nfx: {levels: {EUR: 0}}", "fx.levels.EUR",
     "greater than 0"),
    ("companies: [{code: A, name: a}]\nfx: {tail_df: 2}", "fx.tail_df", "greater than 2"),
])
def test_bad_configuration_names_the_field(yaml_text, path, fragment):
    with pytest.raises(ConfigurationError) as info:
        parse_config(yaml_text, source="bad.yaml")
    message = str(info.value)
    assert f"{path}:" in message, message
    assert fragment in message, message
    assert "bad.yaml" in message
    assert any(p == path for p, _ in info.value.problems)


def test_several_problems_are_reported_together():
    with pytest.raises(ConfigurationError) as info:
        parse_config("companies: [{code: A, name: a, currency: XYZ, country: QQ}]")
    assert len(info.value.problems) == 2
    assert "2 problems" in str(info.value)


def test_yaml_syntax_error_has_a_line_number():
    with pytest.raises(ConfigurationError, match=r"line \d+"):
        parse_config("companies: [\n  {code: A")


def test_top_level_must_be_a_mapping():
    with pytest.raises(ConfigurationError, match="mapping"):
        parse_config("- a\n- b\n")


def test_missing_file(tmp_path):
    with pytest.raises(ConfigurationError, match="not found"):
        Config.from_yaml_file(tmp_path / "nope.yaml")


def test_hash_is_stable_and_sensitive():
    a = parse_config(MINIMAL)
    b = parse_config(MINIMAL)
    c = a.replace(global_={"seed": 43})
    assert a.sha256() == b.sha256()
    assert a.sha256() != c.sha256()
    assert c.seed == 43


def test_format_list_and_duplicates():
    config = parse_config("companies: [{code: A, name: a}]\noutput: {format: [csv, parquet]}")
    assert config.output.formats == ("csv", "parquet")
    with pytest.raises(ConfigurationError, match="listed twice"):
        parse_config("companies: [{code: A, name: a}]\noutput: {format: [csv, csv]}")


def test_line_count_keys_are_checked():
    with pytest.raises(ConfigurationError, match="transactions.line_counts.weights"):
        parse_config("companies: [{code: A, name: a}]\n"
                     "transactions: {line_counts: {weights: {'1': 1.0}}}")


def test_exchange_rates_are_on_when_a_company_books_in_another_currency():
    # no vendors invoicing in their own currency here (their rates: the test below)
    local = "document_flows: {foreign_currency_share: 0}\n"
    one = (local + "global: {group_currency: EUR}\n"
           "companies: [{code: A, name: a, currency: EUR}]\n")
    two = (local + "global: {group_currency: EUR}\ncompanies: [{code: A, name: a, "
           "currency: EUR}, {code: B, name: b, currency: GBP}]\n")
    assert not parse_config(one).fx_enabled
    config = parse_config(two)
    assert config.fx_enabled and config.fx_currencies() == ["EUR", "GBP"]
    assert not parse_config(two + "fx: {enabled: false}").fx_enabled
    assert parse_config(one + "fx: {enabled: true}").fx_enabled


def test_vendors_invoicing_in_their_currency_need_its_rates():
    one = ("global: {group_currency: EUR}\n"
           "companies: [{code: A, name: a, currency: EUR, country: DE}]\n")
    config = parse_config(one)
    assert config.foreign_partners_on and config.fx_enabled
    # the currencies of the countries foreign partners come from, the euro area's aside
    assert config.fx_currencies() == ["EUR", "CAD", "CHF", "CNY", "GBP", "INR", "JPY",
                                      "MXN", "PLN", "USD"]
    assert not parse_config(one + "fx: {enabled: false}").foreign_partners_on
