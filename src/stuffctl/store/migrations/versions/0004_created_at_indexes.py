"""created_at / updated_at indexes for what changed lately

Revision ID: 0004
Revises: 0003

`status` lists the last week's changes: without these it scanned every
transaction, asset and log entry. New rows append at the indexes' ends, so
imports barely notice them. Plain CREATE INDEX: no table is rebuilt.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = (("ix_asset_created_at", "asset", "created_at"),
           ("ix_asset_updated_at", "asset", "updated_at"),
           ("ix_event_created_at", "event", "created_at"),
           ("ix_txn_created_at", "txn", "created_at"))


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
