"""``stuffctl import taskwarrior FILE.json``: projects, tasks and reminders from ``task export``.

``parse`` is a pure function from the exported JSON to a neutral description: tasks
with their Taskwarrior uuid as uid (so a re-import is idempotent), status (``open``,
``done``, ``dropped`` for deleted), priority, due and wait dates (local), recurrence,
tags, annotations, dependencies and timestamps; projects by Taskwarrior's name.
``to_document`` makes it a stuffctl document (``Home.Kitchen`` → project
``Home:Kitchen``; a dropped task is ``done`` with a note), merged by uid; then
``reminders_document`` adds the reminders (docs/data.md#moving-in-from-taskwarrior).

A recurring task (the ``recurring`` template and the instances naming it as
``parent``) is one task, open while the series goes on, with one repeating reminder
due when its earliest pending instance is. ``wait`` is a one-off ``Start:`` reminder
and a line of notes. A re-import reads what is here (``Here``): a task deleted in
Taskwarrior comes in only to close its open copy here; a task closed here and a
project here stay as they are.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.store.handle import Db

STATUS = {"pending": "open", "waiting": "open", "recurring": "open", "completed": "done",
          "deleted": "dropped"}
PENDING = ("pending", "waiting")  # an instance that is still to do
PRIORITY = {"H": "H", "M": "M", "L": "L"}
INBOX = "Inbox"  # the project of tasks that have none in Taskwarrior
NAMESPACE = uuid.UUID("0b1f8c1e-5a0b-4d5e-8c0e-2f5a3b7d9e10")

# Taskwarrior's named periods, and its units after a number (3d, 2wks, 6mo, 1q, 2y, and
# ISO P2W), as stuffctl's recurrence phrases: calendar months and years, as a person
# means them (Taskwarrior itself counts ``2months`` as 60 days).
RECUR_WORDS = {
    "daily": "daily", "day": "daily", "weekdays": "every weekday", "weekly": "weekly",
    "week": "weekly", "biweekly": "every 2 weeks", "fortnight": "every 2 weeks",
    "monthly": "monthly", "month": "monthly", "bimonthly": "every 2 months",
    "quarterly": "every 3 months", "quarter": "every 3 months",
    "semiannual": "every 6 months", "annual": "yearly", "yearly": "yearly", "year": "yearly",
    "biannual": "every 2 years", "biyearly": "every 2 years"}
RECUR_UNITS = {
    **dict.fromkeys(("d", "day", "days"), ("day", 1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), ("week", 1)), "sennight": ("week", 2),
    **dict.fromkeys(("m", "mo", "mos", "mth", "mths", "mnths", "month", "months"), ("month", 1)),
    **dict.fromkeys(("q", "qtr", "qtrs", "qrtr", "qrtrs", "quarter", "quarters"), ("month", 3)),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), ("year", 1))}


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


def _local(value: datetime) -> date:
    return value.astimezone().date()


def _depends(value: Any) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [str(v).strip() for v in items if str(v).strip()]


def project_uid(name: str) -> str:
    """The uid of the project a Taskwarrior project name (or ``INBOX``) becomes."""
    return str(uuid.uuid5(NAMESPACE, f"project:{name}"))


def project_name(name: str) -> str:
    """Taskwarrior's ``Home.Kitchen`` as stuffctl names it: ``Home:Kitchen``."""
    return name.replace(".", ":")


def reminder_uid(kind: str, task_uid: str) -> str:
    """The uid of a task's ``recur`` or ``wait`` reminder: the same on every import."""
    return str(uuid.uuid5(NAMESPACE, f"reminder:{kind}:{task_uid}"))


def _rule(every: str, until: datetime | None, where: str) -> str:
    """Taskwarrior's ``recur`` value (and ``until``) as a stuffctl RRULE."""
    from stuffctl.dates import parse_every, parse_recurrence

    text = every.strip().lower()
    phrase = RECUR_WORDS.get(text)
    m = re.fullmatch(r"p([0-9]+)([dwmy])|([0-9]*) ?([a-z]+)", text)
    if phrase is None and m is not None:
        n, unit = (m[1], m[2]) if m[1] else (m[3] or "1", m[4])
        name, times = RECUR_UNITS.get(unit, ("", 0))
        count = int(n) * times
        phrase = None if count < 1 else f"every {count} {name}s" if count > 1 else \
            f"every {name}"
    if phrase is None:
        raise InvalidInput(f"{where}: recur {every!r} is not a recurrence stuffctl keeps "
                           "(whole days, weeks, months, quarters or years)")
    try:
        rule = parse_every(phrase).rule
        return parse_recurrence(f"{rule};UNTIL={_local(until):%Y%m%d}").rule if until \
            else rule
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: recur {every!r}: {exc.message}") from None


