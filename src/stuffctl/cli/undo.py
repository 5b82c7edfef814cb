"""``stuffctl undo``: take back the last write commands, each as one step."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import FormatOpt, JsonOpt, LimitOpt, RawOpt, YesOpt, pick_format

LIST_COLUMNS = [
    render.Column("STEP", "id", justify="right"),
    render.Column("WHEN", "ran_at", show=render.day),
    render.Column("BY", "ran_by"),
    render.Column("COMMAND", "command"),
    render.Column("UNDO WOULD", "changes", show=lambda changes: "; ".join(
        f"{c['action']} {c['what']}" for c in changes or [])),
    render.Column("UNDONE", "undone_at", show=render.day),
]


def _described(step: dict[str, Any]) -> str:
    what = "; ".join(f"{c['action']} {c['what']}" for c in step["changes"])
    return (f"step {step['id']} ({render.day(step['ran_at'])}): {render.safe(step['command'])}"
            f"\n    {what}")


def undo(
    steps: Annotated[int, typer.Argument(min=1, help="How many of your last commands to "
                     "undo, newest first.", show_default=True)] = 1,
    show_list: Annotated[bool, typer.Option("--list", help="List the journal's steps "
                         "(newest first) instead of undoing.")] = False,
    limit: LimitOpt = None, yes: YesOpt = False, as_json: JsonOpt = False,
    fmt: FormatOpt = None, raw: RawOpt = False,
) -> None:
    """Undo your last write command (or the last STEPS), showing what will be undone
    and asking first unless --yes. An import is undone as a whole; see docs/undo.md."""
    from stuffctl import store
    from stuffctl.services import undo as undo_service

    if show_list:
        with store.transaction() as db:
            rows = undo_service.history(db, limit=limit or 20)
        render.emit_list(rows, LIST_COLUMNS, pick_format(fmt, as_json),
                         empty="the undo journal is empty")
        return
    if not yes:
        with store.transaction() as db:
            planned = undo_service.plan(db, steps)
        render.note("This undoes:\n" + "\n".join(_described(s) for s in planned))
        if not typer.confirm("Undo?", err=True):
            raise typer.Abort()
    with store.transaction(write=True) as db:
        done = undo_service.undo(db, steps)
    if as_json or fmt is not None:
        render.emit_list(done, LIST_COLUMNS, pick_format(fmt, as_json))
        return
    for step in done:
        typer.echo(f"undone {_described(step)}")
