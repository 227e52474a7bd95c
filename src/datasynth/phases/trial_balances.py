"""Phase trial_balances (being written)."""
