"""Link rows (tables without uid, such as ``asset_tag``) in an import (``merge``): they
follow the row they belong to, their *owner*.

- an owner taken from the file (new, or newer) has its link rows replaced by the
  file's (when the file has rows of that table);
- an owner the file leaves as it is here keeps its own;
- link rows whose owner is not in the file are only ever added.

An owner whose content is the same as here is the same only if its link rows are
too, and those come later in the file. Such owners, and their link rows, are set
aside in temporary tables (``Staged``), never in memory, and decided at the end:
unchanged, updated (the newer copy, with its link rows), or a conflict.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any, Protocol

from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.services.data.checks import Checked
from stuffctl.services.data.document import Shape, decoder, in_list, select_columns
from stuffctl.services.data.exchange import codecs, encode, storage_value
from stuffctl.store import search, sql, undo
from stuffctl.store.handle import Db

SETTLE = 500  # owners decided at a time at the end
# What the file made of an owner that was here (``Merge.status``), by its local id.
NOT_IN_FILE, CHANGED, KEPT, PENDING, PENDING_NEWER = range(5)


class Merge(Protocol):
    """What the link rows need of the import they are part of (``merge.Merge``)."""

    db: Db
    source: str
    streamed: bool
    infos: tuple[Shape, ...]
    before: dict[str, int]  # the largest id of each uid table before the import
    status: dict[str, bytearray]  # owner table → what the file made of each row here
    linked: set[str]  # link tables the file has rows of
    staged: Staged

    def count(self, table: str, what: str, n: int = 1) -> None: ...

    def conflict(self, info: Shape, n: int, uid: str) -> None: ...

    def references(self, info: Shape, checked: Checked
                   ) -> tuple[dict[str, dict[str, int]], dict[str, set[str]]]: ...

    def values(self, info: Shape, refs: dict[str, dict[str, int]]
               ) -> Callable[[dict[str, Any]], tuple[Any, ...]]: ...

    def update(self, info: Shape, rows: list[dict[str, Any]],
               refs: dict[str, dict[str, int]]) -> None: ...


def tables_of(infos: tuple[Shape, ...], owner: str) -> list[Shape]:
    """The link tables whose rows belong to rows of ``owner``."""
    return [i for i in infos if i.owner and i.fks[i.owner] == owner]


def merge_links(merge: Merge, info: Shape, batches: Iterator[Checked]) -> None:
    """Merge a link table's rows (``batches``: checked as they come)."""
    from stuffctl.services.data import checks

    owner = info.owner
    if owner is None:
        raise InvalidInput(f"{merge.source}: table {info.name} has no owner to merge by")
    target = info.fks[owner]
    once = checks.LinkRows(info, merge.source, streamed=merge.streamed)
    status, last = merge.status.get(target), merge.before[target]
    with ExitStack() as stack:
        for checked in batches:
            rows = checked.rows()  # as dicts of canonical values
            kept = once.unique(checked)
            refs, later = merge.references(info, checked)
            if later:
                raise OperationFailed(f"{merge.source}: {info.name}: "
                                      f"{', '.join(later)} refers to a row not written yet")
            if info.name not in merge.linked:  # the file's rows replace those of owners taken
                merge.linked.add(info.name)
                stack.enter_context(search.bulk_insert(merge.db, info.name))
                stack.enter_context(undo.bulk_insert(merge.db, info.name))
                merge.count(info.name, "removed", _unlink(merge, info, status))
            add, pending = [], []
            for i in kept:
                row = rows[i]
                ident = refs[owner][row[owner]]
                state = CHANGED if ident > last else NOT_IN_FILE if status is None \
                    else status[ident]
                if state == CHANGED:
                    add.append(row)
                elif state == NOT_IN_FILE:
                    if not _present(merge, info, row, refs):
                        add.append(row)
                elif state != KEPT:
                    pending.append((ident, row))
            merge.count(info.name, "added", insert(merge, info, add, refs))
            merge.staged.stage(info, pending)


def insert(merge: Merge, info: Shape, rows: list[dict[str, Any]],
           refs: dict[str, dict[str, int]]) -> int:
    """Add link rows (a row stored already is left out by its key); how many were given."""
    if rows:
        sql.insert_many(merge.db, info.name, info.columns,
                        map(merge.values(info, refs), rows), skip_duplicates=True)
    return len(rows)


def _unlink(merge: Merge, info: Shape, status: bytearray | None) -> int:
    """Remove the link rows here of the owners the file replaces; how many."""
    changed = [] if status is None else [i for i, s in enumerate(status) if s == CHANGED]
    return _delete(merge, info, changed) if changed else 0


def _delete(merge: Merge, info: Shape, owners: list[int]) -> int:
    assert info.owner is not None
    found = merge.db.execute(f'DELETE FROM "{info.name}" WHERE '
                             f'{in_list(merge.db.backend, info.owner)}', (json.dumps(owners),))
    return int(found.rowcount)


def _present(merge: Merge, info: Shape, row: dict[str, Any],
             refs: dict[str, dict[str, int]]) -> bool:
    """Whether the link row ``row`` is here already (by its key)."""
    by_name = {c.name: c for c in codecs(info)}
    values = []
    for name in info.key:
        value = row[name]
        if name in info.fks:
            value = refs[name].get(value)
        values.append(storage_value(by_name[name], value) if name in by_name else value)
    # key columns are never NULL (the primary key): `=` is `IS` here, on every database
    where = " AND ".join(f'"{name}" = ?' for name in info.key)
    return merge.db.execute(f'SELECT 1 FROM "{info.name}" WHERE {where}',
                            tuple(values)).fetchone() is not None


