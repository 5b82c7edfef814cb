"""The PostgreSQL backend (``store.handle.Backend``): a household's shared server (#21).

``--db``, ``STUFFCTL_DB`` or ``db_url`` in config name it with a libpq URL
(``postgresql://sam@nas:5432/stuff``; the password comes from ``~/.pgpass``,
``PGPASSWORD`` or a ``passfile``, the way libpq finds it). psycopg 3 is imported
only here, and only when such a URL is used.

The services' SQL is the same on both databases; what differs is here:

- **Storage.** The schema comes from the models, as SQLite's does
  (``schema_script``, written to ``migrations/head.pg.sql`` by the generator and
  checked by a test), with the values stored in the forms SQLite holds them in:
  dates and timestamps as ISO text (which sorts as they do), flags as 0/1,
  integers as 64-bit, text compared byte by byte (``COLLATE "C"``, SQLite's
  ``BINARY``). Every query therefore reads back what it reads on SQLite, and an
  export is the same to the byte.
- **Statements** are written with ``?``; ``translate`` gives the driver's ``%s``
  and makes ``LIKE`` the case-insensitive match SQLite's is. Parameters are bound on
  the client (psycopg's ``ClientCursor``), so an untyped ``?`` takes its type from
  where it stands, as in SQLite. Aggregates of integers (``numeric`` on the server)
  read back as int or float.
- **One writer at a time.** A writer's transaction first takes one
  transaction-scoped advisory lock (``WRITE_LOCK``), as ``BEGIN IMMEDIATE`` takes
  SQLite's write lock: the services decide and write in one transaction (`remind
  run` records what it notified where it decides it), and two of them never
  interleave; a writer waits at most the busy timeout, then is told the database is
  busy (exit 5). Readers never wait: each reads one snapshot (``REPEATABLE READ
  READ ONLY``), and the server refuses any write in it.
- **Search** is a GIN index over each searched table's ``tsvector`` (``search``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stuffctl.store.handle import StandardSQL

if TYPE_CHECKING:
    from stuffctl.errors import StuffctlError
    from stuffctl.store.handle import Db

SNAPSHOT = Path(__file__).parent / "migrations" / "head.pg.sql"
WRITE_LOCK = 0x5354554646  # "STUFF": the advisory lock every writer takes first
TEXT_SEARCH = "simple"  # no stemming, as SQLite's unicode61 tokenizer


def redacted(url: str) -> str:
    """``url`` without its password (in the netloc or as a ``password=`` parameter): the
    form every message and output shows, and still a URL to connect with (libpq then
    reads the password from ``~/.pgpass``, ``PGPASSWORD`` or a ``passfile``)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}@{host}" if user else host)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "password" for key, _ in query):
        parts = parts._replace(query=urlencode([(k, v) for k, v in query
                                                if k != "password"]))
    return urlunsplit(parts)


# -- statements --------------------------------------------------------------------

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%|(?<!:):[A-Za-z_]\w*|\bLIKE\b|"
                     r"\binstr\(", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """``sql`` as written for SQLite, for psycopg: ``?`` becomes ``%s`` and ``:name``
    ``%(name)s``, a literal ``%`` ``%%``, ``LIKE`` (ASCII case-insensitive in SQLite)
    ``ILIKE`` and ``instr(`` ``strpos(`` (the same arguments); quoted text and names are
    left as they are."""

    def token(match: re.Match[str]) -> str:
        found = match.group()
        if found == "?":
            return "%s"
        if found == "%":
            return "%%"
        if found[0] in "'\"":
            return found.replace("%", "%%")
        if found[0] == ":":
            return f"%({found[1:]})s"
        if found[0] in "iI":
            return "strpos("
        return "ILIKE"

    return _TOKENS.sub(token, sql)


class NamedRow(tuple[Any, ...]):
    """A row read by position or by column name, as ``sqlite3.Row``."""

    __slots__ = ()
    positions: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            key = self.positions[key]
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.positions)


def _named_rows(cursor: Any) -> Callable[[Sequence[Any]], NamedRow]:
    names = [column.name for column in cursor.description or ()]
    positions = {name: i for i, name in enumerate(names)}
    kind: Callable[[Sequence[Any]], NamedRow] = type(
        "Row", (NamedRow,), {"__slots__": (), "positions": positions})
    return kind


