"""``stuffctl incident``: what broke, what was tried, what it cost, what fixed it.

An incident is opened with `stuffctl asset incident ASSET SYMPTOM`; this noun lists,
shows, updates, closes and removes them, and attaches files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    RawOpt,
    SinceOpt,
    YesOpt,
    date_opt,
    money_opt,
    pick_format,
    records,
    words,
)
from stuffctl.errors import InvalidInput
from stuffctl.vocabulary import INCIDENT_STATUSES

app = typer.Typer(no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="INCIDENT", help="Incident id (or its "
                  "symptom, or the start of it).", show_default=False,
                  autocompletion=records("incident"))]
OnOpt = Annotated[str, typer.Option("--on", help="When (default today).")]


def _incident(db: Any, ref: str) -> int:
    from stuffctl.services.lookup import resolve

    return resolve(db, "incident", ref)


def _show(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        render.emit_json(data)
    else:
        from stuffctl.render.incident import incident_view

        render.emit(incident_view(data))


@app.command("list")
def incident_list(
    asset: Annotated[str | None, typer.Option("--asset", help="Only this asset's (id or "
                     "name).", autocompletion=records("asset"))] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only those of this "
                      "status: open, waiting, fixed, wont_fix, or all.",
                      autocompletion=words((*INCIDENT_STATUSES, "all")))] = None,
    open_: Annotated[bool, typer.Option("--open", help="Only those not closed, open or "
                     "waiting (the default).")] = False,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List incidents not closed yet (--status all: every one), the latest first."""
    from datetime import date

    from stuffctl import store
    from stuffctl.render.incident import INCIDENT_COLUMNS, INCIDENT_CSV
    from stuffctl.services import incident
    from stuffctl.services.lookup import resolve

    if open_ and status is not None:
        raise InvalidInput("--open and --status contradict each other")
    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        asset_id = resolve(db, "asset", asset, "--asset") if asset else None
        rows = incident.list_incidents(db=db, today=date.today(), asset_id=asset_id,
                                       status=status)
        render.emit_list(rows, INCIDENT_CSV if out is render.Format.csv else
                         INCIDENT_COLUMNS, out, empty="no incidents")


