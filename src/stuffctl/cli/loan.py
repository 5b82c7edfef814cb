"""``stuffctl loan``: what is lent out, what is borrowed, what is overdue."""

from __future__ import annotations

from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.options import FormatOpt, JsonOpt, RawOpt, pick_format, records, words
from stuffctl.vocabulary import LOAN_DIRECTIONS

app = typer.Typer(no_args_is_help=True)

COLUMNS = [
    render.Column("ID", "id", justify="right"),
    render.Column("ASSET", "asset_name"),
    render.Column("", "direction", show=lambda v: "lent to" if v == "out" else "borrowed from"),
    render.Column("PERSON", "person_name"),
    render.Column("SINCE", "since", show=render.day),
    render.Column("DUE", "due_on", show=render.day),
    render.Column("RETURNED", "returned_on", show=render.day),
    render.Column("OVERDUE", "overdue", show=lambda v: "OVERDUE" if v else ""),
]
CSV_COLUMNS = [render.Column("", k) for k in (
    "id", "asset_id", "asset_name", "direction", "person_id", "person_name", "since", "due_on",
    "returned_on", "overdue", "notes", "uid")]


@app.command("list")
def loan_list(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open loans past their due "
                       "date.")] = False,
    person: Annotated[str | None, typer.Option("--person", "-p", help="Only loans with this "
                      "person (id or name).", autocompletion=records("person"))] = None,
    direction: Annotated[str | None, typer.Option("--direction", help="out (lent) or in "
                         "(borrowed).", autocompletion=words(LOAN_DIRECTIONS))] = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Include returned loans "
                    "(the history).")] = False,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List open loans (due soonest first); --all adds returned ones."""
    from stuffctl import store
    from stuffctl.services import loan
    from stuffctl.services.lookup import resolve

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        who = resolve(db, "person", person, "--person") if person else None
        rows = loan.list_loans(db=db, overdue=overdue, direction=direction,
                               person_id=who, include_returned=all_)
        columns = CSV_COLUMNS if out is render.Format.csv else COLUMNS
        render.emit_list(rows, columns, out, empty="no loans")
