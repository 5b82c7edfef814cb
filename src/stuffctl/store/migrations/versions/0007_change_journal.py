"""change journal: which field of which row changed, for conflicts (#21)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 04:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('table_name', sa.String(), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(), nullable=False),
        sa.Column('changed_by', sa.String(), nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
    )
    op.create_index('ix_change_table_name_row_id_id', 'change',
                    ['table_name', 'row_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_change_table_name_row_id_id', table_name='change')
    op.drop_table('change')
