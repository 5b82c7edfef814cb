"""Maintenance schedules and meter readings: adding and removing them.

Listing them and when each falls due is ``services.reminders.maintenance`` (plain
SQL, also the reminder engine's ``maintenance`` source).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from stuffctl.dates import Schedule
from stuffctl.errors import InvalidInput
from stuffctl.models import Asset, MaintenanceSchedule, MeterReading
from stuffctl.services.common import get_or_404, iso
from stuffctl.services.reminders import maintenance


def add_reading(*, session: Session, asset_id: int, value: float, unit: str,
                on: date) -> dict[str, Any]:
    get_or_404(session, Asset, asset_id, "asset")
    if not 0 <= value < 1e12:
        raise InvalidInput(f"VALUE: a meter reading cannot be negative (got {value:g})")
    reading = MeterReading(asset_id=asset_id, value=value, unit=unit, taken_on=on)
    session.add(reading)
    session.flush()
    return reading_public(reading, current=maintenance.current_reading(session, asset_id, unit))


def reading_public(r: MeterReading, current: float | None) -> dict[str, Any]:
    return {"id": r.id, "asset_id": r.asset_id, "value": r.value, "unit": r.unit,
            "on": iso(r.taken_on), "current": current}


def add_schedule(*, session: Session, asset_id: int, schedule: Schedule, kind: str,
                 lead: str | None) -> dict[str, Any]:
    get_or_404(session, Asset, asset_id, "asset")
    if not kind.strip():
        raise InvalidInput("--kind: cannot be empty")
    row = MaintenanceSchedule(
        asset_id=asset_id, kind=kind.strip(),
        rule=schedule.recurrence.rule if schedule.recurrence else None,
        every_amount=schedule.every_amount, every_unit=schedule.every_unit, lead=lead)
    session.add(row)
    session.flush()
    return _public(session, row.id)


def _public(session: Session, schedule_id: int | None) -> dict[str, Any]:
    plan, = maintenance.plans(session, where="s.id = ?", params=(schedule_id,))
    return maintenance.schedule_public(session, plan)


def remove_schedule(*, session: Session, schedule_id: int) -> dict[str, Any]:
    row = get_or_404(session, MaintenanceSchedule, schedule_id, "maintenance schedule")
    data = _public(session, row.id)
    session.delete(row)
    session.flush()
    return data
