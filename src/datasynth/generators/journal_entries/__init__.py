"""Standalone journal entries: line counts, amounts, dates, postings, people."""

from datasynth.generators.journal_entries.builder import (
    ChartContext,
    PeriodContext,
    generate_entries,
    header_texts,
)
from datasynth.generators.journal_entries.people import CompanyDirectory, build_directory
from datasynth.generators.journal_entries.postings import PostingModel, build_posting_model

__all__ = ["ChartContext", "CompanyDirectory", "PeriodContext", "PostingModel",
           "build_directory", "build_posting_model", "generate_entries", "header_texts"]
