"""people: who wrote each row, a person's login, a task's assignee (#21)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 04:40:00

The new columns are added in place (``ALTER TABLE … ADD COLUMN``, nullable): SQLite
adds them to a table of any size without copying it. ``task`` is made again, for its
new foreign key.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

RECORDS = ("asset", "attachment", "budget", "event", "goal", "loan", "maintenance_schedule",
           "meter_reading", "occurrence", "person", "project", "reminder", "subscription",
           "txn")  # and task, made again below


def upgrade() -> None:
    for table in RECORDS:
        op.add_column(table, sa.Column('created_by', sa.String(), nullable=True))
        op.add_column(table, sa.Column('updated_by', sa.String(), nullable=True))
    op.add_column('person', sa.Column('login', sa.String(), nullable=True))
    op.create_index(op.f('ix_person_login'), 'person', ['login'], unique=True)
    _task_with_an_assignee()


TASK = """CREATE TABLE task_0006 (
	id INTEGER NOT NULL,
	uid VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	created_by VARCHAR,
	updated_by VARCHAR,
	project_id INTEGER NOT NULL,
	title VARCHAR NOT NULL,
	status VARCHAR NOT NULL,
	priority VARCHAR(1),
	due_on DATE,
	done_at DATETIME,
	notes VARCHAR,
	assignee_id INTEGER,
	CONSTRAINT pk_task PRIMARY KEY (id),
	CONSTRAINT fk_task_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE,
	CONSTRAINT fk_task_assignee_id_person FOREIGN KEY(assignee_id) REFERENCES person (id) ON DELETE SET NULL,
	CONSTRAINT uq_task_uid UNIQUE (uid)
)"""
COPIED = ("id, uid, created_at, updated_at, project_id, title, status, priority, due_on, "
          "done_at, notes")
INDEXES = ("assignee_id", "done_at", "due_on", "project_id", "status")


def _task_with_an_assignee() -> None:
    """A foreign key needs a new table (SQLite adds none in place), as batch mode makes
    it, but written out: batch mode makes its constraints and indexes in no fixed order.
    The migrations run with foreign keys off, so dropping the old table takes no task's
    tags or dependencies along; its search triggers are made again after the migrations
    (store.search.install)."""
    op.execute(TASK)
    op.execute(f"INSERT INTO task_0006 ({COPIED}) SELECT {COPIED} FROM task")
    op.execute("DROP TABLE task")
    op.execute("ALTER TABLE task_0006 RENAME TO task")
    for column in INDEXES:
        op.execute(f"CREATE INDEX ix_task_{column} ON task ({column})")


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_assignee_id_person'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_task_assignee_id'))
        batch_op.drop_column('assignee_id')
    op.drop_index(op.f('ix_person_login'), table_name='person')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('login')
    for table in RECORDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('updated_by')
            batch_op.drop_column('created_by')
