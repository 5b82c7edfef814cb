"""The root command: the global options (``--db``, ``--version``) that every command line
shares. Its own module so that the tree (``stuffctl.cli.tree``), which the whole app
(``stuffctl.cli.app``) is built by, does not import the app back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from stuffctl import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stuffctl {__version__}")
        raise typer.Exit()


def root(
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="<file or url>",
                     help="Database file, or a PostgreSQL server database's URL "
                     "(postgresql://user@host/dbname; default: $STUFFCTL_DB, db_url in "
                     "config, $STUFFCTL_HOME, or the user data directory).",
                     show_default=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """Keep track of your stuff: assets, money, projects, reminders."""
    from stuffctl import paths, store

    paths.set_db_override(db)
    # the store and the kernel read no config of their own
    store.keep_before_migration = _backups_keep
    paths.configured_url = _configured("db_url")
    paths.configured_attachments = _configured("attachments_dir")
    paths.configured_user = _configured("user")


def _configured(key: str) -> Callable[[], str | None]:
    def value() -> str | None:
        from stuffctl import config

        return config.get(key) or None

    return value


def _backups_keep() -> int:
    """``backups.keep``, for the copies a migration on open makes."""
    from stuffctl import config

    return int(config.get("backups.keep"))
