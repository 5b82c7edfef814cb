"""``stuffctl asset attach|files|detach``: receipts and manuals, on the asset app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.asset.records import IdArg, app
from stuffctl.cli.options import FormatOpt, JsonOpt, RawOpt, pick_format


def _size(n: int | None) -> str:
    """1.2 MB (render.screen.size; JSON and CSV keep the bytes)."""
    from stuffctl.render.screen import size

    return size(n)


FILE_COLUMNS = [
    render.Column("ID", "id", justify="right"),
    render.Column("FILE", "filename"),
    render.Column("SIZE", "size", show=_size, justify="right"),
    render.Column("SHA256", "sha256", show=lambda v: v[:12]),
    render.Column("ADDED", "added_at", show=render.day),
]


@app.command("attach")
def asset_attach(
    ref: IdArg,
    files: Annotated[list[Path], typer.Argument(help="Files to copy in (receipts, manuals).",
                     show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """Copy files into the data directory and attach them (same content is kept once)."""
    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve
    from stuffctl.store import blobs

    with store.transaction() as db:  # no such asset: say so before copying any file
        asset_id = resolve(db, "asset", ref)
    stored = [(f.name, *blobs.store_file(f)) for f in files]
    with store.transaction(write=True) as db:
        added = [asset.add_attachment(db=db, asset_id=asset_id, filename=name,
                                      sha256=sha, size=size) for name, sha, size in stored]
    if as_json:
        render.emit_json(added)
    else:
        for a in added:
            typer.echo(f"attached {render.safe(a['filename'])} as file {a['id']}")


@app.command("files")
def asset_files(
    ref: IdArg, fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List an asset's attachments."""
    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        rows = asset.list_files(db=db, asset_id=resolve(db, "asset", ref))
    render.emit_list(rows, FILE_COLUMNS, pick_format(fmt, as_json), empty="no files")


@app.command("detach")
def asset_detach(
    ref: IdArg,
    file_id: Annotated[int, typer.Argument(help="Attachment id (see 'asset files').",
                       show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """Remove an attachment (its stored copy too, when nothing else uses it)."""
    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve
    from stuffctl.store import blobs

    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        data, unused = asset.detach(db=db, asset_id=asset_id, file_id=file_id)
    if unused:
        blobs.remove_blob(data["sha256"])
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"detached {render.safe(data['filename'])} from asset {asset_id}")
