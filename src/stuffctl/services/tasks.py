"""Tasks: add, list, edit, done, undo, remove; dependencies; `task next` by urgency."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.models import Project, Task, TaskDep, TaskTag, utcnow
from stuffctl.services import task_rank
from stuffctl.services.common import get_or_404, touch
from stuffctl.services.projects import find_project
from stuffctl.services.sql import dbapi
from stuffctl.vocabulary import CLOSED_STATUSES
from stuffctl.vocabulary import normalise_priority as normalise_priority  # re-exported

UNSETTABLE = ("due_on", "priority")


@dataclass
class TaskChanges:
    """What `task add` or `task edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_deps: list[int] = field(default_factory=list)
    remove_deps: list[int] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)


def add_task(*, session: Session, project: str, changes: TaskChanges) -> Task:
    owner = find_project(session, project)
    title = (changes.values.get("title") or "").strip()
    if not title:
        raise InvalidInput("a task needs a title")
    task = Task(project_id=owner.id, title=title)
    session.add(task)
    _apply(session, task, changes)
    return task


def edit_task(*, session: Session, task_id: int, changes: TaskChanges) -> Task:
    task = get_or_404(session, Task, task_id, "task")
    if "project" in changes.values:
        changes.values["project_id"] = find_project(session, changes.values.pop("project")).id
    if "title" in changes.values and not changes.values["title"].strip():
        raise InvalidInput("--title: cannot be empty")
    _apply(session, task, changes)
    touch(task)
    return task


def _apply(session: Session, task: Task, changes: TaskChanges) -> None:
    for name in changes.unset:
        if name not in UNSETTABLE:
            raise InvalidInput(f"--unset: cannot unset {name!r} (due or priority)")
        setattr(task, name, None)
    for name, value in changes.values.items():
        setattr(task, name, normalise_priority(value) if name == "priority" else value)
    session.flush()
    assert task.id is not None
    _set_tags(session, task.id, changes.add_tags, changes.remove_tags)
    _set_deps(session, task.id, changes.add_deps, changes.remove_deps)
    session.flush()


def _set_tags(session: Session, tid: int, add: Iterable[str], remove: Iterable[str]) -> None:
    if remove := [t.strip() for t in remove]:
        session.exec(delete(TaskTag).where(col(TaskTag.task_id) == tid,
                                           col(TaskTag.tag).in_(remove)))
    existing = set(tags_of(session, [tid]).get(tid, []))
    for tag in dict.fromkeys(t.strip() for t in add):
        if not tag:
            raise InvalidInput("--tag: a tag cannot be empty")
        if tag not in existing:
            session.add(TaskTag(task_id=tid, tag=tag))


def _set_deps(session: Session, tid: int, add: Iterable[int], remove: Iterable[int]) -> None:
    if remove := list(remove):
        session.exec(delete(TaskDep).where(col(TaskDep.task_id) == tid,
                                           col(TaskDep.depends_on_id).in_(remove)))
    existing = {d for d, _ in deps_of(session, [tid]).get(tid, [])}
    for dep in dict.fromkeys(add):
        if session.get(Task, dep) is None:
            raise NotFound(f"--after: no task with id {dep}")
        if dep not in existing:
            _check_cycle(session, tid, dep)
            session.add(TaskDep(task_id=tid, depends_on_id=dep))
            session.flush()


def _check_cycle(session: Session, tid: int, dep: int) -> None:
    """Refuse ``tid`` waiting on ``dep`` when ``dep`` already (indirectly) waits on ``tid``."""
    parent: dict[int, int] = {dep: dep}
    frontier = [dep]
    while frontier and tid not in parent:
        rows = session.exec(select(TaskDep.task_id, TaskDep.depends_on_id)
                            .where(col(TaskDep.task_id).in_(frontier)))
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
    raise InvalidInput("--after: dependency cycle: " + _cycle_text(session, [tid, *chain[::-1]]))


def _cycle_text(session: Session, path: list[int]) -> str:
    titles = dict(session.exec(select(Task.id, Task.title).where(col(Task.id).in_(path))).all())
    steps = " → ".join(f"task {i} ({titles.get(i, '?')})" for i in path)
    return f"{steps} (each waits on the next)"


def tags_of(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    return task_rank.tags_of(dbapi(session), ids)


def deps_of(session: Session, ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Per task: (id, status) of each task it waits on."""
    return task_rank.deps_of(dbapi(session), ids)


def task_public(task: Task, project: str, tags: list[str], deps: list[tuple[int, str]],
                score: float | None = None) -> dict[str, Any]:
    """The one JSON shape of a task (docs/json.md#task)."""
    return task_rank.public((task.id, task.uid, task.project_id, project, task.title,
                             task.status, task.priority, task.due_on, task.done_at, task.notes,
                             task.created_at, task.updated_at), tags, deps, score)


def publish(session: Session, rows: Sequence[tuple[Task, str]],
            scores: Mapping[int, float] | None = None) -> Iterator[dict[str, Any]]:
    ids = [t.id for t, _ in rows if t.id is not None]
    tags, deps = tags_of(session, ids), deps_of(session, ids)
    for task, project in rows:
        assert task.id is not None
        yield task_public(task, project, tags.get(task.id, []), deps.get(task.id, []),
                          None if scores is None else scores.get(task.id))


def public(session: Session, task: Task) -> dict[str, Any]:
    project = session.get(Project, task.project_id)
    return next(publish(session, [(task, project.name if project else "")]))


def ranked(session: Session, today: date, *, limit: int, project_id: int | None = None,
           ready_only: bool = False,
           coefficients: Mapping[str, float] | None = None) -> list[tuple[float, int]]:
    """(score, id) of the ``limit`` most urgent open tasks (:func:`task_rank.ranked`)."""
    return task_rank.ranked(dbapi(session), today, limit=limit, project_id=project_id,
                            ready_only=ready_only,
                            coefficients=coefficients or task_rank.configured())


def next_tasks(*, session: Session, today: date, limit: int = 5,
               coefficients: Mapping[str, float] | None = None) -> list[dict[str, Any]]:
    """The most urgent open tasks across projects (not those on hold or closed)."""
    return task_rank.next_tasks(dbapi(session), today, limit=limit, coefficients=coefficients)


def complete_tasks(*, session: Session, ids: Sequence[int], now: datetime | None = None
                   ) -> dict[str, Any]:
    """Mark tasks done; report projects left with no open task (they stay open)."""
    tasks = [get_or_404(session, Task, i, "task") for i in dict.fromkeys(ids)]
    for task in tasks:
        if task.status == "done":
            raise Conflict(f"task {task.id} is already done")
    stamp = now or utcnow()
    for task in tasks:
        task.status, task.done_at, task.updated_at = "done", stamp, stamp
    session.flush()
    done = [public(session, t) for t in tasks]
    return {"tasks": done, "ready_to_close": _finished_projects({t.project_id for t in tasks},
                                                                 session)}


def _finished_projects(pids: set[int], session: Session) -> list[dict[str, Any]]:
    still_open = select(Task.project_id).where(col(Task.status) == "open")
    rows = session.exec(select(Project.id, Project.name).where(
        col(Project.id).in_(pids), col(Project.status).not_in(CLOSED_STATUSES),
        col(Project.id).not_in(still_open)).order_by(col(Project.id)))
    return [{"id": pid, "name": name} for pid, name in rows]


def undo_task(*, session: Session, task_id: int) -> Task:
    task = get_or_404(session, Task, task_id, "task")
    if task.status != "done":
        raise Conflict(f"task {task_id} is not done")
    task.status, task.done_at = "open", None
    touch(task)
    session.flush()
    return task


def get_task(*, session: Session, task_id: int) -> Task:
    return get_or_404(session, Task, task_id, "task")


def remove_task(*, session: Session, task_id: int) -> dict[str, Any]:
    task = get_or_404(session, Task, task_id, "task")
    data = public(session, task)
    session.delete(task)
    session.flush()
    return data

