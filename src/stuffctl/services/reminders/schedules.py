"""Usage-based and time-based maintenance: meter readings, schedules, their source.

A schedule is due ``every 6 months`` after the last event of its kind, or
when the meter has run ``10000 km`` past the reading at that event, whichever
comes first. A meter due date not reached yet is projected from the average
rate of the readings so far; the current reading is the highest recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from stuffctl.dates import Recurrence, Schedule, format_date
from stuffctl.errors import InvalidInput
from stuffctl.models import Asset, Event, MaintenanceSchedule, MeterReading, Occurrence
from stuffctl.services.common import get_or_404, iso
from stuffctl.services.reminders.sources import Candidate, source

MAX_PROJECTION_DAYS = 3660


def add_reading(*, session: Session, asset_id: int, value: float, unit: str,
                on: date) -> dict[str, Any]:
    get_or_404(session, Asset, asset_id, "asset")
    if not 0 <= value < 1e12:
        raise InvalidInput(f"VALUE: a meter reading cannot be negative (got {value:g})")
    reading = MeterReading(asset_id=asset_id, value=value, unit=unit, taken_on=on)
    session.add(reading)
    session.flush()
    return reading_public(reading, current=current_reading(session, asset_id, unit))


def reading_public(r: MeterReading, current: float | None) -> dict[str, Any]:
    return {"id": r.id, "asset_id": r.asset_id, "value": r.value, "unit": r.unit,
            "on": iso(r.taken_on), "current": current}


def readings(session: Session, asset_id: int, unit: str) -> list[tuple[date, float]]:
    """Every reading of ``unit`` (logged events' meters too), oldest first."""
    own = session.exec(select(MeterReading.taken_on, MeterReading.value).where(
        col(MeterReading.asset_id) == asset_id, col(MeterReading.unit) == unit))
    logged = session.exec(select(Event.occurred_on, Event.meter).where(
        col(Event.asset_id) == asset_id, col(Event.meter).is_not(None),
        or_(col(Event.meter_unit) == unit, col(Event.meter_unit).is_(None))))
    return sorted([(d, float(v)) for d, v in own] + [(d, float(v)) for d, v in logged])


def current_reading(session: Session, asset_id: int, unit: str) -> float | None:
    values = [v for _, v in readings(session, asset_id, unit)]
    return max(values) if values else None


def add_schedule(*, session: Session, asset_id: int, schedule: Schedule, kind: str,
                 lead: str | None) -> dict[str, Any]:
    asset = get_or_404(session, Asset, asset_id, "asset")
    if not kind.strip():
        raise InvalidInput("--kind: cannot be empty")
    row = MaintenanceSchedule(
        asset_id=asset_id, kind=kind.strip(),
        rule=schedule.recurrence.rule if schedule.recurrence else None,
        every_amount=schedule.every_amount, every_unit=schedule.every_unit, lead=lead)
    session.add(row)
    session.flush()
    return schedule_public(session, row, asset)


def schedule_of(row: MaintenanceSchedule) -> Schedule:
    rec = Recurrence(row.rule) if row.rule else None
    return Schedule(rec, row.every_amount, row.every_unit)


def schedule_public(session: Session, row: MaintenanceSchedule,
                    asset: Asset | None = None) -> dict[str, Any]:
    asset = asset or get_or_404(session, Asset, row.asset_id, "asset")
    cand = maintenance_candidate(session, row, asset)
    return {"id": row.id, "key": f"maintenance:{row.id}", "asset_id": row.asset_id,
            "kind": row.kind, "every": schedule_of(row).describe(), "rule": row.rule,
            "every_amount": row.every_amount, "every_unit": row.every_unit, "lead": row.lead,
            "last_done": iso(_anchor(session, row, asset)),
            "next_due": iso(cand.due) if cand else None}


def list_schedules(*, session: Session, asset_id: int | None = None) -> list[dict[str, Any]]:
    query = select(MaintenanceSchedule).order_by(col(MaintenanceSchedule.id))
    if asset_id is not None:
        get_or_404(session, Asset, asset_id, "asset")
        query = query.where(col(MaintenanceSchedule.asset_id) == asset_id)
    return [schedule_public(session, row) for row in session.exec(query)]


def remove_schedule(*, session: Session, schedule_id: int) -> dict[str, Any]:
    row = get_or_404(session, MaintenanceSchedule, schedule_id, "maintenance schedule")
    data = schedule_public(session, row)
    session.delete(row)
    session.flush()
    return data


def _anchor(session: Session, row: MaintenanceSchedule, asset: Asset) -> date:
    """When the schedule's clock last started: last event, done or skip, else purchase."""
    last_event = session.exec(select(func.max(Event.occurred_on)).where(
        col(Event.asset_id) == row.asset_id, col(Event.kind) == row.kind)).one()
    last_acted = session.exec(select(func.max(Occurrence.acted_on)).where(
        col(Occurrence.key) == f"maintenance:{row.id}")).one()
    known = [d for d in (last_event, last_acted) if d is not None]
    if known:
        return max(known)
    return asset.purchased_on or row.created_at.date()


def _meter_due(session: Session, row: MaintenanceSchedule, anchor: date) -> date | None:
    if row.every_amount is None or row.every_unit is None:
        return None
    seen = readings(session, row.asset_id, row.every_unit)
    if not seen:
        return None
    base = max((v for d, v in seen if d <= anchor), default=0.0)
    threshold = base + row.every_amount
    crossed = [d for d, v in seen if v >= threshold and d >= anchor]
    if crossed:
        return min(crossed)
    (first_day, first), (last_day, last) = seen[0], max(seen, key=lambda x: (x[1], x[0]))
    days = (last_day - first_day).days
    if days <= 0 or last <= first:
        return None
    ahead = (threshold - last) / ((last - first) / days)
    return last_day + timedelta(days=min(MAX_PROJECTION_DAYS, int(ahead)))


def maintenance_candidate(session: Session, row: MaintenanceSchedule,
                          asset: Asset) -> Candidate | None:
    anchor = _anchor(session, row, asset)
    dues: list[date] = []
    if row.rule:
        start = datetime.combine(anchor, time())
        nxt = Recurrence(row.rule).next_after(start, dtstart=start)
        if nxt is not None:
            dues.append(nxt.date())
    if (meter := _meter_due(session, row, anchor)) is not None:
        dues.append(meter)
    if not dues:
        return None
    every = schedule_of(row).describe()
    return Candidate(kind="maintenance", key=f"maintenance:{row.id}",
                     title=f"{row.kind.capitalize()} of {asset.name} ({every})", due=min(dues),
                     lead=row.lead, about=f"asset:{asset.id}",
                     occurrence=f"after:{format_date(anchor)}")


@source("maintenance")
def maintenance(session: Session, start: date, end: date) -> list[Candidate]:
    # Schedules first, then their assets: joined, SQLite may walk every asset to find
    # the few (often no) schedules, as an empty table leaves it no statistics.
    schedules = session.exec(select(MaintenanceSchedule)).all()
    if not schedules:
        return []
    assets = {a.id: a for a in session.exec(select(Asset).where(
        col(Asset.id).in_({r.asset_id for r in schedules}),
        col(Asset.status).not_in(("retired", "sold", "lost"))))}
    found = (maintenance_candidate(session, row, assets[row.asset_id])
             for row in schedules if row.asset_id in assets)
    return [c for c in found if c is not None and c.due < end]
