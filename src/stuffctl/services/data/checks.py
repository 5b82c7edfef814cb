"""What an import checks of a document's rows (``merge``): each value against its column,
rows a file gives twice, natural keys, uids twice and rows inside themselves.

Errors name the file, the table and the row (and its line, for a document read as
it is written: ``reading.Batch.where``), and nothing is written (``merge`` runs in a
savepoint that an error takes back with the command's transaction).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.services.data.document import Remembered, Shape
from stuffctl.services.data.exchange import BadValue, codecs
from stuffctl.services.data.reading import Batch, NotStreamable
from stuffctl.store.handle import Db

NONE = type(None)


@dataclass
class Checked:
    """A batch of a table's rows, checked: ``values`` holds them column by column
    (``Shape.columns`` order), every value in canonical file form. ``dicts`` are the
    rows as the file gave them, canonical once ``written`` (None: checked by another
    process, ``pipeline``; ``rows`` makes them)."""

    batch: Batch
    info: Shape
    values: list[list[Any]]
    written: bool
    dicts: list[dict[str, Any]] | None = None

    @classmethod
    def of(cls, info: Shape, rows: list[dict[str, Any]]) -> Checked:
        """Rows checked already (every column, canonical), as one batch."""
        return cls(Batch(rows, 1), info, [[row[c] for row in rows] for c in info.columns],
                   True, rows)

    @property
    def count(self) -> int:
        return len(self.values[0])

    def column(self, name: str) -> list[Any]:
        return self.values[self.info.columns.index(name)]

    def rows(self, indexes: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """The rows (all, or those at ``indexes``) as dicts of canonical values."""
        columns = self.info.columns
        if self.dicts is None:
            self.dicts = [dict(zip(columns, row, strict=True))
                          for row in zip(*self.values, strict=True)]
            self.written = True
        every = self.dicts
        chosen = range(len(every)) if indexes is None else indexes
        if self.written:
            return [every[i] for i in chosen]
        found = []
        for i in chosen:
            row = every[i]
            for j, name in enumerate(columns):
                row[name] = self.values[j][i]
            found.append(row)
        return found


class Rows:
    """Check a batch of a table's rows: unknown or missing columns, each value by its
    codec, every value in canonical file form (``exchange.Codec``).

    The hot path of a large import. Rows as ``export`` writes them (every column, in
    table order) are checked a column at a time, with ``map`` and sets of types, so a
    value costs no Python call (timestamps, dates and currencies are looked up in a
    dict of those the table has had: ``document.Remembered``). Anything else, and any
    batch with a problem, is checked a row at a time, which finds the first row that
    is wrong and says what is wrong with it.
    """

    def __init__(self, info: Shape, source: str) -> None:
        self.info, self.source = info, source
        self.columns = set(info.columns)
        every = [(c.name, c.kind, c.required, c) for c in codecs(info)]
        self.typed = [entry for entry in every if entry[3].canon is None]
        self.other = [(name, required, codec.canon) for name, _, required, codec in every
                      if codec.canon is not None]
        self.every = every
        self.take = itemgetter(*info.columns)
        self.canon = [None if c.canon is None else Remembered(c.canon) for *_, c in every]
        self.allowed = [None if kind is None else {kind, NONE} for _, kind, _, _ in every]

    def __call__(self, batch: Batch) -> Checked:
        found = self._by_column(batch)
        if found is not None:
            return Checked(batch, self.info, found, False, batch.rows)
        self._by_row(batch)
        take = self.take if len(self.info.columns) > 1 else lambda row: (self.take(row),)
        values = [list(v) for v in zip(*map(take, batch.rows), strict=True)] or [
            [] for _ in self.info.columns]
        return Checked(batch, self.info, values, True, batch.rows)

    def _by_column(self, batch: Batch) -> list[list[Any]] | None:
        rows = batch.rows
        if len(self.info.columns) < 2 or not rows or set(map(type, rows)) != {dict} \
                or set(map(len, rows)) != {len(self.info.columns)}:
            return None
        try:  # every column there (and so no other)
            values = [list(v) for v in zip(*map(self.take, rows), strict=True)]
        except KeyError:
            return None
        for j, (_name, _kind, required, _codec) in enumerate(self.every):
            remembered, allowed = self.canon[j], self.allowed[j]
            if remembered is None:
                types = set(map(type, values[j]))
                if (allowed is not None and not types <= allowed) or (required and NONE in types):
                    return None
                continue
            try:
                values[j] = list(map(remembered.__getitem__, values[j]))
            except (BadValue, TypeError):  # TypeError: a value that is a list, say
                return None
            if required and None in values[j]:
                return None
        return values

    def _by_row(self, batch: Batch) -> None:
        """Check each row in place (the rows are left in canonical form)."""
        columns, typed, other, width = self.columns, self.typed, self.other, len(self.columns)
        for i, row in enumerate(batch.rows):
            if type(row) is not dict:
                raise InvalidInput(f"{self._where(batch, i)}: a row must be an object")
            if len(row) > width or not row.keys() <= columns:
                raise InvalidInput(f"{self._where(batch, i)}: unknown column(s) "
                                   f"{', '.join(sorted(set(row) - columns))}")
            name = ""
            try:
                for name, kind, required, codec in typed:
                    value = row.get(name)
                    if value is None:
                        if required:
                            raise InvalidInput(f"{self._where(batch, i)}: {name} is required")
                        row[name] = None
                    elif kind is not None and type(value) is not kind:
                        codec.check(value)  # raises BadValue, saying what was expected
                for name, required, canon in other:
                    value = row.get(name)
                    if value is None:
                        if required:
                            raise InvalidInput(f"{self._where(batch, i)}: {name} is required")
                        row[name] = None
                    else:
                        row[name] = canon(value)
            except BadValue as exc:
                raise InvalidInput(f"{self._where(batch, i)}: {name}: {exc}") from None

    def _where(self, batch: Batch, i: int) -> str:
        return batch.where(self.source, self.info.name, i)


class LinkRows:
    """Link rows once each: a row the file repeats is one row (stored once, so counted
    once); two rows with one key (``asset_id`` and ``key`` of an ``asset_field``) but
    other values are an error. A document read as it is written holds a table's link
    rows in the order of their key (``document.lines_of``), so a repeated key is the
    row before's; one in another order is read whole (``reading.NotStreamable``)."""

    def __init__(self, info: Shape, source: str, *, streamed: bool) -> None:
        self.info, self.source, self.streamed = info, source, streamed
        self.first: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
        self.last: tuple[tuple[str, ...], tuple[Any, ...], int, dict[str, Any]] | None = None

    def unique(self, checked: Checked) -> list[int]:
        """The indexes of the batch's rows that are not repeats."""
        kept, batch = [], checked.batch
        for i, row in enumerate(checked.rows()):
            key = tuple(row[k] for k in self.info.key)
            seen = self._seen(key, batch.first + i, row)
            if seen is None:
                kept.append(i)
            elif seen[1] != row:
                raise InvalidInput(f"{batch.where(self.source, self.info.name, i)}: the same "
                                   f"{', '.join(self.info.key)} as row {seen[0]}, with other "
                                   "values")
        return kept

    def _seen(self, key: tuple[Any, ...], n: int, row: dict[str, Any]
              ) -> tuple[int, dict[str, Any]] | None:
        if not self.streamed:
            found = self.first.setdefault(key, (n, row))
            return None if found[0] == n else found
        order = tuple(str(v) for v in key)
        if self.last is not None:
            if order < self.last[0]:
                raise NotStreamable
            if key == self.last[1]:
                return self.last[2], self.last[3]
        self.last = (order, key, n, row)
        return None


