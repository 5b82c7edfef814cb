"""Reads and writes in plain SQL over a DB-API connection: the side of the services
that needs neither SQLAlchemy nor a model class.

Importing SQLAlchemy and SQLModel costs ~0.4 s and every model class ~5 ms more;
a command that only reads (``status``, ``remind list``, ``budget status``, ``task
next``) opens ``store.connection()`` instead and calls functions that take a
``db``: a ``sqlite3.Connection``, or an ORM session whose own connection (same
transaction, pending changes flushed) is used, so the ORM services share them
and there is one query for each question.

The common writes (``tx add``, ``asset log``, ``task done``, …) go through
``insert``, ``update`` and ``set_tags`` too: they store values exactly as the ORM
would (``stored``), fill a new row's uid and stamps as ``models.base.Record``
does, and stamp ``updated_at`` on a change, so a row reads the same whichever
side wrote it.

Values come back as SQLite stores them: dates as ``YYYY-MM-DD`` text, timestamps
as UTC ``YYYY-MM-DD HH:MM:SS.ffffff`` text (SQLAlchemy's SQLite form); ``day``,
``when`` and ``stamp`` read them, ``moment`` writes one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Protocol, overload

from stuffctl.clock import new_uid, utcnow


class Connection(Protocol):
    """What the plain reads use of a ``sqlite3.Connection``."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...


def dbapi(db: Any) -> sqlite3.Connection:
    """The DB-API connection of ``db``: a ``sqlite3.Connection`` itself, or a session's own."""
    if isinstance(db, sqlite3.Connection):
        return db
    db.flush()
    conn: sqlite3.Connection = db.connection().connection.driver_connection
    return conn


def named(db: Any, query: str, params: Any = ()) -> sqlite3.Cursor:
    """The rows of ``query`` as ``sqlite3.Row``: read by column name (``row["name"]``),
    as fast as tuples, and still unpacked by position where a query is two columns."""
    cursor = dbapi(db).cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(query, params)


def select_all(table: str, *, leave_out: Sequence[str] = ()) -> str:
    """``SELECT`` of every column of ``table`` as the models declare it (``FROM``
    included), but ``leave_out``: a noun's reads take their columns from
    ``store/tables.py``."""
    from stuffctl.store.tables import TABLES

    columns = [c for c in TABLES[table].columns if c not in leave_out]
    return f"SELECT {', '.join(columns)} FROM {table}"


def row_or_404(db: Any, table: str, columns: Sequence[str] | None, ident: int,
               noun: str) -> sqlite3.Row:
    """The ``columns`` (all, for None) of row ``ident`` of ``table``, by name;
    NotFound ("no asset with id 7")."""
    from stuffctl.errors import NotFound

    query = select_all(table) if columns is None else (
        f"SELECT {', '.join(columns)} FROM {table}")
    row: sqlite3.Row | None = named(db, f"{query} WHERE id = ?", (ident,)).fetchone()
    if row is None:
        raise NotFound(f"no {noun} with id {ident}")
    return row


def stored(value: Any) -> Any:
    """``value`` as SQLAlchemy stores it in SQLite: ISO dates, ``moment`` timestamps
    (naive ones as they are, aware ones in UTC), ``HH:MM:SS.ffffff`` times, 0/1."""
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def insert(db: Any, table: str, values: dict[str, Any], *, record: bool = True) -> int:
    """Insert one row and return its id; a ``record`` (a table with the columns of
    ``models.base.Record``) gets a new uid and ``created_at = updated_at = now``."""
    row = dict(values)
    if record:
        now = moment(utcnow())
        row = {"uid": new_uid(), "created_at": now, "updated_at": now, **row}
    cursor = dbapi(db).execute(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks(list(row))})",
        [stored(v) for v in row.values()])
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def update(db: Any, table: str, ident: int, values: dict[str, Any]) -> None:
    """Set ``values`` on row ``ident`` of ``table`` and stamp its ``updated_at``."""
    row = {**values, "updated_at": utcnow()}
    dbapi(db).execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
                      [*(stored(v) for v in row.values()), ident])