@app.command("show")
def incident_show(ref: IdArg, as_json: JsonOpt = False) -> None:
    """Everything about one incident: steps, what it cost, files, links, downtime, and
    the playbooks offered for it."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import incident

    with store.transaction() as db:
        data = incident.show_incident(db=db, incident_id=_incident(db, ref), today=date.today())
    _show(data, as_json)


def _downtime(text: str | None) -> dict[str, Any]:
    """``--downtime``: days or weeks (``3d``, ``2w``, ``5``), or ``auto`` (counted)."""
    if text is None:
        return {}
    if text.strip().lower() == "auto":
        return {"downtime_days": None}
    if text.strip().isascii() and text.strip().isdigit():
        return {"downtime_days": int(text.strip())}
    from stuffctl.cli.options import duration_opt

    span = duration_opt("--downtime", text)
    assert span is not None
    if span.years or span.months:
        raise InvalidInput(f"--downtime: give days or weeks (3d, 2w), or auto (got {text!r})")
    return {"downtime_days": span.days}


@app.command("update")
def incident_update(
    ref: IdArg,
    status: Annotated[str | None, typer.Option("--status", help="open, or waiting (for a "
                      "part, a visit); a closed incident set so is open again.",
                      autocompletion=words(("open", "waiting")))] = None,
    symptom: Annotated[str | None, typer.Option("--symptom", help="What is wrong.")] = None,
    cause: Annotated[str | None, typer.Option("--cause", help="Why it broke.")] = None,
    fix: Annotated[str | None, typer.Option("--fix", help="What fixed it.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free text.")] = None,
    step: Annotated[str | None, typer.Option("--step", help="A step tried (\"checked the "
                    "filter\").")] = None,
    helped: Annotated[bool | None, typer.Option("--helped/--no-help", help="Whether the "
                      "step helped.", show_default=False)] = None,
    on: OnOpt = "today",
    txn: Annotated[list[int] | None, typer.Option("--txn", help="A transaction it cost, "
                   "by id (repeatable).")] = None,
    cost: Annotated[str | None, typer.Option("--cost", help="What it cost (a part, a bill): "
                    "added as a transaction of the asset (money out).")] = None,
    payee: Annotated[str | None, typer.Option("--payee", help="Who was paid (with "
                     "--cost).")] = None,
    category: Annotated[str | None, typer.Option("--category", "-c", help="The cost's "
                        "category (default assets:repair).")] = None,
    link: Annotated[list[str] | None, typer.Option("--link", help="A web page about it: "
                    "a forum thread, a video, the support page (repeatable).")] = None,
    out_of_use: Annotated[bool | None, typer.Option("--out-of-use/--in-use", help="Whether "
                          "it can be used meanwhile.", show_default=False)] = None,
    downtime: Annotated[str | None, typer.Option("--downtime", help="The days it was out of "
                        "use, when not counted (3d, 2w); auto counts them again.")] = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change an incident, add a step tried, or what it cost (--on: the day of both)."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import incident

    values = {"status": status, "symptom": symptom, "cause": cause, "fix": fix,
              "notes": notes, "out_of_use": out_of_use}
    changes = incident.IncidentChanges(
        values={**{k: v for k, v in values.items() if v is not None}, **_downtime(downtime)},
        step=step, helped=helped, on=date_opt("--on", on), txn_ids=list(txn or []),
        cost=money_opt("--cost", cost), payee=payee, category=category,
        links=list(link or []), since=since)
    with store.transaction(write=True) as db:
        data = incident.update_incident(db=db, incident_id=_incident(db, ref),
                                        changes=changes, today=date.today())
    _show(data, as_json)


@app.command("close")
def incident_close(
    ref: IdArg,
    wont_fix: Annotated[bool, typer.Option("--wont-fix/--fixed", help="Given up on it "
                        "(--wont-fix), or fixed (the default: needs a --fix).")] = False,
    cause: Annotated[str | None, typer.Option("--cause", help="Why it broke.")] = None,
    fix: Annotated[str | None, typer.Option("--fix", help="What fixed it.")] = None,
    on: OnOpt = "today",
    playbook: Annotated[bool, typer.Option("--playbook", help="Keep its symptom, cause, fix "
                        "and steps as a playbook for the asset's brand and model (or "
                        "category), offered when it happens again.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Close an incident: fixed (what fixed it: --fix) or --wont-fix."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import incident

    when = date_opt("--on", on)
    assert when is not None
    with store.transaction(write=True) as db:
        data = incident.close_incident(
            db=db, incident_id=_incident(db, ref), on=when, today=date.today(),
            status="wont_fix" if wont_fix else "fixed", cause=cause, fix=fix,
            keep_playbook=playbook)
    _show(data, as_json)


@app.command("rm")
def incident_rm(ref: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove an incident with its steps and links (asks unless --yes); its transactions
    and files stay with the asset."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import incident

    with store.transaction() as db:
        incident_id = _incident(db, ref)
        data = incident.public(db, incident_id, date.today())
    if not yes and not typer.confirm(f"Remove incident {incident_id} "
                                     f"({render.safe(data['asset_name'])}: "
                                     f"{render.safe(data['symptom'])})?", err=True):
        raise typer.Abort()
    with store.transaction(write=True) as db:
        data = incident.remove_incident(db=db, incident_id=incident_id, today=date.today())
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"removed incident {incident_id} ({render.safe(data['asset_name'])}: "
                   f"{render.safe(data['symptom'])})")


@app.command("attach")
def incident_attach(
    ref: IdArg,
    files: Annotated[list[Path], typer.Argument(help="Files to copy in (a photo of the "
                     "error, the repair bill).", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """Attach files to an incident (they are its asset's files too; see 'asset files')."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import asset, incident
    from stuffctl.store import blobs

    with store.transaction() as db:  # no such incident: say so before copying any file
        incident_id = _incident(db, ref)
        asset_id = incident.public(db, incident_id, date.today())["asset_id"]
    stored = [(f.name, *blobs.store_file(f)) for f in files]
    with store.transaction(write=True) as db:
        added = [asset.add_attachment(db=db, asset_id=asset_id, filename=name, sha256=sha,
                                      size=size, incident_id=incident_id)
                 for name, sha, size in stored]
    if as_json:
        render.emit_json(added)
    else:
        for a in added:
            typer.echo(f"attached {render.safe(a['filename'])} to incident {incident_id} as "
                       f"file {a['id']}")
