"""Alembic environment: runs on the connection stuffctl hands it, in batch mode."""

from __future__ import annotations

from alembic import context

from stuffctl import models
from stuffctl.store.search import is_search_table


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """The FTS tables of store/search.py are not models: autogenerate leaves them alone."""
    return not (type_ == "table" and name and is_search_table(name))


config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=models.metadata(),
    render_as_batch=True,
    transactional_ddl=True,
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