def _adapters(conn: Any) -> None:
    """Read back what SQLite gives: integer aggregates (``numeric`` here) as int or
    float, a comparison's boolean as 0/1; refuse an integer past 64 bits with the
    OverflowError SQLite's driver raises (store.database_error words it for both)
    instead of comparing it as ``numeric``."""
    from psycopg.adapt import Loader
    from psycopg.types.numeric import IntDumper

    class Bounded(IntDumper):
        def upgrade(self, obj: int, format: Any) -> Any:
            if not -2**63 <= obj < 2**63:
                raise OverflowError("Python int too large to convert to a 64-bit integer")
            return super().upgrade(obj, format)

    class Number(Loader):
        def load(self, data: Any) -> Any:
            text = bytes(data).decode()
            return float(text) if "." in text or "N" in text else int(text)

    class Flag(Loader):
        def load(self, data: Any) -> Any:
            return 1 if bytes(data) == b"t" else 0

    conn.adapters.register_loader("numeric", Number)
    conn.adapters.register_loader("bool", Flag)
    conn.adapters.register_dumper(int, Bounded)


# -- the schema --------------------------------------------------------------------

def schema_script() -> str:
    """``migrations/head.pg.sql``: a blank server database at the head revision, from
    the models (see the module's docstring), with the search indexes."""
    from sqlalchemy import ForeignKeyConstraint
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    from stuffctl import models
    from stuffctl.store import schema

    class Types(postgresql.base.PGTypeCompiler):
        def visit_date(self, type_: Any, **kw: Any) -> str:
            return 'VARCHAR(10) COLLATE "C"'

        def visit_datetime(self, type_: Any, **kw: Any) -> str:
            return 'VARCHAR(26) COLLATE "C"'

        def visit_time(self, type_: Any, **kw: Any) -> str:
            return 'VARCHAR(15) COLLATE "C"'

        def visit_boolean(self, type_: Any, **kw: Any) -> str:
            return "SMALLINT"

        def visit_integer(self, type_: Any, **kw: Any) -> str:
            return "BIGINT"

        def visit_float(self, type_: Any, **kw: Any) -> str:
            return "DOUBLE PRECISION"

        def visit_VARCHAR(self, type_: Any, **kw: Any) -> str:
            return f'{super().visit_VARCHAR(type_, **kw)} COLLATE "C"'

    class Definitions(postgresql.base.PGDDLCompiler):
        def define_constraint_deferrability(self, constraint: Any) -> str:
            if isinstance(constraint, ForeignKeyConstraint):  # a merge defers them
                return " DEFERRABLE INITIALLY IMMEDIATE"
            return str(super().define_constraint_deferrability(constraint))

    class Dialect(postgresql.psycopg.dialect):
        type_compiler_cls = Types
        ddl_compiler = Definitions

    dialect = Dialect()  # type: ignore[no-untyped-call]
    statements = []
    for table in models.metadata().sorted_tables:  # the declaration's order: stable
        ddl = str(CreateTable(table).compile(dialect=dialect)).strip()
        statements.append(ddl.replace(" SERIAL ", " BIGSERIAL ") + ";")
        statements += [f"{str(CreateIndex(index).compile(dialect=dialect)).strip()};"
                       for index in sorted(table.indexes, key=lambda i: str(i.name))]
    statements += [f"CREATE INDEX {name} ON {table} USING gin ({document});"
                   for name, table, document in _search_indexes()]
    statements += CHANNEL_SECURITY
    from stuffctl.store import undo

    statements += undo.pg_statements()
    head = schema.head_revision()
    return "\n".join([
        f"-- revision {head}",
        "-- The schema of a blank stuffctl server database (see store/postgres.py).",
        "-- Written by `python -m stuffctl.store.generate`; do not edit.",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);",
        *statements,
        f"INSERT INTO alembic_version (version_num) VALUES ('{head}');",
        "",
    ])


