"""The companies table: one row per configured company code, in configuration order.

As in the peer's group structure (reference §1.3), the first company is the group parent and
every other company is its subsidiary (``parent_company`` = the first company's code). The VAT
number follows the company's country format (US EIN ``12-3456789``, ``DE`` + 9 digits,
``GB`` + 9, ``FR`` + 11, ...; see :mod:`countries`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from datasynth.config.models import CompanySettings
from datasynth.generators.master_data.common import alnum_token, codes, encode
from datasynth.generators.master_data.countries import country
from datasynth.generators.master_data.patterns import pattern_strings
from datasynth.schemas.master_data import COMPANIES

_LEGAL_WORDS = {"inc", "llc", "corp", "corporation", "ltd", "limited", "plc", "gmbh", "ag",
                "kg", "sa", "sas", "sarl", "srl", "spa", "sl", "bv", "nv", "ab", "as", "oy",
                "co", "kk", "pty", "pvt", "ltda", "company", "group"}


def email_domain(company: CompanySettings) -> str:
    """``Muster Werke GmbH`` in DE -> ``musterwerke.de``: the name without legal form,
    ASCII-folded, with the country's top-level domain."""
    words = [alnum_token(w) for w in company.name.replace("&", " ").split()]
    kept = [w for w in words if w and w not in _LEGAL_WORDS] or [w for w in words if w]
    stem = "".join(kept) or f"company{alnum_token(company.code)}"
    return f"{stem}.{country(company.country).tld}"


def build_companies(companies: Sequence[CompanySettings], industry: str,
                    rng: np.random.Generator) -> pa.Table:
    """One row per company; the first is the group parent."""
    n = len(companies)
    vat = [pattern_strings(rng, country(c.country).tax_id, 1)[0].as_py() for c in companies]
    parent = companies[0].code if n else ""
    parent_mask = np.zeros(n, dtype=bool)
    parent_mask[:1] = True
    arrays = [
        pa.array([c.code for c in companies], pa.string()),
        pa.array([c.name for c in companies], pa.string()),
        encode(pa.array([c.currency for c in companies], pa.string())),
        encode(pa.array([c.country for c in companies], pa.string())),
        codes(np.zeros(n, dtype=np.int32), [industry]),
        pa.array([float(c.volume_weight) for c in companies], pa.float64()),
        pa.array(parent_mask),
        codes(np.zeros(n, dtype=np.int32), [parent], mask=parent_mask),
        pa.array(vat, pa.string()),
    ]
    return pa.Table.from_arrays(arrays, schema=COMPANIES.schema)
