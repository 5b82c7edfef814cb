"""Share bundles: chosen things and everything they need, as an export document.

Which rows a bundle holds follows the foreign keys of the models, so tables
added later take part by themselves:

- *up*: every row a chosen row refers to (an asset's owner and parent, an
  event's transaction, a link row's other end such as a project's linked asset);
- *down*: every row that belongs to a chosen row, meaning it refers to it with
  ``ON DELETE CASCADE`` (an asset's log, attachments, loans, tags and fields; a
  project's tasks and links);

repeated until nothing new is added. Importing the bundle elsewhere merges by
uid, so it adds or updates exactly those rows and touches nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from stuffctl import models
from stuffctl.errors import InvalidInput, NotFound, OperationFailed
from stuffctl.services.exchange import CHUNK, TableInfo, tables

Selection = dict[str, set[int]]


def _in(column: Any, ids: set[int]) -> list[Any]:
    ordered = sorted(ids)
    return [column.in_(ordered[i:i + CHUNK]) for i in range(0, len(ordered), CHUNK)]


def _values(session: Session, query_column: Any, where_column: Any, ids: set[int]) -> set[int]:
    found: set[int] = set()
    for cond in _in(where_column, ids):
        found |= {v for (v,) in session.connection().execute(select(query_column).where(cond))
                  if v is not None}
    return found


def roots(*, session: Session, projects: list[int], assets: list[int],
          tags: list[str]) -> Selection:
    """The chosen rows: projects and assets by id, and everything tagged with a tag."""
    meta = models.metadata().tables
    sel: Selection = defaultdict(set)
    if projects and "project" not in meta:
        raise OperationFailed("sharing a project needs the projects feature")
    for table, ids in (("project", projects), ("asset", assets)):
        for ident in ids:
            if session.connection().execute(
                    select(meta[table].c.id).where(meta[table].c.id == ident)).first() is None:
                raise NotFound(f"no {table} with id {ident}")
            sel[table].add(ident)
    for info in tables():
        if info.owner and "tag" in info.table.c:
            owner = info.fks[info.owner].name
            rows = session.connection().execute(
                select(info.table.c[info.owner]).where(info.table.c.tag.in_(tags)))
            sel[owner] |= {v for (v,) in rows}
    if not any(sel.values()):
        raise InvalidInput("nothing to share: give --project, --asset or --tag "
                           "(and the tag must be in use)")
    return sel


def closure(*, session: Session, chosen: Selection) -> Selection:
    """The chosen rows plus what they refer to and what belongs to them (see above)."""
    infos = tables()
    sel: Selection = defaultdict(set, {k: set(v) for k, v in chosen.items()})
    changed = True
    while changed:
        changed = False
        for info in infos:
            for target, ids in _step(session, info, infos, sel):
                new = ids - sel[target]
                if new:
                    sel[target] |= new
                    changed = True
    for info in infos:
        if info.owner:
            sel[info.name] = set(sel[info.fks[info.owner].name])
    return dict(sel)


def _step(session: Session, info: TableInfo, infos: list[TableInfo],
          sel: Selection) -> list[tuple[str, set[int]]]:
    t = info.table
    if info.owner:
        mine, key = sel.get(info.fks[info.owner].name, set()), t.c[info.owner]
    else:
        mine, key = sel.get(info.name, set()), t.c.id if info.has_uid else None
    found = []
    if mine and key is not None:
        for column, target in info.fks.items():
            if "uid" in target.c and column != info.owner:
                found.append((target.name, _values(session, t.c[column], key, mine)))
    if info.has_uid:
        for column, parent in info.fks.items():
            cascade = any(fk.ondelete == "CASCADE" for fk in t.c[column].foreign_keys)
            parents = sel.get(parent.name, set())
            if cascade and parents:
                found.append((info.name, _values(session, t.c.id, t.c[column], parents)))
    return found