# A channel's URL may hold a token: its person and the database's admins read it, no one
# else (the table's owner, who made the database, is not held by row security either).
# The same statements end migrations/pg/0008.sql.
CHANNEL_SECURITY = (
    "ALTER TABLE channel ENABLE ROW LEVEL SECURITY;",
    "CREATE POLICY channel_of_its_person ON channel USING (person_id IN (SELECT id FROM person"
    " WHERE login = current_user) OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname ="
    " current_database() || '_admin' AND pg_has_role(current_user, r.oid, 'MEMBER')));",
)


def stored_revision(conn: Any) -> str | None:
    """The revision recorded in the server database, or None for a blank one."""
    found = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
    if not found[0]:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def revision_at(url: str) -> str | None:
    """The revision of the server database ``url`` (None for a blank one), unchanged."""
    conn = POSTGRES.connect(url, write=False, create=False)
    try:
        return stored_revision(conn)
    finally:
        conn.close()


def _create(conn: Any) -> str:
    """Give a blank database the head schema, in the caller's transaction."""
    from stuffctl.errors import OperationFailed
    from stuffctl.store import schema

    head = schema.head_revision()
    script = SNAPSHOT.read_text(encoding="utf-8")
    if script.partition("\n")[0] != f"-- revision {head}":
        raise OperationFailed(f"{SNAPSHOT.name} is stale: run python -m stuffctl.store.generate")
    tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = "
                          "current_schema()").fetchone()[0]
    if tables:
        raise OperationFailed("the database already holds tables that are not stuffctl's; "
                              "stuffctl makes its schema only in a blank database")
    conn.execute(script)
    return head


MIGRATIONS = SNAPSHOT.parent / "pg"  # NNNN.sql: from the revision before to NNNN
BASELINE = "0005"  # the first revision a server database was made at


def migrate(conn: Any, url: str) -> None:
    """Bring the server database on ``conn`` from its revision to the head: the scripts
    ``migrations/pg/NNNN.sql`` after it, in order, in one transaction under the write
    lock (PostgreSQL changes a schema transactionally: a failure leaves it as it was).
    Another stuffctl that migrated it meanwhile leaves nothing to do. A role that may
    not change the schema (a viewer) is refused by the server, in one line."""
    from stuffctl.errors import OperationFailed
    from stuffctl.store import schema

    POSTGRES.begin(conn, write=True)
    try:
        current = stored_revision(conn)
        later = [r for r in schema.known_revisions() if current is not None and r > current]
        for revision in later:
            script = MIGRATIONS / f"{revision}.sql"
            if not script.is_file():
                raise OperationFailed(f"{redacted(url)} has schema {current}, which this "
                                      "stuffctl cannot migrate on a server (made before "
                                      f"{BASELINE}); copy it out with an older stuffctl's "
                                      "export")
            conn.execute(script.read_text(encoding="utf-8"))
            conn.execute("UPDATE alembic_version SET version_num = %s", (revision,))
        if later:  # the household's roles reach the new tables too
            _grant_groups(conn)
        POSTGRES.commit(conn)
    except BaseException:
        POSTGRES.rollback(conn)
        raise


def create_schema(url: str) -> str:
    """Give the blank server database ``url`` the head schema (``stuffctl db init``);
    return the revision. A database that holds tables already is refused."""
    conn = POSTGRES.connect(url, write=True, create=False)
    try:
        POSTGRES.begin(conn, write=True)
        head = _create(conn)
        POSTGRES.commit(conn)
    finally:
        conn.close()
    return head


# -- search ------------------------------------------------------------------------

def _document(table: str, alias: str = "") -> str:
    """The ``tsvector`` of a searched table's row (what its GIN index holds)."""
    from stuffctl.store.tables import TABLES

    prefix = f"{alias}." if alias else ""
    text = " || ' ' || ".join(f"coalesce({prefix}{c}, '')" for c in TABLES[table].searched)
    # ASCII punctuation separates words, as in SQLite's unicode61 (``foo-bar`` holds
    # ``bar``; the parser of ``simple`` would keep ``foo-bar`` or a path whole)
    return (f"to_tsvector('{TEXT_SEARCH}'::regconfig, "
            f"regexp_replace({text}, '[!-/:-@[-`{{-~]+', ' ', 'g'))")


