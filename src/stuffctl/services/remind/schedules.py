"""Maintenance schedules and meter readings: adding and removing them.

Listing them and when each falls due is ``services.remind.maintenance`` (plain
SQL, also the reminder engine's ``maintenance`` source).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from stuffctl.dates import Schedule
from stuffctl.errors import InvalidInput
from stuffctl.services.remind import maintenance
from stuffctl.store import sql
from stuffctl.store.handle import Db


def add_reading(*, db: Db, asset_id: int, value: float, unit: str,
                on: date) -> dict[str, Any]:
    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    if not 0 <= value < 1e12:
        raise InvalidInput(f"VALUE: a meter reading cannot be negative (got {value:g})")
    ident = sql.insert(db, "meter_reading", {"asset_id": asset_id, "value": value,
                                              "unit": unit, "taken_on": on})
    return {"id": ident, "asset_id": asset_id, "value": value, "unit": unit,
            "on": sql.iso(on), "current": maintenance.current_reading(db, asset_id, unit)}


def add_schedule(*, db: Db, asset_id: int, schedule: Schedule, kind: str,
                 lead: str | None) -> dict[str, Any]:
    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    if not kind.strip():
        raise InvalidInput("--kind: cannot be empty")
    ident = sql.insert(db, "maintenance_schedule", {
        "asset_id": asset_id, "kind": kind.strip(),
        "rule": schedule.recurrence.rule if schedule.recurrence else None,
        "every_amount": schedule.every_amount, "every_unit": schedule.every_unit,
        "lead": lead})
    return _public(db, ident)


def _public(db: Db, schedule_id: int) -> dict[str, Any]:
    plan, = maintenance.plans(db, where="s.id = ?", params=(schedule_id,))
    return maintenance.schedule_public(db, plan)


def remove_schedule(*, db: Db, schedule_id: int) -> dict[str, Any]:
    sql.row_or_404(db, "maintenance_schedule", ("id",), schedule_id, "maintenance schedule")
    data = _public(db, schedule_id)
    db.execute("DELETE FROM maintenance_schedule WHERE id = ?", (schedule_id,))
    return data
