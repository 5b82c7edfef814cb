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

A full export has a million rows, so they are written straight from the tuples the
database gives (``RowText``): no dict per row and no encoder per call, but a converter
per column that turns a stored value into its JSON text (timestamps by slicing their
stored text, each distinct value once: ``Remembered``), and a batch of rows joined
with the column names in one go; foreign keys come back as uids from the query
itself, so no table's uids are held. The output is byte for byte what encoding each
row's dict with ``json.dumps`` gave (a test compares them), which is also how a row
whose values are not of their columns' kinds is written.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import call
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

ENCODER = json.JSONEncoder(ensure_ascii=False)  # the one encoder of the document
_text = json.encoder.encode_basestring  # a str as JSON text, as ENCODER writes it
BATCH = 1000  # rows read, and written, at a time
ROW = "\n   "  # what comes before each row of a table: a line of its own, indented


class Remembered(dict[Any, Any]):
    """``convert`` as a mapping, NULL (None) to ``none``, each distinct text converted
    once: a column's values taken with ``map(remembered.__getitem__, values)`` are
    looked up without a Python call where they repeat (a file repeats its timestamps,
    categories and currencies). Only text is remembered (1, 1.0 and True are one key
    to a dict); bounded; what ``convert`` raises is not remembered."""

    __slots__ = ("convert", "none")
    SIZE = 4096

    def __init__(self, convert: Callable[[Any], Any], none: Any = None) -> None:
        super().__init__({None: none})
        self.convert, self.none = convert, none

    def __missing__(self, value: Any) -> Any:
        found = self.convert(value)
        if type(value) is str:
            if len(self) >= self.SIZE:
                self.clear()
                self[None] = self.none
            self[value] = found
        return found


def _float_text(value: Any) -> str:
    number = float(value)
    return repr(number) if math.isfinite(number) else ENCODER.encode(number)


# A stored value (not NULL) as the document's JSON text, by its column's kind: what
# ``ENCODER`` writes for ``DECODE``'s value, without building it first.
TEXT: dict[str, Callable[[Any], str]] = {
    "datetime": lambda v: _text(_timestamp(v, "Z")),
    "local": lambda v: _text(_timestamp(v, "")),
    "date": lambda v: _text(v[:10]),
    "time": lambda v: _text(_time(v)),
    "bool": lambda v: "true" if v else "false",
    "float": _float_text,
    "int": int.__repr__,
    "str": _text,
    "uid": _text,
}


class RowText:
    """A table's stored rows (``select_columns``) as the document's lines, written
    straight from the tuples: each value turned into its JSON text by its column's
    converter, and a batch of rows joined with the column names in one go (no
    string per row). ``fixed``: values every row is written with (``document``'s
    ``overrides``)."""

    def __init__(self, shape: Shape, fixed: dict[str, Any] | None = None) -> None:
        fixed = fixed or {}
        self.fixed, self.file_row = fixed, decoder(shape)
        self.convert = [self._converter(shape, c, k, fixed)
                        for c, k in zip(shape.columns, shape.kinds, strict=True)]
        # A row's end: the fixed values that are not columns, and the brace.
        self.closing = "".join(f", {_text(c)}: {ENCODER.encode(v)}" for c, v in fixed.items()
                               if c not in shape.columns) + "}"
        names = [f", {_text(c)}: " for c in shape.columns]
        names[0] = f"{self.closing},{ROW}{{{names[0][2:]}"  # the end of the row before
        self.names = names

    @staticmethod
    def _converter(shape: Shape, column: str, kind: str,
                   fixed: dict[str, Any]) -> Callable[[Any], str]:
        if column in fixed:
            return functools.partial(_constant, ENCODER.encode(fixed[column]))
        convert = TEXT.get(kind, ENCODER.encode)
        if column in shape.required and kind in ("int", "str", "uid"):
            return convert  # never NULL, and rarely repeated (uids)
        return Remembered(convert, "null").__getitem__

    def lines(self, rows: Sequence[Sequence[Any]]) -> str:
        """``rows`` as lines of the document, each after a line break and its indent,
        separated by commas."""
        try:
            values = map(map, repeat(call), repeat(self.convert), rows)
            text = "".join(chain.from_iterable(chain.from_iterable(
                map(zip, repeat(self.names), values))))
        except (TypeError, ValueError, AttributeError):
            # A value not of its column's kind (SQLite keeps what it is given): each
            # row as a file row, written by the encoder as it is.
            return ",".join(ROW + ENCODER.encode({**self.file_row(row), **self.fixed})
                            for row in rows)
        return text[len(self.closing) + 1:] + self.closing


