"""The SQLite backend (``store.handle.Backend``): the embedded default.

Python's sqlite3 driver delays ``BEGIN`` until the first write and commits
before DDL. Following SQLAlchemy's SQLite dialect docs we turn that off
(``isolation_level = None``) and emit ``BEGIN`` ourselves: ``BEGIN IMMEDIATE``
for a command that writes, so it takes the write lock up front and waits for
a concurrent writer (busy timeout) instead of failing half-way on upgrade.
Every connection gets WAL, foreign keys, the busy timeout and full sync.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stuffctl.store.handle import StandardSQL
from stuffctl.store.pragmas import apply_pragmas, read_only_uri

if TYPE_CHECKING:
    from stuffctl.errors import StuffctlError
    from stuffctl.store.handle import Db

WRITE_CACHE_KIB = 65536  # a writer's page cache: 64 MB instead of SQLite's 2 MB


def _named(conn: sqlite3.Connection) -> Callable[..., sqlite3.Cursor]:
    def rows(sql: str, params: Any = ()) -> sqlite3.Cursor:
        cursor = conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params)

    return rows


class SQLite(StandardSQL):
    """SQLite through the standard library's driver (see the module's docstring)."""

    name = "sqlite"
    title = "SQLite"

    def connect(self, path: Path, *, write: bool) -> sqlite3.Connection:
        from stuffctl.store.migrate import check_and_migrate

        try:
            check_and_migrate(path, write=write)
        except sqlite3.OperationalError as exc:
            if write or not any(text in str(exc) for text in _CANNOT_WRITE_BESIDE):
                raise
            if (frozen := _frozen(path)) is None:
                raise
            return frozen
        return sqlite3.connect(path)

    def configure(self, connection: sqlite3.Connection, *, write: bool) -> None:
        apply_pragmas(connection)
        if write:
            # A bulk insert updates several indexes at random places (uids,
            # fingerprints): a larger page cache keeps them from spilling. A read
            # streams and needs no more than the default.
            connection.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")

    def begin(self, connection: sqlite3.Connection, *, write: bool) -> None:
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    def commit(self, connection: sqlite3.Connection) -> None:
        connection.execute("COMMIT")

    def rollback(self, connection: sqlite3.Connection) -> None:
        if connection.in_transaction:
            connection.execute("ROLLBACK")

    def error(self, exc: BaseException) -> StuffctlError | None:
        from stuffctl import paths
        from stuffctl.errors import Busy, Damaged, InvalidInput, OperationFailed

        if isinstance(exc, OverflowError):  # SQLite integers are 64-bit
            return InvalidInput(f"a number is too large (at most {2**63 - 1})")
        if not isinstance(exc, sqlite3.Error):
            return None
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return Damaged(f"{paths.db_path()} is damaged ({text}): stuffctl db check "
                           "names the backup to restore")
        if "locked" in text or "busy" in text:
            return Busy("the database is busy (another stuffctl is writing); try again")
        if "disk is full" in text or "disk I/O" in text:
            return OperationFailed(f"cannot write the database: {text}; nothing was changed")
        if "readonly" in text:
            return OperationFailed(f"cannot write {paths.db_path()}: the file or its folder "
                                   "is read-only")
        if "unable to open" in text:
            return OperationFailed(f"cannot open {paths.db_path()}: {text}")
        return OperationFailed(f"database error: {text}")

    def bind(self, connection: sqlite3.Connection) -> tuple[
            Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
        return connection.execute, connection.executemany, _named(connection)

    def insert_rows(self, db: Db, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]], *, skip_duplicates: bool) -> None:
        statement = (f"INSERT INTO {table} ({', '.join(columns)}) "
                     f"VALUES ({', '.join('?' * len(columns))})")
        db.executemany(f"{statement} ON CONFLICT DO NOTHING" if skip_duplicates
                       else statement, rows)

    def greatest(self, *values: str) -> str:
        return f"max({', '.join(values)})"

    def days_between(self, later: str, earlier: str) -> str:
        return f"(julianday({later}) - julianday({earlier}))"

    def plus_months(self, day: str, months: str) -> str:
        return f"date({day}, printf('+%d months', {months}))"

    def date_of(self, stamp: str) -> str:
        return f"date({stamp})"

    def in_list(self, expr: str) -> str:
        return f"{expr} IN (SELECT value FROM json_each(?))"

    def defer_foreign_keys(self, db: Db) -> None:
        db.execute("PRAGMA defer_foreign_keys = ON")

    def integrity_problems(self, db: Db) -> list[str]:
        return [p for (p,) in db.execute("PRAGMA integrity_check") if p != "ok"]

    def broken_references(self, db: Db) -> list[tuple[str, int, str]]:
        return [(table, rowid, parent)
                for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check")]

    def table_names(self, db: Db) -> list[str]:
        return [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite~_%'"
            " ESCAPE '~' ORDER BY name")]

    def journal_mode(self, db: Db) -> str:
        mode = str(db.one("PRAGMA journal_mode"))
        if mode == "delete":  # a connection opened immutable (``_frozen``) says so
            from stuffctl import paths

            with paths.db_path().open("rb") as fh:
                fh.seek(18)
                if fh.read(2) == b"\x02\x02":  # the file's header: WAL
                    return "wal"
        return mode

    def search(self, db: Db, text: str, *, limit: int) -> list[dict[str, Any]]:
        from stuffctl.store import search

        return search.search(db.connection, text, limit=limit)

    def load(self, db: Db, table: str, columns: Sequence[str],
             rows: Iterable[Sequence[Any]], size: int) -> int:
        from stuffctl.store import bulk, search, undo

        count = 0

        def counted() -> Iterator[Sequence[Any]]:
            nonlocal count
            for row in rows:
                count += 1
                yield row

        marks = ", ".join("?" * len(columns))
        with search.bulk_insert(db, table), undo.bulk_insert(db, table), \
                bulk.deferred_indexes(db, table, size):
            db.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})',
                           counted())
        return count

    def login(self, db: Db) -> str:
        import getpass

        try:
            return getpass.getuser()
        except (KeyError, OSError):  # a user id with no name (a container)
            return "me"

    def grant(self, db: Db, login: str, role: str) -> bool:
        from stuffctl.errors import InvalidInput

        raise InvalidInput("roles belong to a server database: a SQLite file is its "
                           "owner's (docs/shared.md)")

    def backup(self, source: Path, target: Path, *, with_files: bool = False) -> Path:
        from stuffctl.store.backup import backup_to

        return backup_to(source, target, with_files=with_files)


SQLITE = SQLite()

# What SQLite says when it cannot make or grow the files beside a database in WAL mode
# (``-shm``, ``-wal``): a full disk, a read-only file or folder.
_CANNOT_WRITE_BESIDE = ("disk I/O error", "readonly", "read-only", "unable to open",
                        "disk is full")


def _frozen(path: Path) -> sqlite3.Connection | None:
    """A read of a database whose folder cannot take the files a WAL reader makes (a full
    disk, read-only storage): the file alone, opened immutable, when that is the whole
    database (no log beside it) and at this code's revision; None otherwise."""
    log = path.with_name(path.name + "-wal")
    if log.exists() and log.stat().st_size:
        return None
    return _at_head(read_only_uri(path, immutable=True))


