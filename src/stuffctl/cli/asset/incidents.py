"""``stuffctl asset incident``: something broke; open an incident, on the asset app."""

from __future__ import annotations

from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.asset.records import IdArg, NotesOpt, app
from stuffctl.cli.options import JsonOpt, date_opt


@app.command("incident")
def asset_incident(
    ref: IdArg,
    symptom: Annotated[str, typer.Argument(help="What is wrong (\"won't drain\").",
                       show_default=False)],
    on: Annotated[str, typer.Option("--on", help="When it started (default today).")]
    = "today",
    out_of_use: Annotated[bool, typer.Option("--out-of-use", help="It cannot be used "
                          "meanwhile: the days until it is closed count as downtime.")]
    = False,
    notes: NotesOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open an incident on an asset, and see what fixed the same symptom before on the
    same model (or the same category): its playbooks."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import incident
    from stuffctl.services.lookup import resolve

    started = date_opt("--on", on)
    assert started is not None
    with store.transaction(write=True) as db:
        data = incident.open_incident(db=db, asset_id=resolve(db, "asset", ref),
                                      symptom=symptom, on=started, today=date.today(),
                                      out_of_use=out_of_use, notes=notes)
    if as_json:
        render.emit_json(data)
    else:
        from stuffctl.render.incident import opened_view

        render.emit(opened_view(data))