def natural_keys(info: Shape) -> list[tuple[str, ...]]:
    """The unique keys of its own (a budget's or a category's name, a goal's metric) by
    which a row of the file is a row here with another uid: for tables no other table
    refers to, so that no reference in the file names the uid it had."""
    from stuffctl.store.tables import TABLES

    referred = {t for table in TABLES.values() for t in table.foreign_keys.values()}
    if not info.has_uid or info.name in referred:
        return []
    return [k for k in TABLES[info.name].unique if k != ("uid",)]


def joined(checked: Iterable[Checked]) -> Batch:
    """A table's checked batches as one (a table read whole: ``natural_keys``)."""
    rows: list[Any] = []
    lines: list[int] | None = []
    for each in checked:
        batch = each.batch
        rows.extend(each.rows())
        if batch.lines is None or lines is None:
            lines = None
        else:
            lines.extend(batch.lines)
    return Batch(rows, 1, lines)


def adopt(conn: Db, info: Shape, rows: list[dict[str, Any]],
          keys: list[tuple[str, ...]]) -> None:
    """A row of the file that is, by a natural key, a row here with another uid takes
    the local uid, and the usual rules decide which copy wins."""
    for key in keys:
        here = {tuple(r[1:]): r[0] for r in conn.execute(
            f'SELECT uid, {", ".join(key)} FROM "{info.name}"').fetchall()}
        if not here:
            continue
        theirs = {row["uid"] for row in rows}
        for row in rows:
            local = here.get(tuple(row.get(c) for c in key))
            if local is not None and local != row["uid"] and local not in theirs:
                row["uid"] = local


