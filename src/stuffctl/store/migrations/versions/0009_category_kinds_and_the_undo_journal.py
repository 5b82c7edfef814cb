"""category kinds and the undo journal (#23)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:11:47

The journal's triggers are made after the migrations, from the tables as they are then
(store.undo.install), as the search index's are.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('updated_by', sa.String(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('name', name=op.f('uq_category_name')),
    sa.UniqueConstraint('uid', name=op.f('uq_category_uid'))
    )
    op.create_table('undo_now',
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('step_id', name=op.f('pk_undo_now'))
    )
    op.create_table('undo_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('command', sa.String(), nullable=False),
    sa.Column('ran_at', sa.DateTime(), nullable=False),
    sa.Column('ran_by', sa.String(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_undo_step'))
    )
    op.create_table('undo_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('op', sa.String(length=1), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('before', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['step_id'], ['undo_step.id'], name=op.f('fk_undo_row_step_id_undo_step'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_undo_row'))
    )
    with op.batch_alter_table('undo_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_undo_row_step_id'), ['step_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('undo_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_undo_row_step_id'))

    op.drop_table('undo_row')
    op.drop_table('undo_step')
    op.drop_table('undo_now')
    op.drop_table('category')
