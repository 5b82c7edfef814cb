"""Transactions (`stuffctl tx`): records and listing, bank CSV import and its rules."""
