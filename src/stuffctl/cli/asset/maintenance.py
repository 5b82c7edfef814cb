"""``stuffctl asset reading|schedule|schedules|unschedule``: meters and maintenance, on
the asset app."""

from __future__ import annotations

from typing import Annotated

import typer

from stuffctl import render
from stuffctl.cli.asset.records import IdArg, app, meter_units
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    RawOpt,
    date_opt,
    parsed,
    pick_format,
    records,
    words,
)


@app.command("reading")
def asset_reading(
    ref: IdArg,
    value: Annotated[float, typer.Argument(help="The meter's reading.", show_default=False)],
    unit: Annotated[str, typer.Option("--unit", help="km, mi, h or cycles.",
                    autocompletion=words(meter_units))] = "km",
    on: Annotated[str, typer.Option("--on", help="When it was read (default today).")] = "today",
    as_json: JsonOpt = False,
) -> None:
    """Record a meter reading (odometer, operating hours, cycles)."""
    from stuffctl import store
    from stuffctl.dates import meter_unit
    from stuffctl.services.lookup import resolve
    from stuffctl.services.remind import schedules

    norm, when = parsed("--unit", unit, meter_unit), date_opt("--on", on)
    assert norm is not None and when is not None
    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        data = schedules.add_reading(db=db, asset_id=asset_id, value=value, unit=norm,
                                     on=when)
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"asset {asset_id}: {data['value']:g} {data['unit']} on "
                   f"{render.day(data['on'])} "
                   f"(current {data['current']:g} {data['unit']})")


@app.command("schedule")
def asset_schedule(
    ref: IdArg,
    every: Annotated[str, typer.Argument(help="'every 6 months', 'every 10000 km' or "
                     "'every 6 months or 10000 km'.", show_default=False)],
    kind: Annotated[str, typer.Option("--kind", "-k", help="The log event that closes it "
                    "(service, inspection, …).")] = "service",
    lead: Annotated[str | None, typer.Option("--lead", help="How long ahead to remind.")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a maintenance schedule; logging the event kind closes each occurrence."""
    from stuffctl import store
    from stuffctl.dates import format_duration, parse_duration, parse_schedule
    from stuffctl.services.lookup import resolve
    from stuffctl.services.remind import schedules

    sched = parsed("EVERY", every, parse_schedule)
    lead_text = format_duration(parsed("--lead", lead, parse_duration)) if lead else None
    assert sched is not None
    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        data = schedules.add_schedule(db=db, asset_id=asset_id, schedule=sched, kind=kind,
                                      lead=lead_text)
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"schedule {data['id']}: {data['kind']} of asset {asset_id} {data['every']}"
                   f" (next due {render.day(data['next_due']) or 'unknown'})")


@app.command("schedules")
def asset_schedules(
    ref: Annotated[str | None, typer.Argument(
        metavar="ASSET", help="Only this asset's schedules (id or name).", show_default=False,
        autocompletion=records("asset"))] = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List maintenance schedules with when each was last done and is next due."""
    from stuffctl import store
    from stuffctl.render.remind import SCHEDULE_COLUMNS
    from stuffctl.services.lookup import resolve
    from stuffctl.services.remind import maintenance

    with store.transaction() as db:
        asset_id = None if ref is None else resolve(db, "asset", ref)
        rows = maintenance.list_schedules(db=db, asset_id=asset_id)
    render.emit_list(rows, SCHEDULE_COLUMNS, pick_format(fmt, as_json), empty="no schedules")


@app.command("unschedule")
def asset_unschedule(
    schedule_id: Annotated[int, typer.Argument(help="Schedule id (see 'asset schedules').",
                           show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """Remove a maintenance schedule."""
    from stuffctl import store
    from stuffctl.services.remind import schedules

    with store.transaction(write=True) as db:
        data = schedules.remove_schedule(db=db, schedule_id=schedule_id)
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"removed schedule {data['id']} ({data['kind']} {data['every']})")


def register() -> None:
    """Nothing to do: importing this module added its commands to ``asset``."""
