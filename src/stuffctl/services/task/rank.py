"""What to do next: open tasks ranked by urgency, in SQL over the database handle.

``stuffctl task next`` answers from it before Typer loads
(:func:`stuffctl.fastpath.task_next`); ``services.task.records`` and
``services.project.records`` call the same functions, so there is one ranking and
one JSON shape for a task read from the database. Blocked and blocking are
computed by the database with two uncorrelated subqueries (each
set is built once, not probed per row); the score is
:mod:`stuffctl.services.task.urgency`'s, over rows read by name.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from stuffctl.services.task import urgency
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import day, grouped, literals, marks, revisions, stamp, tags_of
from stuffctl.vocabulary import CLOSED_STATUSES

# Projects whose tasks are not "next": on hold, or closed.
HIDDEN_PROJECTS = ("on_hold", *CLOSED_STATUSES)

FACTORS = (
    "SELECT t.id, t.priority, t.due_on, t.created_at, p.due_on AS project_due,"
    " t.id IN (SELECT d.depends_on_id FROM task_dep d JOIN task o ON o.id = d.task_id"
    "          WHERE o.status = 'open') AS blocking,"
    " t.id IN (SELECT d.task_id FROM task_dep d JOIN task o ON o.id = d.depends_on_id"
    "          WHERE o.status = 'open') AS blocked"
    " FROM task t JOIN project p ON p.id = t.project_id"
)
NEXT = (f"{FACTORS} WHERE t.status = 'open'"
        f" AND p.status NOT IN {literals(HIDDEN_PROJECTS)}")
# A task's row as the JSON shape reads it: its columns and its project's name.
TASK_ROWS = ("SELECT t.*, p.name AS project, a.name AS assignee FROM task t"
             " JOIN project p ON p.id = t.project_id LEFT JOIN person a ON a.id = t.assignee_id")
TASKS = f"{TASK_ROWS} WHERE t.id IN ({{ids}})"
DEPS = ("SELECT d.task_id, d.depends_on_id, o.status FROM task_dep d"
        " JOIN task o ON o.id = d.depends_on_id WHERE d.task_id IN ({ids})"
        " ORDER BY d.depends_on_id")


def factors(row: Row) -> urgency.Factors:
    return urgency.Factors(due_on=day(row["due_on"]), priority=row["priority"],
                           blocking=bool(row["blocking"]), blocked=bool(row["blocked"]),
                           created_on=day(row["created_at"]) or date.min,
                           project_due_on=day(row["project_due"]))


def factor_rows(conn: Db, *, ids: Sequence[int] | None = None,
                project_id: int | None = None,
                assignee_id: int | None = None) -> Iterable[Row]:
    """What urgency needs, for ``ids`` (any status) or for what `task next` ranks (of one
    project, or given to one person, when they are named)."""
    if ids is not None:
        return conn.rows(f"{FACTORS} WHERE t.id IN ({marks(ids)})", tuple(ids))
    if project_id is not None:
        return conn.rows(f"{NEXT} AND t.project_id = ?", (project_id,))
    if assignee_id is not None:
        return conn.rows(f"{NEXT} AND t.assignee_id = ?", (assignee_id,))
    return conn.rows(NEXT)


def scores(conn: Db, today: date, ids: Sequence[int],
           coefficients: Mapping[str, float]) -> dict[int, float]:
    return {row["id"]: urgency.score(factors(row), today, coefficients)
            for row in factor_rows(conn, ids=ids)}


def ranked(conn: Db, today: date, *, limit: int, coefficients: Mapping[str, float],
           project_id: int | None = None, ready_only: bool = False,
           assignee_id: int | None = None) -> list[tuple[float, int]]:
    """(score, id) of the ``limit`` most urgent open tasks: highest score, then soonest due,
    then oldest id. One pass over plain rows."""
    far = date.max.toordinal()
    keyed = (
        (urgency.score(f, today, coefficients),
         -(f.due_on.toordinal() if f.due_on else far), -row["id"])
        for row in factor_rows(conn, project_id=project_id, assignee_id=assignee_id)
        if not (ready_only and row["blocked"]) and (f := factors(row))
    )
    return [(score, -neg_id) for score, _, neg_id in heapq.nlargest(limit, keyed)]


def public(row: Row, tags: list[str], deps: list[tuple[int, str]],
           score: float | None = None, revision: int = 0) -> dict[str, Any]:
    """The one JSON shape of a task (docs/json.md#task), from a row of :data:`TASK_ROWS`."""
    due = day(row["due_on"])
    return {
        "id": row["id"], "uid": row["uid"], "project_id": row["project_id"],
        "project": row["project"], "title": row["title"], "status": row["status"],
        "priority": row["priority"], "due_on": due.isoformat() if due else None,
        "done_at": stamp(row["done_at"]), "tags": tags, "notes": row["notes"],
        "depends_on": [d for d, _ in deps],
        "blocked": row["status"] == "open" and any(s == "open" for _, s in deps),
        "assignee_id": row["assignee_id"], "assignee": row["assignee"],
        "urgency": score, "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]), "created_by": row["created_by"],
        "updated_by": row["updated_by"], "revision": revision,
    }



def deps_of(conn: Db, ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Per task: (id, status) of each task it waits on."""
    return grouped(conn, DEPS, ids)


def published(conn: Db, ids: Sequence[int],
              scores: Mapping[int, float] | None = None) -> Iterator[dict[str, Any]]:
    """The JSON shape of the tasks ``ids``, in that order."""
    rows = {row["id"]: row for row in conn.rows(TASKS.format(ids=marks(ids)), tuple(ids))}
    tags, deps = tags_of(conn, "task", ids), deps_of(conn, ids)
    revision = revisions(conn, "task", ids)
    for tid in ids:
        if tid in rows:
            yield public(rows[tid], tags.get(tid, []), deps.get(tid, []),
                         None if scores is None else scores.get(tid), revision[tid])


def configured() -> dict[str, float]:
    """The coefficients with the config file's ``urgency.*`` values applied."""
    from stuffctl import config

    return urgency.coefficients(config.load())


def next_tasks(conn: Db, today: date, *, limit: int,
               coefficients: Mapping[str, float] | None = None,
               assignee_id: int | None = None) -> list[dict[str, Any]]:
    """The ``limit`` most urgent open tasks across projects (not on hold or closed), of
    everyone's or given to ``assignee_id``."""
    top = ranked(conn, today, limit=limit, coefficients=coefficients or configured(),
                 assignee_id=assignee_id)
    return list(published(conn, [tid for _, tid in top], {tid: s for s, tid in top}))
