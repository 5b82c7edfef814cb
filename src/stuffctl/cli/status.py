"""``stuffctl status``: what needs you and where things stand, on one screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from stuffctl import render
from stuffctl.cli.options import JsonOpt

if TYPE_CHECKING:
    from stuffctl.services.remind.sources import Skipped


def status(
    brief: Annotated[bool, typer.Option("--brief", help="One line, for a shell prompt or "
                     "a status bar (with --json: its counts).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """What needs attention and where things stand, at a glance."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import status as status_service

    skipped: list[Skipped] = []
    if brief:
        from datetime import datetime

        from stuffctl.errors import Damaged, OperationFailed

        # It writes: it stores the line for the fast path (stuffctl.fastpath), and
        # keeps the one `remind run` stored. Where nothing can be written (a full disk,
        # read-only storage) it still answers, keeping nothing.
        try:
            with store.transaction(write=True, keeps_attention=True) as db:
                data = status_service.brief_cached(db=db, now=datetime.now(),
                                                   skipped=skipped)
        except OperationFailed as exc:
            if isinstance(exc, Damaged):
                raise
            skipped.clear()
            with store.transaction() as db:
                data = status_service.brief_data(db=db, today=date.today(), skipped=skipped)
    else:
        with store.transaction() as db:
            data = status_service.status(db=db, today=date.today(), skipped=skipped)
    from stuffctl.render.remind import report_skipped

    report_skipped(skipped)
    if as_json:
        render.emit_json(data)
    elif brief:
        typer.echo(data["line"])
    else:
        from stuffctl.render.status import status_view

        render.emit(status_view(data))