def _search_indexes() -> list[tuple[str, str, str]]:
    from stuffctl.store.search import SOURCES

    return [(f"fts_{s.table}", s.table, _document(s.table)) for s in SOURCES]


def tsquery(text: str) -> str:
    """A person's words as a ``tsquery``: every word must occur, as a prefix (as the
    SQLite search reads them); '' when there is no word."""
    words = [w for word in text.split() for w in re.findall(r"[^\W_]+", word.lower())]
    return " & ".join(f"'{w}':*" for w in words)


def search(db: Db, text: str, *, limit: int) -> list[dict[str, Any]]:
    """Ranked hits ``{kind, id, title, snippet, score}``, best first: every match ranked
    (``ts_rank``) and the best ``limit`` kept (``hit``, the row by its ``ctid``) before
    any title or headline is made, for the kept rows only."""
    from stuffctl.store.search import SOURCES, _dedupe

    query = tsquery(text)
    if not query:
        return []
    ranked = [f"SELECT {n} AS n, '{s.kind}' AS kind, src.{s.id_column} AS id, src.ctid AS at, "
              f"ts_rank({_document(s.table, 'src')}, q) AS rank "
              f"FROM {s.table} AS src, to_tsquery('{TEXT_SEARCH}', ?) AS q "
              f"WHERE {_document(s.table, 'src')} @@ q" for n, s in enumerate(SOURCES)]
    options = ("StartSel=[, StopSel=], MaxWords=10, MinWords=3, ShortWord=0, "
               "MaxFragments=1, FragmentDelimiter=…")
    shown = [f"SELECT hit.kind, hit.id, {s.title}, ts_headline('{TEXT_SEARCH}', "
             f"array_to_string(tsvector_to_array({_document(s.table, 'src')}), ' '), "
             f"to_tsquery('{TEXT_SEARCH}', ?), '{options}'), -hit.rank, hit.n, hit.at "
             f"FROM hit JOIN {s.table} AS src ON src.ctid = hit.at WHERE hit.n = {n}"
             for n, s in enumerate(SOURCES)]
    sql = (f"WITH hit AS MATERIALIZED (SELECT * FROM ({' UNION ALL '.join(ranked)}) AS found "
           f"ORDER BY rank DESC, kind, id, n, at LIMIT ?) {' UNION ALL '.join(shown)} "
           "ORDER BY 5, 1, 2, 6, 7")
    rows = db.execute(sql, [*[query] * len(ranked), limit, *[query] * len(shown)]).fetchall()
    return _dedupe(row[:5] for row in rows)


# -- the backend -------------------------------------------------------------------

