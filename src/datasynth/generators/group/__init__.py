"""The consolidation of a group: translation, eliminations, consolidated trial balance."""

from datasynth.generators.group.consolidated import Consolidation, consolidate
from datasynth.generators.group.eliminations import GroupStructure, Subsidiary
from datasynth.generators.group.translation import Rates, Translation, local_books, translate

__all__ = ["Consolidation", "GroupStructure", "Rates", "Subsidiary", "Translation",
           "consolidate", "local_books", "translate"]
