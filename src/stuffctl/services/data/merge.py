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
  (exit 2) found before anything is written.

Everything is validated and planned first; ``apply`` then writes in one
transaction with bulk statements.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.services.data.document import (
    FORMAT,
    FORMAT_VERSION,
    Shape,
    Uids,
    decoder,
    in_list,
    select_columns,
    shapes,
)
from stuffctl.services.data.exchange import BadValue, codecs, encode, storage_value
from stuffctl.store import bulk, schema, search, sql, undo
from stuffctl.store.handle import Db


def decode(data: bytes, source: str) -> str:
    """The text of a document's bytes, as ``json.loads`` would decode them (UTF-8, or
    UTF-16/32 by their byte order). Decoding first lets the caller drop the bytes
    before parsing: a full export's bytes are half a gigabyte."""
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
    if not isinstance(doc.get("tables"), dict):
        raise InvalidInput(f"{source}: \"tables\" must be an object")
    return doc


@dataclass
class Plan:
    source: str
    infos: tuple[Shape, ...]
    rows: dict[str, list[dict[str, Any]]]  # decoded file rows per table
    new: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    same: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    taken: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # uids from file
    local_ids: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    links: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self, dry_run: bool) -> dict[str, Any]:
        counts = {}
        for info in self.infos:
            name = info.name
            if info.has_uid:
                n = {"added": len(self.new[name]), "updated": len(self.changed[name]),
                     "unchanged": self.same[name],
                     "conflicts": sum(1 for c in self.conflicts if c["table"] == name)}
            else:
                n = self.links.get(name, {"added": 0, "removed": 0})
            if any(n.values()):
                counts[name] = n
        return {"file": self.source, "dry_run": dry_run, "tables": counts,
                "conflicts": self.conflicts}


def _rows(doc: dict[str, Any], infos: tuple[Shape, ...], source: str
          ) -> dict[str, list[Any]]:
    """The file's rows per table, checked and with every value in canonical file form.

    The row objects of the document are updated in place (a full export has
    millions of them: a second copy would double the memory an import needs).
    """
    known = {i.name: i for i in infos}
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in doc["tables"].items():
        info = known.get(name)
        if info is None:
            raise InvalidInput(f"{source}: unknown table {name!r}")
        if not isinstance(rows, list):
            raise InvalidInput(f"{source}: table {name!r} must be an array of rows")
        _check_rows(info, rows, f"{source}: {name} row")
        out[name] = rows if info.has_uid else _unique_links(info, rows,
                                                             f"{source}: {name} row")
    return out


def _unique_links(info: Shape, rows: list[dict[str, Any]], where: str
                  ) -> list[dict[str, Any]]:
    """Link rows once each: a row the file repeats is one row (stored once, so counted
    once); two rows with one key (``asset_id`` and ``key`` of an ``asset_field``) but
    other values are an error."""
    first: dict[tuple[Any, ...], int] = {}
    unique = []
    for n, row in enumerate(rows, 1):
        seen = first.setdefault(tuple(row[k] for k in info.key), n)
        if seen == n:
            unique.append(row)
        elif rows[seen - 1] != row:
            raise InvalidInput(f"{where} {n}: the same {', '.join(info.key)} as row {seen}, "
                               "with other values")
    return unique


def _check_rows(info: Shape, rows: list[Any], where: str) -> None:
    """Check every row in place: unknown or missing columns, each value by its codec.

    The hot loop of a large import: plain type checks (``Codec.kind``) inline, a
    call only for the values that change form (dates, timestamps, floats), and
    those remember what they converted (a file repeats its timestamps). Checking a
    column at a time with ``map`` was measured slower (16 passes over a million
    dicts cost more than one).
    """
    columns, every = set(info.columns), [(c.name, c.kind, c.required, c) for c in codecs(info)]
    typed = [entry for entry in every if entry[3].canon is None]
    other = [(name, required, codec.canon) for name, _, required, codec in every
             if codec.canon is not None]
    for n, row in enumerate(rows, 1):
        if type(row) is not dict:
            raise InvalidInput(f"{where} {n}: a row must be an object")
        if len(row) > len(columns) or not row.keys() <= columns:
            raise InvalidInput(f"{where} {n}: unknown column(s) "
                               f"{', '.join(sorted(set(row) - columns))}")
        name = ""
        try:
            for name, kind, required, codec in typed:
                value = row.get(name)
                if value is None:
                    if required:
                        raise InvalidInput(f"{where} {n}: {name} is required")
                    row[name] = None
                elif kind is not None and type(value) is not kind:
                    codec.check(value)  # raises BadValue, saying what was expected
            for name, required, canon in other:
                value = row.get(name)
                if value is None:
                    if required:
                        raise InvalidInput(f"{where} {n}: {name} is required")
                    row[name] = None
                else:
                    row[name] = canon(value)
        except BadValue as exc:
            raise InvalidInput(f"{where} {n}: {name}: {exc}") from None


