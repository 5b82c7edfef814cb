"""Bringing an export document (or a share bundle) into a database, merging by uid.

Rules (docs/data.md#import):

- a row whose uid is new here is added;
- a row whose uid exists here and whose content is the same (ignoring
  ``created_at``/``updated_at``, counting its link rows such as tags) is left alone;
- otherwise the copy with the newer ``updated_at`` wins: a newer incoming row
  replaces the local one (``updated``), an older or equally old one is kept
  here and reported as a conflict;
- link rows (tables without uid) follow their owner: when the owner is taken
  from the file its link rows are replaced by the file's; link rows whose owner
  is not in the file are only ever added;
- a uid that names a row of another kind here, a reference to a uid found
  neither in the file nor here, a wrong format or a newer schema are errors
  (exit 2), and nothing is written.

The document is merged as it is read (``reading``; a large one is read and checked
by a helper process meanwhile, ``pipeline``), a table at a time, parents before
children, in batches: each batch is checked (``checks``), matched by uid against the
rows that were here before the import, and written at once, so memory does not grow
with the file. What a row's fate needs from later in the file is kept in the database
or in a few bytes per row: references to rows further on are filled in at the end
(``_Fixup``); an owner whose content is the same waits for its link rows, which are
set aside in temporary tables until the end decides it (``links``); each uid's hash
is kept to find one given twice (``checks.twice``). It all happens inside one
savepoint of the command's transaction, so an error, a dry run or a document to be
read whole after all (``reading.NotStreamable``) leaves the database as it was.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, cast

from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.services.data import checks, links
from stuffctl.services.data.checks import Checked
from stuffctl.services.data.document import (
    BLOB_COLUMNS,
    DECODE,
    FORMAT,
    FORMAT_VERSION,
    Remembered,
    Shape,
    in_list,
    select_columns,
    shapes,
)
from stuffctl.services.data.exchange import codecs
from stuffctl.services.data.reading import Batch, NotStreamable, Tables, in_memory
from stuffctl.store import bulk, schema, search, sql, undo
from stuffctl.store.handle import Db
from stuffctl.store.tables import TABLES

SAVEPOINT = "stuffctl_import"
# The page cache of an import (and so the memory its index builds sort in): 64 MB, as
# fast as 128 MB for the large home's million transactions, at 80 MB less peak memory.
CACHE_KIB = 65536


def decode(data: bytes, source: str) -> str:
    """The text of a document's bytes, as ``json.loads`` would decode them (UTF-8, or
    UTF-16/32 by their byte order). Decoding first lets the caller drop the bytes
    before parsing."""
    encoding = json.detect_encoding(data)
    try:  # strict first: 2.5 times as fast as "surrogatepass" on a large file
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    try:  # what json.loads also accepts: surrogates written out as UTF-8
        return data.decode(encoding, "surrogatepass")
    except UnicodeDecodeError:
        raise InvalidInput(f"{source}: not UTF-8 text") from None


def parse(text: str | bytes, source: str) -> dict[str, Any]:
    """The document in ``text``, checked for format and version; errors name the place."""
    from stuffctl.services.data.intake import load_json

    doc = load_json(decode(text, source) if isinstance(text, bytes) else text, source)
    check_header(doc, source)
    if not isinstance(doc.get("tables"), dict):
        raise InvalidInput(f"{source}: \"tables\" must be an object")
    return doc  # type: ignore[no-any-return]


def check_header(doc: Any, source: str) -> None:
    """A stuffctl export of a format and a schema this stuffctl reads."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(f"{source}: not a stuffctl export (no \"format\": \"{FORMAT}\")")
    if doc.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(f"{source}: format version {doc.get('format_version')!r} is not "
                           f"supported (this stuffctl reads {FORMAT_VERSION})")
    version = doc.get("schema_version")
    head = schema.head_revision()
    if not isinstance(version, str) or not (version.isascii() and version.isdigit()):
        raise InvalidInput(f"{source}: schema_version {version!r} is not a revision")
    if int(version) > int(head):
        raise InvalidInput(f"{source}: made with schema {version}, newer than this stuffctl "
                           f"({head}); upgrade stuffctl to import it")


