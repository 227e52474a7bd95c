"""Data quality: degraded text copies of clean tables, and a label for every change.

Real extracts are not clean: values go missing (at random, or more often for some kinds of
record), are mistyped or misread, arrive in another system's date or number format, are
garbled between character sets, and records are extracted twice. Models that clean or
match such data need the damage *and* the truth. These pure functions (NumPy and Arrow in,
Arrow out, randomness only from the streams they are given) make both: the clean tables stay
as they are, the degraded copies are separate tables of strings, and ``quality_labels`` lists
each change with the clean and the damaged value.

Modules: ``text`` (the clean extract), ``cells`` (which value gets which damage),
``missing``, ``typos``, ``formats``, ``encoding``, ``duplicates`` (one kind of damage each),
``profiles`` (what may be damaged per table), ``degrade`` (one chunk), ``pipeline`` (one
company's table), ``labels``.
"""

from datasynth.generators.quality.cells import Rates
from datasynth.generators.quality.degrade import Settings, degrade
from datasynth.generators.quality.pipeline import Numbering, degrade_rows
from datasynth.generators.quality.profiles import PROFILES, TABLE_ORDER, Profile

__all__ = ["PROFILES", "TABLE_ORDER", "Numbering", "Profile", "Rates", "Settings", "degrade",
           "degrade_rows"]
