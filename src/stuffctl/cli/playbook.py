"""``stuffctl playbook``: what fixed a symptom before, kept for a brand and model (or a
category) and offered when an incident is opened on matching stuff."""

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
)

app = typer.Typer(no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="PLAYBOOK", help="Playbook id (or its "
                  "symptom, or the start of it).", show_default=False,
                  autocompletion=records("playbook"))]
BrandOpt = Annotated[str | None, typer.Option("--brand", help="The brand it is for.")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="The model it is for.")]
CategoryOpt = Annotated[str | None, typer.Option("--category", "-c", help="The category it "
                        "is for ('home:kitchen'; 'home' covers it too).")]
SymptomOpt = Annotated[str | None, typer.Option("--symptom", help="What goes wrong "
                       "(\"won't drain\").")]
CauseOpt = Annotated[str | None, typer.Option("--cause", help="Why.")]
FixOpt = Annotated[str | None, typer.Option("--fix", help="What fixes it.")]
StepsOpt = Annotated[list[str] | None, typer.Option("--steps", help="A diagnosis step, in "
                     "order (repeatable; edit replaces them all).")]
OriginOpt = Annotated[str | None, typer.Option("--origin", help="Where it comes from (a "
                      "manual, a repair café).")]


def _one(data: dict[str, Any], as_json: bool, verb: str | None = None) -> None:
    if as_json:
        render.emit_json(data)
    elif verb is not None:
        typer.echo(f"{verb} playbook {data['id']}: {render.safe(data['symptom'])}")
    else:
        from stuffctl.render.incident import playbook_view

        render.emit(playbook_view(data))


def _values(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v is not None}


@app.command("list")
def playbook_list(
    brand: BrandOpt = None, model: ModelOpt = None, category: CategoryOpt = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List playbooks (brand and model in any case; a category with those below it)."""
    from stuffctl import store
    from stuffctl.render.incident import PLAYBOOK_COLUMNS, PLAYBOOK_CSV, playbook_rows
    from stuffctl.services import playbook

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        rows = playbook.list_playbooks(db=db, flt=playbook.PlaybookFilter(
            brand=brand, model=model, category=category))
        if out is render.Format.table:
            rows = playbook_rows(rows)
        render.emit_list(rows, PLAYBOOK_CSV if out is render.Format.csv else
                         PLAYBOOK_COLUMNS, out, empty="no playbooks")


@app.command("show")
def playbook_show(ref: IdArg, as_json: JsonOpt = False) -> None:
    """One playbook: what it is for, the symptom, cause, fix and steps."""
    from stuffctl import store
    from stuffctl.services import playbook
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        data = playbook.public(db, resolve(db, "playbook", ref))
    _one(data, as_json)


@app.command("add")
def playbook_add(
    symptom: SymptomOpt = None, fix: FixOpt = None, cause: CauseOpt = None,
    steps: StepsOpt = None, brand: BrandOpt = None, model: ModelOpt = None,
    category: CategoryOpt = None, origin: OriginOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add a playbook: a --symptom and its --fix, for a --model (with --brand) or a
    --category."""
    from stuffctl import store
    from stuffctl.services import playbook

    values = _values(symptom=symptom, fix=fix, cause=cause, steps=steps, brand=brand,
                     model=model, category=category, origin=origin)
    with store.transaction(write=True) as db:
        data = playbook.add_playbook(db=db, values=values)
    _one(data, as_json, "added")


@app.command("edit")
def playbook_edit(
    ref: IdArg, symptom: SymptomOpt = None, fix: FixOpt = None, cause: CauseOpt = None,
    steps: StepsOpt = None, brand: BrandOpt = None, model: ModelOpt = None,
    category: CategoryOpt = None, origin: OriginOpt = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Clear cause, steps, "
                     "brand, model, category or origin (repeatable).")] = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change a playbook."""
    from stuffctl import store
    from stuffctl.services import playbook
    from stuffctl.services.lookup import resolve

    values = _values(symptom=symptom, fix=fix, cause=cause, steps=steps, brand=brand,
                     model=model, category=category, origin=origin)
    with store.transaction(write=True) as db:
        data = playbook.edit_playbook(db=db, playbook_id=resolve(db, "playbook", ref),
                                      values=values, unset=list(unset or []), since=since)
    _one(data, as_json, "changed")


@app.command("rm")
def playbook_rm(ref: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a playbook (asks unless --yes)."""
    from stuffctl import store
    from stuffctl.services import playbook
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        playbook_id = resolve(db, "playbook", ref)
        data = playbook.public(db, playbook_id)
    if not yes and not typer.confirm(f"Remove playbook {playbook_id} "
                                     f"({render.safe(data['symptom'])})?", err=True):
        raise typer.Abort()
    with store.transaction(write=True) as db:
        data = playbook.remove_playbook(db=db, playbook_id=playbook_id)
    _one(data, as_json, "removed")


@app.command("match")
def playbook_match(
    asset: Annotated[str, typer.Argument(metavar="ASSET", help="Asset id or name.",
                     show_default=False, autocompletion=records("asset"))],
    symptom: Annotated[str | None, typer.Argument(help="What is wrong (leave out for "
                       "every playbook of the asset's model and category).",
                       show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """The playbooks an incident on ASSET with SYMPTOM would be offered, best first."""
    from stuffctl import store
    from stuffctl.services import playbook
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        data = playbook.match(db=db, asset_id=resolve(db, "asset", asset), symptom=symptom)
    if as_json:
        render.emit_json(data)
    elif not data:
        render.note("no playbook for this asset's model, nor one of its category that "
                    "shares a word with that symptom" if symptom else
                    "no playbook for this asset's model or category")
    else:
        from stuffctl.render.incident import offers_view

        render.emit(offers_view(data))
