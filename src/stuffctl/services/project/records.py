"""Projects: add, show, edit, close, remove; `project list` in every format, in plain
SQL (``store.sql``); the one JSON shape of a project with its tags, linked assets
and task counts. Finding a project by id or name (the rule every command that takes
one uses) is :func:`stuffctl.services.lookup.resolve`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from stuffctl.clock import utcnow
from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.money import money_json
from stuffctl.services.lookup import resolve
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import (
    Where,
    day,
    grouped,
    iso,
    literals,
    marks,
    paged,
    select_all,
    stamp,
    when,
)
from stuffctl.vocabulary import CLOSED_STATUSES, PROJECT_STATUSES

UNSETTABLE = ("outcome", "start_on", "due_on", "budget", "notes")
EDITABLE = ("name", *UNSETTABLE, "status")


@dataclass
class ProjectChanges:
    """What `project add` or `project edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_assets: list[int] = field(default_factory=list)
    remove_assets: list[int] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)
    # the revision the changes were decided from (``--since``): store.sql.update
    since: int | None = None


def _check_name(db: Db, name: str, own_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("a project needs a name")
    if name.isascii() and name.isdigit():
        raise InvalidInput(f"a project name cannot be only digits ({name!r} reads as an id)")
    clash = db.execute(
        "SELECT id FROM project WHERE lower(name) = ? AND id <> ?"
        f" AND status NOT IN {sql.literals(CLOSED_STATUSES)} ORDER BY id LIMIT 1",
        (name.lower(), own_id or 0)).fetchone()
    if clash is not None:
        raise Conflict(f"an open project named {name!r} exists already (id {clash[0]})")
    return name


def add_project(*, db: Db, changes: ProjectChanges, today: date) -> dict[str, Any]:
    """Add a project; its JSON shape (docs/json.md#project)."""
    values = dict(changes.values)
    name = _check_name(db, values.pop("name", None) or "")
    start = values.get("start_on")
    status = values.pop("status", None) or ("active" if start and start <= today else "planned")
    columns = _columns(ProjectChanges(values=values), {"start_on": None, "due_on": None},
                       status)
    pid = sql.insert(db, "project", {"name": name, **columns})
    _set_links(db, pid, ProjectChanges(add_tags=changes.add_tags,
                                       add_assets=changes.add_assets))
    return public(db, pid)


def edit_project(*, db: Db, ref: str, changes: ProjectChanges) -> dict[str, Any]:
    pid = resolve(db, "project", ref)
    values = dict(changes.values)
    if "name" in values:
        values["name"] = _check_name(db, values["name"], pid)
    status, start, due = sql.row_or_404(db, "project", ("status", "start_on", "due_on"), pid,
                                        "project")
    columns = _columns(ProjectChanges(values=values, unset=changes.unset),
                       {"start_on": sql.day(start), "due_on": sql.day(due)},
                       values.get("status", status))
    sql.update(db, "project", pid, columns, since=changes.since)
    _set_links(db, pid, changes)
    return public(db, pid)


def _columns(changes: ProjectChanges, dates: dict[str, date | None],
             status: str) -> dict[str, Any]:
    """The columns ``changes`` sets, checked against the project's other dates."""
    columns: dict[str, Any] = {}
    for name in changes.unset:
        if name not in UNSETTABLE:
            raise InvalidInput(f"--unset: cannot unset {name!r} (one of {', '.join(UNSETTABLE)})")
        columns.update(_column(name, None))
    for name, value in changes.values.items():
        if name not in EDITABLE:
            raise InvalidInput(f"a project has no {name!r}")
        columns.update(_column(name, value))
    if status not in PROJECT_STATUSES:
        raise InvalidInput(f"--status: expected one of {', '.join(PROJECT_STATUSES)} "
                           f"(got {status!r})")
    columns["status"] = status
    merged = {**dates, **{k: columns[k] for k in dates if k in columns}}
    start, due = merged["start_on"], merged["due_on"]
    if start and due and due < start:
        raise InvalidInput(f"--due: {due} is before the start {start}")
    return columns


def _column(name: str, value: Any) -> dict[str, Any]:
    if name == "budget":
        return {"budget_minor": value.minor if value else None,
                "budget_currency": value.currency if value else None}
    return {name: value}


def _set_links(db: Db, pid: int, changes: ProjectChanges) -> None:
    """Tags and linked assets: removed, then added (each asset must exist)."""
    sql.set_tags(db, "project", pid, changes.add_tags, changes.remove_tags)
    if remove := list(changes.remove_assets):
        db.execute(f"DELETE FROM project_asset WHERE project_id = ? AND asset_id IN"
                     f" ({sql.marks(remove)})", [pid, *remove])
    for asset_id in dict.fromkeys(changes.add_assets):
        if db.execute("SELECT 1 FROM asset WHERE id = ?", (asset_id,)).fetchone() is None:
            raise NotFound(f"--asset: no asset with id {asset_id}")
        db.execute("INSERT INTO project_asset (project_id, asset_id) VALUES (?, ?)"
                     " ON CONFLICT DO NOTHING", (pid, asset_id))


def public(db: Db, pid: int) -> dict[str, Any]:
    """The JSON shape of project ``pid`` (``project_public``, as listed)."""
    row = sql.row_or_404(db, "project", None, pid, "project")
    return {**next(publish(db, [row])), "revision": sql.revisions(db, "project", [pid])[pid]}


def set_status(*, db: Db, ref: str, status: str, on: date,
               force: bool = False) -> dict[str, Any]:
    """Close (done, dropped) or hold a project; done with open tasks needs ``force``."""
    pid = resolve(db, "project", ref)
    (current,) = sql.row_or_404(db, "project", ("status",), pid, "project")
    if current == status:
        raise Conflict(f"project {pid} is already {status}")
    (open_tasks,) = db.execute("SELECT count(*) FROM task WHERE project_id = ?"
                                 " AND status = 'open'", (pid,)).fetchone()
    if status == "done" and open_tasks and not force:
        raise Conflict(f"project {pid} has {open_tasks} open task(s); finish them "
                       "or use --force to mark them done too")
    if status == "done" and open_tasks:
        now = sql.stored(utcnow())
        db.execute("UPDATE task SET status = 'done', done_at = ?, updated_at = ?, "
                   "updated_by = ? WHERE project_id = ? AND status = 'open'",
                   (now, now, sql.who(db)[1], pid))
    sql.update(db, "project", pid, {
        "status": status, "done_on": on if status in CLOSED_STATUSES else None})
    return public(db, pid)


def remove_project(*, db: Db, ref: str) -> dict[str, Any]:
    """Delete a project with its tasks (the database's cascades); its transactions
    stay, unlinked."""
    pid = resolve(db, "project", ref)
    data = public(db, pid)
    db.execute("UPDATE txn SET project_id = NULL WHERE project_id = ?", (pid,))
    db.execute("DELETE FROM project WHERE id = ?", (pid,))
    return data


ASSETS = ("SELECT project_id, asset_id FROM project_asset WHERE project_id IN ({ids})"
          " ORDER BY asset_id")
COUNTS = ("SELECT project_id, count(*), count(CASE WHEN status = 'done' THEN 1 END) FROM task"
          " WHERE project_id IN ({ids}) GROUP BY project_id")


@dataclass
class ProjectFilter:
    status: str | None = None
    tag: str | None = None
    due_before: date | None = None
    include_closed: bool = False


def progress(status: str, total: int, done: int) -> int:
    """Percent done: by tasks when there are any, else by status (done = 100)."""
    if total:
        return done * 100 // total
    return 100 if status == "done" else 0


def project_public(row: Row, tags: list[str], asset_ids: list[int],
                   counts: tuple[int, int]) -> dict[str, Any]:
    """The one JSON shape of a project (docs/json.md#project), from its stored row."""
    total, done = counts
    return {
        "id": row["id"], "uid": row["uid"], "name": row["name"], "outcome": row["outcome"],
        "status": row["status"], "start_on": iso(day(row["start_on"])),
        "due_on": iso(day(row["due_on"])), "done_on": iso(day(row["done_on"])),
        "budget": money_json(row["budget_minor"], row["budget_currency"]),
        "tags": tags, "asset_ids": asset_ids, "tasks_total": total, "tasks_done": done,
        "progress": progress(row["status"], total, done), "notes": row["notes"],
        "created_at": stamp(row["created_at"]), "updated_at": stamp(row["updated_at"]),
        "created_by": row["created_by"], "updated_by": row["updated_by"],
    }



def assets_of(db: Db, ids: Sequence[int]) -> dict[int, list[int]]:
    return grouped(db, ASSETS, ids)


def task_counts(db: Db, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per project: (tasks in all, tasks done), one SQL aggregate."""
    rows = db.execute(COUNTS.format(ids=marks(ids)), tuple(ids))
    return {pid: (int(total), int(finished or 0)) for pid, total, finished in rows}


def publish(db: Db, rows: Sequence[Row]) -> Iterator[dict[str, Any]]:
    """Stored projects in their JSON shape, with three queries for all."""
    ids = [row["id"] for row in rows]
    tags = sql.tags_of(db, "project", ids)
    links, counts = assets_of(db, ids), task_counts(db, ids)
    for row in rows:
        pid = row["id"]
        yield project_public(row, tags.get(pid, []), links.get(pid, []),
                             counts.get(pid, (0, 0)))


def list_projects(*, db: Db, flt: ProjectFilter,
                  limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Projects matching ``flt``, soonest due first, as JSON-ready dicts."""
    where = Where()
    if flt.status:
        if flt.status not in PROJECT_STATUSES:
            raise InvalidInput(f"--status: expected one of {', '.join(PROJECT_STATUSES)}")
        where.add("status = ?", flt.status)
    elif not flt.include_closed:
        where.add(f"status NOT IN {literals(CLOSED_STATUSES)}")
    if flt.tag:
        where.add("id IN (SELECT project_id FROM project_tag WHERE tag = ?)", flt.tag)
    if flt.due_before:
        where.add("due_on < ?", flt.due_before.isoformat())
    query, params = paged(f"{select_all('project')} WHERE {where.sql}"
                          " ORDER BY due_on NULLS LAST, id", where.params, limit, 0)
    rows = db.rows(query, params).fetchall()
    yield from publish(db, rows)


# What a project's page shows of its linked assets, and its recent activity.
LINKED = ("SELECT id, name, status, purchased_on, price_minor, price_currency FROM asset"
          " WHERE id IN ({ids}) ORDER BY id")
SPENT = "SELECT currency, sum(amount_minor) FROM txn WHERE project_id = ? GROUP BY currency"
DONE = ("SELECT id, title, done_at FROM task WHERE project_id = ? AND done_at IS NOT NULL"
        " ORDER BY done_at DESC LIMIT ?")
ADDED = ("SELECT id, title, created_at FROM task WHERE project_id = ?"
         " ORDER BY created_at DESC LIMIT ?")
PAID = ("SELECT id, occurred_on, created_at, payee, memo, amount_minor, currency FROM txn"
        " WHERE project_id = ? ORDER BY occurred_on DESC, id DESC LIMIT ?")


def show_project(*, db: Db, ref: str, today: date, activity: int = 5) -> dict[str, Any]:
    """A project with its tasks, linked assets, spend vs budget, next task, recent activity."""
    from stuffctl.services.task import rank

    pid = resolve(db, "project", ref)
    row = sql.row_or_404(db, "project", None, pid, "project")
    data = public(db, pid)
    ids = [tid for tid, in db.execute("SELECT id FROM task WHERE project_id = ? ORDER BY id",
                                        (pid,))]
    data["tasks"] = list(rank.published(db, ids))
    data["assets"] = [
        {"id": a["id"], "name": a["name"], "status": a["status"],
         "purchased_on": iso(day(a["purchased_on"])),
         "price": money_json(a["price_minor"], a["price_currency"])}
        for a in db.rows(LINKED.format(ids=marks(data["asset_ids"])), data["asset_ids"])]
    spent = {cur: -int(total) for cur, total in db.execute(SPENT, (pid,))}
    data.update(spend_public(row["budget_minor"], row["budget_currency"], spent))
    top = rank.ranked(db, today, limit=1, project_id=pid, ready_only=True,
                      coefficients=rank.configured())
    data["next_task"] = next((t for t in data["tasks"] if top and t["id"] == top[0][1]), None)
    data["activity"] = recent_activity(db, pid, limit=activity)
    return data


def spend_public(budget: int | None, currency: str | None,
                 spent: dict[str, int]) -> dict[str, Any]:
    """``spent`` per currency and the budget left and used, in the budget's currency."""
    used = spent.get(currency, 0) if currency else 0
    return {
        "spent": [money_json(spent[c], c) for c in sorted(spent)],
        "budget_left": money_json(budget - used, currency) if budget is not None else None,
        "budget_used_percent": used * 100 // budget if budget else None,
    }


def recent_activity(db: Db, pid: int, *, limit: int) -> list[dict[str, Any]]:
    """The newest task completions, task additions and linked transactions, newest first."""
    items: list[tuple[tuple[date, datetime], dict[str, Any]]] = []
    for kind, query in (("task_done", DONE), ("task_added", ADDED)):
        for i, title, stamp_ in db.execute(query, (pid, limit)):
            at = when(stamp_)
            assert at is not None
            items.append(((at.date(), at), _event(kind, i, at.date(), title)))
    for i, on, created, payee, memo, minor, cur in db.execute(PAID, (pid, limit)):
        at, day_ = when(created), day(on)
        assert at is not None and day_ is not None
        items.append(((day_, at), _event("transaction", i, day_, payee or memo or "",
                                         money_json(-minor, cur))))
    items.sort(key=lambda item: item[0], reverse=True)
    return [event for _, event in items[:limit]]


def _event(kind: str, ident: int, on: date, text: str,
           amount: dict[str, str] | None = None) -> dict[str, Any]:
    return {"on": iso(on), "kind": kind, "id": ident, "text": text, "amount": amount}
