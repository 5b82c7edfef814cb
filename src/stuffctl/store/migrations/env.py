"""Alembic environment: runs on the connection stuffctl hands it, in batch mode."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import stuffctl.models  # noqa: F401  (registers every table)

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
