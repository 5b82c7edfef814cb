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

Playbooks (``with_playbooks``) are added after that, by choice: by default those for
the shared assets' models and categories. They travel anonymised (``anonymised``):
without who wrote them or the incident they were saved from, and with the bundle's
label as their origin.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.services.data.document import Shape, in_list, shapes
from stuffctl.store.handle import Db

Selection = dict[str, set[int]]


def _values(conn: Db, shape: Shape, column: str, where: str, ids: set[int]) -> set[int]:
    """The ``column`` values of the rows of ``shape`` whose ``where`` is one of ``ids``."""
    rows = conn.execute(f'SELECT "{column}" FROM {shape.name} '
                        f'WHERE {in_list(conn.backend, where)}',
                        (json.dumps(sorted(ids)),))
    return {v for (v,) in rows if v is not None}


def roots(*, db: Db, projects: list[int], assets: list[int], tags: list[str]) -> Selection:
    """The chosen rows: projects and assets by id, and everything tagged with a tag."""
    sel: Selection = defaultdict(set)
    for table, ids in (("project", projects), ("asset", assets)):
        for ident in ids:
            if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (ident,)).fetchone() is None:
                raise NotFound(f"no {table} with id {ident}")
            sel[table].add(ident)
    for shape in shapes():
        if shape.owner and "tag" in shape.columns and tags:
            rows = db.execute(f'SELECT "{shape.owner}" FROM {shape.name}'
                                f' WHERE {in_list(db.backend, "tag")}', (json.dumps(tags),))
            sel[shape.fks[shape.owner]] |= {v for (v,) in rows}
    if not any(sel.values()):
        raise InvalidInput("nothing to share: give --project, --asset or --tag "
                           "(and the tag must be in use)")
    return sel


def closure(*, db: Db, chosen: Selection) -> Selection:
    """The chosen rows plus what they refer to and what belongs to them (see above)."""
    infos = shapes()
    has_uid = {s.name for s in infos if s.has_uid}
    sel: Selection = defaultdict(set, {k: set(v) for k, v in chosen.items()})
    changed = True
    while changed:
        changed = False
        for shape in infos:
            for target, ids in _step(db, shape, has_uid, sel):
                new = ids - sel[target]
                if new:
                    sel[target] |= new
                    changed = True
    for shape in infos:
        if shape.owner:
            sel[shape.name] = set(sel[shape.fks[shape.owner]])
    return dict(sel)


def _step(conn: Db, shape: Shape, has_uid: set[str],
          sel: Selection) -> list[tuple[str, set[int]]]:
    key: str | None
    if shape.owner:
        mine, key = sel.get(shape.fks[shape.owner], set()), shape.owner
    else:
        mine, key = sel.get(shape.name, set()), "id" if shape.has_uid else None
    found = []
    if mine and key is not None:
        for column, target in shape.fks.items():
            if target in has_uid and column != shape.owner:
                found.append((target, _values(conn, shape, column, key, mine)))
    if shape.has_uid:
        for column in shape.cascades:
            parents = sel.get(shape.fks[column], set())
            if parents:
                found.append((shape.name, _values(conn, shape, "id", column, parents)))
    return found


PLAYBOOKS = ("matching", "all", "none")  # which playbooks a bundle carries (`--playbooks`)


def with_playbooks(*, db: Db, selection: Selection, which: str) -> Selection:
    """``selection`` and the playbooks a bundle of it carries: ``matching`` those of the
    shared assets' models, and of their categories when kept for no model
    (``playbook.for_assets``); ``all``; or ``none``."""
    from stuffctl.services import playbook

    if which not in PLAYBOOKS:
        raise InvalidInput(f"--playbooks: expected {', '.join(PLAYBOOKS)} (got {which!r})")
    if which == "all":
        chosen = {int(i) for (i,) in db.execute("SELECT id FROM playbook")}
    elif which == "matching":
        chosen = playbook.for_assets(db, selection.get("asset", set()))
    else:
        chosen = set()
    if not any(selection.values()) and not chosen:
        raise InvalidInput("nothing to share: give --project, --asset or --tag, or "
                           "--playbooks all (and have a playbook)")
    return {**selection, "playbook": selection.get("playbook", set()) | chosen}


def anonymised(label: str) -> dict[str, dict[str, Any]]:
    """The values a bundle's playbooks are written with (``document.document``'s
    ``overrides``): nobody wrote them, no incident here saved them, ``label`` is where
    they come from."""
    origin = label.strip()
    if not origin:
        raise InvalidInput("--label: cannot be empty")
    return {"playbook": {"created_by": None, "updated_by": None, "incident_id": None,
                         "origin": origin}}