@dataclass
class _Item:
    """One record of the export: its neutral task and what recurrence needs of it."""

    task: dict[str, Any]
    status: str  # Taskwarrior's
    parent: str | None
    every: str | None
    due: datetime | None
    until: datetime | None
    entry: datetime | None
    modified: datetime | None
    end: datetime | None
    where: str


def _text(item: dict[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{where}: {key} must be text, got {value!r}")
    return value


def _listed(item: dict[str, Any], key: str, kind: type, where: str) -> list[Any]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, kind) for v in value):
        what = "texts" if kind is str else "objects"
        raise InvalidInput(f"{where}: {key} must be a list of {what}")
    return value


def _item(item: Any, where: str) -> _Item:
    if not isinstance(item, dict):
        raise InvalidInput(f"{where}: a task must be an object")
    uid, title = item.get("uuid"), item.get("description")
    if not isinstance(uid, str) or not isinstance(title, str):
        raise InvalidInput(f"{where}: a task needs a uuid and a description")
    status = item.get("status", "pending")
    if status not in STATUS:
        raise InvalidInput(f"{where}: unknown status {status!r}")
    due, wait = _when(item.get("due"), f"{where}: due"), _when(item.get("wait"), f"{where}: wait")
    entry = _when(item.get("entry"), f"{where}: entry")
    modified = _when(item.get("modified"), f"{where}: modified") or entry
    end = _when(item.get("end"), f"{where}: end") if status in ("completed", "deleted") else None
    notes = [{"at": _iso(_when(a.get("entry"), f"{where}: annotation")),
              "text": str(a.get("description", ""))}
             for a in _listed(item, "annotations", dict, where)]
    task = {
        "uid": uid, "title": title, "project": _text(item, "project", where),
        "status": STATUS[status], "priority": PRIORITY.get(_text(item, "priority", where) or ""),
        "due": _local(due).isoformat() if due else None,
        "wait": _local(wait).isoformat() if wait else None, "recur": None,
        "tags": list(_listed(item, "tags", str, where)), "annotations": notes,
        "depends": _depends(item.get("depends")),
        "created_at": _iso(entry), "updated_at": _iso(modified), "done_at": _iso(end),
    }
    return _Item(task, status, _text(item, "parent", where), _text(item, "recur", where), due,
                 _when(item.get("until"), f"{where}: until"), entry, modified, end, where)


def _series(uid: str, items: list[_Item]) -> dict[str, Any]:
    """A recurring task, its template and instances, as one task whose ``due`` is the
    earliest pending instance's (the next date the rule gives when none is pending)."""
    from stuffctl.dates import Recurrence

    template = next((i for i in items if i.parent is None), None)
    instances = sorted((i for i in items if i.parent is not None),
                       key=lambda i: i.due or datetime.max.replace(tzinfo=UTC))
    pending = [i for i in instances if i.status in PENDING]
    first = template or instances[0]
    current = pending[0] if pending else template or instances[-1]
    every = first.every or current.every
    if every is None or first.due is None:
        raise InvalidInput(f"{first.where}: a recurring task needs recur and due")
    rule, start = _rule(every, first.until, first.where), _local(first.due)
    going = bool(pending) or (template is not None and template.status == "recurring")
    due = _local(pending[0].due) if pending and pending[0].due else start
    if going and not pending and instances:  # all done so far: the rule's next date
        last = max((_local(i.due) for i in instances if i.due), default=start)
        after = Recurrence(rule).next_after(datetime.combine(last, time()),
                                            dtstart=datetime.combine(start, time()))
        due = after.date() if after else last
    ends = [i.end for i in items if i.end]
    return {
        **current.task, "uid": uid, "due": due.isoformat(),
        "status": "open" if going else _series_closed(template, instances),
        "recur": {"every": every, "rule": rule, "start": start.isoformat()},
        "created_at": _iso(min((i.entry for i in items if i.entry), default=None)),
        "updated_at": _iso(max((i.modified for i in items if i.modified), default=None)),
        "done_at": None if going else _iso(max(ends, default=None)),
    }