def _here(merge: Merge, link: Shape, owner_ids: list[int]) -> list[dict[str, Any]]:
    """The link rows here of ``owner_ids``, as file rows."""
    assert link.owner is not None
    rows = merge.db.execute(f"{select_columns(link)} WHERE "
                            f"{in_list(merge.db.backend, link.owner)}", (json.dumps(owner_ids),))
    return list(map(decoder(link), rows))


def _frozen(row: dict[str, Any]) -> str:
    return json.dumps({k: encode(v) for k, v in row.items()}, sort_keys=True)


class Staged:
    """Owners whose content is the same as here, and the file's link rows of them, kept
    in temporary tables until the end of the import decides them (``settle``)."""

    def __init__(self, merge: Merge) -> None:
        self.merge = merge
        self.owners: set[str] = set()  # tables with owners set aside

    def _make(self) -> None:
        for statement in (
                "CREATE TEMPORARY TABLE IF NOT EXISTS stuffctl_pending (owner TEXT, id BIGINT,"
                " n BIGINT, uid TEXT, newer INTEGER, body TEXT)",
                "CREATE TEMPORARY TABLE IF NOT EXISTS stuffctl_linked (link TEXT, owner_id "
                "BIGINT, body TEXT)",
                "CREATE INDEX IF NOT EXISTS stuffctl_pending_n ON stuffctl_pending (owner, n)",
                "CREATE INDEX IF NOT EXISTS stuffctl_linked_owner ON stuffctl_linked (owner_id)",
                "DELETE FROM stuffctl_pending", "DELETE FROM stuffctl_linked"):
            self.merge.db.execute(statement)

    def pend(self, info: Shape, owners: list[tuple[int, int, str, dict[str, Any] | None]]
             ) -> None:
        """Set aside ``owners``: (id here, row number in the file, uid, the row if it is
        newer than the one here, else None)."""
        if not owners:
            return
        if not self.owners:
            self._make()
        self.owners.add(info.name)
        status = self.merge.status[info.name]
        for ident, _n, _uid, row in owners:
            status[ident] = PENDING if row is None else PENDING_NEWER
        self.merge.db.executemany(
            "INSERT INTO stuffctl_pending VALUES (?, ?, ?, ?, ?, ?)",
            [(info.name, ident, n, uid, int(row is not None), None if row is None
              else json.dumps(row)) for ident, n, uid, row in owners])

    def stage(self, link: Shape, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Set aside link rows (owner id here, row) of owners set aside."""
        if rows:
            self.merge.db.executemany("INSERT INTO stuffctl_linked VALUES (?, ?, ?)",
                                      [(link.name, i, json.dumps(r)) for i, r in rows])

    def settle(self) -> None:
        """Decide every owner set aside, in the file's order."""
        for owner in [i for i in self.merge.infos if i.name in self.owners]:
            last = 0
            while chunk := self.merge.db.execute(
                    "SELECT id, n, uid, newer, body FROM stuffctl_pending WHERE owner = ? "
                    "AND n > ? ORDER BY n LIMIT ?", (owner.name, last, SETTLE)).fetchall():
                self._decide(owner, chunk)
                last = chunk[-1][1]

    def _decide(self, owner: Shape, chunk: list[Any]) -> None:
        merge = self.merge
        ids = [ident for ident, *_ in chunk]
        theirs: dict[tuple[str, int], list[str]] = defaultdict(list)
        for link, ident, body in merge.db.execute(
                "SELECT link, owner_id, body FROM stuffctl_linked WHERE "
                f"{in_list(merge.db.backend, 'owner_id')}", (json.dumps(ids),)):
            theirs[link, ident].append(body)
        mine: dict[tuple[str, str], list[str]] = defaultdict(list)
        kinds = tables_of(merge.infos, owner.name)
        for link in kinds:
            assert link.owner is not None
            for row in _here(merge, link, ids):
                mine[link.name, row[link.owner]].append(_frozen(row))
        for ident, n, uid, newer, body in chunk:
            if all(sorted(_frozen(json.loads(r)) for r in theirs[link.name, ident])
                   == sorted(mine[link.name, uid]) for link in kinds):
                merge.count(owner.name, "unchanged")
            elif newer:
                self._replace(owner, ident, json.loads(body),
                              {link.name: theirs[link.name, ident] for link in kinds})
            else:
                merge.conflict(owner, n, uid)

    def _replace(self, owner: Shape, ident: int, row: dict[str, Any],
                 theirs: dict[str, list[str]]) -> None:
        """The newer copy of an owner whose link rows differ: it, and its link rows of
        the tables the file has rows of (those of the others stay)."""
        merge = self.merge
        merge.update(owner, [row], merge.references(owner, Checked.of(owner, [row]))[0])
        for link in tables_of(merge.infos, owner.name):
            if link.name in merge.linked:
                merge.count(link.name, "removed", _delete(merge, link, [ident]))
                rows = [json.loads(r) for r in theirs[link.name]]
                refs = merge.references(link, Checked.of(link, rows))[0]
                merge.count(link.name, "added", insert(merge, link, rows, refs))
