"""Business logic: plain functions over the database handle (``store.handle.Db``). No
typer, no rich, no printing."""
