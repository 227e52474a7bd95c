"""Phase period_close (being written)."""
