"""Phase opening_balances (being written)."""
