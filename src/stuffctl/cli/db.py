"""``stuffctl db``: where the database is, what is in it, and whether it is sound."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.options import JsonOpt, records, words
from stuffctl.errors import ExitCode

app = typer.Typer(no_args_is_help=True)


@app.command("init")
def db_init(as_json: JsonOpt = False) -> None:
    """Make the database: the home's file, or the schema of a blank server database
    (--db, STUFFCTL_DB or db_url). One that is there already is left as it is."""
    from stuffctl.services import db

    data = db.init()
    if as_json:
        render.emit_json(data)
        return
    done = "made" if data["created"] else "already there:"
    typer.echo(f"{done} {render.safe(data['path'])} (schema {data['schema_version']})")


@app.command("copy")
def db_copy(
    to: Annotated[str, typer.Option("--to", metavar="<file or url>", help="The blank "
                                    "database to copy into: a file (made if needed) or a "
                                    "server's postgresql:// URL.", show_default=False)],
    files: Annotated[Path | None, typer.Option(
        "--files", metavar="<folder>", help="Where the copy's attached files go (default: "
        "beside a file; for a server, attachments_dir).", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Copy every row, ids and uids kept, into a blank database: from a SQLite home to a
    household's server, or back."""
    from stuffctl.services import db

    data = db.copy(to=to, files=files)
    if as_json:
        render.emit_json(data)
        return
    count = sum(data["rows"].values())
    typer.echo(f"copied {count} rows and {data['files']} files from "
               f"{render.safe(data['from'])} to {render.safe(data['to'])}")


def _roles() -> tuple[str, ...]:
    from stuffctl.store.postgres import ROLES

    return ROLES


@app.command("grant")
def db_grant(
    person: Annotated[str, typer.Argument(metavar="PERSON", help="A person (id or name).",
                                          autocompletion=records("person"))],
    role: Annotated[str, typer.Argument(metavar="ROLE", help="viewer (reads), member "
                                        "(reads and writes) or admin (also people and "
                                        "roles).", autocompletion=words(_roles))],
    login: Annotated[str | None, typer.Option(
        "--login", metavar="<role>", help="The server login they use (default: their "
        "name in lower case); made, without a password, when missing.",
        show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Let a person use a server database as a viewer, member or admin, enforced by the
    server (docs/shared.md)."""
    from stuffctl import store
    from stuffctl.services import db

    with store.transaction(write=True, keeps_attention=True) as conn:
        data = db.grant(db=conn, person=person, role=role, login=login)
    if as_json:
        render.emit_json(data)
        return
    made = " (a new login: give it a password on the server)" if data["login_created"] else ""
    typer.echo(f"{render.safe(data['person']['name'])} signs in as {data['login']}, "
               f"{data['role']}{made}")


@app.command("info")
def db_info(as_json: JsonOpt = False) -> None:
    """Path, schema version, size and row counts."""
    from stuffctl import store
    from stuffctl.services import db

    store.existing_database()
    with store.transaction() as conn:
        data = db.info(db=conn)
    if as_json:
        render.emit_json(data)
        return
    from stuffctl.render.views import db_info_view

    render.emit(db_info_view(data))


@app.command("check")
def db_check(as_json: JsonOpt = False) -> None:
    """Integrity, foreign keys, schema version, journal mode, permissions and attachments.

    Exits 1 when any check fails, naming what failed and how to fix it.
    """
    from stuffctl import store
    from stuffctl.errors import Damaged
    from stuffctl.services import db

    store.existing_database()
    try:
        with store.transaction() as conn:
            findings = db.run_checks(db=conn)
    except Damaged as exc:
        findings = db.unreadable_checks(str(exc.__cause__ or exc))
    failed = [f for f in findings if not f.ok]
    if as_json:
        render.emit_json({"ok": not failed, "findings": [f.as_json() for f in findings]})
    else:
        for f in findings:
            mark = "ok  " if f.ok else "FAIL"
            fix = f" (fix: {f.fix})" if f.fix and not f.ok else ""
            typer.echo(f"{mark} {f.check}: {render.safe(f.message)}{fix}")
    if failed:
        raise typer.Exit(int(ExitCode.FAILED))
