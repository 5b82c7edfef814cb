"""``stuffctl import taskwarrior FILE.json``: projects and tasks from ``task export``.

``parse`` is a pure function from the exported JSON to a neutral description
(docs/data.md#taskwarrior): projects by name, tasks with their Taskwarrior
uuid as uid (so a re-import is idempotent), title, status, priority, due date,
tags, annotations, dependencies (as uids) and timestamps. Writing them needs
the projects feature (the Project and Task tables); until it is present the
command stops with exit 1 after checking the file.

Status: ``pending``/``waiting``/``recurring`` → ``todo``, ``completed`` →
``done``, ``deleted`` → ``dropped``. Priority ``H``/``M``/``L`` → ``high``/
``medium``/``low``. Due dates (UTC timestamps in the export) become local
dates. Project ``Home.Kitchen`` stays one project named ``Home.Kitchen``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.store.handle import Db

# Taskwarrior status → stuffctl task status; deleted tasks are not imported.
STATUS = {"pending": "open", "waiting": "open", "recurring": "open", "completed": "done",
          "deleted": "dropped"}
PRIORITY = {"H": "H", "M": "M", "L": "L"}
INBOX = "Inbox"  # the project of tasks that have none in Taskwarrior
NAMESPACE = uuid.UUID("0b1f8c1e-5a0b-4d5e-8c0e-2f5a3b7d9e10")


def _when(value: Any, where: str) -> datetime | None:
    from stuffctl.dates import parse_iso_timestamp

    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: expected a timestamp, got {value!r}")
    try:
        return parse_iso_timestamp(value)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc.message}") from None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _depends(value: Any) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [str(v).strip() for v in items if str(v).strip()]


def project_uid(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"project:{name}"))


def _task(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise InvalidInput(f"{where}: a task must be an object")
    uid, title = item.get("uuid"), item.get("description")
    if not isinstance(uid, str) or not isinstance(title, str):
        raise InvalidInput(f"{where}: a task needs a uuid and a description")
    status = item.get("status", "pending")
    if status not in STATUS:
        raise InvalidInput(f"{where}: unknown status {status!r}")
    due = _when(item.get("due"), f"{where}: due")
    notes = [{"at": _iso(_when(a.get("entry"), f"{where}: annotation")),
              "text": a.get("description", "")} for a in item.get("annotations", [])]
    return {
        "uid": uid, "title": title, "project": item.get("project"),
        "status": STATUS[status], "priority": PRIORITY.get(item.get("priority", "")),
        "due": due.astimezone().date().isoformat() if due else None,
        "tags": list(item.get("tags", [])), "annotations": notes,
        "depends": _depends(item.get("depends")),
        "created_at": _iso(_when(item.get("entry"), f"{where}: entry")),
        "updated_at": _iso(_when(item.get("modified") or item.get("entry"),
                                 f"{where}: modified")),
        "done_at": _iso(_when(item.get("end"), f"{where}: end")) if status == "completed"
        else None,
    }


def parse(text: str | bytes, source: str) -> dict[str, Any]:
    """``task export`` output → ``{"projects": [...], "tasks": [...]}`` (neutral dicts)."""
    from stuffctl.services.data import intake

    data = intake.load_json(text, source)
    if not isinstance(data, list):
        raise InvalidInput(f"{source}: not a Taskwarrior export (expected a JSON array)")
    tasks = [_task(item, f"{source}: task {n}") for n, item in enumerate(data, 1)]
    known = {t["uid"] for t in tasks}
    for task in tasks:
        unknown = [d for d in task["depends"] if d not in known]
        if unknown:
            raise InvalidInput(f"{source}: task {task['uid']} depends on {unknown[0]}, "
                               "which is not in the file")
    names = sorted({t["project"] for t in tasks if t["project"]})
    projects = [{"uid": project_uid(n), "name": n} for n in names]
    return {"projects": projects, "tasks": tasks}


def summary(parsed: dict[str, Any]) -> dict[str, int]:
    return {"projects": len(parsed["projects"]), "tasks": len(parsed["tasks"]),
            "dependencies": sum(len(t["depends"]) for t in parsed["tasks"])}


def to_document(parsed: dict[str, Any]) -> dict[str, Any]:
    """The parsed export as a stuffctl document: projects, tasks, tags, dependencies.

    Uids are Taskwarrior's own (tasks) or derived from the name (projects), so a
    re-import merges into what the first one created instead of adding twice.
    """
    from stuffctl.services.data.document import header

    tasks = [t for t in parsed["tasks"] if t["status"] != "dropped"]
    kept = {t["uid"] for t in tasks}
    names = sorted({t["project"] or INBOX for t in tasks})
    projects = [_project_row(n, tasks) for n in names]
    return {**header("taskwarrior"), "tables": {
        "project": projects,
        "task": [_task_row(t) for t in tasks],
        "task_tag": [{"task_id": t["uid"], "tag": tag} for t in tasks
                     for tag in dict.fromkeys(t["tags"])],
        "task_dep": [{"task_id": t["uid"], "depends_on_id": d} for t in tasks
                     for d in t["depends"] if d in kept],
    }}


def _project_row(name: str, tasks: list[dict[str, Any]]) -> dict[str, Any]:
    mine = [t for t in tasks if (t["project"] or INBOX) == name]
    stamps = [t["created_at"] for t in mine if t["created_at"]]
    first = min(stamps) if stamps else None
    done = all(t["status"] == "done" for t in mine)
    return {"uid": project_uid(name), "name": name, "status": "done" if done else "active",
            "created_at": first, "updated_at": first}


def _task_row(t: dict[str, Any]) -> dict[str, Any]:
    notes = "\n".join(f"{a['at'][:10] if a['at'] else ''} {a['text']}".strip()
                      for a in t["annotations"]) or None
    return {"uid": t["uid"], "project_id": project_uid(t["project"] or INBOX),
            "title": t["title"], "status": t["status"], "priority": t["priority"],
            "due_on": t["due"], "done_at": t["done_at"], "notes": notes,
            "created_at": t["created_at"], "updated_at": t["updated_at"]}


def import_file(*, db: Db, path: Any, dry_run: bool = False) -> dict[str, Any]:
    """Read, check and merge a ``task export`` file; the import result."""
    from stuffctl.services.data import intake, merge

    parsed = parse(intake.read_file(path), str(path))
    return merge.import_document(db=db, doc=to_document(parsed), source=str(path),
                                 dry_run=dry_run)
