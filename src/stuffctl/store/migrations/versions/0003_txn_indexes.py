"""txn: drop the payee and account indexes

Revision ID: 0003
Revises: 0002

No query uses them (payee and account filters are LIKE matches, their sorts put
NULLs last), and each costs every imported row an index insert. Plain DROP
INDEX: the table is not rebuilt.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_txn_account", table_name="txn")
    op.drop_index("ix_txn_payee", table_name="txn")


def downgrade() -> None:
    op.create_index("ix_txn_payee", "txn", ["payee"])
    op.create_index("ix_txn_account", "txn", ["account"])
