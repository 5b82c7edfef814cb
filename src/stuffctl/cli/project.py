"""`stuffctl project …`: things to get done, linked to the stuff and the money."""

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
    money_opt,
    pick_format,
    records,
    words,
)
from stuffctl.vocabulary import PROJECT_STATUSES

app = typer.Typer(no_args_is_help=True)

RefArg = Annotated[str, typer.Argument(metavar="PROJECT", help="Project id or name (or the "
                   "start of one).", show_default=False, autocompletion=records("project"))]
OutcomeOpt = Annotated[str | None, typer.Option("--outcome", help="What 'done' means.")]
DueOpt = Annotated[str | None, typer.Option("--due", help="Due date (2026-12-01, +3w, eom, …).")]
StartOpt = Annotated[str | None, typer.Option("--start", help="Start date (default: none; "
                     "a start today or earlier makes it active).")]
BudgetOpt = Annotated[str | None, typer.Option("--budget", help="Budget (5000, 5000 EUR, "
                      "€5000).")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")]
AssetOpt = Annotated[list[str] | None, typer.Option("--asset", help="Link an asset by id or "
                     "name (repeatable).", autocompletion=records("asset"))]
StatusOpt = Annotated[str | None, typer.Option("--status", help="planned, active, on_hold, "
                      "done or dropped.", autocompletion=words(PROJECT_STATUSES))]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.")]
OnOpt = Annotated[str, typer.Option("--on", help="When (default today).")]

LIST_COLUMNS = [
    render.Column("ID", "id", justify="right", kind="id", priority=render.KEEP),
    render.Column("NAME", "name", priority=render.KEEP, min_width=16),
    render.Column("STATUS", "status", kind="word", priority=3),
    render.Column("DUE", "due_on", show=render.day, priority=render.KEEP,
                  state=lambda row: "done" if row["status"] in ("done", "dropped")
                  else render.theme.due_state(row["due_on"]), row_state=True),
    render.Column("DONE", "progress", show=lambda v: f"{v}%", justify="right", priority=2),
    render.Column("TASKS", "tasks_total", justify="right", priority=1),
    render.Column("BUDGET", "budget", justify="right", kind="money", priority=1),
    render.Column("TAGS", "tags", priority=0),
]
TEMPLATE_COLUMNS = [
    render.Column("NAME", "name"),
    render.Column("TASKS", "tasks", show=lambda v: "invalid" if v is None else str(v),
                  justify="right"),
    render.Column("PATH", "path"),
]


def _changes(*, name: str | None = None, outcome: str | None, due: str | None,
             start: str | None, budget: str | None, tags: list[str] | None,
             status: str | None = None, notes: str | None = None) -> Any:
    from stuffctl.services.project.records import ProjectChanges

    values = {
        "name": name, "outcome": outcome, "status": status, "notes": notes,
        "due_on": date_opt("--due", due), "start_on": date_opt("--start", start),
        "budget": money_opt("--budget", budget),
    }
    return ProjectChanges(values={k: v for k, v in values.items() if v is not None},
                          add_tags=list(tags or []))


def _assets(db: Any, option: str, refs: list[str] | None) -> list[int]:
    """The ids of the assets ``option`` names (ids or names)."""
    from stuffctl.services.lookup import resolve

    return [resolve(db, "asset", ref, option) for ref in refs or []]


def _show_one(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"{verb} project {data['id']}: {render.safe(data['name'])} "
                   f"({data['status']}, {data['progress']}% done)")


@app.command("add")
def project_add(
    name: Annotated[str, typer.Argument(help="What it is called.", show_default=False)],
    outcome: OutcomeOpt = None, due: DueOpt = None, start: StartOpt = None,
    budget: BudgetOpt = None, tag: TagOpt = None, asset: AssetOpt = None,
    status: StatusOpt = None, notes: NotesOpt = None,
    from_template: Annotated[str | None, typer.Option("--from-template", help="Create it "
                             "with the tasks of a template (see 'project templates').")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a project (optionally from a template)."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services.project import records, templates

    changes = _changes(name=name, outcome=outcome, due=due, start=start, budget=budget,
                       tags=tag, status=status, notes=notes)
    template = templates.load_template(from_template) if from_template else None
    with store.transaction(write=True) as db:
        changes.add_assets = _assets(db, "--asset", asset)
        if template is None:
            data = records.add_project(db=db, changes=changes, today=date.today())
        else:
            data = templates.add_from_template(db=db, template=template, changes=changes,
                                               today=date.today())
    _show_one(data, as_json, "added")


@app.command("list")
def project_list(
    status: StatusOpt = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only with this tag.")] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help="Due before this "
                          "date.")] = None,
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Include done and dropped "
                        "projects.")] = False,
    limit: LimitOpt = None, fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List projects, soonest due first (done and dropped ones only with --all)."""
    from stuffctl import store
    from stuffctl.services.project import records

    flt = records.ProjectFilter(status=status, tag=tag, include_closed=show_all,
                                due_before=date_opt("--due-before", due_before))
    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        rows = records.list_projects(db=db, flt=flt, limit=limit)
        render.emit_list(rows, LIST_COLUMNS, out, empty="no projects match")


@app.command("show")
def project_show(ref: RefArg, as_json: JsonOpt = False) -> None:
    """A project: outcome, progress, tasks, linked assets, spend vs budget, activity."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services.project import records

    with store.transaction() as db:
        data = records.show_project(db=db, ref=ref, today=date.today())
    if as_json:
        render.emit_json(data)
    else:
        from stuffctl.render.project import project_view

        render.emit(project_view(data))