def _series_closed(template: _Item | None, instances: list[_Item]) -> str:
    """``dropped`` when the series was deleted, ``done`` when it was finished (its
    instances completed, or its ``until`` reached: Taskwarrior deletes the template then)."""
    if template is None:
        return "dropped" if all(i.status == "deleted" for i in instances) else "done"
    expired = template.until is not None and template.end is not None and \
        template.until <= template.end
    return "dropped" if template.status == "deleted" and not expired else "done"


def parse(text: str | bytes, source: str) -> dict[str, Any]:
    """``task export`` output → ``{"projects": [...], "tasks": [...]}`` (neutral dicts)."""
    from stuffctl.services.data import intake

    data = intake.load_json(text, source)
    if not isinstance(data, list):
        raise InvalidInput(f"{source}: not a Taskwarrior export (expected a JSON array)")
    groups: dict[str, list[_Item]] = {}
    for n, record in enumerate(data, 1):
        item = _item(record, f"{source}: task {n}")
        members = groups.setdefault(item.parent or item.task["uid"], [])
        if item.parent is None and any(m.parent is None for m in members):
            raise InvalidInput(f"{item.where}: uuid {item.task['uid']} appears twice")
        members.append(item)
    alias = {i.task["uid"]: i.parent for m in groups.values() for i in m if i.parent}
    tasks = [_series(uid, m) if len(m) > 1 or m[0].parent or m[0].every or
             m[0].status == "recurring" else m[0].task for uid, m in groups.items()]
    known = {t["uid"] for t in tasks}
    for task in tasks:
        task["depends"] = list(dict.fromkeys(alias.get(d, d) for d in task["depends"]
                                             if alias.get(d, d) != task["uid"]))
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


@dataclass
class Here:
    """What earlier imports left in the database: tasks (uid → id and status), project
    uids and reminders (uid → when last changed)."""

    tasks: dict[str, tuple[int, str]] = field(default_factory=dict)
    projects: set[str] = field(default_factory=set)
    reminders: dict[str, datetime] = field(default_factory=dict)


def _stamp(value: Any) -> datetime:
    from stuffctl.store import sql

    moment = sql.when(value)
    assert moment is not None  # updated_at is never empty
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _found(db: Db, table: str, columns: str, uids: list[str]) -> list[Any]:
    from stuffctl.services.data.document import in_list

    return db.execute(f'SELECT {columns} FROM "{table}" WHERE {in_list(db.backend, "uid")}',
                      (json.dumps(sorted(set(uids))),)).fetchall()


def here(db: Db, parsed: dict[str, Any]) -> Here:
    """The rows of the database that ``parsed`` names."""
    tasks = parsed["tasks"]
    reminders = [reminder_uid(k, t["uid"]) for t in tasks for k in ("recur", "wait")]
    return Here(
        tasks={uid: (ident, status) for uid, ident, status in
               _found(db, "task", "uid, id, status", [t["uid"] for t in tasks])},
        projects={row[0] for row in _found(db, "project", "uid", [
            project_uid(t["project"] or INBOX) for t in tasks])},
        reminders={uid: _stamp(at) for uid, at in
                   _found(db, "reminder", "uid, updated_at", reminders)})


def _wanted(task: dict[str, Any], found: Here) -> bool:
    """A task deleted in Taskwarrior before it ever came here stays out; one closed here
    (done in stuffctl, or closed by an earlier import) stays as it is."""
    mine = found.tasks.get(task["uid"])
    return task["status"] != "dropped" if mine is None else mine[1] == "open"


