"""The root command: global options and the nouns mounted under it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stuffctl import __version__

# Modules that add verbs to the `asset` sub-app when imported.
from stuffctl.cli import (
    asset_loans,  # noqa: F401  (asset lend|borrow|return|owner|seen)
    asset_maintenance,
    assets,
    bench,
    budget,
    config,
    data,
    db,
    demo,
    loans,
    people,
    projects,
    remind,
    report,
    status,
    sub,
    tasks,
    tx,
)

app = typer.Typer(
    name="stuffctl",
    help="Keep track of your stuff: assets, money, projects, reminders.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(assets.app, name="asset", help="What you own: purchase, warranty, log, files.")
app.add_typer(bench.app, name="bench", help="This period against your own history, goals, peers.")
app.add_typer(budget.app, name="budget", help="Spending limits per category and how much is used.")
app.add_typer(config.app, name="config", help="Show and change settings.")
app.add_typer(projects.app, name="project", help="Things to get done: outcome, dates, budget.")
app.add_typer(tasks.app, name="task", help="Steps of projects, and what to do next.")
app.add_typer(db.app, name="db", help="The database file: info and checks.")
app.add_typer(people.app, name="person", help="People who own, lend and borrow things.")
app.add_typer(loans.app, name="loan", help="What is lent out and borrowed, and what is overdue.")
asset_maintenance.register()  # asset reading|schedule|schedules|unschedule
app.add_typer(report.app, name="report", help="Reports: spending, assets, projects, cash flow.")
app.add_typer(remind.app, name="remind", help="What needs attention; `remind run` for cron.")
app.add_typer(sub.app, name="sub", help="Subscriptions and renewals: charges, costs.")
app.add_typer(tx.app, name="tx", help="Transactions: money in and out, bank CSV import.")
app.command("demo")(demo.demo)
app.command("status")(status.status)
app.command("find")(data.find)
app.command("export")(data.export)
app.add_typer(data.import_app, name="import", help="Bring data in: a stuffctl export or bundle "
              "(import FILE), or from Taskwarrior or Homebox.")
app.command("share")(data.share)
app.command("backup")(data.backup)
app.command("restore")(data.restore)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stuffctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db_path: Annotated[
        Path | None,
        typer.Option("--db", help="Database file (default: $STUFFCTL_DB, $STUFFCTL_HOME, "
                     "or the user data directory).", show_default=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """Keep track of your stuff: assets, money, projects, reminders."""
    from stuffctl import paths

    paths.set_db_override(db_path)
