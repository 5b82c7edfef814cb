"""`stuffctl bench`: the summary against your own history, its metrics, goals and peers."""
