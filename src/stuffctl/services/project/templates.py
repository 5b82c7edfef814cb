"""Project templates: TOML files in ``<config dir>/templates/NAME.toml``.

A template gives a project's outcome, tags, budget and due date, and a list of
tasks whose due dates are relative to the project's start (``due = "+7d"``);
``after = [1, 2]`` makes a task wait on earlier tasks of the list (1-based), so
a template cannot hold a dependency cycle. See docs/projects.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stuffctl import paths
from stuffctl.errors import InvalidInput, NotFound, OperationFailed
from stuffctl.store.handle import Db
from stuffctl.vocabulary import normalise_priority

if TYPE_CHECKING:
    from stuffctl.services.project.records import ProjectChanges

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass
class TemplateTask:
    title: str
    due: str | None = None
    priority: str | None = None
    tags: list[str] = field(default_factory=list)
    after: list[int] = field(default_factory=list)


@dataclass
class Template:
    name: str
    path: Path
    outcome: str | None = None
    due: str | None = None
    budget: str | None = None
    tags: list[str] = field(default_factory=list)
    tasks: list[TemplateTask] = field(default_factory=list)


def templates_dir() -> Path:
    return paths.config_dir() / "templates"


def load_template(name: str) -> Template:
    """Read and check ``NAME.toml``: unknown name → NotFound, bad content → InvalidInput."""
    if not _NAME.fullmatch(name):
        raise InvalidInput(f"--from-template: not a template name: {name!r}")
    path = templates_dir() / f"{name}.toml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no template {name!r} (looked for {path})") from None
    except OSError as exc:
        raise OperationFailed(f"cannot read {path}: {exc.strerror}") from None
    try:
        return _parse(name, path, tomllib.loads(raw.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: not valid TOML: {exc}") from None
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc.message}") from None


def _text(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{where}{key}: expected text")
    return value


def _strings(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{where}{key}: expected a list of text")
    return value


def _parse(name: str, path: Path, data: dict[str, Any]) -> Template:
    tasks = data.get("tasks", [])
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise InvalidInput("tasks: expected [[tasks]] tables")
    return Template(
        name=name, path=path, outcome=_text(data, "outcome", ""), due=_text(data, "due", ""),
        budget=_text(data, "budget", ""), tags=_strings(data, "tags", ""),
        tasks=[_task(t, n) for n, t in enumerate(tasks, 1)],
    )


def _task(data: dict[str, Any], n: int) -> TemplateTask:
    where = f"task {n}: "
    title = (_text(data, "title", where) or "").strip()
    if not title:
        raise InvalidInput(f"{where}needs a title")
    after = data.get("after", [])
    if not isinstance(after, list) or not all(isinstance(a, int) and 1 <= a < n for a in after):
        raise InvalidInput(f"{where}after: expected numbers of earlier tasks (1 to {n - 1})")
    priority = _text(data, "priority", where)
    try:
        priority = normalise_priority(priority)
    except InvalidInput:
        raise InvalidInput(f"{where}priority: expected H, M or L") from None
    return TemplateTask(title=title, due=_text(data, "due", where), priority=priority,
                        tags=_strings(data, "tags", where), after=after)


def resolve_due(text: str | None, start: date, where: str) -> date | None:
    """``+7d`` (or ``7d``) from the start, or a plain date."""
    from stuffctl.dates import parse_date_or_duration

    if text is None:
        return None
    try:
        return parse_date_or_duration(text, base=start)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}due: {exc.message}") from None


def list_templates() -> list[dict[str, Any]]:
    """Every ``*.toml`` in the templates directory: name, task count, path, error."""
    found = []
    for path in sorted(templates_dir().glob("*.toml")):
        try:
            tasks: int | None = len(load_template(path.stem).tasks)
            error = None
        except (InvalidInput, OperationFailed) as exc:
            tasks, error = None, exc.message
        found.append({"name": path.stem, "tasks": tasks, "path": str(path), "error": error})
    return found


def add_from_template(*, db: Db, template: Template, changes: ProjectChanges,
                      today: date) -> dict[str, Any]:
    """A project from ``template``; options given on the command line win."""
    from stuffctl.services.project.records import add_project, public

    start = changes.values.get("start_on") or today
    values = dict(changes.values)
    values.setdefault("outcome", template.outcome)
    if "due_on" not in values and template.due:
        values["due_on"] = resolve_due(template.due, start, "")
    if "budget" not in values and template.budget:
        values["budget"] = _budget(template.budget)
    changes.values = {k: v for k, v in values.items() if v is not None}
    changes.add_tags = [*template.tags, *changes.add_tags]
    dues = [resolve_due(t.due, start, f"task {n}: ") for n, t in enumerate(template.tasks, 1)]
    project = add_project(db=db, changes=changes, today=today)
    _add_tasks(db, project["id"], template, dues)
    return public(db, project["id"])


def _budget(text: str) -> Any:
    from stuffctl import config
    from stuffctl.money import parse_money

    try:
        return parse_money(text, default_currency=str(config.get("currency")))
    except InvalidInput as exc:
        raise InvalidInput(f"template budget: {exc.message}") from None


def _add_tasks(db: Db, pid: int, template: Template, dues: list[date | None]) -> None:
    """Insert the template's tasks, then their tags and dependencies."""
    from stuffctl.store import sql

    ids = [sql.insert(db, "task", {"project_id": pid, "title": t.title, "status": "open",
                                   "priority": t.priority, "due_on": due})
           for t, due in zip(template.tasks, dues, strict=True)]
    db.executemany("INSERT INTO task_tag (task_id, tag) VALUES (?, ?)",
                     [(ids[n], tag) for n, t in enumerate(template.tasks)
                      for tag in dict.fromkeys(t.tags)])
    db.executemany("INSERT INTO task_dep (task_id, depends_on_id) VALUES (?, ?)",
                     [(ids[n], ids[a - 1]) for n, t in enumerate(template.tasks)
                      for a in dict.fromkeys(t.after)])
