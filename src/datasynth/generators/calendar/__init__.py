"""Posting calendars: business days, holidays and period-end activity."""

from datasynth.generators.calendar.posting_calendar import build_calendar, period_end

__all__ = ["build_calendar", "period_end"]