class PostgreSQL(StandardSQL):
    """PostgreSQL through psycopg 3 (see the module's docstring)."""

    name = "postgresql"
    title = "PostgreSQL"

    def connect(self, url: str, *, write: bool, create: bool = True) -> Any:
        """A connection to the server database ``url`` at the head revision; None for a
        read of a blank database (it reads as empty). A writer makes the schema of a
        blank one (its first write) under the write lock."""
        from stuffctl.errors import NewerDatabase, OperationFailed
        from stuffctl.store import schema

        try:
            import psycopg
        except ImportError:
            raise OperationFailed("a PostgreSQL database needs its driver: pip install "
                                  "'stuffctl[postgres]'") from None

        conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                               application_name="stuffctl", connect_timeout=10)
        _adapters(conn)
        if not create:
            return conn
        try:
            current = stored_revision(conn)
            head = schema.head_revision()
            if current == head:
                return conn
            if current is None and not write:
                conn.close()
                return None
            if current is not None:
                if current in schema.known_revisions():
                    migrate(conn, url)
                    return conn
                if write:
                    raise NewerDatabase(f"{redacted(url)} has schema {current}, newer than "
                                        f"this stuffctl knows ({head}); upgrade stuffctl "
                                        "to change it")
                return conn
            self.begin(conn, write=True)
            if stored_revision(conn) is None:  # not made by another writer meanwhile
                _create(conn)
            self.commit(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def configure(self, connection: Any, *, write: bool) -> None:
        """Nothing per connection: the transaction sets its own lock timeout."""

    def begin(self, connection: Any, *, write: bool) -> None:
        from stuffctl.store.pragmas import busy_timeout_ms

        if write:
            connection.execute(f"BEGIN ISOLATION LEVEL READ COMMITTED; "
                               f"SET LOCAL lock_timeout = {busy_timeout_ms()}; "
                               f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        else:
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def commit(self, connection: Any) -> None:
        connection.execute("COMMIT")

    def rollback(self, connection: Any) -> None:
        import psycopg

        if connection.closed or connection.info.transaction_status == \
                psycopg.pq.TransactionStatus.IDLE:
            return
        with suppress(psycopg.Error):  # a broken connection: the server rolls back itself
            connection.execute("ROLLBACK")

    def error(self, exc: BaseException) -> StuffctlError | None:
        import psycopg
        from psycopg import errors as pg

        from stuffctl.errors import Busy, InvalidInput, OperationFailed

        if not isinstance(exc, psycopg.Error):
            return None
        text = _first_line(exc)
        if isinstance(exc, pg.LockNotAvailable | pg.DeadlockDetected |
                      pg.SerializationFailure):
            return Busy("the database is busy (another stuffctl is writing); try again")
        if isinstance(exc, pg.InsufficientPrivilege | pg.ReadOnlySqlTransaction):
            return OperationFailed(f"the server refused: {text} (your role may not do "
                                   "this: stuffctl db grant); nothing was changed")
        if isinstance(exc, pg.NumericValueOutOfRange):
            return InvalidInput(f"a number is too large (at most {2**63 - 1})")
        if isinstance(exc, pg.DiskFull | pg.OutOfMemory):
            return OperationFailed(f"cannot write the database: {text}; nothing was changed")
        if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
            return OperationFailed(f"cannot reach the PostgreSQL server: {text}")
        return OperationFailed(f"database error: {text}")

    def bind(self, connection: Any) -> tuple[Callable[..., Any], Callable[..., Any],
                                             Callable[..., Any]]:
        def execute(sql: str, params: Any = ()) -> Any:
            return connection.execute(translate(sql), params)

        def executemany(sql: str, rows: Any) -> Any:
            cursor = connection.cursor()
            cursor.executemany(translate(sql), rows)
            return cursor

        def rows(sql: str, params: Any = ()) -> Any:
            cursor = connection.cursor()
            cursor.row_factory = _named_rows
            return cursor.execute(translate(sql), params)

        return execute, executemany, rows

    def insert_rows(self, db: Db, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]], *, skip_duplicates: bool) -> None:
        # COPY into a private temporary table, then one INSERT … SELECT in order: a
        # third of the time of a statement per row, and duplicates still skipped by key
        names = ", ".join(columns)
        conn = db.connection
        conn.execute(f"CREATE TEMPORARY TABLE stuffctl_rows ON COMMIT DROP AS SELECT "
                     f"{names} FROM {table} WITH NO DATA; "
                     "ALTER TABLE stuffctl_rows ADD COLUMN stuffctl_n BIGINT")
        with conn.cursor().copy(f"COPY stuffctl_rows ({names}, stuffctl_n) FROM STDIN"
                                ) as copy:
            for n, row in enumerate(rows):
                copy.write_row((*row, n))
        conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM stuffctl_rows "
                     f"ORDER BY stuffctl_n{' ON CONFLICT DO NOTHING' if skip_duplicates else ''}"
                     "; DROP TABLE stuffctl_rows")

    def greatest(self, *values: str) -> str:
        return f"GREATEST({', '.join(values)})"

    def days_between(self, later: str, earlier: str) -> str:
        return (f"(EXTRACT(EPOCH FROM CAST({later} AS TIMESTAMP) - "
                f"CAST({earlier} AS TIMESTAMP)) / 86400.0)")

    def plus_months(self, day: str, months: str) -> str:
        # as SQLite's date(day, '+N months'): a day past the month's end runs into the next
        return (f"to_char(CAST(date_trunc('month', CAST({day} AS DATE)) + make_interval("
                f"months => CAST({months} AS INTEGER)) AS DATE) + "
                f"(CAST(substr({day}, 9, 2) AS INTEGER) - 1), 'YYYY-MM-DD')")

    def date_of(self, stamp: str) -> str:
        return f"substr({stamp}, 1, 10)"

    def in_list(self, expr: str) -> str:
        # a key (``id``, ``asset_id``) is a number; the text of the JSON values is cast
        name = expr.strip('"').rpartition(".")[2]
        value = ("CAST(value AS BIGINT)" if name == "id" or name.endswith("_id")
                 else "value")
        return (f"{expr} IN (SELECT {value} FROM "
                "jsonb_array_elements_text(CAST(? AS jsonb)))")

    def defer_foreign_keys(self, db: Db) -> None:
        db.connection.execute("SET CONSTRAINTS ALL DEFERRED")

    def integrity_problems(self, db: Db) -> list[str]:
        # what the server found of its own pages (with data checksums on), since its start
        failures = db.one("SELECT coalesce(checksum_failures, 0) FROM pg_stat_database "
                          "WHERE datname = current_database()")
        return [f"the server found {failures} damaged page(s) in this database"
                ] if failures else []

    def broken_references(self, db: Db) -> list[tuple[str, int, str]]:
        return []  # the server checks every foreign key at each commit

    def table_names(self, db: Db) -> list[str]:
        return [name for (name,) in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename")]

    def journal_mode(self, db: Db) -> str:
        return "wal"  # the server's write-ahead log

    def search(self, db: Db, text: str, *, limit: int) -> list[dict[str, Any]]:
        return search(db, text, limit=limit)

    def reuse_ids(self, db: Db, tables: Iterable[str]) -> None:
        # A sequence does not roll back; one writer at a time, so none is taking ids now.
        # Setting one takes its owner (or an admin): for a member the ids stay skipped.
        from psycopg.errors import InsufficientPrivilege

        db.execute("SAVEPOINT stuffctl_ids")
        try:
            for table in tables:
                db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f'coalesce(max(id), 0) + 1, false) FROM "{table}"')
        except InsufficientPrivilege:
            db.execute("ROLLBACK TO SAVEPOINT stuffctl_ids")
        db.execute("RELEASE SAVEPOINT stuffctl_ids")

    def load(self, db: Db, table: str, columns: Sequence[str],
             rows: Iterable[Sequence[Any]], size: int) -> int:
        count = 0
        cursor = db.connection.cursor()
        with cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if "id" in columns:  # the next new row's id follows the copied ones
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f'coalesce(max(id), 0) + 1, false) FROM "{table}"')
        return count

    def login(self, db: Db) -> str:
        return str(db.connection.info.user)

    def grant(self, db: Db, login: str, role: str) -> bool:
        return grant(db, login, role)

    def backup(self, source: Any, target: Path, *, with_files: bool = False) -> Path:
        return dump(source, target)


