"""Listing projects in plain SQL (``services.sql``): `project list` in every format,
the one JSON shape of a project with its tags, linked assets and task counts, and
finding a project by id or name (the rule every command that takes one uses)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.money import money_json
from stuffctl.services.sql import (
    Where,
    day,
    dbapi,
    grouped,
    iso,
    literals,
    marks,
    paged,
    row_or_404,
    stamp,
    when,
)
from stuffctl.vocabulary import CLOSED_STATUSES, PROJECT_STATUSES

COLUMNS = ("id", "uid", "name", "outcome", "status", "start_on", "due_on", "done_on",
           "budget_minor", "budget_currency", "notes", "created_at", "updated_at")
TAGS = "SELECT project_id, tag FROM project_tag WHERE project_id IN ({ids}) ORDER BY tag"
ASSETS = ("SELECT project_id, asset_id FROM project_asset WHERE project_id IN ({ids})"
          " ORDER BY asset_id")
COUNTS = ("SELECT project_id, count(*), sum(status = 'done') FROM task"
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


def project_public(row: Sequence[Any], tags: list[str], asset_ids: list[int],
                   counts: tuple[int, int]) -> dict[str, Any]:
    """The one JSON shape of a project (docs/json.md#project), from its ``COLUMNS`` (as
    stored, or as a model's attributes)."""
    (ident, uid, name, outcome, status, start_on, due_on, done_on, budget_minor,
     budget_currency, notes, created_at, updated_at) = row
    total, done = counts
    return {
        "id": ident, "uid": uid, "name": name, "outcome": outcome, "status": status,
        "start_on": iso(day(start_on)), "due_on": iso(day(due_on)),
        "done_on": iso(day(done_on)), "budget": money_json(budget_minor, budget_currency),
        "tags": tags, "asset_ids": asset_ids, "tasks_total": total, "tasks_done": done,
        "progress": progress(status, total, done), "notes": notes,
        "created_at": stamp(created_at), "updated_at": stamp(updated_at),
    }


def tags_of(db: Any, ids: Sequence[int]) -> dict[int, list[str]]:
    return grouped(db, TAGS, ids)


def assets_of(db: Any, ids: Sequence[int]) -> dict[int, list[int]]:
    return grouped(db, ASSETS, ids)


def task_counts(db: Any, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per project: (tasks in all, tasks done), one SQL aggregate."""
    rows = dbapi(db).execute(COUNTS.format(ids=marks(ids)), tuple(ids))
    return {pid: (int(total), int(finished or 0)) for pid, total, finished in rows}


def publish(db: Any, rows: Sequence[Sequence[Any]]) -> Iterator[dict[str, Any]]:
    """Projects (each its ``COLUMNS``) in their JSON shape, with three queries for all."""
    ids = [row[0] for row in rows]
    tags, links, counts = tags_of(db, ids), assets_of(db, ids), task_counts(db, ids)
    for row in rows:
        pid = row[0]
        yield project_public(row, tags.get(pid, []), links.get(pid, []),
                             counts.get(pid, (0, 0)))


def project_id(db: Any, ref: str | int) -> int:
    """A project by id (digits) or by name (case-insensitive; open ones win a tie)."""
    conn, text = dbapi(db), str(ref).strip()
    if text.isdigit():
        if conn.execute("SELECT 1 FROM project WHERE id = ?", (int(text),)).fetchone() is None:
            raise NotFound(f"no project with id {text}")
        return int(text)
    found = conn.execute("SELECT id, status FROM project WHERE lower(name) = ? ORDER BY id",
                         (text.lower(),)).fetchall()
    if len(found) > 1:
        found = [(i, s) for i, s in found if s not in CLOSED_STATUSES] or found
    if not found:
        raise NotFound(f"no project named {text!r}")
    if len(found) > 1:
        ids = ", ".join(str(i) for i, _ in found)
        raise InvalidInput(f"{len(found)} projects are named {text!r} (ids {ids}); use the id")
    return int(found[0][0])


def list_projects(*, db: Any, flt: ProjectFilter,
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
    sql, params = paged(f"SELECT {', '.join(COLUMNS)} FROM project WHERE {where.sql}"
                        " ORDER BY due_on NULLS LAST, id", where.params, limit, 0)
    conn = dbapi(db)
    rows = conn.execute(sql, params).fetchall()
    yield from publish(conn, rows)


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


def show_project(*, db: Any, ref: str, today: date, activity: int = 5) -> dict[str, Any]:
    """A project with its tasks, linked assets, spend vs budget, next task, recent activity."""
    from stuffctl.services import task_rank

    conn = dbapi(db)
    pid = project_id(conn, ref)
    row = row_or_404(conn, "project", COLUMNS, pid, "project")
    data = next(publish(conn, [row]))
    ids = [tid for tid, in conn.execute("SELECT id FROM task WHERE project_id = ? ORDER BY id",
                                        (pid,))]
    data["tasks"] = list(task_rank.published(conn, ids))
    data["assets"] = [
        {"id": i, "name": n, "status": st, "purchased_on": iso(day(b)),
         "price": money_json(m, c)}
        for i, n, st, b, m, c in conn.execute(LINKED.format(ids=marks(data["asset_ids"])),
                                               data["asset_ids"])]
    spent = {cur: -int(total) for cur, total in conn.execute(SPENT, (pid,))}
    data.update(spend_public(row[COLUMNS.index("budget_minor")],
                             row[COLUMNS.index("budget_currency")], spent))
    top = task_rank.ranked(conn, today, limit=1, project_id=pid, ready_only=True,
                           coefficients=task_rank.configured())
    data["next_task"] = next((t for t in data["tasks"] if top and t["id"] == top[0][1]), None)
    data["activity"] = recent_activity(conn, pid, limit=activity)
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


def recent_activity(db: Any, pid: int, *, limit: int) -> list[dict[str, Any]]:
    """The newest task completions, task additions and linked transactions, newest first."""
    conn = dbapi(db)
    items: list[tuple[tuple[date, datetime], dict[str, Any]]] = []
    for kind, query in (("task_done", DONE), ("task_added", ADDED)):
        for i, title, stamp_ in conn.execute(query, (pid, limit)):
            at = when(stamp_)
            assert at is not None
            items.append(((at.date(), at), _event(kind, i, at.date(), title)))
    for i, on, created, payee, memo, minor, cur in conn.execute(PAID, (pid, limit)):
        at, day_ = when(created), day(on)
        assert at is not None and day_ is not None
        items.append(((day_, at), _event("transaction", i, day_, payee or memo or "",
                                         money_json(-minor, cur))))
    items.sort(key=lambda item: item[0], reverse=True)
    return [event for _, event in items[:limit]]


def _event(kind: str, ident: int, on: date, text: str,
           amount: dict[str, str] | None = None) -> dict[str, Any]:
    return {"on": iso(on), "kind": kind, "id": ident, "text": text, "amount": amount}
