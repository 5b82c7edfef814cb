"""Tasks (`stuffctl task`): records and listing, what to do next, and urgency."""