@app.command("edit")
def project_edit(
    ref: RefArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    outcome: OutcomeOpt = None, due: DueOpt = None, start: StartOpt = None,
    budget: BudgetOpt = None, status: StatusOpt = None, notes: NotesOpt = None,
    tag: TagOpt = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag "
                     "(repeatable).")] = None,
    asset: AssetOpt = None,
    unlink: Annotated[list[str] | None, typer.Option("--unlink", help="Unlink an asset by id "
                      "or name (repeatable).", autocompletion=records("asset"))] = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Clear outcome, start, "
                     "due, budget or notes (repeatable).", autocompletion=words(
                         ("outcome", "start", "due", "budget", "notes")))] = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change a project's fields, tags or linked assets."""
    from stuffctl import store
    from stuffctl.services.project import records

    changes = _changes(name=name, outcome=outcome, due=due, start=start, budget=budget,
                       tags=tag, status=status, notes=notes)
    changes.remove_tags = list(untag or [])
    changes.unset = [_UNSET.get(u, u) for u in unset or []]
    changes.since = since
    with store.transaction(write=True) as db:
        changes.add_assets = _assets(db, "--asset", asset)
        changes.remove_assets = _assets(db, "--unlink", unlink)
        data = records.edit_project(db=db, ref=ref, changes=changes)
    _show_one(data, as_json, "changed")


_UNSET = {"start": "start_on", "due": "due_on"}


def _set_status(ref: str, status: str, on: str, as_json: bool, force: bool = False) -> None:
    from stuffctl import store
    from stuffctl.services.project import records

    when = date_opt("--on", on)
    assert when is not None
    with store.transaction(write=True) as db:
        data = records.set_status(db=db, ref=ref, status=status, on=when, force=force)
    _show_one(data, as_json, status.replace("_", " "))


@app.command("done")
def project_done(
    ref: RefArg, on: OnOpt = "today",
    force: Annotated[bool, typer.Option("--force", help="Mark its open tasks done too.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Mark a project done (refused while tasks are open, unless --force)."""
    _set_status(ref, "done", on, as_json, force)


@app.command("drop")
def project_drop(ref: RefArg, on: OnOpt = "today", as_json: JsonOpt = False) -> None:
    """Drop a project: it will not be done (its tasks leave `task next`)."""
    _set_status(ref, "dropped", on, as_json)


@app.command("hold")
def project_hold(ref: RefArg, as_json: JsonOpt = False) -> None:
    """Put a project on hold (its tasks leave `task next`; resume with edit --status active)."""
    _set_status(ref, "on_hold", "today", as_json)


@app.command("rm")
def project_rm(ref: RefArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a project and its tasks (asks unless --yes); transactions stay, unlinked."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.project import records

    if not yes:
        with store.transaction() as db:
            found = records.public(db, resolve(db, "project", ref))
        question = (f"Remove project {found['id']} ({render.safe(found['name'])}) and its "
                    f"{found['tasks_total']} task(s)?")
        if not typer.confirm(question, err=True):
            raise typer.Abort()
        ref = str(found["id"])
    with store.transaction(write=True) as db:
        data = records.remove_project(db=db, ref=ref)
    _show_one(data, as_json, "removed")


@app.command("templates")
def project_templates(fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False) -> None:
    """List project templates (TOML files in the config directory's templates/)."""
    from stuffctl.services.project import templates

    rows = templates.list_templates()
    render.emit_list(rows, TEMPLATE_COLUMNS, pick_format(fmt, as_json),
                     empty=f"no templates in {templates.templates_dir()}")
