"""`stuffctl task …`: the steps of a project, and what to do next."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    LimitOpt,
    RawOpt,
    SinceOpt,
    YesOpt,
    date_opt,
    pick_format,
    records,
    words,
)
from stuffctl.render.task import COLUMNS, CSV_EXTRA, NEXT_COLUMNS, URGENCY
from stuffctl.vocabulary import PRIORITIES

app = typer.Typer(no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="TASK", help="Task id or title (or the start "
                  "of one).", show_default=False, autocompletion=records("task"))]
ProjectArg = Annotated[str, typer.Argument(metavar="PROJECT", help="Project id or name.",
                       show_default=False, autocompletion=records("project"))]
DueOpt = Annotated[str | None, typer.Option("--due", help="Due date (2026-12-01, +3d, fri, …).")]
PriorityOpt = Annotated[str | None, typer.Option("--priority", "-p", help="H, M or L.",
                        autocompletion=words(PRIORITIES))]
AfterOpt = Annotated[list[str] | None, typer.Option("--after", help="A task this one waits on, "
                     "by id or title (repeatable).", autocompletion=records("task"))]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")]
AssigneeOpt = Annotated[str | None, typer.Option(
    "--assignee", metavar="<person>", help="Who does it: a person's id or name, or me.",
    show_default=False, autocompletion=records("person"))]


def _changes(*, title: str | None = None, due: str | None, priority: str | None,
             tags: list[str] | None, assignee: str | None = None) -> Any:
    from stuffctl.services.task.records import TaskChanges, normalise_priority

    values = {"title": title, "due_on": date_opt("--due", due),
              "priority": normalise_priority(priority), "assignee": assignee}
    return TaskChanges(values={k: v for k, v in values.items() if v is not None},
                       add_tags=list(tags or []))


def _tasks(db: Any, option: str | None, refs: list[str] | None) -> list[int]:
    """The ids of the tasks ``refs`` name (ids or titles)."""
    from stuffctl.services.lookup import resolve

    return [resolve(db, "task", ref, option) for ref in refs or []]


def _line(data: dict[str, Any], verb: str) -> str:
    title, project = render.safe(data["title"]), render.safe(data["project"])
    return f"{verb} task {data['id']}: {title} ({project})"


def _show_one(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(_line(data, verb))


@app.command("add")
def task_add(
    project: ProjectArg,
    title: Annotated[str, typer.Argument(help="What to do.", show_default=False)],
    due: DueOpt = None, priority: PriorityOpt = None, after: AfterOpt = None,
    tag: TagOpt = None, assignee: AssigneeOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add a task to a project."""
    from stuffctl import store
    from stuffctl.services.task import records

    changes = _changes(title=title, due=due, priority=priority, tags=tag, assignee=assignee)
    with store.transaction(write=True) as db:
        changes.add_deps = _tasks(db, "--after", after)
        data = records.add_task(db=db, project=project, changes=changes)
    _show_one(data, as_json, "added")


@app.command("list")
def task_list(
    project: Annotated[str | None, typer.Argument(
        metavar="PROJECT", help="Only this project (id or name).", show_default=False,
        autocompletion=records("project"))] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help="Due before this "
                          "date.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open tasks past their "
                       "due date.")] = False,
    ready: Annotated[bool, typer.Option("--ready", help="Only open tasks that wait on no "
                     "open task.")] = False,
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Include done tasks and "
                        "tasks of done or dropped projects.")] = False,
    with_urgency: Annotated[bool, typer.Option("--urgency", help="Compute and show each "
                            "task's urgency score.")] = False,
    mine: Annotated[bool, typer.Option("--mine", help="Only tasks assigned to you "
                    "(STUFFCTL_USER, config user, or your login).")] = False,
    assignee: Annotated[str | None, typer.Option(
        "--assignee", metavar="<person>", help="Only tasks assigned to this person.",
        show_default=False, autocompletion=records("person"))] = None,
    limit: LimitOpt = None, fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List open tasks, soonest due first."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services.task import records

    if mine and assignee is not None:
        from stuffctl.errors import InvalidInput

        raise InvalidInput("--mine and --assignee: give one of them")
    flt = records.TaskFilter(project=project, overdue=overdue, ready=ready,
                             include_done=show_all,
                             due_before=date_opt("--due-before", due_before),
                             assignee="me" if mine else assignee)
    out = pick_format(fmt, as_json)
    columns = [*COLUMNS, URGENCY] if with_urgency else COLUMNS
    if out is render.Format.csv:
        columns = [*COLUMNS, *CSV_EXTRA]
    with store.transaction() as db:
        rows = records.list_tasks(db=db, flt=flt, today=date.today(),
                                  with_urgency=with_urgency, limit=limit)
        render.emit_list(rows, columns, out, empty="no tasks match")