def _constant(text: str, _value: Any) -> str:
    return text


def decoder(shape: Shape) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """A function turning a stored row (``select_columns(shape)``) into a file row."""
    decode = [DECODE.get(kind) for kind in shape.kinds]
    columns = shape.columns

    def file_row(row: Sequence[Any]) -> dict[str, Any]:
        return {c: v if v is None or fn is None else fn(v)
                for c, v, fn in zip(columns, row, decode, strict=True)}

    return file_row


def select_columns(shape: Shape) -> str:
    """``SELECT`` of the exported columns of ``shape`` (``FROM`` included), each foreign
    key as the uid of the row it names (looked up by the database, row by row, so no
    table's uids are ever held in memory)."""
    columns = [f'(SELECT uid FROM "{shape.fks[c]}" WHERE id = t.{_quoted(c)})'
               if c in shape.fks else f"t.{_quoted(c)}" for c in shape.columns]
    return f"SELECT {', '.join(columns)} FROM {shape.name} AS t"


def rows_query(conn: Db, shape: Shape, ids: set[int] | None = None
               ) -> tuple[str, tuple[Any, ...]]:
    """The query of a table's stored rows (``select_columns``), uid tables in id order;
    only ``ids`` (of a uid table, or of link rows' owners) if given."""
    query = select_columns(shape)
    params: tuple[Any, ...] = ()
    if ids is not None:
        column = "id" if shape.has_uid else shape.owner or shape.key[0]
        query += f" WHERE {in_list(conn.backend, column)}"
        params = (json.dumps(sorted(ids)),)
    return query + (" ORDER BY t.id" if shape.has_uid else ""), params


def lines_of(conn: Db, shape: Shape, ids: set[int] | None = None,
             fixed: dict[str, Any] | None = None) -> Iterator[str]:
    """A table's rows as the document's lines, in batches (``RowText.lines``): uid
    tables in id order (read as they are written), link tables in the order of their
    key as the file holds it."""
    text = RowText(shape, fixed)
    cursor = conn.execute(*rows_query(conn, shape, ids))
    if shape.has_uid:
        while rows := cursor.fetchmany(BATCH):
            yield text.lines(rows)
        return
    keys = [(shape.columns.index(k), DECODE.get(shape.kinds[shape.columns.index(k)]))
            for k in shape.key]
    ordered = sorted(cursor.fetchall(), key=lambda row: tuple(
        str(row[i] if row[i] is None or fn is None else fn(row[i])) for i, fn in keys))
    for start in range(0, len(ordered), BATCH):
        yield text.lines(ordered[start:start + BATCH])


def in_list(backend: Backend, column: str) -> str:
    """``column IN (…)`` for any number of values, given as one JSON array parameter."""
    return backend.in_list(_quoted(column))


def _quoted(column: str) -> str:
    return f'"{column}"'


def document(db: Db, *, kind: str = "export", selection: dict[str, set[int]] | None = None,
             overrides: dict[str, dict[str, Any]] | None = None) -> Iterator[str]:
    """The export document as text chunks (one row per line); ``selection``: table → ids;
    ``overrides``: table → values its rows are written with (a share bundle's playbooks
    leave out who wrote them)."""
    yield ENCODER.encode(header(kind))[:-1] + ',\n "tables": {'
    for n, shape in enumerate(shapes()):
        ids = None if selection is None else selection.get(shape.name, set())
        yield ("\n" if n == 0 else ",\n") + f"  {json.dumps(shape.name)}: ["
        first = True
        for lines in lines_of(db, shape, ids, (overrides or {}).get(shape.name)):
            yield lines if first else "," + lines
            first = False
        yield "]" if first else "\n  ]"
    yield "\n }\n}\n"


def blob_hashes(db: Db, selection: dict[str, set[int]] | None = None) -> list[str]:
    """The content hashes the document's rows name (attachments), sorted, once each."""
    found: set[str] = set()
    for name, column in BLOB_COLUMNS.items():
        query = f'SELECT DISTINCT "{column}" FROM {name}'
        params: tuple[Any, ...] = ()
        if selection is not None:
            query += f" WHERE {in_list(db.backend, 'id')}"
            params = (json.dumps(sorted(selection.get(name, set()))),)
        found.update(h for (h,) in db.execute(query, params) if isinstance(h, str))
    return sorted(found)
