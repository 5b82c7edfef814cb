"""The store: file permissions, pragmas, migrations, newer databases, transactions."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import stuffctl
from stuffctl import paths, store
from stuffctl.errors import OperationFailed
from stuffctl.store import schema, sql
from tests.reliability.conftest import dump, in_use, query, write


@pytest.mark.sqlite_only("the modes of the SQLite file and its folder; a server keeps its "
                         "own files")
def test_a_new_database_is_private_in_a_private_directory(home):
    with store.transaction(write=True) as db:
        sql.insert(db, "asset", {"name": "x", "status": "active"})
    assert paths.db_path().stat().st_mode & 0o777 == 0o600
    assert home.stat().st_mode & 0o777 == 0o700


def test_reads_of_a_home_without_a_database_see_a_blank_one_and_make_no_file(home):
    with store.transaction() as db:
        assert db.one("SELECT count(*) FROM asset") == 0
    with store.transaction() as db:
        assert db.execute("SELECT count(*) FROM txn").fetchone() == (0,)
    assert not home.exists()


@pytest.mark.sqlite_only("SQLite's per-connection pragmas")
def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout():
    with store.transaction(write=True):
        pass  # the first write makes the database; a read never does
    with store.transaction() as db:
        assert db.one("PRAGMA journal_mode") == "wal"
        assert db.backend.journal_mode(db) == "wal"
        assert db.one("PRAGMA foreign_keys") == 1
        assert db.one("PRAGMA busy_timeout") >= 1000


@pytest.mark.sqlite_only("Alembic's view of the SQLite file and its FTS5 tables; a server "
                         "database is made from head.pg.sql, written from the models")
def test_a_blank_database_migrates_to_exactly_the_models_schema():
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from stuffctl import models
    from stuffctl.store.search import is_search_table

    def not_search(obj, name, type_, reflected, compare_to):  # FTS tables are not models
        return not (type_ == "table" and is_search_table(name))

    from stuffctl.store.engine import make_engine

    with store.transaction(write=True):
        pass  # a new home's database, made as every command makes it
    engine = make_engine(paths.db_path())  # the models' metadata needs SQLAlchemy's view
    try:
        with engine.connect() as conn:
            opts = {"compare_type": True, "include_object": not_search}
            ctx = MigrationContext.configure(conn, opts=opts)
            assert compare_metadata(ctx, models.metadata()) == []
    finally:
        engine.dispose()
    with store.transaction() as db:
        fts = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'fts\\_%' ESCAPE '\\' "
            "AND type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
        assert sorted(fts) == ["fts_asset", "fts_asset_field", "fts_event", "fts_incident",
                               "fts_incident_step", "fts_link", "fts_loan", "fts_person",
                               "fts_playbook", "fts_project", "fts_stock_item", "fts_task",
                               "fts_txn"]


def test_revision_ids_are_the_migration_file_prefixes():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(schema.VERSIONS_DIR.parent))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == schema.head_revision()
    assert sorted(r.revision for r in script.walk_revisions()) == schema.known_revisions()


def test_a_failed_command_rolls_back_everything():
    with pytest.raises(RuntimeError), store.transaction(write=True) as db:
        sql.insert(db, "asset", {"name": "half", "status": "active"})
        assert db.one("SELECT count(*) FROM asset") == 1  # written, not yet committed
        raise RuntimeError("boom")
    with store.transaction() as db:
        assert db.one("SELECT count(*) FROM asset") == 0


def test_an_interrupted_command_rolls_back_everything():
    with pytest.raises(KeyboardInterrupt), store.transaction(write=True) as db:
        sql.insert(db, "asset", {"name": "half", "status": "active"})
        raise KeyboardInterrupt
    with store.transaction() as db:
        assert db.one("SELECT count(*) FROM asset") == 0


def test_a_command_commits_at_the_end_of_its_block():
    with store.transaction(write=True) as db:
        sql.insert(db, "asset", {"name": "kept", "status": "active"})
        # another connection sees nothing before the commit
        assert query(in_use(), "SELECT count(*) FROM asset") == [(0,)]
    assert query(in_use(), "SELECT name FROM asset") == [("kept",)]


def test_a_writer_waiting_past_the_busy_timeout_is_busy_and_writes_nothing(monkeypatch):
    from stuffctl.errors import Busy

    with store.transaction(write=True):
        pass
    monkeypatch.setenv("STUFFCTL_BUSY_TIMEOUT", "50")
    with another_writer(), pytest.raises(Busy, match="busy"), \
            store.transaction(write=True) as db:
        sql.insert(db, "asset", {"name": "late", "status": "active"})
    with store.transaction() as db:
        assert db.one("SELECT count(*) FROM asset") == 0


def test_a_database_from_a_newer_stuffctl_is_refused_for_writing_but_readable():
    with store.transaction(write=True) as db:
        sql.insert(db, "asset", {"name": "kept", "status": "active"})
    store.dispose_all()
    write(in_use(), "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(OperationFailed, match="upgrade stuffctl"), store.transaction(write=True):
        pass
    with store.transaction() as db:
        assert db.one("SELECT name FROM asset") == "kept"


@contextmanager
def another_writer() -> Iterator[None]:
    """Another stuffctl in the middle of a write: it holds the write lock (SQLite's, or the
    writers' advisory lock on a server) until the block ends, then writes nothing."""
    db = in_use()
    if isinstance(db, str):
        import psycopg

        from stuffctl.store.postgres import WRITE_LOCK

        with psycopg.connect(db) as holder:
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield
            holder.rollback()
        return
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def run_python(code: str, *, pythonpath: Path | None = None) -> str:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_opening_a_current_database_does_not_import_alembic():
    with store.transaction(write=True):
        pass
    out = run_python("""
        import sys
        from stuffctl import store
        with store.transaction() as db:
            pass
        print("alembic" in sys.modules)
    """)
    assert out.strip() == "False"


def test_the_schema_snapshot_is_what_the_migrations_build(tmp_path):
    """A new home is made from migrations/head.sql; it must equal, statement for statement
    and row for row, a blank database taken through every migration."""
    from stuffctl.store import migrate

    by_migrations, by_snapshot = tmp_path / "migrated.db", tmp_path / "snapshot.db"
    migrate.run_migrations(by_migrations)
    by_snapshot.touch()
    stale = "stale: run `python -m stuffctl.store.generate` and commit head.sql"
    assert migrate.create_from_snapshot(by_snapshot, schema.head_revision()), stale
    assert dump(by_snapshot) == dump(by_migrations), stale
    conn = sqlite3.connect(by_migrations)
    assert migrate.SNAPSHOT.read_text(encoding="utf-8") == migrate.snapshot_sql(conn), stale
    conn.close()


def test_every_file_derived_from_the_models_is_current():
    """store/tables.py and migrations/head.sql are written from the models by one
    command; a model changed without running it fails here, naming the stale files."""
    from stuffctl.store import generate

    stale = [path.name for path, text in generate.derived().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert stale == [], f"stale: run `{generate.COMMAND}` and commit {', '.join(stale)}"


def test_the_run_time_schema_needs_no_sqlalchemy():
    out = run_python("""
        import sys
        from stuffctl.store.tables import TABLES
        from stuffctl.services.data import document
        document.shapes()
        print(len(TABLES), "sqlalchemy" in sys.modules)
    """)
    assert out.split()[1] == "False"


def test_a_new_home_is_made_from_the_snapshot_without_alembic(tmp_path):
    out = run_python(f"""
        import sys
        from pathlib import Path
        from stuffctl.store.migrate import check_and_migrate
        print(check_and_migrate(Path({str(tmp_path / "new.db")!r}), write=True),
              "alembic" in sys.modules, "sqlalchemy" in sys.modules)
    """)
    assert out.split() == [schema.head_revision(), "False", "False"]


def test_a_stale_snapshot_is_not_used_and_the_migrations_run(tmp_path, monkeypatch):
    from stuffctl.store import migrate

    old = tmp_path / "head.sql"
    old.write_text("-- revision 0001\nCREATE TABLE wrong (x);\n")
    monkeypatch.setattr(migrate, "SNAPSHOT", old)
    db = tmp_path / "new.db"
    assert migrate.check_and_migrate(db, write=True) == schema.head_revision()
    assert "wrong" not in " ".join(dump(db))
    assert any("CREATE TABLE txn" in line for line in dump(db))


def test_a_database_another_process_made_meanwhile_is_left_as_it_is(tmp_path):
    from stuffctl.store import migrate

    db = tmp_path / "raced.db"
    db.touch()
    head = schema.head_revision()
    assert migrate.create_from_snapshot(db, head)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO meta (key, value) VALUES ('mine', 'kept')")
    conn.commit()
    conn.close()
    assert migrate.create_from_snapshot(db, head)  # "table already exists": it is at head
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'mine'").fetchone() == ("kept",)
    assert schema.stored_revision(conn) == head
    conn.close()


THROWAWAY = '''
"""add a colour column"""
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asset") as batch:
        batch.add_column(sa.Column("colour", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asset") as batch:
        batch.drop_column("colour")
'''


@pytest.mark.sqlite_only("adds an Alembic migration and opens the SQLite file it upgrades; "
                         "a server database has no migration yet (store.postgres.connect)")
def test_a_database_made_now_opens_after_a_later_migration_is_added(tmp_path, home):
    from stuffctl.services.asset import AssetChanges, add_asset

    with store.transaction(write=True) as db:
        add_asset(db=db, changes=AssetChanges(values={"name": "Survivor"}))
    store.dispose_all()
    copy = tmp_path / "code"
    shutil.copytree(Path(stuffctl.__file__).parent, copy / "stuffctl")
    head = schema.head_revision()
    new = f"{int(head) + 1:04d}"
    versions = copy / "stuffctl" / "store" / "migrations" / "versions"
    (versions / f"{new}_colour.py").write_text(THROWAWAY.format(rev=new, down=head))
    out = run_python("""
        from stuffctl import store
        with store.transaction(write=True) as db:
            (row,) = db.rows("SELECT name, colour FROM asset").fetchall()
            rev = db.one("SELECT version_num FROM alembic_version")
        print(row["name"], row["colour"], rev)
    """, pythonpath=copy)
    assert out.split() == ["Survivor", "None", new]
    backups = list(paths.backups_dir().glob(f"pre-migration-{head}-*.db"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT name FROM asset").fetchall() == [("Survivor",)]
    conn.close()


def _indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "ORDER BY name").fetchall()


def _bulk_table() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, c TEXT)")
    conn.execute("CREATE INDEX ix_t_c ON t (c)")
    conn.execute("CREATE UNIQUE INDEX ix_t_kc ON t (k, c)")
    return conn


def test_deferred_indexes_drop_only_plain_indexes_and_build_them_again(monkeypatch):
    from stuffctl.store import bulk

    monkeypatch.setattr(bulk, "WORTH_IT", 3)
    conn = _bulk_table()
    before = _indexes(conn)
    conn.execute("BEGIN")
    with bulk.deferred_indexes(conn, "t", 5):
        assert [n for n, _ in _indexes(conn)] == ["ix_t_kc", "sqlite_autoindex_t_1"]
        conn.executemany("INSERT INTO t (k, c) VALUES (?, ?)",
                         [(str(i), "x") for i in range(5)])
        with pytest.raises(sqlite3.IntegrityError):  # unique indexes still hold
            conn.execute("INSERT INTO t (k, c) VALUES ('1', 'y')")
    conn.execute("COMMIT")
    assert _indexes(conn) == before
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT id FROM t WHERE c = 'x'").fetchall()
    assert "ix_t_c" in plan[0][-1]


def test_deferred_indexes_keep_them_for_a_small_insert_or_a_large_table(monkeypatch):
    from stuffctl.store import bulk

    monkeypatch.setattr(bulk, "WORTH_IT", 3)
    conn = _bulk_table()
    conn.executemany("INSERT INTO t (k, c) VALUES (?, ?)", [(str(i), "x") for i in range(10)])
    before = _indexes(conn)
    for adding in (2, 10):  # under the threshold; not more than the table has
        with bulk.deferred_indexes(conn, "t", adding):
            assert _indexes(conn) == before


def test_a_rollback_inside_deferred_indexes_leaves_the_indexes(monkeypatch):
    from stuffctl.store import bulk

    monkeypatch.setattr(bulk, "WORTH_IT", 3)
    conn = _bulk_table()
    before = _indexes(conn)
    conn.execute("BEGIN")
    with pytest.raises(RuntimeError), bulk.deferred_indexes(conn, "t", 5):
        raise RuntimeError("a bad row")
    conn.execute("ROLLBACK")
    assert _indexes(conn) == before


def test_the_search_index_is_repaired_after_the_migrations_and_the_repair_is_kept(tmp_path):
    """A migration that rebuilds a table drops its triggers; the repair that follows every
    migration run must be committed, not rolled back when its connection closes."""
    from stuffctl.store import migrate

    path = tmp_path / "old.db"
    migrate.run_migrations(path, revision=schema.known_revisions()[-2])
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER fts_asset_ai")  # as a batch-mode table rebuild does
    conn.commit()
    conn.close()
    migrate.run_migrations(path)
    conn = sqlite3.connect(path)
    try:
        triggers = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "fts_asset_ai" in triggers
        conn.execute("INSERT INTO asset (uid, created_at, updated_at, name, status) "
                     "VALUES ('u', '2026-01-01', '2026-01-01', 'Lawn mower', 'active')")
        hits = conn.execute("SELECT rowid FROM fts_asset WHERE fts_asset MATCH 'lawn'")
        assert hits.fetchall() == [(1,)]
    finally:
        conn.close()


@pytest.mark.sqlite_only("migrates a SQLite file written at revision 0005")
def test_a_home_from_0005_keeps_its_tasks_tags_dependencies_and_search_after_0006(tmp_path):
    """0006 makes the task table again (for its assignee's foreign key) with foreign keys
    off: nothing that refers to a task may go with the old table."""
    from stuffctl.store import migrate

    path = tmp_path / "old.db"
    migrate.run_migrations(path, revision="0005")
    conn = sqlite3.connect(path)
    conn.executescript("""
        INSERT INTO person (id, uid, created_at, updated_at, name) VALUES (1, 'p', 'x', 'x', 'Sam');
        INSERT INTO project (id, uid, created_at, updated_at, name, status)
            VALUES (1, 'j', 'x', 'x', 'Kitchen', 'active');
        INSERT INTO task (id, uid, created_at, updated_at, project_id, title, status)
            VALUES (1, 'a', 'x', 'x', 1, 'Measure the wall', 'open'),
                   (2, 'b', 'x', 'x', 1, 'Order the tiles', 'open');
        INSERT INTO task_tag (task_id, tag) VALUES (2, 'shop');
        INSERT INTO task_dep (task_id, depends_on_id) VALUES (2, 1);
    """)
    conn.commit()
    conn.close()

    migrate.run_migrations(path)

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT id, title, assignee_id, created_by FROM task ORDER BY id"
                            ).fetchall() == [(1, "Measure the wall", None, None),
                                             (2, "Order the tiles", None, None)]
        assert conn.execute("SELECT * FROM task_tag").fetchall() == [(2, "shop")]
        assert conn.execute("SELECT * FROM task_dep").fetchall() == [(2, 1)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("UPDATE task SET title = 'Measure the back wall' WHERE id = 1")
        hits = conn.execute("SELECT rowid FROM fts_task WHERE fts_task MATCH 'back'")
        assert hits.fetchall() == [(1,)]
        conn.commit()
        conn.execute("PRAGMA foreign_keys = ON")  # outside a transaction, where it counts
        conn.execute("UPDATE task SET assignee_id = 1 WHERE id = 2")
        conn.execute("DELETE FROM person WHERE id = 1")
        assert conn.execute("SELECT assignee_id FROM task WHERE id = 2").fetchone() == (None,)
    finally:
        conn.close()
