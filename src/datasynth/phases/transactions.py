"""Phase transactions (being written)."""