def repeated(uids: list[str]) -> str:
    """The first uid of ``uids`` given before."""
    seen: set[str] = set()
    for uid in uids:
        if uid in seen:
            return uid
        seen.add(uid)
    raise ValueError("no uid is repeated")


def repeated_hash(hashes: array[int], uids: list[str]) -> str | None:
    """The uid of ``uids`` (the last batch of a table, its hashes at the end of
    ``hashes``) whose hash the table has had before, if one has."""
    earlier = set(hashes[:len(hashes) - len(uids)])
    return next((uid for uid in uids if hash(uid) in earlier), None)


def twice_error(source: str, uid: str, first: str, second: str) -> InvalidInput:
    return InvalidInput(f"{source}: uid {uid} appears twice ({first} and {second})")


def in_hashes(hashes: array[int] | None, uid: str) -> bool:
    return hashes is not None and hash(uid) in hashes


def twice(db: Db, source: str, hashes: dict[str, array[int]]) -> None:
    """No uid given twice in two tables of the file (twice in one table is found as the
    rows come: ``Merge._records``, ``Merge._here``), by the hash of every uid by table,
    kept as they come (8 bytes a row, in the order of the tables): those of all tables
    but the largest in a set, which the largest's must miss."""
    tables = sorted(hashes, key=lambda name: len(hashes[name]))
    if len(tables) < 2:
        return
    *smaller, largest = tables
    seen: set[int] = set()
    for name in smaller:
        if not seen.isdisjoint(hashes[name]):
            _name_twice(db, source, hashes, seen & set(hashes[name]))
        seen.update(hashes[name])
    if not seen.isdisjoint(hashes[largest]):
        _name_twice(db, source, hashes, seen.intersection(hashes[largest]))


def _name_twice(db: Db, source: str, hashes: dict[str, array[int]],
                repeated: set[int]) -> None:
    """Raise the error for a uid of one of the hashes ``repeated`` (uids of the file are
    all in their tables by now: read the tables that hold one)."""
    holders = [name for name, found in hashes.items() if repeated & set(found)]
    for name in holders:
        for (uid,) in db.execute(f'SELECT uid FROM "{name}"'):
            if hash(uid) in repeated:
                where = [t for t in holders if hash(uid) in hashes[t]]
                if len(where) > 1:
                    raise twice_error(source, uid, where[0], where[1])
    # two uids with one hash (once in 2**63): not the same uid after all


def circles(conn: Db, table: str, column: str, rows: list[tuple[str, str, bool]]) -> None:
    """No row inside itself: ``column`` (an asset's ``parent_id``) never leads round in a
    circle in the merged rows, as `asset edit --parent` refuses it. ``rows``: the file's
    rows that name one (uid, where it is, taken from the file), in the file's order."""
    if not any(taken for _, _, taken in rows):
        return
    parent: dict[str, str | None] = dict(conn.execute(
        f'SELECT c.uid, t.uid FROM "{table}" c JOIN "{table}" t ON t.id = c."{column}"'))
    where = {uid: place for uid, place, _ in rows}
    sound: set[str] = set()
    for start, place, taken in rows:
        if not taken:
            continue
        path: set[str] = set()
        uid: str | None = start
        while uid is not None and uid not in sound:
            if uid in path:
                raise InvalidInput(f"{where.get(uid, place)}: {column} {parent[uid]} is "
                                   f"inside this {table} already (a circle); nothing was "
                                   "imported")
            path.add(uid)
            uid = parent.get(uid)
        sound |= path
