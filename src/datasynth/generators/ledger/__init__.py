"""The books: posting journal entries from documents, opening balances, subledgers, close."""