def plan(db: Db, doc: dict[str, Any], source: str) -> Plan:
    """Check the document against this database and work out what to write."""
    infos = shapes()
    p = Plan(source, infos, _rows(doc, infos, source))
    _adopt_natural_keys(db, p)
    _check_uids(db, p)
    uids = Uids(db)
    for info in infos:
        if info.has_uid and p.rows.get(info.name):
            _classify(db, p, info, uids)
    _check_references(db, p)
    _check_cycles(db, p)
    _plan_links(db, p, uids)
    return p


def _adopt_natural_keys(conn: Db, p: Plan) -> None:
    """A row of the file that is, by a unique key of its own (a budget's or a category's
    name, a goal's metric), a row here with another uid is that row: it takes the local
    uid, and the usual rules decide which copy wins. Only for tables no other table
    refers to, so that no reference in the file names the uid it had."""
    from stuffctl.store.tables import TABLES

    referred = {t for table in TABLES.values() for t in table.foreign_keys.values()}
    for info in p.infos:
        rows = p.rows.get(info.name) if info.has_uid and info.name not in referred else None
        keys = [k for k in TABLES[info.name].unique if k != ("uid",)] if rows else []
        for key in keys:
            here = {tuple(r[1:]): r[0] for r in conn.execute(
                f'SELECT uid, {", ".join(key)} FROM "{info.name}"').fetchall()}
            if not here:
                continue
            theirs = {row["uid"] for row in rows or ()}
            for row in rows or ():
                local = here.get(tuple(row.get(c) for c in key))
                if local is not None and local != row["uid"] and local not in theirs:
                    row["uid"] = local


def _check_uids(conn: Db, p: Plan) -> None:
    """Each uid once in the file, and not a row of another kind here."""
    kinds: dict[str, str] = {}
    for info in p.infos:
        rows = p.rows.get(info.name, []) if info.has_uid else []
        before = len(kinds)
        kinds.update(dict.fromkeys(map(itemgetter("uid"), rows), info.name))
        if len(kinds) != before + len(rows):  # a uid seen twice: find it, say where
            seen: dict[str, str] = {}
            for other in p.infos:
                for row in p.rows.get(other.name, []) if other.has_uid else []:
                    if row["uid"] in seen:
                        raise InvalidInput(f"{p.source}: uid {row['uid']} appears twice "
                                           f"({seen[row['uid']]} and {other.name})")
                    seen[row["uid"]] = other.name
    every = None
    for info in p.infos:
        if not info.has_uid or conn.execute(
                f'SELECT NOT EXISTS (SELECT 1 FROM "{info.name}")').fetchone()[0]:
            continue
        every = every or json.dumps(sorted(kinds))
        # One statement per table: the uid index is probed for each uid of the file.
        found = conn.execute(
            f'SELECT uid, id FROM "{info.name}" WHERE {conn.backend.in_list("uid")}', (every,))
        for uid, ident in found:
            if kinds[uid] != info.name:
                raise InvalidInput(f"{p.source}: uid {uid} is a {kinds[uid]} in the "
                                   f"file but a {info.name} here; nothing was imported")
            p.local_ids[info.name][uid] = ident


