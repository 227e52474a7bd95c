"""Names of business partners: ``Miller Logistics Inc.``, ``Hanse Spedition GmbH``,
``Transportes García S.L.``, ``City of Leeds``.

A name is a base drawn from one of several templates (surname + trade word, brand-like
adjective + trade word, two surnames, initials + trade word, surname alone), in the partner's
language and word order (French, Spanish, Italian and Portuguese put the trade word first),
followed by the legal form of the partner's country (Inc./LLC/Corp. in the US, GmbH/AG in
Germany, Ltd/PLC in the UK, SAS/SARL in France, ...). Repeated names are made unique in row
order by qualifiers (``International``, ``Group``, ``Holdings``, ``& Co.``, ... as the peer
does, reference §2.1), so the result is deterministic.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.master_data.common import (
    duplicate_ranks, int_strings, join, load_json, per_group, pick, take)
from datasynth.generators.master_data.countries import country
from datasynth.generators.master_data.names import surnames
from datasynth.generators.master_data.patterns import pattern_strings

# surname + word, adjective + word, two surnames (+ word), initials + word, surname alone
_TEMPLATE_WEIGHTS = (0.40, 0.30, 0.10, 0.12, 0.08)
_MAX_ROUNDS = 6


def vocabulary(section: str, language: str) -> list[str]:
    """A word list of ``data/business_words.json`` in ``language`` (English if missing)."""
    table = load_json("business_words")[section]
    return table.get(language) or table["en"]


def category_words(category: str, language: str) -> list[str]:
    """Trade words of a vendor spend category (``Logistics``, ``Spedition``, ...)."""
    table = load_json("business_words")["categories"][category]
    return table.get(language) or table["en"]


def _pool(words: list[str], rng: np.random.Generator, size: int) -> pa.Array:
    return take(pa.array(words, pa.string()), rng.integers(0, len(words), size))


def trade_names(rng: np.random.Generator, code: str, words: list[str], size: int) -> pa.Array:
    """Name bases (no legal form) for partners in country ``code`` trading in ``words``."""
    profile = country(code)
    word_first = profile.language in load_json("business_words")["word_first_languages"]

    def lead(a: pa.Array, b: pa.Array) -> pa.Array:  # trade word first or last
        return join(b, a, sep=" ") if word_first else join(a, b, sep=" ")

    def variant(template: int, n: int) -> pa.Array:
        if template == 4:                                  # surname alone
            return surnames(rng, profile.locale, n)
        word = _pool(words, rng, n)
        if template == 0:
            head = surnames(rng, profile.locale, n)
        elif template == 1:
            head = _pool(vocabulary("adjectives", profile.language), rng, n)
        elif template == 2:
            head = join(surnames(rng, profile.locale, n), surnames(rng, profile.locale, n),
                        sep=" & ")
        else:
            head = pattern_strings(rng, "???", n)          # initials
        return lead(head, word)

    template = pick(rng, _TEMPLATE_WEIGHTS, size)
    return per_group(template, range(len(_TEMPLATE_WEIGHTS)), variant)


def legal_forms(rng: np.random.Generator, country_idx: np.ndarray,
                countries: list[str]) -> pa.Array:
    """The legal form of each partner, drawn by its country's weights."""
    def make(code: str, n: int) -> pa.Array:
        forms = country(code).legal_forms
        return take(pa.array(list(forms), pa.string()), pick(rng, forms, n))
    return per_group(country_idx, countries, make)


def unique_names(base: pa.Array, legal: pa.Array, public: np.ndarray | None = None) -> pa.Array:
    """``base legal`` (legal may be null), repeated names made unique in row order.

    A repeat gets a qualifier inserted before its legal form (``Atlas Logistics Group Inc.``;
    public bodies get a department, ``City of Leeds - Public Works``); qualifiers are numbered
    once the list is used up, and a row number is the last resort.
    """
    words = load_json("business_words")["qualifiers"]
    pools = [words["organisation"], words["public"]]
    flat = pa.array(pools[0] + pools[1], pa.string())
    offsets = np.array([0, len(pools[0])])
    lengths = np.array([len(p) for p in pools])
    kind = (np.zeros(len(base), dtype=np.int64) if public is None
            else np.asarray(public, dtype=np.int64))
    round_ = 0
    while True:
        names = pc.binary_join_element_wise(base, legal, " ", null_handling="skip")
        ranks = duplicate_ranks(names)
        dup = ranks > 0
        if not dup.any():
            return names
        rows = np.flatnonzero(dup)
        k = ranks[rows] - 1
        if round_ < _MAX_ROUNDS:
            lengths_ = lengths[kind[rows]]
            qualifier = take(flat, offsets[kind[rows]] + k % lengths_)
            cycle = k // lengths_
            numbered = join(qualifier, int_strings(cycle + 1), sep=" ")
            qualifier = pc.if_else(pa.array(cycle > 0), numbered, qualifier)
        else:
            qualifier = join(pa.array(["#"] * rows.size, pa.string()), int_strings(rows + 1))
        new = join(base.take(pa.array(rows)), qualifier, sep=" ")
        base = pc.replace_with_mask(base, pa.array(dup), new)
        round_ += 1
