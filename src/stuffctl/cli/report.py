"""``stuffctl report``: spending, assets, projects and cash flow as tables, JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import FormatOpt, JsonOpt, RawOpt, date_opt, pick_format, words

app = typer.Typer(no_args_is_help=True)

def _periods() -> tuple[str, ...]:
    from stuffctl.services.report import PERIODS

    return PERIODS


def _dimensions() -> tuple[str, ...]:
    from stuffctl.services.report import DIMENSIONS

    return DIMENSIONS


PerOpt = Annotated[str, typer.Option("--per", help="Period: month, quarter or year.",
                                     autocompletion=words(_periods))]
PeriodsOpt = Annotated[int, typer.Option("--periods", help="How many periods, ending with "
                                         "the one holding --to.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="The last period is the one holding "
                                           "this date (default today).")]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N rows in the "
                                       "ownership, replacement, repair-or-replace and "
                                       "brand-and-model tables.")]


def _emit(data: dict[str, Any], form: render.Format, key: str, rows: list[dict[str, Any]],
          columns: list[render.Column], view: Any) -> None:
    """A report as ``form`` says: the whole document (json), the elements of its main array
    ``data[key]`` (ndjson), that table's rows (csv: docs/reports.md names the columns),
    or the screen."""
    if form is render.Format.json:
        render.emit_json(data)
    elif form is render.Format.table:
        render.emit(view(data))
    elif form is render.Format.ndjson:
        render.emit_list(data[key], columns, form)
    else:
        render.emit_list(rows, columns, form)


def _today(to: str | None) -> Any:
    from datetime import date

    return date_opt("--to", to) or date.today()


@app.command("spend")
def report_spend(
    by: Annotated[str, typer.Option("--by", help="Group by category, payee, account, asset "
                                    "or project.", autocompletion=words(_dimensions))]
    = "category",
    per: PerOpt = "month",
    periods: PeriodsOpt = 6,
    to: ToOpt = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """Spending per period, with the change and the budget, per currency."""
    from stuffctl import store
    from stuffctl.render import report as view
    from stuffctl.services import report

    form = pick_format(fmt, as_json)
    end = _today(to)
    with store.transaction() as db:
        data = report.spend(db=db, by=by, per=per, n=periods, to=end)
    if form is render.Format.table and not data["rows"]:
        render.note("no spending in these periods")
        return
    _emit(data, form, "rows", view.spend_rows(data), view.spend_columns(data, bar=False),
          view.spend_view)


@app.command("cashflow")
def report_cashflow(
    per: PerOpt = "month",
    periods: PeriodsOpt = 12,
    to: ToOpt = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """Money in, out and net per period and currency."""
    from stuffctl import store
    from stuffctl.render import report as view
    from stuffctl.services import report

    form = pick_format(fmt, as_json)
    end = _today(to)
    with store.transaction() as db:
        rows = report.cashflow(db=db, per=per, n=periods, to=end)
    if form is render.Format.table and rows:
        render.emit(view.cashflow_view(rows, to=end.isoformat()))
    else:
        render.emit_list(rows, view.CASHFLOW_COLUMNS, form,
                         empty="no transactions in these periods")


@app.command("projects")
def report_projects(fmt: FormatOpt = None, as_json: JsonOpt = False,
                    raw: RawOpt = False) -> None:
    """Projects by status, the on-time rate and budget use per project."""
    from datetime import date

    from stuffctl import store
    from stuffctl.render import report as view
    from stuffctl.services import report

    form = pick_format(fmt, as_json)
    with store.transaction() as db:
        data = report.projects(db=db, today=date.today())
    _emit(data, form, "budgets", data["budgets"], view.BUDGET_COLUMNS, view.projects_view)


@app.command("assets")
def report_assets(limit: LimitOpt = 20, fmt: FormatOpt = None, as_json: JsonOpt = False,
                  raw: RawOpt = False) -> None:
    """Value bought per category and location, warranty coverage, ownership, replacement,
    repair or replace, and failures per brand and model."""
    from datetime import date

    from stuffctl import store
    from stuffctl.render import report as view
    from stuffctl.services import report

    form = pick_format(fmt, as_json)
    with store.transaction() as db:
        data = report.assets(db=db, today=date.today(), limit=limit)
    _emit(data, form, "ownership", data["ownership"], view.OWNERSHIP_COLUMNS,
          view.assets_view)


def _kinds() -> tuple[str, ...]:
    from stuffctl.services.gaps import KINDS

    return tuple(KINDS)


@app.command("gaps")
def report_gaps(
    kind: Annotated[str | None, typer.Option("--kind", help="Only asset, transaction or "
                    "project.", autocompletion=words(_kinds))] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N records of "
                     "each kind.")] = 20,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """What records lack (receipt, price, category, due date, …), the dearest first, and
    the completeness score."""
    from stuffctl import store
    from stuffctl.render import gaps as view
    from stuffctl.services import gaps

    form = pick_format(fmt, as_json)
    with store.transaction() as db:
        data = gaps.gaps(db=db, kind=kind, limit=limit)
    _emit(data, form, "gaps", view.gap_rows(data), view.GAP_COLUMNS, view.gaps_view)
