"""``Db``: the one database handle every service takes, and ``Backend``: what differs
from one database to another.

A command opens it with ``store.transaction(write=…)``, which begins the
transaction, commits once at the end of the block and rolls back on failure;
services run their SQL through it and never commit. It is a thin wrapper over
a DB-API connection:

- ``db.execute(sql, params)`` and ``db.executemany(sql, rows)`` run SQL written
  with ``?`` placeholders and return the driver's cursor (rows as tuples);
- ``db.rows(sql, params)`` returns a cursor whose rows read by column name
  (``row["name"]``), and still unpack by position;
- ``db.backend`` says how this database spells what SQL does not standardise
  (``Backend``, below). The services write portable SQL and ask the backend for
  the rest.

For SQLite, ``execute`` and ``executemany`` are the driver's own bound methods:
the handle adds no call to a query.

The backend
-----------
What differs from one database to another, behind one small interface.

The services write portable SQL with ``?`` placeholders. SQLite
(``store.sqlite``) and PostgreSQL (``store.postgres``) implement it.

- **Connecting and locking**: ``connect`` opens the database at its head
  revision, ``configure`` applies the per-connection settings (SQLite's
  pragmas), ``begin`` starts the one transaction of a command, taking the write
  lock up front for a writer, ``error`` turns a driver error into ours (busy,
  disk full, …).
- **Statements**: ``bind`` gives the handle's ``execute``/``executemany``/``rows``
  for a connection (placeholders rewritten where the driver wants another
  style); ``upsert`` spells an insert that updates a row already there.
- **SQL fragments** that SQL leaves to each database: the month, quarter or year
  of a stored date, the greater of two values, the days between two dates, a date
  plus a number of months, the day of a stored timestamp, and membership in a list
  passed as one JSON parameter (``in_list``).
- **Full-text search, foreign keys deferred to commit, backup, integrity checks.**
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, KeysView, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from stuffctl.errors import StuffctlError


class Row(Protocol):
    """A row read by column name (``row["name"]``): from ``Db.rows``, or a dict from a
    listing's batches (``store.sql.batches``)."""

    def __getitem__(self, key: str, /) -> Any: ...

    def keys(self) -> list[str] | KeysView[str]: ...

    def __iter__(self) -> Iterator[Any]: ...  # a row of Db.rows unpacks by position too


