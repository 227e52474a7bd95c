"""Chart of accounts."""

from datasynth.generators.accounts.chart import TARGET_SIZE, build_chart

__all__ = ["TARGET_SIZE", "build_chart"]
