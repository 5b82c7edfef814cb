"""Business logic: plain functions over a Session. No typer, no rich, no printing."""
