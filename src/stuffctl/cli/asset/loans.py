"""``asset lend|borrow|return|owner|seen``: loans, owners and stocktake, on the asset app."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.asset.records import IdArg, NotesOpt, app
from stuffctl.cli.options import JsonOpt, date_opt, records

DueOpt = Annotated[str | None, typer.Option("--due", help="Due back (2026-12-01, +2w, …).")]
OnOpt = Annotated[str, typer.Option("--on", help="When (default today).")]


def _say_loan(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        render.emit_json(data)
        return
    way = "lent to" if data["direction"] == "out" else "borrowed from"
    due = f", due {render.day(data['due_on'])}" if data["due_on"] else ""
    typer.echo(f"asset {data['asset_id']} ({render.safe(data['asset_name'])}) {way} "
               f"{render.safe(data['person_name'])}{due}")


@app.command("lend")
def asset_lend(
    ref: IdArg,
    to: Annotated[str, typer.Option("--to", help="Who borrows it (person id or name).",
                  show_default=False, autocompletion=records("person"))],
    due: DueOpt = None, on: OnOpt = "today", notes: NotesOpt = None, as_json: JsonOpt = False,
) -> None:
    """Lend an asset to someone; its status becomes 'lent' until it is returned."""
    from stuffctl import store
    from stuffctl.services import loan
    from stuffctl.services.lookup import resolve

    since, due_on = date_opt("--on", on), date_opt("--due", due)
    assert since is not None
    with store.transaction(write=True) as db:
        data = loan.lend(db=db, asset_id=resolve(db, "asset", ref), person=to, since=since,
                         due=due_on, notes=notes)
    _say_loan(data, as_json)


@app.command("borrow")
def asset_borrow(
    name: Annotated[str, typer.Argument(help="What you borrowed.", show_default=False)],
    from_: Annotated[str, typer.Option("--from", help="Whose it is (person id or name).",
                     show_default=False, autocompletion=records("person"))],
    due: Annotated[str, typer.Option("--due", help="When it goes back.", show_default=False)],
    on: OnOpt = "today", notes: NotesOpt = None, as_json: JsonOpt = False,
) -> None:
    """Record something you hold that is not yours (status 'borrowed', owned by the lender)."""
    from stuffctl import store
    from stuffctl.services import loan

    since, due_on = date_opt("--on", on), date_opt("--due", due)
    assert since is not None and due_on is not None
    with store.transaction(write=True) as db:
        data = loan.borrow(db=db, name=name, person=from_, since=since, due=due_on,
                           notes=notes)
    _say_loan(data, as_json)


@app.command("return")
def asset_return(ref: IdArg, on: OnOpt = "today", as_json: JsonOpt = False) -> None:
    """Close an asset's loan: lent things are back, borrowed things went back."""
    from stuffctl import store
    from stuffctl.services import loan
    from stuffctl.services.lookup import resolve

    when = date_opt("--on", on)
    assert when is not None
    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        data = loan.give_back(db=db, asset_id=asset_id, on=when)
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"returned asset {asset_id} ({render.safe(data['asset_name'])}) on "
                   f"{render.day(when)}")


@app.command("owner")
def asset_owner(
    ref: IdArg,
    person: Annotated[str | None, typer.Argument(help="Person id or name; leave out with "
                      "--clear.", show_default=False, autocompletion=records("person"))]
    = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the owner.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Set (or --clear) who among your people owns an asset."""
    from stuffctl import store
    from stuffctl.errors import InvalidInput
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    if (person is None) == (not clear):
        raise InvalidInput("give a PERSON, or --clear (not both)")
    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        data = asset.set_owner(db=db, asset_id=asset_id, person=person)
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"owner of asset {asset_id} set" if person else
                   f"owner of asset {asset_id} cleared")


@app.command("seen")
def asset_seen(
    ref: IdArg,
    at: Annotated[str | None, typer.Option("--at", help="Where you saw it.")] = None,
    on: OnOpt = "today", as_json: JsonOpt = False,
) -> None:
    """Stocktake: record when (and where) you last saw an asset."""
    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    when = date_opt("--on", on)
    assert when is not None
    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        data = asset.mark_seen(db=db, asset_id=asset_id, on=when, at=at)
    if as_json:
        render.emit_json(data)
    else:
        where = f" at {render.safe(at)}" if at else ""
        typer.echo(f"asset {asset_id} ({render.safe(data['name'])}) seen on "
                   f"{render.day(when)}{where}")
