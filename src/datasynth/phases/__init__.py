"""The phases, imported explicitly: this list, in this order, is the registry.

Declaration order is the tie-break of the plan, so it follows the documented workflow:
initialize, master data, (opening balances), transactions, (period close, anomalies), export.
"""

from datasynth.phases import calendar, chart_of_accounts, master_data, journal_entries  # noqa: F401
