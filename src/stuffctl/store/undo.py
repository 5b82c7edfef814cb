"""The undo journal: what each write command changed, written by the database itself.

A write command run from the command line is one *step* (``undo_step``: its command
line, when, by whom). While its transaction is open, the table ``undo_now`` holds the
step's id in one row that no other transaction ever sees (it is deleted before the
commit), and a trigger on every journaled table writes, for each row the command
inserts, updates or deletes, an ``undo_row``: the row's key and, for an update or a
delete, the whole row as it was, as JSON. Nothing else journals: with ``undo_now``
empty (`remind run` from cron, the fast paths, `undo` itself) the triggers write
nothing. ``stuffctl undo`` (``services.undo``) plays a step's rows back in reverse.

A bulk insert (`tx import`, `import`) journals one *range* row per table instead of one
row per inserted row (``bulk_insert``), as the search index does (``store.search``); on a
server each insert statement journals one row listing the keys it added.

SQLite's triggers name every column (``json_object``): ``install`` writes them from
the live schema after every migration, as ``store.search.install`` does. A server has
one trigger function for every table (``PG_FUNCTIONS``), given the table's key columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from stuffctl.store.bulk import execute, on_sqlite

# Bookkeeping that a command's undo leaves as it is: the journals themselves, the fast
# paths' cached facts, and what `remind run` noticed and sent (a notification sent stays
# sent). The edit journal (``change``) only grows: an undone update journals its restored
# fields as a change of its own (``services.undo``), so a revision read before the undo
# is refused after it.
UNJOURNALED = frozenset({"change", "undo_step", "undo_row", "undo_now", "meta", "notice",
                         "outbox", "alembic_version"})
KEEP = 500  # steps kept: a new step forgets the ones older than the last KEEP
PREFIX = "undo_"  # trigger names: undo_<table>_ai / _au / _ad


def journaled(names: Any) -> list[str]:
    """The tables of ``names`` the undo journal covers."""
    from stuffctl.store.search import is_search_table

    return [n for n in names if n not in UNJOURNALED and not n.startswith("sqlite_")
            and not is_search_table(n)]


def _columns(conn: Any, table: str) -> tuple[list[str], list[str]]:
    rows = execute(conn, f'PRAGMA table_info("{table}")').fetchall()
    columns = [r[1] for r in rows]
    key = [r[1] for r in sorted((r for r in rows if r[5]), key=lambda r: r[5])]
    return columns, key or ["rowid"]


def _json(row: str, columns: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {row}.\"{c}\"" for c in columns) + ")"


def sqlite_triggers(conn: Any, table: str) -> list[str]:
    """The three triggers that journal ``table`` on SQLite."""
    columns, key = _columns(conn, table)
    name = f"{PREFIX}{table}"
    insert = ("INSERT INTO undo_row (step_id, table_name, op, key, before) "
              f"SELECT step_id, '{table}', '{{op}}', {{key}}, {{before}} FROM undo_now;")
    when = "WHEN EXISTS (SELECT 1 FROM undo_now)"
    bodies = {
        "ai": ("INSERT", insert.format(op="i", key=_json("new", key), before="NULL")),
        "au": ("UPDATE", insert.format(op="u", key=_json("new", key),
                                       before=_json("old", columns))),
        "ad": ("DELETE", insert.format(op="d", key=_json("old", key),
                                       before=_json("old", columns))),
    }
    return [f'CREATE TRIGGER {name}_{suffix} AFTER {event} ON "{table}" {when} '
            f"BEGIN {body} END" for suffix, (event, body) in bodies.items()]


def install(conn: Any) -> None:
    """(Re)make the journal's triggers on every journaled table of the SQLite database on
    ``conn`` (after the migrations: a table's columns may have changed)."""
    present = [r[0] for r in execute(conn, "SELECT name FROM sqlite_master WHERE type = "
                                           "'table' ORDER BY name").fetchall()]
    if "undo_row" not in present:
        return
    for table in journaled(present):
        for suffix in ("ai", "au", "ad"):
            execute(conn, f"DROP TRIGGER IF EXISTS {PREFIX}{table}_{suffix}")
        for statement in sqlite_triggers(conn, table):
            execute(conn, statement)


# -- PostgreSQL ------------------------------------------------------------------------

PG_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION stuffctl_undo_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    step BIGINT;
    target JSONB;
BEGIN
    SELECT step_id INTO step FROM undo_now LIMIT 1;
    IF step IS NULL THEN
        RETURN NULL;
    END IF;
    target := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    INSERT INTO undo_row (step_id, table_name, op, key, before) VALUES (
        step, TG_TABLE_NAME, CASE TG_OP WHEN 'UPDATE' THEN 'u' ELSE 'd' END,
        (SELECT jsonb_object_agg(k, target -> k) FROM unnest(TG_ARGV) AS k)::text,
        to_jsonb(OLD)::text);
    RETURN NULL;
END $$;""",
    """CREATE OR REPLACE FUNCTION stuffctl_undo_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    step BIGINT;
    keys JSONB;
BEGIN
    SELECT step_id INTO step FROM undo_now LIMIT 1;
    IF step IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT jsonb_agg(jsonb_build_array(%s)) FROM added',
                   (SELECT string_agg(format('%I', k), ', ') FROM unnest(TG_ARGV) AS k))
        INTO keys;
    IF keys IS NOT NULL THEN
        INSERT INTO undo_row (step_id, table_name, op, key, before)
        VALUES (step, TG_TABLE_NAME, 'a',
                jsonb_build_object('columns', to_jsonb(TG_ARGV), 'rows', keys)::text, NULL);
    END IF;
    RETURN NULL;
