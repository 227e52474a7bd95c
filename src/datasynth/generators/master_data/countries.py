"""Country conventions for names, addresses, tax numbers and bank accounts.

Patterns use ``#`` for a digit, ``%`` for a digit 1-9 and ``?`` for an upper-case letter;
everything else is literal. Tax numbers follow each country's visible format (US EIN
``12-3456789``, DE ``DE`` + 9 digits, GB ``GB`` + 9, FR ``FR`` + 11, ...). Bank-account
patterns are the national BBAN of the IBAN registry (ISO 13616) where the country uses IBAN;
for the others (US, CA, JP, CN, IN, MX, AU, NZ) an IBAN-style wrapper around the domestic
routing/account layout is used, so every account carries valid mod-97 check digits.
Countries not listed fall back to :data:`DEFAULT` (English names, generic formats).
"""

from __future__ import annotations

from typing import NamedTuple


class Country(NamedTuple):
    locale: str                  # Faker locale of person names
    language: str                # vocabulary of business names and streets
    street_style: str            # key into data/streets.json
    postal: str
    tax_id: str
    bban: str
    tld: str
    legal_forms: dict[str, float]


_US_LEGAL = {"Inc.": 0.45, "LLC": 0.35, "Corp.": 0.20}

COUNTRIES: dict[str, Country] = {
    "US": Country("en_US", "en", "en", "%####", "%#-#######", "#########" + "#" * 10, "com",
                  _US_LEGAL),
    "CA": Country("en_US", "en", "en", "?#? #?#", "#########RT0001", "#" * 20, "ca",
                  {"Inc.": 0.60, "Ltd.": 0.30, "Corp.": 0.10}),
    "GB": Country("en_GB", "en", "en", "??%# #??", "GB#########", "????" + "#" * 14, "co.uk",
                  {"Ltd": 0.80, "PLC": 0.10, "LLP": 0.10}),
    "IE": Country("en_IE", "en", "en", "?## ?###", "IE#######??", "????" + "#" * 14, "ie",
                  {"Ltd": 0.85, "DAC": 0.15}),
    "DE": Country("de_DE", "de", "de", "%####", "DE%########", "#" * 18, "de",
                  {"GmbH": 0.70, "GmbH & Co. KG": 0.15, "AG": 0.10, "KG": 0.05}),
    "AT": Country("de_AT", "de", "de", "%###", "ATU########", "#" * 16, "at",
                  {"GmbH": 0.80, "AG": 0.20}),
    "CH": Country("de_CH", "de", "de", "%###", "CHE-###.###.###", "#" * 17, "ch",
                  {"AG": 0.60, "GmbH": 0.30, "SA": 0.10}),
    "FR": Country("fr_FR", "fr", "fr", "%####", "FR###########", "#" * 23, "fr",
                  {"SAS": 0.50, "SARL": 0.30, "SA": 0.20}),
    "BE": Country("nl_BE", "fr", "nl", "%###", "BE0#########", "#" * 12, "be",
                  {"BV": 0.40, "NV": 0.40, "SRL": 0.20}),
    "NL": Country("nl_NL", "en", "nl", "%### ??", "NL#########B01", "????" + "#" * 10, "nl",
                  {"B.V.": 0.90, "N.V.": 0.10}),
    "IT": Country("it_IT", "it", "it", "#####", "IT###########", "?" + "#" * 22, "it",
                  {"S.r.l.": 0.65, "S.p.A.": 0.35}),
    "ES": Country("es_ES", "es", "es", "%####", "ES?#######?", "#" * 20, "es",
                  {"S.L.": 0.70, "S.A.": 0.30}),
    "PT": Country("pt_PT", "pt", "pt", "%###-###", "PT#########", "#" * 21, "pt",
                  {"Lda.": 0.70, "S.A.": 0.30}),
    "PL": Country("pl_PL", "en", "pl", "##-###", "PL##########", "#" * 24, "pl",
                  {"Sp. z o.o.": 0.85, "S.A.": 0.15}),
    "CZ": Country("cs_CZ", "en", "cz", "%## ##", "CZ########", "#" * 20, "cz",
                  {"s.r.o.": 0.85, "a.s.": 0.15}),
    "SE": Country("sv_SE", "en", "sv", "%## ##", "SE##########01", "#" * 20, "se",
                  {"AB": 1.0}),
    "DK": Country("da_DK", "en", "da", "%###", "DK########", "#" * 14, "dk",
                  {"A/S": 0.60, "ApS": 0.40}),
    "NO": Country("no_NO", "en", "no", "####", "NO#########MVA", "#" * 11, "no",
                  {"AS": 0.90, "ASA": 0.10}),
    "FI": Country("fi_FI", "en", "fi", "#####", "FI########", "#" * 14, "fi",
                  {"Oy": 0.90, "Oyj": 0.10}),
    "JP": Country("ja_JP", "en", "jp", "###-####", "T#############", "#" * 14, "co.jp",
                  {"Co., Ltd.": 0.60, "K.K.": 0.40}),
    "CN": Country("zh_CN", "en", "cn", "%#####", "91##############??", "#" * 19, "cn",
                  {"Co., Ltd.": 1.0}),
    "IN": Country("en_IN", "en", "en", "%#####", "##?????####?#Z#", "????0######" + "#" * 12,
                  "in", {"Pvt. Ltd.": 0.75, "Ltd.": 0.25}),
    "BR": Country("pt_BR", "pt", "pt", "#####-###", "##.###.###/0001-##", "#" * 23 + "?#",
                  "com.br", {"Ltda.": 0.70, "S.A.": 0.30}),
    "MX": Country("es_MX", "es", "es", "#####", "???######???", "#" * 18, "com.mx",
                  {"S.A. de C.V.": 0.80, "S. de R.L. de C.V.": 0.20}),
    "AU": Country("en_US", "en", "en", "%###", "## ### ### ###", "#" * 15, "com.au",
                  {"Pty Ltd": 0.90, "Ltd": 0.10}),
    "NZ": Country("en_NZ", "en", "en", "%###", "###-###-###", "#" * 15, "co.nz",
                  {"Limited": 1.0}),
}

DEFAULT = Country("en_US", "en", "en", "#####", "#########", "#" * 20, "com", {"Ltd.": 1.0})

#: Where foreign suppliers and customers come from (major trading partners, weights).
TRADE_PARTNERS: dict[str, float] = {
    "US": 0.20, "DE": 0.14, "CN": 0.14, "GB": 0.08, "FR": 0.07, "JP": 0.06, "IT": 0.05,
    "NL": 0.05, "MX": 0.04, "CA": 0.04, "IN": 0.04, "CH": 0.03, "ES": 0.03, "PL": 0.03,
}


def country(code: str) -> Country:
    return COUNTRIES.get(code, DEFAULT)


def foreign_partners(home: str) -> dict[str, float]:
    """Trade partners other than ``home``, with their weights."""
    return {c: w for c, w in TRADE_PARTNERS.items() if c != home}