def import_document(*, db: Db, doc: dict[str, Any], source: str,
                    dry_run: bool = False) -> dict[str, Any]:
    """Merge a parsed document; the import result (docs/json.md#import-result)."""
    return Merge(db, source).run(ordered(in_memory(doc, source), source), dry_run)


def ordered(tables: Tables, source: str) -> Tables:
    """The tables of a document in memory in the order the merge takes them (parents
    first), once each name is known."""
    order = {s.name: i for i, s in enumerate(shapes())}
    found = list(tables)
    for name, _batches in found:
        if name not in order:
            raise InvalidInput(f"{source}: unknown table {name!r}")
    return iter(sorted(found, key=lambda t: order[t[0]]))


# -- one import --------------------------------------------------------------------------


@dataclass
class _Fixup:
    """A reference to a row not merged yet when its row was (further on in the file)."""

    table: Shape
    where: str
    uid: str
    column: str
    target: str
    target_uid: str
    written: bool


class Merge:
    """One import: the file's tables merged into the database as they are read.
    ``streamed``: the tables come as the file holds them (``reading``), so one out of
    order is read whole instead (``reading.NotStreamable``); ``checked``: their batches
    come checked (``pipeline``)."""

    def __init__(self, db: Db, source: str, *, streamed: bool = False,
                 checked: bool = False) -> None:
        self.db, self.source, self.streamed, self.checked = db, source, streamed, checked
        self.infos = shapes()
        self.order = {s.name: i for i, s in enumerate(self.infos)}
        self.by_name = {s.name: s for s in self.infos}
        self.last = -1  # the order of the last table merged
        self.seen: set[str] = set()  # the tables merged
        # Rows up to these ids were here before the import; a table's rows after it are
        # the import's own (a writer holds the write lock).
        self.before: dict[str, int] = {
            s.name: db.one(f'SELECT coalesce(max(id), 0) FROM "{s.name}"')
            for s in self.infos if s.has_uid}
        self.counts: dict[str, dict[str, int]] = {}
        self.conflicts: list[tuple[int, int, dict[str, Any]]] = []
        self.status: dict[str, bytearray] = {}  # owner table → links.CHANGED… by id here
        self.hashes: dict[str, array[int]] = {}  # the hash of every uid, by table
        self.matched: dict[str, bytearray] = {}  # the ids here a uid of the file named
        self.fixups: list[_Fixup] = []
        self.parents: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}
        self.linked: set[str] = set()  # link tables the file has rows of
        self.blobs: set[str] = set()  # the stored files the file's rows name
        self.inserted: set[str] = set()  # uid tables rows were added to
        self.staged = links.Staged(self)

    def run(self, tables: Tables | Iterator[tuple[str, Iterator[Checked]]],
            dry_run: bool) -> dict[str, Any]:
        """Merge ``tables``; the import result. A dry run leaves nothing written."""
        db = self.db
        db.backend.defer_foreign_keys(db)
        bulk.large_cache(db, CACHE_KIB)
        db.execute(f"SAVEPOINT {SAVEPOINT}")
        try:
            for name, batches in tables:
                self._table(name, batches)
            self._finish()
        except NotStreamable:
            self._undo()
            raise
        except BaseException:
            with suppress(Exception):  # the command's rollback undoes it all anyway
                self._undo()
            raise
        if dry_run:
            self._undo()
        else:
            db.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
        return self.summary(dry_run)

    def _undo(self) -> None:
        """Take back everything written; a server's next ids are the ones they had."""
        self.db.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
        self.db.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
        self.db.backend.reuse_ids(self.db, sorted(self.inserted))

    def summary(self, dry_run: bool) -> dict[str, Any]:
        counts = {}
        for info in self.infos:
            found = self.counts.get(info.name, {})
            keys = ("added", "updated", "unchanged", "conflicts") if info.has_uid else (
                "added", "removed")
            n = {k: found.get(k, 0) for k in keys}
            if any(n.values()):
                counts[info.name] = n
        return {"file": self.source, "dry_run": dry_run, "tables": counts,
                "conflicts": [c for *_, c in sorted(self.conflicts, key=itemgetter(0, 1))]}

    def update(self, info: Shape, rows: list[dict[str, Any]],
               refs: dict[str, dict[str, int]]) -> None:
        update_rows(self, info, rows, refs)

    def count(self, table: str, what: str, n: int = 1) -> None:
        found = self.counts.setdefault(table, {})
        found[what] = found.get(what, 0) + n

    def conflict(self, info: Shape, n: int, uid: str) -> None:
        self.count(info.name, "conflicts")
        self.conflicts.append((self.order[info.name], n, {
            "table": info.name, "uid": uid, "kept": "local",
            "reason": "the copy here is as new or newer"}))

    # -- a table -------------------------------------------------------------------------

    def _table(self, name: str, batches: Iterator[Batch] | Iterator[Checked]) -> None:
        info = self.by_name.get(name)
        if info is None:
            raise InvalidInput(f"{self.source}: unknown table {name!r}")
        if self.order[name] <= self.last:
            raise NotStreamable  # after a table whose rows refer to its rows
        self.last = self.order[name]
        self.seen.add(name)
        check = checks.Rows(info, self.source)
        checked = cast("Iterator[Checked]", batches if self.checked else map(
            check, cast("Iterator[Batch]", batches)))
        if not info.has_uid:
            links.merge_links(self, info, checked)
            return
        natural = checks.natural_keys(info) if self.before[name] else []
        if natural:  # read whole (small by nature), its rows named as rows here
            whole = checks.joined(checked)
            checks.adopt(self.db, info, whole.rows, natural)
            checked = iter([check(whole)])
        with ExitStack() as stack:
            write = _Writer(self, info, stack)
            for batch in checked:
                self._records(info, batch, write)

    def _records(self, info: Shape, checked: Checked, write: _Writer) -> None:
        """Match, check and write a batch of a uid table's rows (checked already)."""
        name = info.name
        uids = checked.column("uid")
        distinct = set(uids)
        if len(distinct) < len(uids):
            raise checks.twice_error(self.source, checks.repeated(uids), name, name)
        self.hashes.setdefault(name, array("q")).extend(map(hash, uids))
        here = self._here(info, uids)
        self._other_kinds(info, [uid for uid in uids if uid not in here])
        refs, later = self.references(info, checked)
        new: list[int] | None = None  # the rows added (None: all of them)
        changed: list[dict[str, Any]] = []
        if here:
            new = [i for i, uid in enumerate(uids) if uid not in here]
            changed = self._match(info, checked, here)
        if later or name in info.fks.values():  # rows of this table refer to others of it
            written = (distinct - here.keys()) | {row["uid"] for row in changed}
            self._defer(info, checked, later, written)
            self._note_parents(info, checked, written)
        if name in BLOB_COLUMNS:
            self.blobs.update(h for h in checked.column(BLOB_COLUMNS[name]) if isinstance(h, str))
        try:
            write.insert(checked, new, refs)
        except Exception:
            # A table that was empty: a uid of the file's twice is refused by the table's
            # key (not looked up first); say which, or what else it was.
            if (twice := checks.repeated_hash(self.hashes[name], uids)) is not None:
                raise checks.twice_error(self.source, twice, name, name) from None
            raise
        if changed:
            update_rows(self, info, changed, refs)

    def _match(self, info: Shape, checked: Checked, here: dict[str, int]
               ) -> list[dict[str, Any]]:
        """Decide the rows of the batch that are here: the same (left alone), set aside
        (an owner: its link rows decide, at the end), a conflict, or newer (returned).
        Rows are compared as tuples of their values in file form, but for when and by
        whom they were written."""
        name, first = info.name, checked.batch.first
        mine = _local_rows(self.db, info, list(here.values()))
        content = itemgetter(*(i for i, c in enumerate(info.columns) if c not in STAMPS))
        stamp = info.columns.index("updated_at")
        changed: list[int] = []
        kept: list[int] = []
        pending: list[tuple[int, int, str, int | None]] = []
        at_uid = info.columns.index("uid")
        for i, theirs in enumerate(zip(*checked.values, strict=True)):
            uid = theirs[at_uid]
            ident = here.get(uid)
            if ident is None:
                continue
            local = mine[uid]
            newer = theirs[stamp] > local[stamp]
            if content(theirs) != content(local):
                (changed if newer else kept).append(i)
            elif name in self.status:  # the same, unless its link rows differ
                pending.append((ident, first + i, uid, i if newer else None))
            else:
                self.count(name, "unchanged")
        for i in kept:
            uid = checked.values[at_uid][i]
            self.conflict(info, first + i, uid)
            self._mark(name, here[uid], links.KEPT)
        rows = checked.rows(changed)
        for row in rows:
            self._mark(name, here[row["uid"]], links.CHANGED)
        self.staged.pend(info, [(ident, n, uid, None if at is None else checked.rows([at])[0])
                                for ident, n, uid, at in pending])
        return rows

    def _mark(self, table: str, ident: int, state: int) -> None:
        if table in self.status:
            self.status[table][ident] = state

    def _other_kinds(self, info: Shape, uids: list[str]) -> None:
        """No uid of the batch that is new to its table names a row of another kind that
        was here (a uid is never reused: that would be a clash, not a merge)."""
        every = ""
        for other, last in self.before.items():
            if not last or other == info.name or not uids:
                continue
            every = every or json.dumps(uids)
            # by the uid index (a condition on the id could make it a scan of the table)
            found = next((uid for uid, ident in self.db.execute(
                f'SELECT uid, id FROM "{other}" WHERE {self.db.backend.in_list("uid")}',
                (every,)) if ident <= last), None)
            if found is None:
                continue
            if checks.in_hashes(self.hashes.get(other), found):
                raise checks.twice_error(self.source, found, other, info.name)
            raise InvalidInput(f"{self.source}: uid {found} is a {info.name} in the "
                               f"file but a {other} here; nothing was imported")

    def _here(self, info: Shape, uids: list[str]) -> dict[str, int]:
        """The batch's uids that name rows of its table here before the import, with
        their ids; a uid of a row the import added is one the file gives twice (in a
        table empty before, the insert finds those: ``_records``)."""
        last = self.before[info.name]
        if not last:
            return {}
        here = {}
        matched = self.matched.setdefault(info.name, bytearray(last + 1))
        for uid, ident in self.db.execute(f'SELECT uid, id FROM "{info.name}" WHERE '
                                          f'{self.db.backend.in_list("uid")}', (json.dumps(uids),)):
            if ident > last or matched[ident]:  # added by this import, or matched before
                raise checks.twice_error(self.source, uid, info.name, info.name)
            matched[ident] = 1
            here[uid] = ident
        if here and info.name not in self.status and links.tables_of(self.infos, info.name):
            self.status[info.name] = bytearray(last + 1)
        return here

    def references(self, info: Shape, checked: Checked
                   ) -> tuple[dict[str, dict[str, int]], dict[str, set[str]]]:
        """Each foreign key's uids in a checked batch with the ids they name (rows of the
        file merged already, or here), and those that may come further on in the file (of
        its own table); a reference to nowhere is an error naming the first row that
        makes it."""
        refs: dict[str, dict[str, int]] = {}
        later: dict[str, set[str]] = {}
        for column, target in info.fks.items():
            values = checked.column(column)
            if values.count(None) == len(values):
                refs[column] = {}
                continue
            wanted = set(values) - {None}
            found = dict(self.db.execute(
                f'SELECT uid, id FROM "{target}" WHERE {self.db.backend.in_list("uid")}',
                (json.dumps(sorted(wanted)),))) if wanted else {}
            refs[column] = found
            missing = wanted - found.keys()
            if not missing:
                continue
            if self.order[target] >= self.order[info.name]:
                later[column] = missing
                continue
            if self.streamed and target not in self.seen:
                raise NotStreamable  # its table may come further on, out of order
            i = next(i for i, value in enumerate(values) if value in missing)
            raise InvalidInput(f"{checked.batch.where(self.source, info.name, i)}: {column} "
                               f"refers to {target} {values[i]}, which is neither in the "
                               "file nor here")
        return refs, later

    def _defer(self, info: Shape, checked: Checked, later: dict[str, set[str]],
               written: set[str]) -> None:
        """Keep the references to rows further on, to be filled in at the end."""
        uids = checked.column("uid")
        for column, missing in later.items():
            for i, value in enumerate(checked.column(column)):
                if value not in missing:
                    continue
                if uids[i] in written and column in info.required:
                    raise OperationFailed(f"{self.source}: {info.name} {uids[i]}: "
                                          f"{column} refers to a row not written yet")
                self.fixups.append(_Fixup(info, checked.batch.where(self.source, info.name, i),
                                          uids[i], column, info.fks[column], value,
                                          uids[i] in written))

    def _note_parents(self, info: Shape, checked: Checked, written: set[str]) -> None:
        """Rows of the file inside another row of their own table (an asset's parent),
        for the check that none is inside itself (``checks.circles``)."""
        uids = checked.column("uid")
        for column, target in info.fks.items():
            if target == info.name:
                self.parents.setdefault((info.name, column), []).extend(
                    (uids[i], checked.batch.where(self.source, info.name, i),
                     uids[i] in written)
                    for i, value in enumerate(checked.column(column)) if value is not None)

    # -- the end -------------------------------------------------------------------------

    def _finish(self) -> None:
        checks.twice(self.db, self.source, self.hashes)
        for fix in self.fixups:
            found = self.db.one(f'SELECT id FROM "{fix.target}" WHERE uid = ?',
                                (fix.target_uid,))
            if found is None:
                raise InvalidInput(f"{fix.where}: {fix.column} refers to {fix.target} "
                                   f"{fix.target_uid}, which is neither in the file nor here")
            if fix.written:
                self.db.execute(f'UPDATE "{fix.table.name}" SET "{fix.column}" = ? '
                                "WHERE uid = ?", (found, fix.uid))
        for (table, column), rows in self.parents.items():
            checks.circles(self.db, table, column, rows)
        self.staged.settle()

    # -- values ----------------------------------------------------------------------------

    def values(self, info: Shape, refs: dict[str, dict[str, int]]
               ) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """A function turning a checked file row into its parameters (``info.columns``
        order) in storage form, uids resolved to local ids (``refs``; one further on
        is filled in at the end)."""
        columns = info.columns
        take = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
        steps = [(i, c.store) for i, c in enumerate(codecs(info)) if c.store]
        ids = [(i, refs[name]) for i, name in enumerate(columns) if name in info.fks]

        def values(row: dict[str, Any]) -> tuple[Any, ...]:
            # The hot loop: locals only, a call only where a value changes form.
            found = list(take(row))
            for i, store in steps:
                if found[i] is not None:
                    found[i] = store(found[i])
            for i, known in ids:
                if found[i] is not None:
                    found[i] = known.get(found[i])
            return tuple(found)

        return values