class Cursor(Protocol):
    """What the services use of a DB-API cursor."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchmany(self, size: int = ..., /) -> list[Any]: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Db:
    """An open database in a transaction (see the module's docstring)."""

    __slots__ = ("_rows", "backend", "connection", "execute", "executemany", "who")

    execute: Callable[..., Cursor]
    executemany: Callable[..., Cursor]

    def __init__(self, connection: Any, backend: Backend) -> None:
        self.connection = connection
        self.backend = backend
        self.execute, self.executemany, self._rows = backend.bind(connection)
        self.who: tuple[int | None, str] | None = None  # store.sql.who's answer, once

    def rows(self, sql: str, params: Any = ()) -> Cursor:
        """The rows of ``sql`` read by column name (a cursor: iterate or fetch)."""
        found: Cursor = self._rows(sql, params)
        return found

    def one(self, sql: str, params: Any = ()) -> Any:
        """The first column of the first row of ``sql``, or None when there is no row."""
        found = self.execute(sql, params).fetchone()
        return None if found is None else found[0]


class Backend(Protocol):
    name: str  # "sqlite", "postgresql"
    title: str  # "SQLite", as messages name it

    def connect(self, where: Any, *, write: bool) -> Any:
        """A connection to the database ``where`` (a file, a server URL), migrated to the
        head revision; None for a read of a database that is not there yet."""

    def configure(self, connection: Any, *, write: bool) -> None:
        """Settings every connection gets (SQLite: WAL, foreign keys, busy timeout)."""

    def begin(self, connection: Any, *, write: bool) -> None:
        """Begin the command's transaction; a writer takes the write lock now."""

    def commit(self, connection: Any) -> None: ...

    def rollback(self, connection: Any) -> None: ...

    def error(self, exc: BaseException) -> StuffctlError | None:
        """Our error for a driver's error, or None when it is not a database error."""

    def bind(self, connection: Any) -> tuple[Callable[..., Cursor], Callable[..., Cursor],
                                             Callable[..., Cursor]]:
        """``execute``, ``executemany`` and ``rows`` (rows by name) on ``connection``."""

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str],
               update: Sequence[str]) -> str:
        """``INSERT`` of ``columns`` that sets ``update`` on the row with the same ``key``
        instead (nothing, for no ``update``)."""

    def insert_rows(self, db: Db, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]], *, skip_duplicates: bool) -> None:
        """Insert ``rows`` (values of ``columns``, complete) into ``table`` in order, in
        one go; ``skip_duplicates``: a row whose unique key is taken is left out."""

    def period(self, day: str, unit: str) -> str:
        """SQL: the period of the stored date or timestamp ``day`` as text: ``YYYY-MM``
        (unit ``month``), ``YYYY-Qn`` (``quarter``) or ``YYYY`` (``year``)."""

    def greatest(self, *values: str) -> str:
        """SQL: the greatest of ``values`` (scalar, not the aggregate)."""

    def days_between(self, later: str, earlier: str) -> str:
        """SQL: the number of days from ``earlier`` to ``later`` (a real number)."""

    def plus_months(self, day: str, months: str) -> str:
        """SQL: the date ``months`` months after ``day``, as ``YYYY-MM-DD``."""

    def date_of(self, stamp: str) -> str:
        """SQL: the ``YYYY-MM-DD`` day of a stored timestamp."""

    def in_list(self, expr: str) -> str:
        """SQL: ``expr`` is one of the values of one parameter holding a JSON array."""

    def defer_foreign_keys(self, db: Db) -> None:
        """Check foreign keys at commit rather than at each statement (a bulk merge)."""

    def integrity_problems(self, db: Db) -> list[str]:
        """What the database's own integrity check finds wrong (``db check``)."""

    def broken_references(self, db: Db) -> list[tuple[str, int, str]]:
        """Rows whose foreign key names a missing row: (table, row id, parent table)."""

    def table_names(self, db: Db) -> list[str]:
        """The database's own tables, by name (its internal ones left out)."""

    def journal_mode(self, db: Db) -> str:
        """How the database journals its writes (``wal`` expected)."""

    def search(self, db: Db, text: str, *, limit: int) -> list[dict[str, Any]]:
        """Ranked full-text hits for ``text`` (``store.search``)."""

    def reuse_ids(self, db: Db, tables: Iterable[str]) -> None:
        """After rows added to ``tables`` were rolled back (a dry run): the next row added
        takes the id after the largest again, as if they had never been written."""

    def load(self, db: Db, table: str, columns: Sequence[str],
             rows: Iterable[Sequence[Any]], size: int) -> int:
        """Add ``rows`` (stored values of ``columns``, ids included; about ``size`` of them)
        to ``table`` of a blank database in bulk, as they are (`db copy`); return how
        many."""

    def login(self, db: Db) -> str:
        """The database login the command runs as: the server's user; for a file, the
        operating system's."""

    def grant(self, db: Db, login: str, role: str) -> bool:
        """Make the database login ``login`` a ``viewer``, ``member`` or ``admin``, enforced
        by the server; True when the login was made. A file has no roles: InvalidInput."""

    def backup(self, source: Any, target: Path, *, with_files: bool = False) -> Path:
        """A verified copy of the database at ``source`` made while others write."""


class StandardSQL:
    """The parts of a ``Backend`` both databases say alike (standard SQL on the stored
    text), which each backend inherits."""

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str],
               update: Sequence[str]) -> str:
        action = ("DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in update)
                  if update else "DO NOTHING")
        return (f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))}) "
                f"ON CONFLICT ({', '.join(key)}) {action}")

    def reuse_ids(self, db: Db, tables: Iterable[str]) -> None:
        return None  # SQLite's next id is the largest plus one: a rollback restores it

    def period(self, day: str, unit: str) -> str:
        # Cut from the stored ISO text: cheaper per row than parsing it as a date.
        if unit == "month":
            return f"substr({day}, 1, 7)"
        if unit == "quarter":
            return (f"substr({day}, 1, 4) || '-Q' || "
                    f"((CAST(substr({day}, 6, 2) AS INTEGER) + 2) / 3)")
        return f"substr({day}, 1, 4)"
