"""``stuffctl asset``: one module per group of verbs, all on one Typer app."""
