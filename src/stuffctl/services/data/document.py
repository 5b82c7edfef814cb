"""Writing the export document in SQL: `export` and `share` without SQLAlchemy.

The document's shape (which tables, in which order, which columns, which of them
are foreign keys holding uids) comes from the models, but building the 25 model
classes and importing SQLAlchemy costs more than writing a typical home's
document. So it is read from ``store/tables.py``, the plain-Python description of
the tables that ``python -m stuffctl.store.generate`` writes from the models;
``tests/services/test_exchange.py`` checks that it gives what the models describe
(``exchange.describe()``) and that the document holds every stored row, each value
read back by its column's kind.

Values are read as they are stored and written as ``exchange.encode`` writes
Python's values: dates ``YYYY-MM-DD``, UTC timestamps ``…THH:MM:SS[.ffffff]Z``,
local ones (a reminder's due time) without the ``Z``, times ``HH:MM:SS``, flags
``true``/``false``; see docs/data.md.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stuffctl.store import schema
from stuffctl.store.handle import Db
from stuffctl.store.tables import TABLES

if TYPE_CHECKING:
    from stuffctl.store.handle import Backend
    from stuffctl.store.table import Table

FORMAT = "stuffctl-export"
FORMAT_VERSION = 1
BLOB_COLUMNS = {"attachment": "sha256"}  # tables whose rows name a stored file
# Tables that describe this machine, not the data: never exported or imported.
# meta: the fast path's cache; notification: which bands this machine already told its
# person about (another home must notify its own person); change: this database's edit
# journal, whose revisions mean nothing in another (``db copy`` keeps it); notice and
# outbox: what this database decided to tell its people and what it sent them (``db
# copy`` keeps them); undo_*: this database's undo journal (store/undo.py), whose steps
# name its own ids. A person's channels and profile are their data: exported.
LOCAL_ONLY = frozenset({"meta", "notification", "change", "notice", "outbox", "undo_step",
                        "undo_row", "undo_now"})


@dataclass(frozen=True)
class Shape:
    """What the document needs of one table, from ``store/tables.py``."""

    name: str
    has_uid: bool
    columns: tuple[str, ...]  # exported columns, in table order
    kinds: tuple[str, ...]  # each column's kind: int, str, float, bool, date, time,
    # datetime (UTC), local (a naive wall-clock datetime), uid (a foreign key), any
    required: tuple[str, ...]  # the columns that cannot be empty
    fks: dict[str, str]  # column → the table it refers to
    cascades: tuple[str, ...]  # foreign keys with ON DELETE CASCADE: the row belongs there
    owner: str | None  # link tables: the column naming the row they belong to
    key: tuple[str, ...]  # what identifies a row in the file


@functools.cache
def shapes() -> tuple[Shape, ...]:
    """Every exported table, parents before children (``store/tables.py``)."""
    return tuple(_shape(t) for t in TABLES.values() if t.name not in LOCAL_ONLY)


def _shape(table: Table) -> Shape:
    """A uid table is keyed by its uid and leaves its local id out; a link table
    (``asset_tag``) is keyed by its primary key and belongs to the row its first
    foreign key to a uid table names."""
    has_uid = "uid" in table.columns
    columns = tuple(c for c in table.columns if not (has_uid and c == "id"))
    fks = {c: table.foreign_keys[c] for c in columns if c in table.foreign_keys}
    owner = None if has_uid else next(
        (c for c in columns if c in fks and "uid" in TABLES[fks[c]].columns), None)
    return Shape(table.name, has_uid, columns,
                 tuple("uid" if c in fks else table.kind(c) for c in columns),
                 tuple(c for c in columns if c in table.required), fks,
                 tuple(c for c in columns if c in table.cascades), owner,
                 ("uid",) if has_uid else table.primary_key)


def header(kind: str) -> dict[str, Any]:
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_version": schema.head_revision(), "kind": kind}


def _timestamp(value: str, suffix: str) -> str:
    """``2026-11-23 07:04:05.000000`` (stored) as ``2026-11-23T07:04:05`` + suffix, the
    way ``datetime.isoformat`` leaves out zero microseconds."""
    micro = value[20:26].ljust(6, "0") if value[19:20] == "." else "000000"
    return f"{value[:10]}T{value[11:19]}{'' if micro == '000000' else '.' + micro}{suffix}"


def _time(value: str) -> str:
    micro = value[9:15].ljust(6, "0") if value[8:9] == "." else "000000"
    return value[:8] if micro == "000000" else f"{value[:8]}.{micro}"


DECODE = {
    "datetime": lambda v: _timestamp(v, "Z"),
    "local": lambda v: _timestamp(v, ""),
    "date": lambda v: v[:10],
    "time": _time,
    "bool": bool,
    "float": float,
}


class Uids:
    """Local id → uid of referenced tables, read when first needed."""

    def __init__(self, conn: Db) -> None:
        self.conn = conn
        self.of: dict[str, dict[int, str]] = {}

    def table(self, name: str) -> dict[int, str]:
        if name not in self.of:
            self.of[name] = dict(self.conn.execute(f"SELECT id, uid FROM {name}"))
        return self.of[name]

    def lookup(self, name: str) -> Callable[[int], str | None]:
        """The uid of an id of ``name``; its map is read on the first id asked for (a
        column that is always empty, such as the large home's event costs, reads none)."""
        def uid(ident: int) -> str | None:
            return self.table(name).get(ident)

        return uid


def decoder(shape: Shape, uids: Uids) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """A function turning a stored row (``select_columns(shape)``) into a file row."""
    decode: list[Callable[[Any], Any] | None] = []
    for column, kind in zip(shape.columns, shape.kinds, strict=True):
        if kind == "uid":
            decode.append(uids.lookup(shape.fks[column]))
        else:
            decode.append(DECODE.get(kind))
    columns = shape.columns

    def file_row(row: Sequence[Any]) -> dict[str, Any]:
        return {c: v if v is None or fn is None else fn(v)
                for c, v, fn in zip(columns, row, decode, strict=True)}

    return file_row


def select_columns(shape: Shape) -> str:
    """``SELECT`` of the exported columns of ``shape`` (``FROM`` included)."""
    return f"SELECT {', '.join(map(_quoted, shape.columns))} FROM {shape.name}"


def rows_of(conn: Db, shape: Shape, uids: Uids, ids: set[int] | None = None,
            override: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """A table's rows as file rows; only ``ids`` (of a uid table, or owners) if given;
    ``override``: values every row is written with instead of its own."""
    query = select_columns(shape)
    params: tuple[Any, ...] = ()
    if ids is not None:
        column = "id" if shape.has_uid else shape.owner or shape.key[0]
        query += f" WHERE {in_list(conn.backend, column)}"
        params = (json.dumps(sorted(ids)),)
    decode = decoder(shape, uids)

    def file_row(row: Sequence[Any]) -> dict[str, Any]:
        return decode(row) if not override else {**decode(row), **override}

    found = map(file_row, conn.execute(query + (" ORDER BY id" if shape.has_uid else ""),
                                       params))
    if shape.has_uid:
        yield from found
    else:
        yield from sorted(found, key=lambda r: tuple(str(r[k]) for k in shape.key))


def in_list(backend: Backend, column: str) -> str:
    """``column IN (…)`` for any number of values, given as one JSON array parameter."""
    return backend.in_list(_quoted(column))


def _quoted(column: str) -> str:
    return f'"{column}"'


def document(db: Db, *, kind: str = "export", selection: dict[str, set[int]] | None = None,
             overrides: dict[str, dict[str, Any]] | None = None) -> Iterator[str]:
    """The export document as text chunks (one row per line); ``selection``: table → ids;
    ``overrides``: table → values its rows are written with (a share bundle's playbooks
    are anonymised so: services.data.share)."""
    uids = Uids(db)
    head = json.dumps(header(kind), ensure_ascii=False)[:-1]
    yield head + ',\n "tables": {'
    first_table = True
    for shape in shapes():
        ids = None if selection is None else selection.get(shape.name, set())
        yield ("\n" if first_table else ",\n") + f"  {json.dumps(shape.name)}: ["
        first_table = False
        first = True
        for row in rows_of(db, shape, uids, ids, (overrides or {}).get(shape.name)):
            yield ("\n" if first else ",\n") + "   " + json.dumps(row, ensure_ascii=False)
            first = False
        yield "]" if first else "\n  ]"
    yield "\n }\n}\n"


def blob_hashes(doc_tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The content hashes the document's rows name (attachments), sorted, once each."""
    found = {row.get(col) for name, col in BLOB_COLUMNS.items()
             for row in doc_tables.get(name, [])}
    return sorted(h for h in found if isinstance(h, str))
