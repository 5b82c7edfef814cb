"""The export document: every table, generically, with uids in place of local ids.

Driven entirely by the model metadata (``models.metadata().sorted_tables``), so
tables added later are exported and imported without changes here:

- a table with a ``uid`` column is keyed by it; its integer ``id`` is local and
  left out;
- a table without one (a link table such as ``asset_tag``) is keyed by its
  primary-key columns and belongs to the row its first uid-table foreign key
  points at (its *owner*);
- every foreign-key column holds the referenced row's ``uid`` instead of the
  local integer id (discovered from the metadata's ``ForeignKey`` objects);
- dates are ``YYYY-MM-DD``, timestamps ISO 8601 UTC ending in ``Z``.

Rows of uid tables are written in id order, link rows in the order of their
(uid-translated) key, one row per line, so the same data always gives the same
bytes: export → import into a fresh home → export is identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Column, Table, select
from sqlmodel import Session

from stuffctl import models
from stuffctl.errors import InvalidInput
from stuffctl.services.common import iso
from stuffctl.store import schema

FORMAT = "stuffctl-export"
FORMAT_VERSION = 1
BLOB_COLUMNS = {"attachment": "sha256"}  # tables whose rows name a stored file
CHUNK = 500


@dataclass(frozen=True)
class TableInfo:
    table: Table
    has_uid: bool
    columns: tuple[str, ...]  # exported columns, in table order
    fks: dict[str, Table]  # column → referenced table (values are uids in the file)
    owner: str | None  # link tables: the column naming the row they belong to
    key: tuple[str, ...]  # what identifies a row in the file

    @property
    def name(self) -> str:
        return self.table.name


def _info(table: Table) -> TableInfo:
    has_uid = "uid" in table.c
    fks = {}
    for column in table.c:
        for fk in column.foreign_keys:
            fks[column.name] = fk.column.table
    columns = tuple(c.name for c in table.c if not (has_uid and c.name == "id"))
    owner = None
    if not has_uid:
        owner = next((c for c in columns if c in fks and "uid" in fks[c].c), None)
    key = ("uid",) if has_uid else tuple(c.name for c in table.primary_key.columns)
    return TableInfo(table, has_uid, columns, fks, owner, key)


# Tables that describe this machine, not the data: never exported or imported.
# meta: the fast path's cache; notification: which bands this machine already told its
# person about (another home must notify its own person).
LOCAL_ONLY = frozenset({"meta", "notification"})


def tables() -> list[TableInfo]:
    """Every table of the models, parents before children (local caches left out)."""
    return [_info(t) for t in models.metadata().sorted_tables if t.name not in LOCAL_ONLY]


def python_type(column: Column[Any]) -> type:
    for kind in (column.type, getattr(column.type, "impl", None)):
        try:
            found: type = kind.python_type  # type: ignore[union-attr]
        except (NotImplementedError, AttributeError):
            continue
        if found is not object:
            return found
    return object


# -- values ------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return iso(value)
    if isinstance(value, time):
        return value.isoformat()
    return value


def decode(info: TableInfo, column: str, value: Any, where: str) -> Any:
    """A file value as the database wants it; InvalidInput naming table, row and column."""
    if value is None:
        return None
    if column in info.fks:
        if not isinstance(value, str):
            raise InvalidInput(f"{where}: {column}: expected the uid of a "
                               f"{info.fks[column].name} row")
        return value
    kind = python_type(info.table.c[column])
    from stuffctl.dates import parse_iso_date, parse_iso_timestamp, parse_time

    try:
        if kind is time:
            return parse_time(_str(value))
        if kind is datetime:
            aware = bool(getattr(info.table.c[column].type, "timezone", False))
            return parse_iso_timestamp(_str(value), local=not aware)
        if kind is date:
            return parse_iso_date(_str(value))
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {column}: {exc.message}") from None
    ok = {int: lambda v: isinstance(v, int) and not isinstance(v, bool),
          float: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
          str: lambda v: isinstance(v, str), bool: lambda v: isinstance(v, bool)}.get(kind)
    if ok is not None and not ok(value):
        raise InvalidInput(f"{where}: {column}: expected {kind.__name__}, got {value!r}")
    return float(value) if kind is float else value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"expected text, got {value!r}")
    return value


# -- uid maps ----------------------------------------------------------------------------


class UidMap:
    """Local id ↔ uid of referenced tables, loaded when first needed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._to_uid: dict[str, dict[int, str]] = {}

    def uid(self, table: Table, ident: int | None) -> str | None:
        if ident is None:
            return None
        if table.name not in self._to_uid:
            rows = self.session.connection().execute(select(table.c.id, table.c.uid))
            self._to_uid[table.name] = dict(rows.all())
        return self._to_uid[table.name].get(ident)


def encode_row(info: TableInfo, row: Any, uids: UidMap) -> dict[str, Any]:
    out = {}
    for name in info.columns:
        value = row._mapping[name]
        out[name] = uids.uid(info.fks[name], value) if name in info.fks else encode(value)
    return out


def rows_of(session: Session, info: TableInfo, uids: UidMap,
            ids: Iterable[int] | None = None) -> Iterator[dict[str, Any]]:
    """A table's rows as file rows; only ``ids`` (of a uid table, or owners) if given."""
    table = info.table
    query = select(table)
    if ids is not None:
        column = table.c.id if info.has_uid else table.c[info.owner or info.key[0]]
        query = query.where(column.in_(sorted(ids)))
    conn = session.connection()
    if info.has_uid:
        for row in conn.execute(query.order_by(table.c.id)):
            yield encode_row(info, row, uids)
        return
    found = [encode_row(info, row, uids) for row in conn.execute(query)]
    yield from sorted(found, key=lambda r: tuple(str(r[k]) for k in info.key))


# -- the document ------------------------------------------------------------------------


def header(kind: str) -> dict[str, Any]:
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_version": schema.head_revision(), "kind": kind}


def document(session: Session, *, kind: str = "export",
             selection: dict[str, set[int]] | None = None) -> Iterator[str]:
    """The export document as text chunks (one row per line); ``selection``: table → ids."""
    uids = UidMap(session)
    head = json.dumps(header(kind), ensure_ascii=False)[:-1]
    yield head + ',\n "tables": {'
    first_table = True
    for info in tables():
        ids = None if selection is None else selection.get(info.name, set())
        yield ("\n" if first_table else ",\n") + f"  {json.dumps(info.name)}: ["
        first_table = False
        first = True
        for row in rows_of(session, info, uids, ids):
            yield ("\n" if first else ",\n") + "   " + json.dumps(row, ensure_ascii=False)
            first = False
        yield "]" if first else "\n  ]"
    yield "\n }\n}\n"


def blob_hashes(doc_tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The content hashes the document's rows name (attachments), sorted, once each."""
    found = {row.get(col) for name, col in BLOB_COLUMNS.items()
             for row in doc_tables.get(name, [])}
    return sorted(h for h in found if isinstance(h, str))