def set_tags(db: Any, table: str, key: str, ident: int, add: Sequence[str],
             remove: Sequence[str]) -> None:
    """Untag then tag row ``ident`` in a tag table (``txn_tag`` keyed by ``txn_id``):
    tags are trimmed, an empty one is refused, one it has already is kept once."""
    conn = dbapi(db)
    if dropped := [t.strip() for t in remove]:
        conn.execute(f"DELETE FROM {table} WHERE {key} = ? AND tag IN ({marks(dropped)})",
                     [ident, *dropped])
    for tag in dict.fromkeys(t.strip() for t in add):
        if not tag:
            from stuffctl.errors import InvalidInput

            raise InvalidInput("--tag: a tag cannot be empty")
        conn.execute(f"INSERT INTO {table} ({key}, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                     (ident, tag))


def checked_sort(sort: str, sorts: Sequence[str]) -> str:
    """``sort`` when it is one of ``sorts``, else InvalidInput naming ``--sort``."""
    if sort not in sorts:
        from stuffctl.errors import InvalidInput

        raise InvalidInput(f"--sort: expected one of {', '.join(sorts)} (got {sort!r})")
    return sort


def batches(db: Any, sql: str, params: Sequence[Any], size: int) -> Iterator[list[Any]]:
    """The rows of ``sql`` (``named``), ``size`` at a time: a listing publishes each batch
    (with one query for the batch's tags) and memory stays flat however many rows match."""
    cursor = named(db, sql, params)
    while rows := cursor.fetchmany(size):
        yield rows


def grouped(db: Any, query: str, ids: Sequence[int]) -> dict[int, list[Any]]:
    """Rows of ``query`` (its ``{ids}`` filled with one placeholder per id) grouped by
    their first column, in the query's order: ``{asset_id: [tag, …]}`` from
    ``SELECT asset_id, tag …``, or tuples of the other columns when there are several."""
    found: dict[int, list[Any]] = {}
    for key, *rest in dbapi(db).execute(query.format(ids=marks(ids)), tuple(ids)):
        found.setdefault(key, []).append(rest[0] if len(rest) == 1 else tuple(rest))
    return found


def marks(values: Sequence[Any]) -> str:
    """Placeholders for ``IN (…)``: ``?, ?, ?`` (``NULL`` for none, which matches nothing)."""
    return ", ".join("?" * len(values)) or "NULL"


def literals(values: Sequence[str]) -> str:
    """Constant words as an SQL list for ``IN``: ``('done', 'dropped')``."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def like_escape(text: str) -> str:
    """Escape LIKE wildcards so a search for ``50%`` means the text ``50%`` (``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def day(value: Any) -> date | None:
    """A stored date (``YYYY-MM-DD``) or timestamp, as a date; dates pass through."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(value[:10])


def when(value: Any) -> datetime | None:
    """A stored timestamp as a naive datetime (local wall-clock where the column holds one,
    such as ``occurrence.due``; UTC for the ``*_at`` stamps)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def stamp(value: Any) -> str | None:
    """A timestamp as the JSON shapes show it (``iso``): stored ones are
    UTC without an offset (SQLModel's ``UTCDateTime``), shown with a ``Z``."""
    if value is None:
        return None
    moment_ = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment_.tzinfo is None:
        moment_ = moment_.replace(tzinfo=UTC)
    return moment_.isoformat().replace("+00:00", "Z")


@overload
def iso(value: date | datetime) -> str: ...
@overload
def iso(value: None) -> None: ...
@overload
def iso(value: date | datetime | None) -> str | None: ...
def iso(value: date | datetime | None) -> str | None:
    """A date or datetime as the JSON shapes show it: ISO 8601, UTC with a ``Z``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def moment(value: datetime) -> str:
    """A datetime in the stored form, for a bound parameter or a row: an aware one in UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    # isoformat, not strftime: "%Y" leaves a year before 1000 unpadded on Linux
    return value.isoformat(" ", "microseconds")


@dataclass
class Where:
    """A WHERE clause built from conditions and their parameters, in order."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *values: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(values)

    def under(self, column: str, prefix: str, sep: str = ":") -> None:
        """``column`` is ``prefix`` or below it (``home`` matches ``home:garden``)."""
        self.add(f"({column} = ? OR {column} LIKE ? ESCAPE '\\')",
                 prefix, like_escape(prefix) + sep + "%")

    def contains(self, columns: Sequence[str], text: str) -> None:
        """Any of ``columns`` contains ``text`` (LIKE, wildcards in it escaped)."""
        pattern = f"%{like_escape(text)}%"
        self.add("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")",
                 *[pattern] * len(columns))

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) or "1"


def paged(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    """``sql`` with ``LIMIT``/``OFFSET`` when either is asked for."""
    if limit is None and not offset:
        return sql, params
    return f"{sql} LIMIT ? OFFSET ?", [*params, -1 if limit is None else limit, offset]