class _Writer:
    """The inserts of one uid table. Its new rows join the search index and the undo
    journal in one statement each at the end of the table (``store.search``,
    ``store.undo``), and once they outnumber the rows it had, its plain indexes are
    built at the end too (``store.bulk``), not an entry per row."""

    def __init__(self, merge: Merge, info: Shape, stack: ExitStack) -> None:
        self.merge, self.info, self.stack = merge, info, stack
        self.added = 0
        self.started = self.deferred = False
        self.stores = [None if c.store is None else Remembered(c.store) for c in codecs(info)]
        self.defaults = TABLES[info.name].defaults

    def insert(self, checked: Checked, indexes: list[int] | None,
               refs: dict[str, dict[str, int]]) -> None:
        """Add the rows of ``checked`` at ``indexes`` (None: all)."""
        count = checked.count if indexes is None else len(indexes)
        if not count:
            return
        db, name = self.merge.db, self.info.name
        if not self.started:
            self.started = True
            self.stack.enter_context(search.bulk_insert(db, name))
            self.stack.enter_context(undo.bulk_insert(db, name))
        if not self.deferred and self.added + count >= bulk.WORTH_IT:
            self.deferred = True
            had = db.one(f'SELECT count(*) FROM "{name}"') - self.added
            if self.added + count > had:
                self.stack.enter_context(bulk.rebuilt_indexes(db, name))
        self.merge.inserted.add(name)
        sql.insert_many(db, name, *self._parameters(checked, indexes, refs))
        self.added += count
        self.merge.count(name, "added", count)

    def _parameters(self, checked: Checked, indexes: list[int] | None,
                    refs: dict[str, dict[str, int]]
                    ) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        """The columns to write and the rows' values of them in storage form, made a
        column at a time (``map``: no Python call per value where values repeat), uids
        resolved to local ids (one further on is filled in at the end). A column empty
        in every row of the batch is left out (it is NULL all the same: nothing declares
        it a default), which makes SQLite's insert of a row with many such columns
        (a transaction's links, memo and fingerprint) about twice as fast."""
        names, columns = [], []
        for j, name in enumerate(self.info.columns):
            given = checked.values[j]
            if indexes is not None:
                given = [given[i] for i in indexes]
            if given.count(None) == len(given) and name not in self.defaults:
                continue
            values: Iterable[Any] = given
            store = self.stores[j]
            if store is not None:
                values = map(store.__getitem__, values)
            if name in refs:
                values = map(refs[name].get, values)
            names.append(name)
            columns.append(values)
        return names, zip(*columns, strict=True)


