"""Person-name pools built once per locale from Faker's packaged name lists.

Faker's person providers ship first and last names per locale, some as plain tuples, some as
``OrderedDict`` name -> frequency weight. A pool is read once (and cached), its weights turned
into a cumulative distribution, and names are then drawn by index with NumPy: no per-row Faker
call and no use of Faker's own random generator (DESIGN §1.2-1.3). Japanese and Chinese pools
use Faker's romanised lists, so user names and e-mail addresses stay ASCII. Locales without a
person provider of their own (en_CA, en_AU) fall back to en_US.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.master_data.common import alnum_token, cdf, pick_cdf, take


class Names(NamedTuple):
    values: pa.Array    # names as written
    tokens: pa.Array    # lower-case ASCII letters/digits (for user names and e-mail)
    cumulative: np.ndarray


class NamePool(NamedTuple):
    first_female: Names
    first_male: Names
    last_female: Names
    last_male: Names


class People(NamedTuple):
    first: pa.Array
    last: pa.Array
    first_token: pa.Array
    last_token: pa.Array


# locale -> attributes (first female, first male, last female, last male) where the default
# guess (first_names_female/male, last_names_female/male or last_names) is wrong
_ATTRIBUTES = {
    "ja_JP": ("first_romanized_names_female", "first_romanized_names_male",
              "last_romanized_names", "last_romanized_names"),
    "zh_CN": ("first_romanized_names", "first_romanized_names",
              "last_romanized_names", "last_romanized_names"),
    "zh_TW": ("first_romanized_names_female", "first_romanized_names_male",
              "last_romanized_names", "last_romanized_names"),
    "pl_PL": ("first_names_female", "first_names_male", "unisex_last_names",
              "unisex_last_names"),
}


def _provider(locale: str):
    try:
        return importlib.import_module(f"faker.providers.person.{locale}").Provider
    except ModuleNotFoundError:
        return importlib.import_module("faker.providers.person.en_US").Provider


def _attribute(provider, name: str):
    """``provider.<name>``, or its gender-neutral list when the locale has no split."""
    value = getattr(provider, name, None)
    if not value:
        value = getattr(provider, name.replace("_female", "").replace("_male", ""))
    return value


def _names(source) -> Names:
    if isinstance(source, dict):
        items = list(source.items())
    else:
        items = [(name, 1.0) for name in source]
    kept = [(name, weight) for name, weight in items if alnum_token(name)]
    return Names(values=pa.array([n for n, _ in kept], pa.string()),
                 tokens=pa.array([alnum_token(n) for n, _ in kept], pa.string()),
                 cumulative=cdf([w for _, w in kept]))


@cache
def name_pool(locale: str) -> NamePool:
    """The (cached) name pool of a Faker locale."""
    provider = _provider(locale)
    if locale in _ATTRIBUTES:
        attributes = _ATTRIBUTES[locale]
    elif hasattr(provider, "last_names_female") and hasattr(provider, "last_names_male"):
        attributes = ("first_names_female", "first_names_male", "last_names_female",
                      "last_names_male")
    else:
        attributes = ("first_names_female", "first_names_male", "last_names", "last_names")
    return NamePool(*(_names(_attribute(provider, a)) for a in attributes))


def surnames(rng: np.random.Generator, locale: str, size: int) -> pa.Array:
    """Last names drawn by frequency (used in business names such as ``Müller Logistik``)."""
    pool = name_pool(locale).last_male
    return take(pool.values, pick_cdf(rng, pool.cumulative, size))


def people(rng: np.random.Generator, locale: str, size: int) -> People:
    """``size`` people, half women and half men on average, names drawn by frequency."""
    pool = name_pool(locale)
    female = pa.array(rng.random(size) < 0.5)
    u_first = rng.random(size)
    u_last = rng.random(size)

    def draw(f: Names, m: Names, u: np.ndarray) -> tuple[pa.Array, pa.Array]:
        fi = np.minimum(np.searchsorted(f.cumulative, u, side="right"), len(f.cumulative) - 1)
        mi = np.minimum(np.searchsorted(m.cumulative, u, side="right"), len(m.cumulative) - 1)
        values = pc.if_else(female, take(f.values, fi), take(m.values, mi))
        tokens = pc.if_else(female, take(f.tokens, fi), take(m.tokens, mi))
        return values, tokens

    first, first_token = draw(pool.first_female, pool.first_male, u_first)
    last, last_token = draw(pool.last_female, pool.last_male, u_last)
    return People(first, last, first_token, last_token)
