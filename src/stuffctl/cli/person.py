"""``stuffctl person``: the people who own, lend and borrow things with you."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import FormatOpt, JsonOpt, RawOpt, SinceOpt, YesOpt, pick_format

app = typer.Typer(no_args_is_help=True)

IdArg = Annotated[int, typer.Argument(help="Person id.", show_default=False)]
EmailOpt = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.")]
LoginOpt = Annotated[str | None, typer.Option(
    "--login", metavar="<login>", help="The database login they use: commands run by it "
    "run as them (docs/shared.md).", show_default=False)]

COLUMNS = [
    render.Column("ID", "id", justify="right"),
    render.Column("NAME", "name"),
    render.Column("EMAIL", "email"),
    render.Column("PHONE", "phone"),
    render.Column("NOTES", "notes"),
]


def _say(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"{verb} person {data['id']}: {render.safe(data['name'])}")


@app.command("add")
def person_add(
    name: Annotated[str, typer.Argument(help="Their name.", show_default=False)],
    email: EmailOpt = None, phone: PhoneOpt = None, notes: NotesOpt = None,
    login: LoginOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add a person (household member, friend, colleague)."""
    from stuffctl import store
    from stuffctl.services import person

    values = {"name": name, "email": email, "phone": phone, "notes": notes, "login": login}
    with store.transaction(write=True) as db:
        data = person.add_person(db=db, values=values)
    _say(data, as_json, "added")


@app.command("list")
def person_list(
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in the name.")]
    = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List people by name."""
    from stuffctl import store
    from stuffctl.services import person

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        render.emit_list(person.list_people(db=db, search=search), COLUMNS, out,
                         empty="no people yet")


@app.command("show")
def person_show(person_id: IdArg, as_json: JsonOpt = False) -> None:
    """A person with what they own and every loan with them."""
    from stuffctl import store
    from stuffctl.services import person

    with store.transaction() as db:
        data = person.show_person(db=db, person_id=person_id)
    if as_json:
        render.emit_json(data)
        return
    from stuffctl.render.views import person_view

    render.emit(person_view(data))


@app.command("edit")
def person_edit(
    person_id: IdArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    email: EmailOpt = None, phone: PhoneOpt = None, notes: NotesOpt = None,
    login: LoginOpt = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Clear email, phone, "
                     "notes or login (repeatable).")] = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change a person's name, e-mail, phone, notes or login."""
    from stuffctl import store
    from stuffctl.services import person

    given = {"name": name, "email": email, "phone": phone, "notes": notes, "login": login}
    values = {k: v for k, v in given.items() if v is not None}
    with store.transaction(write=True) as db:
        data = person.edit_person(db=db, person_id=person_id, values=values,
                                  unset=list(unset or []), since=since)
    _say(data, as_json, "changed")


@app.command("rm")
def person_rm(person_id: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a person (not while loans with them are on record; owned things keep no owner)."""
    from stuffctl import store
    from stuffctl.services import person

    if not yes:
        from stuffctl.store.sql import row_or_404

        with store.transaction() as db:
            (name,) = row_or_404(db, "person", ("name",), person_id, "person")
        if not typer.confirm(f"Remove person {person_id} ({render.safe(name)})?", err=True):
            raise typer.Abort()
    with store.transaction(write=True) as db:
        data = person.remove_person(db=db, person_id=person_id)
    _say(data, as_json, "removed")
