"""incidents, playbooks, links and consumables (#25)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:01:36

The undo journal's and the search index's triggers on the new tables are made after the
migrations, from the tables as they are then (store.undo.install, store.search.install).
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('updated_by', sa.String(), nullable=True),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('symptom', sa.String(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('cause', sa.String(), nullable=True),
    sa.Column('fix', sa.String(), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.Column('out_of_use', sa.Boolean(), nullable=False),
    sa.Column('downtime_days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_incident_asset_id_asset'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    sa.UniqueConstraint('uid', name=op.f('uq_incident_uid'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_started_on'), ['started_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_status'), ['status'], unique=False)

    op.create_table('stock_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('updated_by', sa.String(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('unit', sa.String(), nullable=True),
    sa.Column('quantity_milli', sa.Integer(), nullable=False),
    sa.Column('reorder_milli', sa.Integer(), nullable=True),
    sa.Column('buy_milli', sa.Integer(), nullable=True),
    sa.Column('lead_days', sa.Integer(), nullable=True),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(), nullable=True),
    sa.Column('vendor', sa.String(), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_stock_item_asset_id_asset'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_item')),
    sa.UniqueConstraint('uid', name=op.f('uq_stock_item_uid'))
    )
    with op.batch_alter_table('stock_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_item_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_item_name'), ['name'], unique=False)

    op.create_table('incident_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('updated_by', sa.String(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.String(), nullable=False),
    sa.Column('helped', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_step_incident_id_incident'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_step')),
    sa.UniqueConstraint('uid', name=op.f('uq_incident_step_uid'))
    )
    with op.batch_alter_table('incident_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_step_incident_id'), ['incident_id'], unique=False)

    op.create_table('link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('updated_by', sa.String(), nullable=True),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_link_asset_id_asset'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_link_incident_id_incident'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link')),
    sa.UniqueConstraint('uid', name=op.f('uq_link_uid'))
    )
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_kind'), ['kind'], unique=False)

    op.create_table('playbook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('updated_by', sa.String(), nullable=True),
    sa.Column('brand', sa.String(), nullable=True),
    sa.Column('model', sa.String(), nullable=True),
    sa.Column('category', sa.String(), nullable=True),
    sa.Column('symptom', sa.String(), nullable=False),
    sa.Column('cause', sa.String(), nullable=True),
    sa.Column('fix', sa.String(), nullable=False),
    sa.Column('steps', sa.String(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_playbook_incident_id_incident'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playbook')),
    sa.UniqueConstraint('uid', name=op.f('uq_playbook_uid'))
    )
    with op.batch_alter_table('playbook', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_playbook_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_playbook_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_txn',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('txn_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_txn_incident_id_incident'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['txn_id'], ['txn.id'], name=op.f('fk_incident_txn_txn_id_txn'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id', 'txn_id', name=op.f('pk_incident_txn'))
    )
    with op.batch_alter_table('incident_txn', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_txn_txn_id'), ['txn_id'], unique=False)

    op.create_table('stock_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('updated_by', sa.String(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('delta_milli', sa.Integer(), nullable=False),
    sa.Column('txn_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['stock_item.id'], name=op.f('fk_stock_move_item_id_stock_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['txn_id'], ['txn.id'], name=op.f('fk_stock_move_txn_id_txn'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_move')),
    sa.UniqueConstraint('uid', name=op.f('uq_stock_move_uid'))
    )
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_move_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_move_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_move_txn_id'), ['txn_id'], unique=False)

    # The table rebuilt by hand rather than by a batch rebuild, which orders the
    # table's constraints by chance (head.sql must come out the same every time).
    for statement in (
            "CREATE TABLE _attachment_new (id INTEGER NOT NULL, uid VARCHAR(36) NOT NULL, "
            "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, created_by VARCHAR, "
            "updated_by VARCHAR, asset_id INTEGER NOT NULL, filename VARCHAR NOT NULL, "
            "sha256 VARCHAR(64) NOT NULL, size INTEGER NOT NULL, incident_id INTEGER, "
            "CONSTRAINT pk_attachment PRIMARY KEY (id), "
            "CONSTRAINT uq_attachment_uid UNIQUE (uid), "
            "CONSTRAINT fk_attachment_asset_id_asset FOREIGN KEY(asset_id) "
            "REFERENCES asset (id) ON DELETE CASCADE, "
            "CONSTRAINT fk_attachment_incident_id_incident FOREIGN KEY(incident_id) "
            "REFERENCES incident (id) ON DELETE SET NULL)",
            "INSERT INTO _attachment_new (id, uid, created_at, updated_at, created_by, "
            "updated_by, asset_id, filename, sha256, size) SELECT id, uid, created_at, "
            "updated_at, created_by, updated_by, asset_id, filename, sha256, size "
            "FROM attachment",
            "DROP TABLE attachment",
            "ALTER TABLE _attachment_new RENAME TO attachment",
            "CREATE INDEX ix_attachment_asset_id ON attachment (asset_id)",
            "CREATE INDEX ix_attachment_sha256 ON attachment (sha256)",
            "CREATE INDEX ix_attachment_incident_id ON attachment (incident_id)"):
        op.execute(statement)



def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachment_incident_id_incident'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachment_incident_id'))
        batch_op.drop_column('incident_id')

    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_move_txn_id'))
        batch_op.drop_index(batch_op.f('ix_stock_move_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_stock_move_item_id'))

    op.drop_table('stock_move')
    with op.batch_alter_table('incident_txn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_txn_txn_id'))

    op.drop_table('incident_txn')
    with op.batch_alter_table('playbook', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_playbook_incident_id'))
        batch_op.drop_index(batch_op.f('ix_playbook_category'))

    op.drop_table('playbook')
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_kind'))
        batch_op.drop_index(batch_op.f('ix_link_incident_id'))
        batch_op.drop_index(batch_op.f('ix_link_asset_id'))

    op.drop_table('link')
    with op.batch_alter_table('incident_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_step_incident_id'))

    op.drop_table('incident_step')
    with op.batch_alter_table('stock_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_item_name'))
        batch_op.drop_index(batch_op.f('ix_stock_item_asset_id'))

    op.drop_table('stock_item')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_status'))
        batch_op.drop_index(batch_op.f('ix_incident_started_on'))
        batch_op.drop_index(batch_op.f('ix_incident_asset_id'))

    op.drop_table('incident')
