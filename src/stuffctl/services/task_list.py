"""Listing tasks in plain SQL (``services.sql``): `task list` in every format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from stuffctl.services import project_list, task_rank
from stuffctl.services.sql import Where, batches, dbapi, literals, paged
from stuffctl.vocabulary import CLOSED_STATUSES

# The columns of task_rank.TASKS (the JSON shape's row), over the task ``t``.
COLUMNS = ("SELECT t.id, t.uid, t.project_id, p.name, t.title, t.status, t.priority,"
           " t.due_on, t.done_at, t.notes, t.created_at, t.updated_at"
           " FROM task t JOIN project p ON p.id = t.project_id")
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


def list_tasks(*, db: Any, flt: TaskFilter, today: date, with_urgency: bool = False,
               limit: int | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Tasks matching ``flt``, soonest due first, streamed ``batch`` at a time."""
    conn = dbapi(db)
    where = Where()
    if flt.project is not None:
        where.add("t.project_id = ?", project_list.project_id(conn, flt.project))
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
    sql, params = paged(f"{COLUMNS} WHERE {where.sql} ORDER BY t.due_on NULLS LAST, t.id",
                        where.params, limit, 0)
    coefficients = task_rank.configured() if with_urgency else {}
    for rows in batches(conn, sql, params, batch):
        ids = [row[0] for row in rows]
        tags, deps = task_rank.tags_of(conn, ids), task_rank.deps_of(conn, ids)
        scores = task_rank.scores(conn, today, ids, coefficients) if with_urgency else {}
        for row in rows:
            yield task_rank.public(row, tags.get(row[0], []), deps.get(row[0], []),
                                   scores.get(row[0]) if with_urgency else None)
