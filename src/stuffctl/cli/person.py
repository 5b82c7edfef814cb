"""``stuffctl person``: the people who own, lend and borrow things with you."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    RawOpt,
    SinceOpt,
    YesOpt,
    pick_format,
    records,
    words,
)

app = typer.Typer(no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="PERSON", help="Person id or name (or the start "
                  "of one).", show_default=False, autocompletion=records("person"))]
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
def person_show(ref: IdArg, as_json: JsonOpt = False) -> None:
    """A person with what they own and every loan with them."""
    from stuffctl import store
    from stuffctl.services import person
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        data = person.show_person(db=db, person_id=resolve(db, "person", ref))
    if as_json:
        render.emit_json(data)
        return
    from stuffctl.render.views import person_view

    render.emit(person_view(data))


@app.command("edit")
def person_edit(
    ref: IdArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    email: EmailOpt = None, phone: PhoneOpt = None, notes: NotesOpt = None,
    login: LoginOpt = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Clear email, phone, "
                     "notes or login (repeatable).",
                     autocompletion=words(("email", "phone", "notes", "login")))] = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change a person's name, e-mail, phone, notes or login."""
    from stuffctl import store
    from stuffctl.services import person
    from stuffctl.services.lookup import resolve

    given = {"name": name, "email": email, "phone": phone, "notes": notes, "login": login}
    values = {k: v for k, v in given.items() if v is not None}
    with store.transaction(write=True) as db:
        data = person.edit_person(db=db, person_id=resolve(db, "person", ref), values=values,
                                  unset=list(unset or []), since=since)
    _say(data, as_json, "changed")


@app.command("rm")
def person_rm(ref: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a person (not while loans with them are on record; owned things keep no owner)."""
    from stuffctl import store
    from stuffctl.services import person
    from stuffctl.services.lookup import resolve

    if not yes:
        from stuffctl.store.sql import row_or_404

        with store.transaction() as db:
            person_id = resolve(db, "person", ref)
            (name,) = row_or_404(db, "person", ("name",), person_id, "person")
        if not typer.confirm(f"Remove person {person_id} ({render.safe(name)})?", err=True):
            raise typer.Abort()
        ref = str(person_id)
    with store.transaction(write=True) as db:
        data = person.remove_person(db=db, person_id=resolve(db, "person", ref))
    _say(data, as_json, "removed")


@app.command("notify")
def person_notify(
    person: Annotated[str, typer.Argument(help="Person id, name, or me.", show_default=False,
                                          autocompletion=records("person"))],
    add: Annotated[list[str] | None, typer.Option("--add", help="A channel: an Apprise URL "
                   "(mailto://, ntfy://, gotify://, tgram://, json://, …; repeatable).")]
    = None,
    rm: Annotated[list[str] | None, typer.Option("--rm", help="Remove a channel, by id or "
                  "URL (repeatable).")] = None,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="A preset (everything, "
                       "planner, operations, budget, reactive, anomalies, digest, household) "
                       "or key=value: kinds=, bands=, digest=, quiet= (repeatable; "
                       "docs/notify.md).")] = None,
    test: Annotated[bool, typer.Option("--test", help="Send a test message to each of their "
                    "channels now.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """How a person is notified: their channels and profile; change them, test them."""
    from stuffctl import store
    from stuffctl.errors import RemindStatus
    from stuffctl.services import person as people
    from stuffctl.services.lookup import resolve

    changing = bool(add or rm or profile)
    with store.transaction(write=changing) as db:
        person_id = resolve(db, "person", person, "PERSON")
        data = people.set_notify(db, person_id, add=list(add or []), remove=list(rm or []),
                                 profile=list(profile or [])) if changing else \
            people.notify_settings(db, person_id)
        urls = people.channel_urls(db, person_id) if test else []
    failed = _test(data, urls) if test else []
    if as_json:
        render.emit_json({**data, **({"test": failed} if test else {})})
    else:
        from stuffctl.render.views import notify_view

        render.emit(notify_view(data))
    if any(r["error"] for r in failed):
        raise typer.Exit(int(RemindStatus.NOT_DELIVERED))


def _test(data: dict[str, Any], urls: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Send a test message to each channel; one line on stderr per channel."""
    from stuffctl.services.remind.notify import deliver, mask

    results = []
    for cid, url in urls:
        error = deliver(url, "stuffctl: a test", f"A test message for {data['person']} from "
                        "stuffctl: this channel works.")
        render.note(f"{'sent' if error is None else 'not delivered'}: channel {cid} "
                    f"{mask(url)}{'' if error is None else ': ' + render.plain(error)}")
        results.append({"channel_id": cid, "channel": mask(url), "error": error})
    if not urls:
        render.note(f"{render.plain(data['person'])} has no channel to test")
    return results
