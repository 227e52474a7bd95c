"""Phase subledgers (being written)."""