def _classify(conn: Db, p: Plan, info: Shape, uids: Uids) -> None:
    here = p.local_ids[info.name]
    if not here:  # none of the file's rows is here (a restore into a new home): all new
        p.new[info.name].extend(p.rows[info.name])
        p.taken[info.name].update(map(itemgetter("uid"), p.rows[info.name]))
        return
    local = _local_rows(conn, info, uids, list(here.values()))
    for row in p.rows[info.name]:
        mine = local.get(row["uid"])
        if mine is None:
            p.new[info.name].append(row)
            p.taken[info.name].add(row["uid"])
            continue
        theirs = {k: encode(v) for k, v in row.items()}
        if _same(theirs, mine) and _links_same(conn, p, info, row["uid"], uids):
            p.same[info.name] += 1
        elif theirs["updated_at"] > mine["updated_at"]:
            p.changed[info.name].append(row)
            p.taken[info.name].add(row["uid"])
        else:
            p.conflicts.append({"table": info.name, "uid": row["uid"],
                                "kept": "local", "reason": "the copy here is as new or newer"})


STAMPS = ("created_at", "updated_at", "created_by", "updated_by")


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same content: every column but when and by whom it was written."""
    return {k: v for k, v in a.items() if k not in STAMPS} == {
        k: v for k, v in b.items() if k not in STAMPS}


def _local_rows(conn: Db, info: Shape, uids: Uids,
                ids: list[int]) -> dict[str, dict[str, Any]]:
    """The rows ``ids`` of ``info`` here, as file rows (``services.data.document``), by uid."""
    file_row = decoder(info, uids)
    rows = conn.execute(f"{select_columns(info)} WHERE {in_list(conn.backend, 'id')}",
                        (json.dumps(ids),))
    return {row["uid"]: row for row in map(file_row, rows)}


def _link_tables(p: Plan, owner: Shape) -> list[Shape]:
    return [i for i in p.infos if i.owner and i.fks[i.owner] == owner.name]


def _links_same(conn: Db, p: Plan, owner: Shape, uid: str, uids: Uids) -> bool:
    ident = p.local_ids[owner.name][uid]
    for link in _link_tables(p, owner):
        assert link.owner is not None
        theirs = [r for r in p.rows.get(link.name, []) if r[link.owner] == uid]
        mine = _link_rows(conn, link, [ident], uids)
        if sorted(map(_frozen, (_enc(r) for r in theirs))) != sorted(map(_frozen, mine)):
            return False
    return True


def _enc(row: dict[str, Any]) -> dict[str, Any]:
    return {k: encode(v) for k, v in row.items()}


def _frozen(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True)


def _link_rows(conn: Db, link: Shape, owner_ids: list[int],
               uids: Uids) -> list[dict[str, Any]]:
    assert link.owner is not None
    rows = conn.execute(f"{select_columns(link)} WHERE {in_list(conn.backend, link.owner)}",
                        (json.dumps(owner_ids),))
    return list(map(decoder(link, uids), rows))


def _check_references(conn: Db, p: Plan) -> None:
    """Every uid a file row refers to is in the file or here (the local ids of those
    here but not in the file are added to ``p.local_ids``)."""
    in_file = {i.name: set(map(itemgetter("uid"), p.rows.get(i.name, [])))
               for i in p.infos if i.has_uid}
    for info in p.infos:
        rows = p.rows.get(info.name, [])
        for column, target in info.fks.items():
            if target not in in_file or not rows:
                continue
            # One set difference per column; the row is only looked for when one is missing.
            known = in_file.get(target, set())
            missing = set(map(itemgetter(column), rows)) - known - {None}
            missing.difference_update(p.local_ids[target])
            if missing:  # rows here that the file does not hold
                p.local_ids[target].update(conn.execute(
                    f'SELECT uid, id FROM "{target}" WHERE {in_list(conn.backend, "uid")}',
                    (json.dumps(sorted(missing)),)))
                missing.difference_update(p.local_ids[target])
            if missing:
                n, row = next((n, r) for n, r in enumerate(rows, 1) if r[column] in missing)
                raise InvalidInput(f"{p.source}: {info.name} row {n}: {column} refers to "
                                   f"{target} {row[column]}, which is neither in the "
                                   "file nor here")


def _check_cycles(conn: Db, p: Plan) -> None:
    """No row inside itself: a reference to the same table (an asset's ``parent_id``)
    never leads round in a circle once the file's rows are merged with those here, as
    `asset edit --parent` refuses it."""
    for info in p.infos:
        taken = p.taken[info.name]
        for column in (c for c, target in info.fks.items() if target == info.name):
            if not any(row[column] for row in p.rows.get(info.name, [])
                       if row["uid"] in taken):
                continue
            parent: dict[str, str | None] = dict(conn.execute(
                f'SELECT c.uid, t.uid FROM "{info.name}" c JOIN "{info.name}" t'
                f' ON t.id = c."{column}"'))
            parent.update((row["uid"], row[column]) for row in p.rows[info.name]
                          if row["uid"] in taken)
            _refuse_circles(p, info.name, column, parent)


def _refuse_circles(p: Plan, table: str, column: str, parent: dict[str, str | None]) -> None:
    row_of = {row["uid"]: n for n, row in enumerate(p.rows[table], 1)}
    sound: set[str] = set()
    for row in p.rows[table]:
        if row["uid"] not in p.taken[table]:
            continue
        path: set[str] = set()
        uid: str | None = row["uid"]
        while uid is not None and uid not in sound:
            if uid in path:
                raise InvalidInput(f"{p.source}: {table} row {row_of.get(uid, row_of[row['uid']])}"
                                   f": {column} {parent[uid]} is inside this {table} already "
                                   "(a circle); nothing was imported")
            path.add(uid)
            uid = parent.get(uid)
        sound |= path


def _plan_links(conn: Db, p: Plan, uids: Uids) -> None:
    for info in p.infos:
        if info.has_uid or not p.rows.get(info.name):
            continue
        owner = info.owner
        if owner is None:
            raise InvalidInput(f"{p.source}: table {info.name} has no owner to merge by")
        owner_table = info.fks[owner]
        taken = p.taken[owner_table]
        rows = p.rows[info.name]
        replaced_ids = [p.local_ids[owner_table][u] for u in taken
                        if u in p.local_ids[owner_table]]
        removed = len(_link_rows(conn, info, replaced_ids, uids)) if replaced_ids else 0
        added = sum(1 for r in rows if r[owner] in taken)
        in_file = {r["uid"] for r in p.rows.get(owner_table, [])}
        extra = [r for r in rows if r[owner] not in in_file
                 and not _link_present(conn, info, r, p)]
        p.links[info.name] = {"added": added + len(extra), "removed": removed}
        p.rows[info.name] = [r for r in rows if r[owner] in taken] + extra


def _link_present(conn: Db, info: Shape, row: dict[str, Any], p: Plan) -> bool:
    by_name = {c.name: c for c in codecs(info)}
    values = []
    for name in info.key:
        value = row[name]
        if name in info.fks:
            value = p.local_ids[info.fks[name]].get(value)
        values.append(storage_value(by_name[name], value) if name in by_name else value)
    # key columns are never NULL (the primary key): `=` is `IS` here, on every database
    where = " AND ".join(f'"{name}" = ?' for name in info.key)
    return conn.execute(f'SELECT 1 FROM "{info.name}" WHERE {where}',
                        tuple(values)).fetchone() is not None


# -- writing -----------------------------------------------------------------------------

Fixup = tuple[Shape, str, str, str, str]  # table, row uid, column, target table, target uid


def apply(db: Db, p: Plan) -> None:
    """Write the plan: inserts and updates per table, parents first, then late references.

    Rows are written with plain ``executemany`` in SQLite's storage form
    (``exchange.Codec.store``): a full export has a million rows, and SQLAlchemy's
    per-row processing would cost more than everything else together.
    """
    db.backend.defer_foreign_keys(db)
    bulk.large_cache(db)
    fixups: list[Fixup] = []
    needed = {target for info in p.infos if p.rows.get(info.name)
              for target in info.fks.values()}
    with ExitStack() as indexing:
        # New rows join the search index in one statement per table at the end of the
        # block, not through a trigger call each (store/search.py: bulk_insert).
        for info in p.infos:
            if p.new.get(info.name) or (not info.has_uid and p.rows.get(info.name)):
                indexing.enter_context(search.bulk_insert(db, info.name))
                indexing.enter_context(undo.bulk_insert(db, info.name))
        for info in p.infos:
            if info.has_uid:
                _insert_new(db, p, info, fixups, info.name in needed)
                _update_changed(db, p, info, fixups)
            elif p.rows.get(info.name):
                _replace_links(db, p, info)
    for info, uid, column, target, target_uid in fixups:
        db.execute(f'UPDATE "{info.name}" SET "{column}" = ? WHERE uid = ?',
                     (p.local_ids[target][target_uid], uid))


def _values_of(p: Plan, info: Shape, fixups: list[Fixup] | None
               ) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A function turning a file row into its parameters (``info.columns`` order) in
    storage form, uids resolved to local ids. A reference to a row not written yet
    goes to ``fixups`` (filled in at the end) where the column may stay empty."""
    columns = info.columns
    take = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    steps = [(i, c.store) for i, c in enumerate(codecs(info)) if c.store]
    refs = [(i, p.local_ids[info.fks[name]], name) for i, name in enumerate(columns)
            if name in info.fks]

    def late(row: dict[str, Any], column: str, uid: str) -> None:
        if fixups is None or column in info.required or not info.has_uid:
            raise OperationFailed(f"{p.source}: {info.name} {row.get('uid')}: "
                                  f"{column} refers to a row not written yet")
        fixups.append((info, row["uid"], column, info.fks[column], uid))

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        # The other hot loop: locals only, a call only where a value changes form.
        found = list(take(row))
        for i, store in steps:
            if found[i] is not None:
                found[i] = store(found[i])
        for i, ids, column in refs:
            if found[i] is not None:
                ident = ids.get(found[i])
                if ident is None:
                    late(row, column, found[i])
                found[i] = ident
        return tuple(found)

    return values


def _insert_new(conn: Db, p: Plan, info: Shape, fixups: list[Fixup], needed: bool) -> None:
    rows = p.new.get(info.name, [])
    if not rows:
        return
    (last,) = conn.execute(f'SELECT coalesce(max(id), 0) FROM "{info.name}"').fetchone()
    with bulk.deferred_indexes(conn, info.name, len(rows)):
        # Parameters are made as executemany takes them: a million tuples are never
        # all alive at once.
        sql.insert_many(conn, info.name, info.columns, map(_values_of(p, info, fixups), rows))
    if needed:
        # Inside this write transaction every row past the old largest id is one just
        # added; only tables other rows refer to need their new ids.
        p.local_ids[info.name].update(conn.execute(
            f'SELECT uid, id FROM "{info.name}" WHERE id > ?', (last,)))


def _update_changed(conn: Db, p: Plan, info: Shape, fixups: list[Fixup]) -> None:
    rows = p.changed.get(info.name, [])
    if not rows:
        return
    values = _values_of(p, info, fixups)
    sets = ", ".join(f'"{c}" = ?' for c in info.columns)
    conn.executemany(f'UPDATE "{info.name}" SET {sets} WHERE uid = ?',
                     [(*values(r), r["uid"]) for r in rows])


def _replace_links(conn: Db, p: Plan, info: Shape) -> None:
    assert info.owner is not None
    owner_table = info.fks[info.owner]
    replaced = [p.local_ids[owner_table][r["uid"]] for r in p.changed.get(owner_table, [])]
    if replaced:
        conn.execute(f'DELETE FROM "{info.name}" WHERE {in_list(conn.backend, info.owner)}',
                     (json.dumps(replaced),))
    if p.rows[info.name]:
        sql.insert_many(conn, info.name, info.columns,
                        map(_values_of(p, info, None), p.rows[info.name]), skip_duplicates=True)


def import_document(*, db: Db, doc: dict[str, Any], source: str,
                    dry_run: bool = False) -> dict[str, Any]:
    """Merge a parsed document; the import result (docs/json.md#import-result)."""
    p = plan(db, doc, source)
    if not dry_run:
        apply(db, p)
    return p.summary(dry_run)
