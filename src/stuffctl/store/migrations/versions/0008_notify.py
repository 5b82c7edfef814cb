"""notifications: channels, profiles, notices and the outbox; a subscription's payer and
whom a reminder is for (#22)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:10:00

``subscription`` and ``reminder`` are made again for their new foreign keys (SQLite adds
none in place), written out as 0006 made ``task``: batch mode makes constraints and
indexes in no fixed order.
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SUBSCRIPTION = """CREATE TABLE subscription_0008 (
	id INTEGER NOT NULL,
	uid VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	created_by VARCHAR,
	updated_by VARCHAR,
	name VARCHAR NOT NULL,
	amount_minor INTEGER NOT NULL,
	currency VARCHAR(3) NOT NULL,
	rule VARCHAR NOT NULL,
	anchor_on DATE NOT NULL,
	next_on DATE NOT NULL,
	category VARCHAR,
	account VARCHAR,
	asset_id INTEGER,
	cancel_by DATE,
	status VARCHAR NOT NULL,
	cancelled_on DATE,
	notes VARCHAR,
	payer_id INTEGER,
	CONSTRAINT pk_subscription PRIMARY KEY (id),
	CONSTRAINT fk_subscription_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE SET NULL,
	CONSTRAINT fk_subscription_payer_id_person FOREIGN KEY(payer_id) REFERENCES person (id) ON DELETE SET NULL,
	CONSTRAINT uq_subscription_uid UNIQUE (uid)
)"""
SUBSCRIPTION_COPIED = ("id, uid, created_at, updated_at, created_by, updated_by, name, "
                       "amount_minor, currency, rule, anchor_on, next_on, category, account, "
                       "asset_id, cancel_by, status, cancelled_on, notes")
SUBSCRIPTION_INDEXES = ("asset_id", "cancel_by", "name", "next_on", "payer_id", "status")

REMINDER = """CREATE TABLE reminder_0008 (
	id INTEGER NOT NULL,
	uid VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	created_by VARCHAR,
	updated_by VARCHAR,
	title VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	about_kind VARCHAR,
	about_id INTEGER,
	start_on DATE NOT NULL,
	due_on DATE NOT NULL,
	due_time TIME,
	rule VARCHAR,
	from_done BOOLEAN NOT NULL,
	lead VARCHAR,
	snoozed_until DATETIME,
	state VARCHAR NOT NULL,
	notes VARCHAR,
	person_id INTEGER,
	CONSTRAINT pk_reminder PRIMARY KEY (id),
	CONSTRAINT fk_reminder_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE SET NULL,
	CONSTRAINT uq_reminder_uid UNIQUE (uid)
)"""
REMINDER_COPIED = ("id, uid, created_at, updated_at, created_by, updated_by, title, kind, "
                   "about_kind, about_id, start_on, due_on, due_time, rule, from_done, lead, "
                   "snoozed_until, state, notes")
REMINDER_INDEXES = ("due_on", "kind", "person_id", "state")


def _remade(table: str, ddl: str, copied: str, indexes: tuple[str, ...]) -> None:
    """``table`` made again from ``ddl`` (as ``<table>_0008``), its rows copied. The
    migrations run with foreign keys off, so dropping the old table takes nothing along;
    search triggers are made again after the migrations (store.search.install)."""
    for column in indexes:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}")
    op.execute(ddl)
    op.execute(f"INSERT INTO {table}_0008 ({copied}) SELECT {copied} FROM {table}")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {table}_0008 RENAME TO {table}")
    for column in indexes:
        op.execute(f"CREATE INDEX ix_{table}_{column} ON {table} ({column})")


def upgrade() -> None:
    op.create_table(
        'channel',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(), nullable=True),
        sa.Column('updated_by', sa.String(), nullable=True),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE',
                                name=op.f('fk_channel_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_channel')),
        sa.UniqueConstraint('person_id', 'url', name=op.f('uq_channel_person_id_url')),
        sa.UniqueConstraint('uid', name=op.f('uq_channel_uid')),
    )
    op.create_index(op.f('ix_channel_person_id'), 'channel', ['person_id'], unique=False)
    op.create_table(
        'notify_profile',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kinds', sa.String(), nullable=False),
        sa.Column('bands', sa.String(), nullable=False),
        sa.Column('digest', sa.String(), nullable=False),
        sa.Column('quiet_hours', sa.String(), nullable=False),
        sa.Column('last_digest_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE',
                                name=op.f('fk_notify_profile_person_id_person')),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_notify_profile')),
    )
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(), nullable=False),
        sa.Column('occurrence', sa.String(), nullable=False),
        sa.Column('band', sa.String(), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('title', sa.String(), nullable=False),
        sa.Column('due', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('held', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE',
                                name=op.f('fk_notice_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
        sa.UniqueConstraint('person_id', 'key', 'occurrence', 'band', 'round',
                            name=op.f('uq_notice_person_id_key_occurrence_band_round')),
    )
    op.create_index(op.f('ix_notice_decided_at'), 'notice', ['decided_at'], unique=False)
    op.create_index(op.f('ix_notice_held'), 'notice', ['held'], unique=False)
    op.create_index(op.f('ix_notice_person_id'), 'notice', ['person_id'], unique=False)
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(), nullable=False),
        sa.Column('body', sa.String(), nullable=False),
        sa.Column('digest', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('state', sa.String(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_try_at', sa.DateTime(), nullable=True),
        sa.Column('tried_at', sa.DateTime(), nullable=True),
        sa.Column('delivered_at', sa.DateTime(), nullable=True),
        sa.Column('error', sa.String(), nullable=True),
        sa.ForeignKeyConstraint(['channel_id'], ['channel.id'], ondelete='CASCADE',
                                name=op.f('fk_outbox_channel_id_channel')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE',
                                name=op.f('fk_outbox_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    )
    op.create_index(op.f('ix_outbox_channel_id'), 'outbox', ['channel_id'], unique=False)
    op.create_index(op.f('ix_outbox_next_try_at'), 'outbox', ['next_try_at'], unique=False)
    op.create_index(op.f('ix_outbox_person_id'), 'outbox', ['person_id'], unique=False)
    op.create_index(op.f('ix_outbox_state'), 'outbox', ['state'], unique=False)
    _remade("subscription", SUBSCRIPTION, SUBSCRIPTION_COPIED, SUBSCRIPTION_INDEXES)
    _remade("reminder", REMINDER, REMINDER_COPIED, REMINDER_INDEXES)


def downgrade() -> None:
    for table, column in (("reminder", "person_id"), ("subscription", "payer_id")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_{column}_person'),
                                     type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
            batch_op.drop_column(column)
    for table in ("outbox", "notice", "notify_profile", "channel"):
        op.drop_table(table)
