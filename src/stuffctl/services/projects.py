"""Projects: add, find by id or name, show, edit, close, remove (listing them is
``services.project_list``, plain SQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.models import Project, ProjectAsset, ProjectTag, Task
from stuffctl.services import project_list
from stuffctl.services.common import touch
from stuffctl.services.sql import dbapi
from stuffctl.vocabulary import CLOSED_STATUSES, PROJECT_STATUSES

UNSETTABLE = ("outcome", "start_on", "due_on", "budget", "notes")


@dataclass
class ProjectChanges:
    """What `project add` or `project edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_assets: list[int] = field(default_factory=list)
    remove_assets: list[int] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)


def find_project(session: Session, ref: str | int) -> Project:
    """A project by id (digits) or by name (``project_list.project_id``)."""
    project = session.get(Project, project_list.project_id(session, ref))
    assert project is not None
    return project


def _check_name(session: Session, name: str, own_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("a project needs a name")
    if name.isdigit():
        raise InvalidInput(f"a project name cannot be only digits ({name!r} reads as an id)")
    clash = session.exec(
        select(Project.id).where(
            func.lower(Project.name) == name.lower(), col(Project.id) != own_id,
            col(Project.status).not_in(CLOSED_STATUSES))
    ).first()
    if clash is not None:
        raise Conflict(f"an open project named {name!r} exists already (id {clash})")
    return name


def add_project(*, session: Session, changes: ProjectChanges, today: date) -> Project:
    values = dict(changes.values)
    name = _check_name(session, values.pop("name", None) or "")
    start = values.get("start_on")
    status = values.pop("status", None) or ("active" if start and start <= today else "planned")
    project = Project(name=name, status=status)
    session.add(project)
    _apply(session, project, ProjectChanges(values=values, add_tags=changes.add_tags,
                                            add_assets=changes.add_assets))
    return project


def edit_project(*, session: Session, ref: str, changes: ProjectChanges) -> Project:
    project = find_project(session, ref)
    values = dict(changes.values)
    if "name" in values:
        values["name"] = _check_name(session, values["name"], project.id)
    changes.values = values
    _apply(session, project, changes)
    touch(project)
    return project


def _apply(session: Session, project: Project, changes: ProjectChanges) -> None:
    for name in changes.unset:
        if name not in UNSETTABLE:
            raise InvalidInput(f"--unset: cannot unset {name!r} (one of {', '.join(UNSETTABLE)})")
        _set(project, name, None)
    for name, value in changes.values.items():
        _set(project, name, value)
    if project.status not in PROJECT_STATUSES:
        raise InvalidInput(f"--status: expected one of {', '.join(PROJECT_STATUSES)} "
                           f"(got {project.status!r})")
    if project.start_on and project.due_on and project.due_on < project.start_on:
        raise InvalidInput(f"--due: {project.due_on} is before the start {project.start_on}")
    session.flush()
    assert project.id is not None
    _set_tags(session, project.id, changes.add_tags, changes.remove_tags)
    _set_assets(session, project.id, changes.add_assets, changes.remove_assets)
    session.flush()


def _set(project: Project, name: str, value: Any) -> None:
    if name == "budget":
        project.budget_minor = value.minor if value else None
        project.budget_currency = value.currency if value else None
    else:
        setattr(project, name, value)


def _set_tags(session: Session, pid: int, add: Iterable[str], remove: Iterable[str]) -> None:
    if remove := [t.strip() for t in remove]:
        session.exec(delete(ProjectTag).where(
            col(ProjectTag.project_id) == pid, col(ProjectTag.tag).in_(remove)))
    existing = set(project_list.tags_of(session, [pid]).get(pid, []))
    for tag in dict.fromkeys(t.strip() for t in add):
        if not tag:
            raise InvalidInput("--tag: a tag cannot be empty")
        if tag not in existing:
            session.add(ProjectTag(project_id=pid, tag=tag))


def _set_assets(session: Session, pid: int, add: Iterable[int], remove: Iterable[int]) -> None:
    if remove := list(remove):
        session.exec(delete(ProjectAsset).where(
            col(ProjectAsset.project_id) == pid, col(ProjectAsset.asset_id).in_(remove)))
    existing = set(project_list.assets_of(session, [pid]).get(pid, []))
    db = dbapi(session)
    for asset_id in dict.fromkeys(add):
        if db.execute("SELECT 1 FROM asset WHERE id = ?", (asset_id,)).fetchone() is None:
            raise NotFound(f"--asset: no asset with id {asset_id}")
        if asset_id not in existing:
            session.add(ProjectAsset(project_id=pid, asset_id=asset_id))


def public(session: Session, project: Project) -> dict[str, Any]:
    """The JSON shape of ``project`` (``project_list.project_public``, shared with the
    listing)."""
    return next(project_list.publish(session, [[getattr(project, c)
                                                for c in project_list.COLUMNS]]))


def set_status(*, session: Session, ref: str, status: str, on: date,
               force: bool = False) -> Project:
    """Close (done, dropped) or hold a project; done with open tasks needs ``force``."""
    project = find_project(session, ref)
    if project.status == status:
        raise Conflict(f"project {project.id} is already {status}")
    open_tasks = _open_tasks(session, project)
    if status == "done" and open_tasks and not force:
        raise Conflict(f"project {project.id} has {open_tasks} open task(s); finish them "
                       "or use --force to mark them done too")
    if status == "done" and open_tasks:
        from stuffctl.models import utcnow

        session.exec(update(Task).where(col(Task.project_id) == project.id,
                                        col(Task.status) == "open")
                     .values(status="done", done_at=utcnow(), updated_at=utcnow()))
    project.status = status
    project.done_on = on if status in CLOSED_STATUSES else None
    touch(project)
    session.flush()
    return project


def _open_tasks(session: Session, project: Project) -> int:
    return int(session.exec(select(func.count()).select_from(Task).where(
        col(Task.project_id) == project.id, col(Task.status) == "open")).one())


def remove_project(*, session: Session, ref: str) -> dict[str, Any]:
    """Delete a project with its tasks; its transactions stay, unlinked."""
    from stuffctl.models import Txn  # built on first use: listings need neither

    project = find_project(session, ref)
    data = public(session, project)
    session.exec(update(Txn).where(col(Txn.project_id) == project.id).values(project_id=None))
    session.delete(project)
    session.flush()
    return data


