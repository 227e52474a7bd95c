"""The currency each partner country uses (ISO 3166 -> ISO 4217), for vendors that invoice
in their own currency.

Only the countries partners come from are listed (``master_data.countries.TRADE_PARTNERS``
and the home countries of ``master_data.countries.COUNTRIES``); a country missing here never
invoices in a foreign currency.
"""

from __future__ import annotations

from datasynth.config.currencies import CURRENCIES

COUNTRY_CURRENCY: dict[str, str] = {
    "US": "USD", "CA": "CAD", "GB": "GBP", "IE": "EUR", "DE": "EUR", "AT": "EUR",
    "CH": "CHF", "FR": "EUR", "BE": "EUR", "NL": "EUR", "IT": "EUR", "ES": "EUR",
    "PT": "EUR", "PL": "PLN", "CZ": "CZK", "SE": "SEK", "DK": "DKK", "NO": "NOK",
    "FI": "EUR", "JP": "JPY", "CN": "CNY", "IN": "INR", "BR": "BRL", "MX": "MXN",
    "AU": "AUD", "NZ": "NZD",
}


def currency_of(country: str) -> str | None:
    """The currency of ``country`` when datasynth can book in it, else None."""
    code = COUNTRY_CURRENCY.get(country)
    return code if code in CURRENCIES else None


def partner_currencies(home: str, company_currency: str) -> list[str]:
    """Currencies, other than the company's, of the countries a company in ``home`` draws
    its foreign partners from (sorted)."""
    from datasynth.generators.master_data.countries import foreign_partners

    codes = {currency_of(c) for c in foreign_partners(home)}
    return sorted(c for c in codes if c is not None and c != company_currency)
