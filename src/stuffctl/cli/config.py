"""``stuffctl config``: show, get, set and unset settings."""

from __future__ import annotations

from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.options import JsonOpt

app = typer.Typer(no_args_is_help=True)

COLUMNS = [render.Column("KEY", "key"), render.Column("VALUE", "value"),
           render.Column("DESCRIPTION", "help")]


@app.command("show")
def config_show(as_json: JsonOpt = False) -> None:
    """Show every setting with its current value."""
    from stuffctl import config, paths

    values = config.effective()
    if as_json:
        render.emit_json({"path": str(paths.config_path()), "values": values})
        return
    rows = [{"key": k, "value": v, "help": config.KEYS[k].help} for k, v in values.items()]
    render.note(f"config file: {paths.config_path()}")
    render.emit_list(rows, COLUMNS, render.Format.table)


@app.command("get")
def config_get(key: Annotated[str, typer.Argument(help="Setting name.")],
               as_json: JsonOpt = False) -> None:
    """Print one setting's value."""
    from stuffctl import config

    value = config.get(key)
    if as_json:
        render.emit_json({"key": key, "value": value})
    else:
        typer.echo(render.plain(value))


@app.command("set")
def config_set(key: Annotated[str, typer.Argument(help="Setting name.")],
               value: Annotated[str, typer.Argument(help="New value.")],
               as_json: JsonOpt = False) -> None:
    """Change a setting (validated before it is saved)."""
    from stuffctl import config

    stored = config.set_value(key, value)
    if as_json:
        render.emit_json({"key": key, "value": stored})
    else:
        typer.echo(f"{key} = {render.plain(stored)}")


@app.command("unset")
def config_unset(key: Annotated[str, typer.Argument(help="Setting name.")]) -> None:
    """Go back to a setting's default."""
    from stuffctl import config

    config.unset(key)
    typer.echo(f"{key} = {render.plain(config.get(key))} (default)")
