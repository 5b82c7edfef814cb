"""The root command (global options) and the whole tree, for docs and tests.

The console script builds only the part of the tree a command line needs
(``stuffctl.cli.tree``); ``app`` here is everything, as ``stuffctl --help``,
the generated docs and the completion scripts show it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stuffctl import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stuffctl {__version__}")
        raise typer.Exit()


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


def __getattr__(name: str) -> object:
    if name == "app":  # built on first use: importing `root` must not build the tree
        from stuffctl.cli.tree import build

        globals()["app"] = built = build()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