END $$;""",
)


def pg_triggers(table: str, key: tuple[str, ...]) -> list[str]:
    """The triggers that journal ``table`` on a server: updates and deletes row by row,
    inserts once per statement (a transition table), as one row (``op`` a:
    ``{"columns": [key columns], "rows": [[values], …]}``) of the keys of every row the
    statement added: a bulk insert pays one statement and one row."""
    args = ", ".join(f"'{c}'" for c in key)
    return [
        f"CREATE TRIGGER {PREFIX}{table}_ud AFTER UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row({args});",
        f"CREATE TRIGGER {PREFIX}{table}_ai AFTER INSERT ON {table} REFERENCING NEW TABLE "
        f"AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added({args});",
    ]


def pg_statements() -> list[str]:
    """Every statement that installs the journal on a server at the head schema."""
    from stuffctl.store.tables import TABLES

    statements = list(PG_FUNCTIONS)
    for table in journaled(TABLES):
        statements += pg_triggers(table, TABLES[table].primary_key)
    return statements


# -- a command's step ------------------------------------------------------------------

def begin_step(db: Any, command: str, step: int | None) -> int:
    """Journal what the transaction on ``db`` changes into ``step`` (a command's first
    write transaction makes it: None), and return the step's id."""
    from stuffctl.clock import utcnow
    from stuffctl.store.sql import moment, who

    if step is None:
        step = int(db.execute(
            "INSERT INTO undo_step (command, ran_at, ran_by) VALUES (?, ?, ?) RETURNING id",
            (command, moment(utcnow()), who(db)[1])).fetchone()[0])
        if step % 100 == 0:
            db.execute("DELETE FROM undo_step WHERE id <= ?", (step - KEEP,))
    db.execute("INSERT INTO undo_now (step_id) VALUES (?)", (step,))
    return step


def end_step(db: Any, step: int) -> bool:
    """Stop journaling before the commit; a step that changed nothing is forgotten.
    Whether the step holds anything."""
    db.execute("DELETE FROM undo_now")
    if db.execute("SELECT 1 FROM undo_row WHERE step_id = ? LIMIT 1", (step,)).fetchone():
        return True
    db.execute("DELETE FROM undo_step WHERE id = ?", (step,))
    return False


@contextmanager
def bulk_insert(db: Any, table: str) -> Iterator[None]:
    """Journal the rows a bulk insert adds to ``table`` (by a writer that holds SQLite's
    write lock, so every id above the table's largest is its own) as one range row
    (``op`` r, ``key`` ``{"from": first, "to": last}``) instead of a trigger call each."""
    if not on_sqlite(db) or table in UNJOURNALED:
        yield
        return
    name = f"{PREFIX}{table}_ai"
    found = execute(db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                    (name,)).fetchall()
    if not found:
        yield
        return
    last = execute(db, f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0]
    execute(db, f"DROP TRIGGER {name}")
    try:
        yield
        execute(db, "INSERT INTO undo_row (step_id, table_name, op, key, before) "
                    "SELECT step_id, ?, 'r', json_object('from', ?, 'to', "
                    f'(SELECT max(rowid) FROM "{table}")), NULL FROM undo_now '
                    f'WHERE EXISTS (SELECT 1 FROM "{table}" WHERE rowid > ?)',
                (table, last + 1, last))
    finally:
        execute(db, found[0][0])
