"""search: FTS5 tables and triggers for `stuffctl find`

Revision ID: 0002
Revises: 0001

Hand-written (Alembic cannot autogenerate virtual tables or triggers). It
creates an FTS5 table and insert/update/delete triggers for every entry of
``stuffctl.store.search.SOURCES`` whose table exists when it runs (checked in
``sqlite_master``), so a regenerated 0001 with more tables gets their indexes
here too. ``run_migrations`` calls the same ``install`` after every later
migration, which repairs triggers a batch-mode table rebuild dropped.
"""

from alembic import op

from stuffctl.store import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.install(op.get_bind(), rebuild=True)


def downgrade() -> None:
    search.uninstall(op.get_bind())
