"""``stuffctl category``: categories of money and their kind (expense or income), which
gives an amount typed without a sign its direction."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import FormatOpt, JsonOpt, RawOpt, pick_format

app = typer.Typer(no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="Category, in any case; a kind set on 'home' "
                    "holds for 'home:kitchen' too.", show_default=False)]

LIST_COLUMNS = [
    render.Column("CATEGORY", "name"),
    render.Column("KIND", "kind"),
    render.Column("FROM", "source"),
    render.Column("PARENT", "parent"),
    render.Column("TRANSACTIONS", "transactions", justify="right"),
]
WHY = {"set": "set on it", "parent": "set on {parent}", "default": "from its name"}


def _show_one(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        why = WHY[data["source"]].format(parent=data["parent"])
        typer.echo(f"{verb} category {render.safe(data['name'])}: {data['kind']} ({why})")


@app.command("list")
def category_list(fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False) -> None:
    """List the categories in use or with a kind set: kind, where it comes from, and how
    many transactions each has."""
    from stuffctl import store
    from stuffctl.services import category

    with store.transaction() as db:
        rows = category.list_categories(db=db)
    render.emit_list(rows, LIST_COLUMNS, pick_format(fmt, as_json), empty="no categories")


@app.command("set")
def category_set(
    name: NameArg,
    kind: Annotated[str, typer.Option("--kind", "-k", help="expense (an amount typed without "
                    "a sign is money out) or income (money in).", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """Set the kind of a category (and of its subcategories without one of their own)."""
    from stuffctl import store
    from stuffctl.services import category

    with store.transaction(write=True) as db:
        data = category.set_kind(db=db, name=name, kind=kind)
    _show_one(data, as_json, "set")


@app.command("unset")
def category_unset(name: NameArg, as_json: JsonOpt = False) -> None:
    """Forget the kind set on a category: it takes its parent's or its name's again."""
    from stuffctl import store
    from stuffctl.services import category

    with store.transaction(write=True) as db:
        data = category.unset_kind(db=db, name=name)
    _show_one(data, as_json, "unset")
