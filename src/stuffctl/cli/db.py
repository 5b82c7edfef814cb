"""``stuffctl db``: where the database is, what is in it, and whether it is sound."""

from __future__ import annotations

import typer

from stuffctl import render
from stuffctl.cli.options import JsonOpt
from stuffctl.errors import ExitCode

app = typer.Typer(no_args_is_help=True)


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
