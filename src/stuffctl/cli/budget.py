"""``stuffctl budget``: spending limits per category, and how much of them is used."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    RawOpt,
    money_opt,
    parsed,
    pick_format,
    words,
)
from stuffctl.vocabulary import BUDGET_PERIODS

app = typer.Typer(no_args_is_help=True)

CategoryArg = Annotated[str, typer.Argument(help="Category; a budget for 'home' counts "
                        "'home:repairs' too.", show_default=False)]

LIST_COLUMNS = [
    render.Column("CATEGORY", "category"),
    render.Column("PERIOD", "period"),
    render.Column("AMOUNT", "amount", justify="right"),
]


def _show_one(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"{verb} budget {render.safe(data['category'])}: "
                   f"{render.plain(data['amount'])} {data['period']}")


@app.command("set")
def budget_set(
    category: CategoryArg,
    amount: Annotated[str, typer.Argument(help="Limit per period (400, 400 EUR).",
                      show_default=False)],
    period: Annotated[str, typer.Option("--period", "-p", help="monthly, quarterly or "
                      "yearly.", autocompletion=words(BUDGET_PERIODS))] = "monthly",
    as_json: JsonOpt = False,
) -> None:
    """Set (or replace) the budget of a category."""
    from stuffctl import store
    from stuffctl.services import budget

    money = money_opt("AMOUNT", amount)
    assert money is not None
    with store.transaction(write=True) as db:
        data = budget.set_budget(db=db, category=category, amount=money, period=period)
    _show_one(data, as_json, "set")


@app.command("list")
def budget_list(fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False) -> None:
    """List budgets."""
    from stuffctl import store
    from stuffctl.services import budget

    with store.transaction() as db:
        rows = budget.list_budgets(db=db)
    render.emit_list(rows, LIST_COLUMNS, pick_format(fmt, as_json), empty="no budgets")


@app.command("rm")
def budget_rm(category: CategoryArg, as_json: JsonOpt = False) -> None:
    """Remove the budget of a category."""
    from stuffctl import store
    from stuffctl.services import budget

    with store.transaction(write=True) as db:
        data = budget.remove_budget(db=db, category=category)
    _show_one(data, as_json, "removed")


STATUS_CSV = [render.Column(key, key) for key in (
    "category", "depth", "period", "start", "end", "budget", "spent", "left", "percent",
    "over")]


@app.command("status")
def budget_status(
    period: Annotated[str | None, typer.Option("--period", "-p", help="Measure every budget "
                      "over this period (2026-10, 2026-Q3, last-month, …), prorated; default: "
                      "each budget's current month, quarter or year.")] = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """Per budget: the limit, spent, left and percentage used."""
    from datetime import date

    from stuffctl import store
    from stuffctl.dates import parse_period
    from stuffctl.services.budget import budget_status as usage

    form = pick_format(fmt, as_json)
    span = parsed("--period", period, parse_period)
    with store.transaction() as db:
        data = usage(db=db, today=date.today(), period=span)
    if form is render.Format.json:
        render.emit_json(data)
    elif form is not render.Format.table:  # one row per budget, the keys of its JSON
        render.emit_list(data["budgets"], STATUS_CSV, form)
    elif not data["budgets"]:
        render.note("no budgets; add one with 'stuffctl budget set CATEGORY AMOUNT'")
    else:
        from stuffctl.render.budget import budget_status_view

        render.emit(budget_status_view(data))