def dump(url: str, target: Path) -> Path:
    """A copy of the server database ``url`` in ``target``, made by ``pg_dump`` (its custom
    format, for ``pg_restore``) from one snapshot while others write. The password, if the
    URL holds one, reaches ``pg_dump`` in its environment, never on its command line."""
    import os
    import shutil
    import subprocess
    from urllib.parse import urlsplit

    from stuffctl import paths
    from stuffctl.errors import OperationFailed

    program = shutil.which("pg_dump")
    if program is None:
        raise OperationFailed("pg_dump is not installed here (Debian: apt install "
                              "postgresql-client); stuffctl export copies the data instead")
    env = dict(os.environ)
    if (password := urlsplit(url).password) is not None:
        env["PGPASSWORD"] = password
    paths.remove_stale_temps(target.parent)  # a killed backup's, as store.backup's
    temporary = paths.temp_for(target)
    paths.touch_private(temporary)  # private from its first byte
    try:
        done = subprocess.run([program, "--format=custom", "--no-owner", "--file",
                               str(temporary), "--dbname", redacted(url)],
                              capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            raise OperationFailed(f"pg_dump failed: {_first_line(Exception(done.stderr))}")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


ROLES = ("viewer", "member", "admin")
_LOGIN = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def login_for(name: str) -> str:
    """The login role a person's name gives: lower case, other characters as ``_``."""
    login = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "person"
    return login if not login[0].isdigit() else f"p_{login}"


def grant(db: Db, login: str, role: str) -> bool:
    """Make ``login`` one ``role`` (``ROLES``) of this database, through the group roles
    ``<database>_viewer|member|admin`` (made, and given their privileges, when missing);
    the login role is made (without a password) when there is none. Its other stuffctl
    roles are taken back. True when the login role was made."""
    from psycopg import sql

    from stuffctl.errors import InvalidInput

    if _LOGIN.fullmatch(login) is None:
        raise InvalidInput(f"--login: {login!r} is not a role name stuffctl makes (lower "
                           "case letters, digits and _)")
    conn = db.connection
    database = conn.execute("SELECT current_database()").fetchone()[0]
    groups = {r: sql.Identifier(f"{database}_{r}") for r in ROLES}
    for r, group in groups.items():
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                            (f"{database}_{r}",)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(group))
    _grant_groups(conn)
    everyone = sql.SQL(", ").join(groups.values())
    person = sql.Identifier(login)
    made = not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    if made:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(person))
    conn.execute(sql.SQL("REVOKE {} FROM {}").format(everyone, person))
    if role == "admin":  # manages people and roles: makes logins, hands out the groups
        conn.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(everyone, person))
        conn.execute(sql.SQL("ALTER ROLE {} CREATEROLE").format(person))
    else:
        conn.execute(sql.SQL("GRANT {} TO {}").format(groups[role], person))
    return made