def _at_head(uri: str, *, timeout: float = 5.0) -> sqlite3.Connection | None:
    """A connection to the database ``uri`` names if it is at this code's revision;
    None in any doubt."""
    from stuffctl.store import schema

    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    except sqlite3.Error:
        return None
    try:
        if schema.stored_revision(conn) == schema.head_revision():
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def _server_url(db: str | None) -> str | None:
    """The URL of the server database in use when it is one (``--db`` value ``db``, else
    ``STUFFCTL_DB``, else the config's ``db_url``, read only when its bytes name it)."""
    import os

    from stuffctl import paths

    named = db if db is not None else os.environ.get("STUFFCTL_DB")
    if named:
        return named if paths.is_url(named) else None
    try:
        text = paths.config_path().read_bytes()
    except OSError:
        return None
    if b"db_url" not in text:
        return None
    import tomllib

    try:
        url = tomllib.loads(text.decode()).get("db_url")
    except (ValueError, UnicodeDecodeError):
        return ""  # a bad config: the full command says what is wrong
    if url is None or url == "":
        return None  # no server named: the home's file
    return url if isinstance(url, str) and paths.is_url(url) else ""


def open_current(db: str | None) -> Db | None:
    """A read-only handle on the database (``--db`` value ``db``, else the one in use: a
    server's, ``store.postgres.open_current``, or the home's file) when it exists at this
    code's schema revision, outside any transaction: the fast paths of
    ``entry.py`` (``fastpath``, ``completion``) answer from it before Typer loads. None in
    any doubt (the full command then decides what to do). Close its ``connection``."""
    from stuffctl import paths
    from stuffctl.store.handle import Db

    if (url := _server_url(db)) is not None:
        if not url:
            return None
        from stuffctl.store.postgres import open_current as on_server

        return on_server(url)
    path = Path(db).expanduser() if db else paths.db_path()
    if not path.is_file():
        return None
    conn = _at_head(read_only_uri(path), timeout=1)
    return None if conn is None else Db(conn, SQLITE)
