"""Projects: add, find by id or name, show, edit, close, remove (listing them is
``services.project_list``, plain SQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stuffctl.clock import utcnow
from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.services import project_list, sql
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


def find_project(db: Any, ref: str | int) -> int:
    """The id of a project given by id (digits) or by name (``project_list.project_id``)."""
    return project_list.project_id(db, ref)


def _check_name(db: Any, name: str, own_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("a project needs a name")
    if name.isdigit():
        raise InvalidInput(f"a project name cannot be only digits ({name!r} reads as an id)")
    clash = sql.dbapi(db).execute(
        "SELECT id FROM project WHERE lower(name) = ? AND id IS NOT ?"
        f" AND status NOT IN {sql.literals(CLOSED_STATUSES)} ORDER BY id LIMIT 1",
        (name.lower(), own_id)).fetchone()
    if clash is not None:
        raise Conflict(f"an open project named {name!r} exists already (id {clash[0]})")
    return name


def add_project(*, db: Any, changes: ProjectChanges, today: date) -> dict[str, Any]:
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


def edit_project(*, db: Any, ref: str, changes: ProjectChanges) -> dict[str, Any]:
    pid = find_project(db, ref)
    values = dict(changes.values)
    if "name" in values:
        values["name"] = _check_name(db, values["name"], pid)
    status, start, due = sql.row_or_404(db, "project", ("status", "start_on", "due_on"), pid,
                                        "project")
    columns = _columns(ProjectChanges(values=values, unset=changes.unset),
                       {"start_on": sql.day(start), "due_on": sql.day(due)},
                       values.get("status", status))
    sql.update(db, "project", pid, columns)
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


def _set_links(db: Any, pid: int, changes: ProjectChanges) -> None:
    """Tags and linked assets: removed, then added (each asset must exist)."""
    sql.set_tags(db, "project_tag", "project_id", pid, changes.add_tags, changes.remove_tags)
    conn = sql.dbapi(db)
    if remove := list(changes.remove_assets):
        conn.execute(f"DELETE FROM project_asset WHERE project_id = ? AND asset_id IN"
                     f" ({sql.marks(remove)})", [pid, *remove])
    for asset_id in dict.fromkeys(changes.add_assets):
        if conn.execute("SELECT 1 FROM asset WHERE id = ?", (asset_id,)).fetchone() is None:
            raise NotFound(f"--asset: no asset with id {asset_id}")
        conn.execute("INSERT INTO project_asset (project_id, asset_id) VALUES (?, ?)"
                     " ON CONFLICT DO NOTHING", (pid, asset_id))


def public(db: Any, pid: int) -> dict[str, Any]:
    """The JSON shape of project ``pid`` (``project_list.project_public``, as listed)."""
    row = sql.row_or_404(db, "project", project_list.COLUMNS, pid, "project")
    return next(project_list.publish(db, [row]))


def set_status(*, db: Any, ref: str, status: str, on: date,
               force: bool = False) -> dict[str, Any]:
    """Close (done, dropped) or hold a project; done with open tasks needs ``force``."""
    pid = find_project(db, ref)
    conn = sql.dbapi(db)
    (current,) = sql.row_or_404(conn, "project", ("status",), pid, "project")
    if current == status:
        raise Conflict(f"project {pid} is already {status}")
    (open_tasks,) = conn.execute("SELECT count(*) FROM task WHERE project_id = ?"
                                 " AND status = 'open'", (pid,)).fetchone()
    if status == "done" and open_tasks and not force:
        raise Conflict(f"project {pid} has {open_tasks} open task(s); finish them "
                       "or use --force to mark them done too")
    if status == "done" and open_tasks:
        now = sql.stored(utcnow())
        conn.execute("UPDATE task SET status = 'done', done_at = ?, updated_at = ?"
                     " WHERE project_id = ? AND status = 'open'", (now, now, pid))
    sql.update(conn, "project", pid, {
        "status": status, "done_on": on if status in CLOSED_STATUSES else None})
    return public(conn, pid)


def remove_project(*, db: Any, ref: str) -> dict[str, Any]:
    """Delete a project with its tasks (the database's cascades); its transactions
    stay, unlinked."""
    pid = find_project(db, ref)
    data = public(db, pid)
    conn = sql.dbapi(db)
    conn.execute("UPDATE txn SET project_id = NULL WHERE project_id = ?", (pid,))
    conn.execute("DELETE FROM project WHERE id = ?", (pid,))
    return data
