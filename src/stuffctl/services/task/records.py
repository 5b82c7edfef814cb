"""Tasks: add, list, edit, done, undo, remove; dependencies. `task list` in every
format in plain SQL (``store.sql``); what to do next is ``services.task.rank``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from stuffctl.clock import utcnow
from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.services.lookup import resolve
from stuffctl.services.task import rank
from stuffctl.store import sql
from stuffctl.store.handle import Db
from stuffctl.store.sql import Where, batches, literals, paged
from stuffctl.vocabulary import CLOSED_STATUSES
from stuffctl.vocabulary import normalise_priority as normalise_priority  # re-exported

UNSETTABLE = ("due_on", "priority", "assignee_id")
EDITABLE = ("title", "project_id", "due_on", "priority", "notes", "assignee_id")


@dataclass
class TaskChanges:
    """What `task add` or `task edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_deps: list[int] = field(default_factory=list)
    remove_deps: list[int] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)
    # the revision the changes were decided from (``--since``): store.sql.update
    since: int | None = None


def add_task(*, db: Db, project: str, changes: TaskChanges) -> dict[str, Any]:
    """Add a task to ``project`` (id or name); its JSON shape (docs/json.md#task)."""
    pid = resolve(db, "project", project)
    title = (changes.values.get("title") or "").strip()
    if not title:
        raise InvalidInput("a task needs a title")
    values = _assigned(db, {**changes.values, "title": title})
    columns = _columns(TaskChanges(values=values))
    tid = sql.insert(db, "task", {"project_id": pid, "status": "open", **columns})
    _set_links(db, tid, changes)
    return public(db, tid)


def edit_task(*, db: Db, task_id: int, changes: TaskChanges) -> dict[str, Any]:
    sql.row_or_404(db, "task", ("id",), task_id, "task")
    values = dict(changes.values)
    if "project" in values:
        values["project_id"] = resolve(db, "project", values.pop("project"))
    if "title" in values and not values["title"].strip():
        raise InvalidInput("--title: cannot be empty")
    values = _assigned(db, values)
    sql.update(db, "task", task_id, _columns(TaskChanges(values=values, unset=changes.unset)),
               since=changes.since)
    _set_links(db, task_id, changes)
    return public(db, task_id)


def _assigned(db: Db, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the ``assignee`` typed (an id, a name or ``me``) as ``assignee_id``."""
    if "assignee" not in values:
        return values
    found = resolve(db, "person", str(values.pop("assignee")), "--assignee")
    return {**values, "assignee_id": found}


def _columns(changes: TaskChanges) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for name in changes.unset:
        if name not in UNSETTABLE:
            raise InvalidInput(f"--unset: cannot unset {name!r} (due, priority or assignee)")
        columns[name] = None
    for name, value in changes.values.items():
        if name not in EDITABLE:
            raise InvalidInput(f"a task has no {name!r}")
        columns[name] = normalise_priority(value) if name == "priority" else value
    return columns


def _set_links(db: Db, tid: int, changes: TaskChanges) -> None:
    """Tags, then dependencies: removed, then added (each must exist and not close a
    cycle)."""
    sql.set_tags(db, "task", tid, changes.add_tags, changes.remove_tags)
    if remove := list(changes.remove_deps):
        db.execute(f"DELETE FROM task_dep WHERE task_id = ? AND depends_on_id IN"
                     f" ({sql.marks(remove)})", [tid, *remove])
    existing = {d for d, _ in rank.deps_of(db, [tid]).get(tid, [])}
    for dep in dict.fromkeys(changes.add_deps):
        if db.execute("SELECT 1 FROM task WHERE id = ?", (dep,)).fetchone() is None:
            raise NotFound(f"--after: no task with id {dep}")
        if dep not in existing:
            _check_cycle(db, tid, dep)
            db.execute("INSERT INTO task_dep (task_id, depends_on_id) VALUES (?, ?)",
                         (tid, dep))


def _check_cycle(conn: Db, tid: int, dep: int) -> None:
    """Refuse ``tid`` waiting on ``dep`` when ``dep`` already (indirectly) waits on ``tid``."""
    parent: dict[int, int] = {dep: dep}
    frontier = [dep]
    while frontier and tid not in parent:
        rows = conn.execute(f"SELECT task_id, depends_on_id FROM task_dep WHERE task_id IN"
                            f" ({sql.marks(frontier)})", frontier).fetchall()
        frontier = []
        for waiting, on in rows:
            if on not in parent:
                parent[on] = waiting
                frontier.append(on)
    if tid not in parent:
        return
    chain = [tid]
    while chain[-1] != dep:
        chain.append(parent[chain[-1]])
    raise InvalidInput("--after: dependency cycle: " + _cycle_text(conn, [tid, *chain[::-1]]))


def _cycle_text(conn: Db, path: list[int]) -> str:
    titles = dict(conn.execute(f"SELECT id, title FROM task WHERE id IN ({sql.marks(path)})",
                               path).fetchall())
    steps = " → ".join(f"task {i} ({titles.get(i, '?')})" for i in path)
    return f"{steps} (each waits on the next)"


def public(db: Db, task_id: int) -> dict[str, Any]:
    """The JSON shape of task ``task_id`` (``rank.public``, as listed); NotFound."""
    found = list(rank.published(db, [task_id]))
    if not found:
        raise NotFound(f"no task with id {task_id}")
    return found[0]


def complete_tasks(*, db: Db, ids: Sequence[int], now: datetime | None = None
                   ) -> dict[str, Any]:
    """Mark tasks done; report projects left with no open task (they stay open)."""
    unique = list(dict.fromkeys(ids))
    rows = {tid: (status, pid) for tid, status, pid in db.execute(
        f"SELECT id, status, project_id FROM task WHERE id IN ({sql.marks(unique)})", unique)}
    for tid in unique:
        if tid not in rows:
            raise NotFound(f"no task with id {tid}")
    for tid in unique:
        if rows[tid][0] == "done":
            raise Conflict(f"task {tid} is already done")
    stamp = sql.stored(now or utcnow())
    db.execute(f"UPDATE task SET status = 'done', done_at = ?, updated_at = ?, updated_by = ?"
               f" WHERE id IN ({sql.marks(unique)})", [stamp, stamp, sql.who(db)[1], *unique])
    done = list(rank.published(db, unique))
    pids = sorted({pid for _, pid in rows.values()})
    ready = db.execute(
        f"SELECT id, name FROM project WHERE id IN ({sql.marks(pids)})"
        f" AND status NOT IN {sql.literals(CLOSED_STATUSES)}"
        " AND id NOT IN (SELECT project_id FROM task WHERE status = 'open') ORDER BY id",
        pids).fetchall()
    return {"tasks": done, "ready_to_close": [{"id": pid, "name": name} for pid, name in ready]}


def undo_task(*, db: Db, task_id: int) -> dict[str, Any]:
    (status,) = sql.row_or_404(db, "task", ("status",), task_id, "task")
    if status != "done":
        raise Conflict(f"task {task_id} is not done")
    sql.update(db, "task", task_id, {"status": "open", "done_at": None})
    return public(db, task_id)


def remove_task(*, db: Db, task_id: int) -> dict[str, Any]:
    data = public(db, task_id)
    db.execute("DELETE FROM task WHERE id = ?", (task_id,))
    return data


# t waits on a task that is still open (one uncorrelated subquery: SQLite builds the
# set once instead of probing per row).
WAITING = ("t.id IN (SELECT d.task_id FROM task_dep d JOIN task o ON o.id = d.depends_on_id"
           " WHERE o.status = 'open')")


@dataclass
class TaskFilter:
    project: str | None = None
    due_before: date | None = None
    overdue: bool = False
    ready: bool = False
    include_done: bool = False
    assignee: str | None = None  # a person (id, name or ``me``): their tasks only


def list_tasks(*, db: Db, flt: TaskFilter, today: date, with_urgency: bool = False,
               limit: int | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Tasks matching ``flt``, soonest due first, streamed ``batch`` at a time."""
    where = Where()
    if flt.project is not None:
        where.add("t.project_id = ?", resolve(db, "project", flt.project))
    elif not flt.include_done:
        where.add(f"p.status NOT IN {literals(CLOSED_STATUSES)}")
    if not flt.include_done:
        where.add("t.status = 'open'")
    if flt.due_before:
        where.add("t.due_on < ?", flt.due_before.isoformat())
    if flt.overdue:
        where.add("t.status = 'open' AND t.due_on < ?", today.isoformat())
    if flt.ready:
        where.add(f"t.status = 'open' AND NOT {WAITING}")
    if flt.assignee is not None:
        where.add("t.assignee_id = ?", resolve(db, "person", flt.assignee, "--assignee"))
    query, params = paged(f"{rank.TASK_ROWS} WHERE {where.sql} ORDER BY t.due_on NULLS LAST, t.id",
                          where.params, limit, 0)
    coefficients = rank.configured() if with_urgency else {}
    for rows in batches(db, query, params, batch):
        ids = [row["id"] for row in rows]
        tags, deps = sql.tags_of(db, "task", ids), rank.deps_of(db, ids)
        scores = rank.scores(db, today, ids, coefficients) if with_urgency else {}
        revision = sql.revisions(db, "task", ids)
        for row in rows:
            tid = row["id"]
            yield rank.public(row, tags.get(tid, []), deps.get(tid, []),
                              scores.get(tid) if with_urgency else None, revision[tid])
