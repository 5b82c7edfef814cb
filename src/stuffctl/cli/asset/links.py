"""``stuffctl asset link|links|unlink``: web pages about an asset, on the asset app
(`stuffctl open ASSET [WHAT]` opens them: ``stuffctl.cli.open``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.asset.records import IdArg, app
from stuffctl.cli.options import FormatOpt, JsonOpt, RawOpt, pick_format, words


def _kinds() -> tuple[str, ...]:
    from stuffctl.services.link import KINDS

    return KINDS


LINK_COLUMNS = [
    render.Column("ID", "id", justify="right", kind="id", priority=render.KEEP),
    render.Column("KIND", "kind", kind="word", priority=render.KEEP),
    render.Column("TITLE", "title", priority=2, min_width=10),
    render.Column("URL", "url", priority=render.KEEP, min_width=20),
]
CSV_COLUMNS = [*LINK_COLUMNS, render.Column("", "asset_id"), render.Column("", "uid"),
               render.Column("", "created_at")]


def _say(said: str, data: dict[str, Any], as_json: bool) -> None:
    """``link 4 (manual) of asset 1: https://…`` after ``said`` (the JSON shape with --json)."""
    if as_json:
        render.emit_json(data)
        return
    title = f" {render.safe(data['title'])!r}" if data["title"] else ""
    typer.echo(f"{said}link {data['id']} ({render.safe(data['kind'])}){title} of asset "
               f"{data['asset_id']}: {render.safe(data['url'])}")


@app.command("link")
def asset_link(
    ref: IdArg,
    url: Annotated[str, typer.Argument(help="The page: https://…, example.com/…, "
                   "file:///… or an absolute path.", show_default=False)],
    kind: Annotated[str | None, typer.Option(
        "--kind", "-k", help="What it is, one word: manual, product, support, video, parts, "
        "… (default: video for YouTube and Vimeo, manual for a PDF or 'manual' in the URL "
        "or title, else link).", autocompletion=words(_kinds))] = None,
    title: Annotated[str | None, typer.Option("--title", help="A title to show and to "
                     "open it by.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Link a web page (a manual, the product or support page, a video) to an asset; the
    same URL again is the same link (a --kind or --title given replaces its own)."""
    from stuffctl import store
    from stuffctl.services import link
    from stuffctl.services.lookup import resolve

    with store.transaction(write=True) as db:
        data = link.add(db, asset_id=resolve(db, "asset", ref), url=url, kind=kind,
                        title=title)
    _say("", data, as_json)


@app.command("links")
def asset_links(
    ref: IdArg, fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List an asset's links, and its web page (kind page, no id: 'asset edit --url')."""
    from stuffctl import store
    from stuffctl.services import link
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        rows = link.for_asset(db, resolve(db, "asset", ref))
    chosen = pick_format(fmt, as_json)
    render.emit_list(rows, CSV_COLUMNS if chosen == render.Format.csv else LINK_COLUMNS,
                     chosen, empty="no links")


@app.command("unlink")
def asset_unlink(
    ref: IdArg,
    link_id: Annotated[int, typer.Argument(help="Link id (see 'asset "
                       "links').", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """Remove a link from an asset (its web page goes with 'asset edit --unset url')."""
    from stuffctl import store
    from stuffctl.services import link
    from stuffctl.services.lookup import resolve

    with store.transaction(write=True) as db:
        data = link.remove(db, link_id, asset_id=resolve(db, "asset", ref))
    _say("removed ", data, as_json)
