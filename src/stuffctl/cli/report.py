"""``stuffctl report``: spending, assets, projects and cash flow as tables, JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import JsonOpt, RawOpt, date_opt

app = typer.Typer(no_args_is_help=True)

CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV (one row per line).")]
PerOpt = Annotated[str, typer.Option("--per", help="Period: month, quarter or year.")]
PeriodsOpt = Annotated[int, typer.Option("--periods", help="How many periods, ending with "
                                         "the one holding --to.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="The last period is the one holding "
                                           "this date (default today).")]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N assets in "
                                       "the ownership and replacement tables.")]


def _check(as_json: bool, as_csv: bool) -> None:
    from stuffctl.errors import InvalidInput

    if as_json and as_csv:
        raise InvalidInput("--json and --csv contradict each other")


def _today(to: str | None) -> Any:
    from datetime import date

    return date_opt("--to", to) or date.today()


@app.command("spend")
def report_spend(
    by: Annotated[str, typer.Option("--by", help="Group by category, payee, account, asset "
                                    "or project.")] = "category",
    per: PerOpt = "month",
    periods: PeriodsOpt = 6,
    to: ToOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False, raw: RawOpt = False,
) -> None:
    """Spending per period, with the change and the budget, per currency."""
    from stuffctl import store
    from stuffctl.render import report as view
    from stuffctl.services import report

    _check(as_json, as_csv)
    end = _today(to)
    with store.transaction() as db:
        data = report.spend(db=db, by=by, per=per, n=periods, to=end)
    if as_json:
        render.emit_json(data)
    elif as_csv:
        render.emit_list(view.spend_rows(data), view.spend_columns(data, bar=False),
                         render.Format.csv)
    elif not data["rows"]:
        render.note("no spending in these periods")
    else:
        render.emit(view.spend_view(data))


@app.command("cashflow")
def report_cashflow(
    per: PerOpt = "month",
    periods: PeriodsOpt = 12,
    to: ToOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False, raw: RawOpt = False,
) -> None:
    """Money in, out and net per period and currency."""
    from stuffctl import store
    from stuffctl.render.report import CASHFLOW_COLUMNS
    from stuffctl.services import report

    _check(as_json, as_csv)
    end = _today(to)
    with store.transaction() as db:
        rows = report.cashflow(db=db, per=per, n=periods, to=end)
    fmt = render.Format.json if as_json else render.Format.csv if as_csv else render.Format.table
    render.emit_list(rows, CASHFLOW_COLUMNS, fmt, empty="no transactions in these periods")


@app.command("projects")
def report_projects(as_json: JsonOpt = False, as_csv: CsvOpt = False, raw: RawOpt = False) -> None:
    """Projects by status, the on-time rate and budget use per project."""
    from datetime import date

    from stuffctl import store
    from stuffctl.render import report as view
    from stuffctl.services import report

    _check(as_json, as_csv)
    with store.transaction() as db:
        data = report.projects(db=db, today=date.today())
    if as_json:
        render.emit_json(data)
    elif as_csv:
        render.emit_list(data["budgets"], view.BUDGET_COLUMNS, render.Format.csv)
    else:
        render.emit(view.projects_view(data))


@app.command("assets")
def report_assets(limit: LimitOpt = 20, as_json: JsonOpt = False,
                  as_csv: CsvOpt = False, raw: RawOpt = False) -> None:
    """Value bought per category and location, warranty coverage, ownership, replacement."""
    from datetime import date

    from stuffctl import store
    from stuffctl.render import report as view
    from stuffctl.services import report

    _check(as_json, as_csv)
    with store.transaction() as db:
        data = report.assets(db=db, today=date.today(), limit=limit)
    if as_json:
        render.emit_json(data)
    elif as_csv:
        render.emit_list(data["ownership"], view.OWNERSHIP_COLUMNS, render.Format.csv)
    else:
        render.emit(view.assets_view(data))
