"""The phases, imported explicitly: this list, in this order, is the registry.

Declaration order is the tie-break of the plan, so it follows the documented workflow:
initialize, exchange rates, master data, opening balances, transactions (document flows; the standalone
``journal_entries`` phase when flows are switched off), subledgers, period close, trial
balances, (anomalies), data quality (degraded copies of the finished tables), export.
"""

from datasynth.phases import (  # noqa: F401
    calendar,
    chart_of_accounts,
    fx_rates,
    master_data,
    opening_balances,
    group_structure,
    journal_entries,
    transactions,
    intercompany,
    subledgers,
    period_close,
    trial_balances,
    consolidation,
    data_quality,
)