def _grant_groups(conn: Any) -> None:
    """Give this database's group roles (when it has them) their privileges on every
    table and sequence: after `db grant` makes them, and after a migration adds tables."""
    from psycopg import sql

    database, schema_ = conn.execute("SELECT current_database(), current_schema()").fetchone()
    made = {r for (r,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)",
                                       ([f"{database}_{r}" for r in ROLES],)).fetchall()}
    if len(made) < len(ROLES):
        return
    groups = {r: sql.Identifier(f"{database}_{r}") for r in ROLES}
    names = {"db": sql.Identifier(database), "schema": sql.Identifier(schema_),
             "everyone": sql.SQL(", ").join(groups.values()),
             "writers": sql.SQL(", ").join([groups["member"], groups["admin"]])}
    for statement in (
            "GRANT CONNECT ON DATABASE {db} TO {everyone}",
            "GRANT USAGE ON SCHEMA {schema} TO {everyone}",
            "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {everyone}",
            "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {writers}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {writers}"):
        conn.execute(sql.SQL(statement).format(**names))


def open_current(url: str) -> Db | None:
    """A read-only handle on the server database ``url`` at this code's revision, outside
    any transaction, for the fast paths (``store.sqlite.open_current``); None in any
    doubt (no libpq, no server, another revision). It reads through ``store.libpq``,
    not psycopg: importing psycopg costs more than the whole answer."""
    from stuffctl.store import libpq, schema
    from stuffctl.store.handle import Db

    try:
        conn = libpq.Connection(url, application_name="stuffctl", connect_timeout=5)
    except libpq.Refused:  # the full command says what is wrong
        return None
    try:
        if stored_revision(conn) == schema.head_revision():
            return Db(conn, QUICK)
    except libpq.Refused:
        pass
    conn.close()
    return None


class QuickReads(PostgreSQL):
    """The backend of a fast path's ``store.libpq`` connection: reads only."""

    def bind(self, connection: Any) -> tuple[Callable[..., Any], Callable[..., Any],
                                             Callable[..., Any]]:
        def execute(sql: str, params: Any = ()) -> Any:
            return connection.execute(translate(sql), params)

        def executemany(sql: str, rows: Any) -> Any:
            raise TypeError("a fast path only reads")

        def rows(sql: str, params: Any = ()) -> Any:
            from stuffctl.store.libpq import Cursor

            cursor = connection.execute(translate(sql), params)
            kind = _named_rows(cursor)
            return Cursor(cursor.description, [kind(row) for row in cursor])

        return execute, executemany, rows


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


POSTGRES = PostgreSQL()
QUICK = QuickReads()