def update_rows(merge: Merge, info: Shape, rows: list[dict[str, Any]],
                refs: dict[str, dict[str, int]]) -> None:
    """Replace the rows here of the same uids with ``rows`` (their newer copies)."""
    values = merge.values(info, refs)
    sets = ", ".join(f'"{c}" = ?' for c in info.columns)
    merge.db.executemany(f'UPDATE "{info.name}" SET {sets} WHERE uid = ?',
                         [(*values(r), r["uid"]) for r in rows])
    merge.count(info.name, "updated", len(rows))


STAMPS = ("created_at", "updated_at", "created_by", "updated_by")


def _local_rows(conn: Db, info: Shape, ids: list[int]) -> dict[str, tuple[Any, ...]]:
    """The rows ``ids`` of ``info`` here, as tuples of their values in file form (as
    ``services.data.document`` writes them), by uid."""
    decode = [None if fn is None else Remembered(fn) for fn in map(DECODE.get, info.kinds)]
    found = conn.execute(f"{select_columns(info)} WHERE {in_list(conn.backend, 'id')}",
                         (json.dumps(ids),)).fetchall()
    if not found:
        return {}
    columns = [col if fn is None else map(fn.__getitem__, col)
               for col, fn in zip(zip(*found, strict=True), decode, strict=True)]
    at_uid = info.columns.index("uid")
    return {row[at_uid]: row for row in zip(*columns, strict=True)}


