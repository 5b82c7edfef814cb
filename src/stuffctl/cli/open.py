"""``stuffctl open ASSET [WHAT]``: open an asset's manual, a link, its web page or a
stored file, in the web browser or with the ``open.command`` setting."""

from __future__ import annotations

from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.options import JsonOpt, records


def open_asset(
    ref: Annotated[str, typer.Argument(metavar="ASSET", help="Asset id or name (or the "
                   "start of one).", show_default=False, autocompletion=records("asset"))],
    what: Annotated[str | None, typer.Argument(
        help="A link's kind (manual, support, video, page, …), id, or "
        "part of its title or URL; or an attached file's name.", show_default=False)]
    = None,
    print_: Annotated[bool, typer.Option("--print", "-p", help="Print the URL (a file's "
                      "path) instead of opening it.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Open an asset's manual, a link, its web page or an attached file.

    Without WHAT: the manual link, else the first link, else the web page. Opens in the
    web browser ($BROWSER first) or with the open.command setting (e.g. xdg-open), given
    the URL or the file's path; nothing to open exits 3, a WHAT that matches several
    exits 2 and lists them.
    """
    from stuffctl import config, store
    from stuffctl.services import link
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        target = link.choose(db, asset_id=resolve(db, "asset", ref), what=what)
    shown = target["path"] or target["url"]
    if not print_:
        render.note(f"opening {target['kind']} {shown}")
        link.launch(target, config.get("open.command"))
    if as_json:
        render.emit_json(target)
    elif print_:
        typer.echo(render.for_terminal(shown) if render.is_terminal() else shown)
