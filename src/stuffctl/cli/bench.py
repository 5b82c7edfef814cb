"""``stuffctl bench``: this period against your own history, your goals and your peers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.options import FormatOpt, JsonOpt, RawOpt, pick_format


class Period(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


class Basis(StrEnum):
    last = "last"
    median = "median"
    best = "best"


PeriodOpt = Annotated[Period, typer.Option("--period", "-p", help="Length of a period; the "
                      "last complete one is compared with the 12 before it.")]

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)
goal_app = typer.Typer(no_args_is_help=True)
app.add_typer(goal_app, name="goal", help="Targets for metrics: set, list, rm.")


def _currency() -> str:
    from stuffctl import config

    return str(config.get("currency"))


@app.callback()
def bench_show(
    ctx: typer.Context,
    period: PeriodOpt = Period.month,
    vs: Annotated[Basis, typer.Option("--vs", help="Judge now against your last period, "
                  "your median or your best of the previous 12.")] = Basis.median,
    as_json: JsonOpt = False,
) -> None:
    """How this period compares with your own last 12, and progress toward your goals.

    Money metrics are in the configured default currency (`stuffctl config set currency`).
    """
    if ctx.invoked_subcommand is None:
        show(period, vs, as_json)


def show(period: Period = Period.month, vs: Basis = Basis.median, as_json: bool = False) -> None:
    """Print the bench (also shown by `stuffctl demo` after the status)."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services.bench import summary as bench_service

    with store.transaction() as db:
        data = bench_service.bench(db=db, unit=period.value, vs=vs.value,
                                   today=date.today(), currency=_currency())
    if as_json:
        render.emit_json(data)
        return
    from stuffctl.render.bench import bench_view

    render.emit(bench_view(data))


@goal_app.command("set")
def goal_set(
    goal: Annotated[list[str], typer.Argument(help="METRIC OP VALUE, e.g. "
                    "'spend:groceries <= 400' or maintenance_on_time '>= 0.9'.")],
    as_json: JsonOpt = False,
) -> None:
    """Set the goal of a metric (replacing its old one)."""
    from stuffctl import store
    from stuffctl.services.bench import goals

    metric, op, target = goals.parse_goal(" ".join(goal))
    with store.transaction(write=True) as db:
        data = goals.set_goal(db=db, metric=metric, op=op, target=target)
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"goal set: {render.safe(data['metric'])} {data['op']} {data['target']}")


GOAL_LIST_COLUMNS = [render.Column("METRIC", "metric"), render.Column("GOAL", "op"),
                     render.Column("TARGET", "target", justify="right")]


@goal_app.command("list")
def goal_list(as_json: JsonOpt = False, fmt: FormatOpt = None, raw: RawOpt = False) -> None:
    """List the goals."""
    from stuffctl import store
    from stuffctl.services.bench import goals

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        rows = goals.list_goals(db=db)
    render.emit_list(rows, GOAL_LIST_COLUMNS, out, empty="no goals yet")


@goal_app.command("rm")
def goal_rm(
    metric: Annotated[str, typer.Argument(help="The metric whose goal to remove.")],
    as_json: JsonOpt = False,
) -> None:
    """Remove the goal of a metric."""
    from stuffctl import store
    from stuffctl.services.bench import goals

    with store.transaction(write=True) as db:
        data = goals.remove_goal(db=db, metric=metric)
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"goal removed: {render.safe(data['metric'])}")


@app.command("export")
def bench_export(
    period: PeriodOpt = Period.month,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file "
                   "(default: stdout).", show_default=False)] = None,
) -> None:
    """Write an anonymised summary to share with peers (see docs/bench.md)."""
    from datetime import date

    from stuffctl import paths, store
    from stuffctl.errors import InvalidInput
    from stuffctl.services.bench import peers

    if out is not None and (not out.name or out.is_dir()):
        raise InvalidInput(f"--out: {str(out)!r} is not a file name")
    with store.transaction() as db:
        data = peers.export(db=db, unit=period.value, today=date.today(),
                            currency=_currency())
    if out is None:
        render.emit_json(data)
        return
    paths.write_atomic(out, (render.dumps(data) + "\n").encode())
    render.note(f"bench summary written to {out}")


@app.command("compare")
def bench_compare(
    files: Annotated[list[Path], typer.Argument(help="Peers' `bench export` files.")],
    as_json: JsonOpt = False, fmt: FormatOpt = None, raw: RawOpt = False,
) -> None:
    """Where you stand among peers' exports: rank, percentile, peers' median per metric."""
    from datetime import date

    from stuffctl import store
    from stuffctl.render.bench import COMPARE_COLUMNS
    from stuffctl.services.bench import peers

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        data = peers.compare_files(db=db, paths=files, today=date.today(),
                                   currency=_currency())
    if as_json:
        render.emit_json(data)
        return
    render.emit_list(data["metrics"], COMPARE_COLUMNS, out,
                     empty="no metric in common with the peers' files")
