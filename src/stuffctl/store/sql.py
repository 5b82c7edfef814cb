"""Plain SQL over the database handle (``store.handle.Db``): the helpers every noun's
reads and writes share.

- ``select_all``, ``row_or_404``: a table's columns as the models declare them
  (``store/tables.py``), rows read by name;
- ``insert``, ``insert_many``, ``update``, ``set_tags``: the one way a row is
  written. A new row of a table with the columns of ``models.base.Record`` gets a
  uid (``clock.new_uid``) and ``created_at = updated_at = now``; the columns it
  leaves out get the defaults the models declare; a change stamps ``updated_at``;
- ``stored`` is how a Python value is stored, ``moment`` the one stored form of a
  timestamp; ``day``, ``when`` and ``stamp`` read them back;
- ``Where``, ``paged``, ``marks``, ``literals``, ``like_escape``: query building.

Values come back as they are stored: dates as ``YYYY-MM-DD`` text, timestamps as
UTC ``YYYY-MM-DD HH:MM:SS.ffffff`` text (SQLAlchemy's SQLite form, which the
first databases were written in).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, overload

from stuffctl.clock import new_uid, new_uids, utcnow

if TYPE_CHECKING:
    from stuffctl.store.handle import Db, Row


def select_all(table: str, *, leave_out: Sequence[str] = ()) -> str:
    """``SELECT`` of every column of ``table`` as the models declare it (``FROM``
    included), but ``leave_out``: a noun's reads take their columns from
    ``store/tables.py``."""
    from stuffctl.store.tables import TABLES

    columns = [c for c in TABLES[table].columns if c not in leave_out]
    return f"SELECT {', '.join(columns)} FROM {table}"


def row_or_404(db: Db, table: str, columns: Sequence[str] | None, ident: int,
               noun: str) -> Row:
    """The ``columns`` (all, for None) of row ``ident`` of ``table``, by name;
    NotFound ("no asset with id 7")."""
    from stuffctl.errors import NotFound

    query = select_all(table) if columns is None else (
        f"SELECT {', '.join(columns)} FROM {table}")
    row: Row | None = db.rows(f"{query} WHERE id = ?", (ident,)).fetchone()
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


def insert(db: Db, table: str, values: dict[str, Any]) -> int:
    """Insert one row of ``table`` (as ``insert_many`` does) and return its id (``RETURNING``:
    SQL both backends speak, where a cursor's ``lastrowid`` is SQLite's own)."""
    statement, complete = _statement(db, table, list(values))
    (row_id,) = db.execute(f"{statement} RETURNING id",
                           complete([stored(v) for v in values.values()], new_uid())).fetchone()
    return int(row_id)


def insert_many(db: Db, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                skip_duplicates: bool = False) -> None:
    """Insert ``rows`` (values of ``columns``, as stored: ``stored``) into ``table`` in one
    statement: the one way a row is added, one at a time or in bulk.

    A table with the columns of ``models.base.Record`` gets each row a new uid and
    ``created_at = updated_at = now`` (unless ``columns`` name them: a merge keeps the
    uids it reads); the columns left out get the defaults the models declare.
    ``skip_duplicates``: a row whose unique key (a fingerprint, a link) is stored already
    is left out by the key itself (``ON CONFLICT DO NOTHING``, no lookup beforehand).
    ``rows`` may be an iterator: the driver takes them one at a time.
    """
    names, complete = _completed(db, table, columns)
    if names[0] == "uid" and "uid" not in columns:
        rows = list(rows)
        completed: Iterable[Sequence[Any]] = map(complete, rows, new_uids(len(rows)))
    elif len(names) == len(columns):  # every column given: the rows as they are
        completed = rows
    else:
        completed = (complete(row, "") for row in rows)
    db.backend.insert_rows(db, table, names, completed, skip_duplicates=skip_duplicates)


def _statement(db: Db, table: str, columns: Sequence[str]) -> tuple[
        str, Callable[[Sequence[Any], str], list[Any]]]:
    """The ``INSERT`` of ``columns`` into ``table``, and what completes one row of theirs
    (given its new uid) with the record columns and the declared defaults."""
    names, complete = _completed(db, table, columns)
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks(names)})", complete


def _completed(db: Db, table: str, columns: Sequence[str]) -> tuple[
        list[str], Callable[[Sequence[Any], str], list[Any]]]:
    """The columns a new row of ``table`` given ``columns`` is written with (the record
    columns first, the declared defaults last), and what completes one row of theirs
    (given its new uid)."""
    from stuffctl.store.tables import TABLES

    spec = TABLES[table]
    defaults = [v for c, v in spec.defaults.items() if c not in columns]
    record = "uid" in spec.columns and "uid" not in columns
    names = [*(RECORD if record else ()), *columns,
             *(c for c in spec.defaults if c not in columns)]
    if not record:
        return names, lambda row, _uid: [*row, *defaults]
    now, by = moment(utcnow()), who(db)[1]
    return names, lambda row, uid: [uid, now, now, by, by, *row, *defaults]


# the columns of models.base.Record a new row is given
RECORD = ("uid", "created_at", "updated_at", "created_by", "updated_by")


def who(db: Db) -> tuple[int | None, str]:
    """Who this command runs as: ``(person id, name)`` of the person named by
    ``STUFFCTL_USER`` or the config's ``user`` (``paths.named_user``), else by the
    database login (``Backend.login``), found by their ``login`` and then by their name
    (any case); ``(None, the name or login)`` when no person is them. Asked once per
    transaction."""
    if db.who is None:
        from stuffctl import paths

        name = paths.named_user() or db.backend.login(db)
        found = db.execute("SELECT id, name FROM person WHERE login = ? OR lower(name) = ? "
                           "ORDER BY CASE WHEN login = ? THEN 0 ELSE 1 END, id LIMIT 1",
                           (name, name.lower(), name)).fetchone()
        db.who = (int(found[0]), str(found[1])) if found else (None, name)
    return db.who


def update(db: Db, table: str, ident: int, values: dict[str, Any], *,
           since: int | None = None) -> None:
    """Set ``values`` on row ``ident`` of ``table``, stamp its ``updated_at`` and
    ``updated_by``, and journal each field whose value it changes (the ``change`` table:
    ``revisions``). ``since``: the revision the values were decided from (a person's
    read); Conflict, and nothing written, when a field set here changed after it."""
    now, by = utcnow(), who(db)[1]
    new = {c: stored(v) for c, v in values.items()}
    if since is not None:
        _unchanged_since(db, table, ident, list(new), since)
    changed: list[str] = []
    if new:
        old = db.execute(f"SELECT {', '.join(new)} FROM {table} WHERE id = ?",
                         (ident,)).fetchone()
        changed = [c for c, was in zip(new, old or (), strict=False) if was != new[c]]
    row = {**new, "updated_at": moment(now), "updated_by": by}
    db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
               [*row.values(), ident])
    if changed:
        db.executemany("INSERT INTO change (table_name, row_id, field, changed_by, "
                       "changed_at) VALUES (?, ?, ?, ?, ?)",
                       [(table, ident, c, by, moment(now)) for c in changed])


def revisions(db: Db, table: str, ids: Sequence[int]) -> dict[int, int]:
    """The revision of each row ``ids`` of ``table``: the id of its latest journalled
    change (``update``), 0 for a row never changed since it was added."""
    found = dict(db.execute(
        f"SELECT row_id, max(id) FROM change WHERE table_name = ? AND row_id IN "
        f"({marks(ids)}) GROUP BY row_id", (table, *ids)).fetchall())
    return {i: int(found.get(i) or 0) for i in ids}


def _unchanged_since(db: Db, table: str, ident: int, fields: Sequence[str],
                     since: int) -> None:
    """Conflict naming who changed which field and when, when one of ``fields`` of the
    row changed after revision ``since``."""
    if since < 0:
        from stuffctl.errors import InvalidInput

        raise InvalidInput(f"--since: a revision is 0 or more (got {since})")
    if not fields:
        return
    later = db.execute(
        f"SELECT field, changed_by, changed_at, id FROM change WHERE table_name = ? AND "
        f"row_id = ? AND id > ? AND field IN ({marks(fields)}) ORDER BY id DESC LIMIT 1",
        (table, ident, since, *fields)).fetchone()
    if later is not None:
        from stuffctl.errors import Conflict

        field, by, at, _ = later
        now = revisions(db, table, [ident])[ident]
        noun = {"txn": "transaction"}.get(table, table.replace("_", " "))
        raise Conflict(f"{noun} {ident} changed since revision {since}: its {field} by "
                       f"{by or 'someone'} at {at[:16]} UTC (now revision {now}); read it "
                       "again and decide; nothing was changed")


def set_tags(db: Db, noun: str, ident: int, add: Sequence[str], remove: Sequence[str]) -> None:
    """Untag then tag row ``ident`` of ``noun`` (its tag table: ``txn_tag`` keyed by
    ``txn_id``): tags are trimmed, an empty one is refused, one it has already is kept
    once."""
    table, key = f"{noun}_tag", f"{noun}_id"
    if dropped := [t.strip() for t in remove]:
        db.execute(f"DELETE FROM {table} WHERE {key} = ? AND tag IN ({marks(dropped)})",
                   [ident, *dropped])
    for tag in dict.fromkeys(t.strip() for t in add):
        if not tag:
            from stuffctl.errors import InvalidInput

            raise InvalidInput("--tag: a tag cannot be empty")
        db.execute(f"INSERT INTO {table} ({key}, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   (ident, tag))


def tags_of(db: Db, noun: str, ids: Sequence[int]) -> dict[int, list[str]]:
    """The tags of rows ``ids`` of ``noun``, sorted, by row id (one query for a batch)."""
    return grouped(db, f"SELECT {noun}_id, tag FROM {noun}_tag WHERE {noun}_id IN ({{ids}}) "
                       "ORDER BY tag", ids)


def checked_sort(sort: str, sorts: Sequence[str]) -> str:
    """``sort`` when it is one of ``sorts``, else InvalidInput naming ``--sort``."""
    if sort not in sorts:
        from stuffctl.errors import InvalidInput

        raise InvalidInput(f"--sort: expected one of {', '.join(sorts)} (got {sort!r})")
    return sort


def batches(db: Db, sql: str, params: Sequence[Any], size: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``sql`` as dicts by column name, ``size`` at a time: a listing publishes
    each batch (with one query for the batch's tags) and memory stays flat however many
    rows match. The column names are read once per query (a dict lookup is cheaper than
    ``Db.rows``'s search of the names for each column of each row)."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(size):
        yield [dict(zip(names, row, strict=True)) for row in rows]


def grouped(db: Db, query: str, ids: Sequence[int]) -> dict[int, list[Any]]:
    """Rows of ``query`` (its ``{ids}`` filled with one placeholder per id) grouped by
    their first column, in the query's order: ``{asset_id: [tag, …]}`` from
    ``SELECT asset_id, tag …``, or tuples of the other columns when there are several."""
    found: dict[int, list[Any]] = {}
    for key, *rest in db.execute(query.format(ids=marks(ids)), tuple(ids)):
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
        return " AND ".join(self.clauses) or "1 = 1"


def paged(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    """``sql`` with ``LIMIT``/``OFFSET`` when either is asked for."""
    if limit is None and not offset:
        return sql, params
    return f"{sql} LIMIT ? OFFSET ?", [*params, NO_LIMIT if limit is None else limit, offset]


NO_LIMIT = 2**62  # LIMIT for "all" (SQLite's -1 is an error on PostgreSQL, which adds OFFSET to it)
