"""Postal addresses of business partners: country, street, city and postal code.

Most partners are domestic (``domestic_share``, 85% by default); the others come from the
major trade partners of :data:`countries.TRADE_PARTNERS`. Cities come from Faker's packaged
city lists where the locale has a Latin-script one (de_DE, de_AT, de_CH, pl_PL, sv_SE, cs_CZ,
pt_PT, en_IN; drawn uniformly), otherwise from ``data/cities.json`` (real cities, largest
first, drawn with rank weights so that big cities host more businesses). Streets follow the
country's style (``123 Oak Street`` in the US and UK, ``Hauptstraße 12`` in Germany,
``12 rue Pasteur`` in France, ``Via Roma 8`` in Italy); postal codes follow the country's
format (``countries.py``).
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from datasynth.generators.master_data.common import (
    cdf, int_strings, join, load_json, per_group, pick, pick_cdf, take)
from datasynth.generators.master_data.countries import country, foreign_partners
from datasynth.generators.master_data.patterns import patterns_by_country

_FAKER_CITIES = {"DE": "de_DE", "AT": "de_AT", "CH": "de_CH", "PL": "pl_PL", "SE": "sv_SE",
                 "CZ": "cs_CZ", "PT": "pt_PT", "IN": "en_IN"}
_RANK_EXPONENT = 0.7


class Addresses(NamedTuple):
    country_idx: np.ndarray        # row -> index into ``countries``
    countries: list[str]           # countries[0] is the home country
    street: pa.Array
    city: pa.Array
    postal_code: pa.Array

    @property
    def is_foreign(self) -> np.ndarray:
        return self.country_idx > 0


@cache
def city_pool(code: str) -> tuple[pa.Array, np.ndarray]:
    """Cities of a country and their cumulative draw weights (cached)."""
    if code in _FAKER_CITIES:
        module = importlib.import_module(f"faker.providers.address.{_FAKER_CITIES[code]}")
        names = list(dict.fromkeys(module.Provider.cities))
        return pa.array(names, pa.string()), cdf(np.ones(len(names)))
    table = load_json("cities")
    names = table.get(code) or table["_fallback"]
    ranks = np.arange(1, len(names) + 1, dtype=np.float64)
    return pa.array(names, pa.string()), cdf(ranks ** -_RANK_EXPONENT)


def draw_countries(rng: np.random.Generator, home: str, size: int, domestic_share: float = 0.85,
                   domestic: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """Country index per row (0 = ``home``) and the list of country codes; rows flagged in
    ``domestic`` are always at home."""
    partners = foreign_partners(home)
    labels = [home, *partners]
    foreign = rng.random(size) >= domestic_share
    if domestic is not None:
        foreign &= ~domestic
    idx = np.zeros(size, dtype=np.int32)
    idx[foreign] = 1 + pick(rng, list(partners.values()), int(foreign.sum()))
    return idx, labels


def _cities(rng: np.random.Generator, code: str, size: int) -> pa.Array:
    names, cumulative = city_pool(code)
    return take(names, pick_cdf(rng, cumulative, size))


def _house_numbers(rng: np.random.Generator, style: dict, size: int) -> pa.Array:
    if style.get("number_style") == "block":
        parts = [int_strings(rng.integers(1, high, size)) for high in (10, 31, 21)]
        return join(*parts, sep="-")
    high = np.log(style["max_number"] + 1)
    return int_strings(np.floor(np.exp(rng.uniform(0.0, high, size))).astype(np.int64))


def _streets(rng: np.random.Generator, code: str, size: int) -> pa.Array:
    style = load_json("streets")[country(code).street_style]
    name = take(pa.array(style["roots"]), rng.integers(0, len(style["roots"]), size))
    if style["suffixes"]:
        suffix = take(pa.array(style["suffixes"]), rng.integers(0, len(style["suffixes"]), size))
        name = join(name, suffix, sep=style["joiner"])
    if style["prefixes"]:
        prefix = take(pa.array(style["prefixes"]), rng.integers(0, len(style["prefixes"]), size))
        name = join(prefix, name, sep=" ")
    number = _house_numbers(rng, style, size)
    return join(number, name, sep=" ") if style["number_first"] else join(name, number, sep=" ")


def addresses(rng: np.random.Generator, home: str, size: int, domestic_share: float = 0.85,
              domestic: np.ndarray | None = None) -> Addresses:
    """``size`` addresses, ``domestic_share`` of them (and all flagged ``domestic``) in
    ``home``."""
    idx, labels = draw_countries(rng, home, size, domestic_share, domestic)
    street = per_group(idx, labels, lambda code, n: _streets(rng, code, n))
    city = per_group(idx, labels, lambda code, n: _cities(rng, code, n))
    postal = patterns_by_country(rng, idx, labels, lambda code: country(code).postal)
    return Addresses(idx, labels, street, city, postal)