@app.command("next")
def task_next(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many.")] = 5,
    mine: Annotated[bool, typer.Option("--mine", help="Only tasks assigned to you.")] = False,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """The most urgent open tasks across projects (see docs/projects.md for the score)."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services.task import rank

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        if mine:
            from stuffctl.services.lookup import me

            rows = rank.next_tasks(db, date.today(), limit=limit,
                                   assignee_id=me(db, "--mine"))
        else:
            rows = rank.next_tasks(db, date.today(), limit=limit)
    render.emit_list(rows, NEXT_COLUMNS, out, empty="nothing to do")


@app.command("done")
def task_done(
    refs: Annotated[list[str], typer.Argument(
        metavar="TASK", help="Tasks: ids or titles (or the start of one).",
        show_default=False, autocompletion=records("task"))],
    as_json: JsonOpt = False,
) -> None:
    """Mark tasks done (says when a project has no open task left)."""
    from stuffctl import store
    from stuffctl.services.task import records

    with store.transaction(write=True) as db:
        result = records.complete_tasks(db=db, ids=_tasks(db, None, refs))
    if as_json:
        render.emit_json(result)
    else:
        for data in result["tasks"]:
            typer.echo(_line(data, "done"))
    for p in result["ready_to_close"]:
        render.note(f"project {p['id']} ({p['name']}) has no open tasks left but stays open; "
                    f"close it with: stuffctl project done {p['id']}")


@app.command("undo")
def task_undo(ref: IdArg, as_json: JsonOpt = False) -> None:
    """Reopen a done task."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.task import records

    with store.transaction(write=True) as db:
        data = records.undo_task(db=db, task_id=resolve(db, "task", ref))
    _show_one(data, as_json, "reopened")


@app.command("edit")
def task_edit(
    ref: IdArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    project: Annotated[str | None, typer.Option("--project", help="Move to this project "
                       "(id or name).", autocompletion=records("project"))] = None,
    due: DueOpt = None, priority: PriorityOpt = None, after: AfterOpt = None,
    not_after: Annotated[list[str] | None, typer.Option("--not-after", help="Stop waiting "
                         "on this task (id or title; repeatable).",
                         autocompletion=records("task"))] = None,
    tag: TagOpt = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag "
                     "(repeatable).")] = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Clear due, priority "
                     "or assignee (repeatable).",
                     autocompletion=words(("due", "priority", "assignee")))] = None,
    assignee: AssigneeOpt = None, since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change a task: title, project, due date, priority, assignee, dependencies, tags."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.task import records

    changes = _changes(title=title, due=due, priority=priority, tags=tag, assignee=assignee)
    if project is not None:
        changes.values["project"] = project
    changes.remove_tags = list(untag or [])
    changes.unset = [{"due": "due_on", "assignee": "assignee_id"}.get(u, u)
                     for u in unset or []]
    changes.since = since
    with store.transaction(write=True) as db:
        task_id = resolve(db, "task", ref)
        changes.add_deps = _tasks(db, "--after", after)
        changes.remove_deps = _tasks(db, "--not-after", not_after)
        data = records.edit_task(db=db, task_id=task_id, changes=changes)
    _show_one(data, as_json, "changed")


@app.command("rm")
def task_rm(ref: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a task (asks unless --yes)."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.task import records

    if not yes:
        with store.transaction() as db:
            found = records.public(db, resolve(db, "task", ref))
        if not typer.confirm(f"Remove task {found['id']} ({render.safe(found['title'])})?",
                             err=True):
            raise typer.Abort()
        ref = str(found["id"])
    with store.transaction(write=True) as db:
        data = records.remove_task(db=db, task_id=resolve(db, "task", ref))
    _show_one(data, as_json, "removed")