def to_document(parsed: dict[str, Any], found: Here | None = None) -> dict[str, Any]:
    """The parsed export as a stuffctl document: projects, tasks, tags, dependencies.

    Uids are Taskwarrior's own (tasks) or derived from the name (projects), so a
    re-import merges into what the first one created instead of adding twice.
    """
    from stuffctl.services.data.document import header

    found = found or Here()
    tasks = [t for t in parsed["tasks"] if _wanted(t, found)]
    kept = {t["uid"] for t in tasks} | set(found.tasks)
    names = sorted(n for n in {t["project"] or INBOX for t in tasks}
                   if project_uid(n) not in found.projects)
    return {**header("taskwarrior"), "tables": {
        "project": [_project_row(n, tasks) for n in names],
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
    done = all(t["status"] != "open" for t in mine)
    return {"uid": project_uid(name), "name": project_name(name),
            "status": "done" if done else "active", "created_at": first, "updated_at": first}


def _task_row(t: dict[str, Any]) -> dict[str, Any]:
    lines = [f"{a['at'][:10] if a['at'] else ''} {a['text']}".strip() for a in t["annotations"]]
    if t["wait"] and t["status"] == "open":
        lines.append(f"waiting until {t['wait']} (Taskwarrior)")
    if t["status"] == "dropped":
        lines.append(f"deleted in Taskwarrior on {(t['done_at'] or '')[:10]}".strip())
    return {"uid": t["uid"], "project_id": project_uid(t["project"] or INBOX),
            "title": t["title"], "status": "open" if t["status"] == "open" else "done",
            "priority": t["priority"], "due_on": None if t["recur"] else t["due"],
            "done_at": t["done_at"], "notes": "\n".join(lines) or None,
            "created_at": t["created_at"], "updated_at": t["updated_at"]}


def reminders_document(parsed: dict[str, Any], found: Here,
                       ids: dict[str, int]) -> dict[str, Any]:
    """The own reminders of the tasks ``to_document`` wrote (``ids``: their local ids;
    missing for new tasks on a dry run): a repeating one per recurring task and a
    one-off ``Start:`` one per waiting task. A reminder of a closed task is closed, and
    only written when it is here; one changed here since (done, snoozed, edited) stays."""
    from stuffctl.services.data.document import header

    rows = []
    for t in parsed["tasks"]:
        if not _wanted(t, found):
            continue
        if t["recur"]:
            rows.append(_reminder_row("recur", t, ids.get(t["uid"]), t["title"],
                                      t["recur"]["start"], t["due"], t["recur"]["rule"]))
        if t["wait"]:
            rows.append(_reminder_row("wait", t, ids.get(t["uid"]), f"Start: {t['title']}",
                                      t["wait"], t["wait"], None))
    return {**header("taskwarrior"), "tables": {"reminder": [
        r for r in rows if _reminder_wanted(r, found)]}}


def _reminder_wanted(row: dict[str, Any], found: Here) -> bool:
    mine = found.reminders.get(row["uid"])
    if mine is None:
        return bool(row["state"] == "open")
    return mine <= _stamp(row["updated_at"])


def _reminder_row(kind: str, t: dict[str, Any], task_id: int | None, title: str,
                  start: str, due: str, rule: str | None) -> dict[str, Any]:
    return {"uid": reminder_uid(kind, t["uid"]), "title": title, "kind": "reminder",
            "about_kind": "task", "about_id": task_id, "start_on": start, "due_on": due,
            "rule": rule, "from_done": False,
            "state": "open" if t["status"] == "open" else "done",
            "created_at": t["created_at"], "updated_at": t["updated_at"]}


def import_file(*, db: Db, path: Any, dry_run: bool = False) -> dict[str, Any]:
    """Read, check and merge a ``task export`` file; the import result.

    Two merges in the command's one transaction: projects and tasks, then the
    reminders, which name their task by its local id (known once it is written).
    """
    from stuffctl.services.data import intake, merge

    source = str(path)
    parsed = parse(intake.read_file(path), source)
    found = here(db, parsed)
    first = merge.import_document(db=db, doc=to_document(parsed, found), source=source,
                                  dry_run=dry_run)
    ids = {uid: ident for uid, (ident, _) in found.tasks.items()}
    if not dry_run:
        ids = {uid: ident for uid, ident in _found(db, "task", "uid, id",
                                                   [t["uid"] for t in parsed["tasks"]])}
    second = merge.import_document(db=db, doc=reminders_document(parsed, found, ids),
                                   source=source, dry_run=dry_run)
    return {**first, "tables": {**first["tables"], **second["tables"]},
            "conflicts": first["conflicts"] + second["conflicts"]}
