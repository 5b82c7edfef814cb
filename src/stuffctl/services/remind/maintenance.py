"""When maintenance falls due, in plain SQL: the ``maintenance`` source, and
`asset schedules` with when each was last done and is next due (adding and
removing schedules is ``schedules``).

A schedule is due ``every 6 months`` after the last event of its kind, or
when the meter has run ``10000 km`` past the reading at that event, whichever
comes first. A meter due date not reached yet is projected from the average
rate of the readings so far; the current reading is the highest recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from stuffctl.dates import Recurrence, Schedule, format_date
from stuffctl.errors import NotFound
from stuffctl.services.remind.sources import OUT_OF_USE, Candidate, source
from stuffctl.store.handle import Db
from stuffctl.store.sql import day, iso

MAX_PROJECTION_DAYS = 3660


class Plan(NamedTuple):
    """A maintenance schedule with what its reminder names of its asset."""

    id: int
    asset_id: int
    kind: str
    rule: str | None
    every_amount: float | None
    every_unit: str | None
    lead: str | None
    created_on: date
    asset_name: str
    purchased_on: date | None

    @property
    def schedule(self) -> Schedule:
        rec = Recurrence(self.rule) if self.rule else None
        return Schedule(rec, self.every_amount, self.every_unit)


# Schedules first, then their assets (SQLite keeps a CROSS JOIN's order): the other way
# round SQLite may walk every asset to find the few (often no) schedules.
PLANS = ("SELECT s.id, s.asset_id, s.kind, s.rule, s.every_amount, s.every_unit, s.lead,"
         " s.created_at, a.name, a.purchased_on FROM maintenance_schedule s"
         " CROSS JOIN asset a WHERE a.id = s.asset_id")
READINGS = ("SELECT taken_on, value FROM meter_reading WHERE asset_id = ? AND unit = ?"
            " UNION ALL SELECT occurred_on, meter FROM event WHERE asset_id = ?"
            " AND meter IS NOT NULL AND (meter_unit = ? OR meter_unit IS NULL)")
LAST_EVENT = "SELECT max(occurred_on) FROM event WHERE asset_id = ? AND kind = ?"
LAST_ACTED = "SELECT max(acted_on) FROM occurrence WHERE key = ?"


def _plan(row: tuple[Any, ...]) -> Plan:
    ident, asset_id, kind, rule, amount, unit, lead, created_at, name, purchased_on = row
    return Plan(ident, asset_id, kind, rule, amount, unit, lead, day(created_at) or date.min,
                name, day(purchased_on))


def plans(db: Db, *, where: str = "", params: tuple[Any, ...] = ()) -> list[Plan]:
    """Schedules (``where`` filters, over ``s`` the schedule and ``a`` its asset), by id."""
    query = f"{PLANS} {'AND ' + where if where else ''} ORDER BY s.id"
    return [_plan(row) for row in db.execute(query, params)]


def readings(db: Db, asset_id: int, unit: str) -> list[tuple[date, float]]:
    """Every reading of ``unit`` (logged events' meters too), oldest first."""
    rows = db.execute(READINGS, (asset_id, unit, asset_id, unit))
    return sorted((date.fromisoformat(d), float(v)) for d, v in rows)


def current_reading(db: Db, asset_id: int, unit: str) -> float | None:
    values = [v for _, v in readings(db, asset_id, unit)]
    return max(values) if values else None


def anchor(conn: Db, plan: Plan) -> date:
    """When the schedule's clock last started: last event, done or skip, else purchase."""
    (last_event,), = conn.execute(LAST_EVENT, (plan.asset_id, plan.kind))
    (last_acted,), = conn.execute(LAST_ACTED, (f"maintenance:{plan.id}",))
    known = [date.fromisoformat(d) for d in (last_event, last_acted) if d is not None]
    if known:
        return max(known)
    return plan.purchased_on or plan.created_on


def _meter_due(conn: Db, plan: Plan, start: date) -> date | None:
    if plan.every_amount is None or plan.every_unit is None:
        return None
    seen = readings(conn, plan.asset_id, plan.every_unit)
    if not seen:
        return None
    base = max((v for d, v in seen if d <= start), default=0.0)
    threshold = base + plan.every_amount
    crossed = [d for d, v in seen if v >= threshold and d >= start]
    if crossed:
        return min(crossed)
    (first_day, first), (last_day, last) = seen[0], max(seen, key=lambda x: (x[1], x[0]))
    days = (last_day - first_day).days
    if days <= 0 or last <= first:
        return None
    ahead = (threshold - last) / ((last - first) / days)
    return last_day + timedelta(days=min(MAX_PROJECTION_DAYS, int(ahead)))


def candidate(conn: Db, plan: Plan, last: date | None = None) -> Candidate | None:
    """The next occurrence of ``plan`` (``last``: its anchor, when already known)."""
    last = last or anchor(conn, plan)
    dues: list[date] = []
    if plan.rule:
        start = datetime.combine(last, time())
        nxt = Recurrence(plan.rule).next_after(start, dtstart=start)
        if nxt is not None:
            dues.append(nxt.date())
    if (meter := _meter_due(conn, plan, last)) is not None:
        dues.append(meter)
    if not dues:
        return None
    return Candidate(kind="maintenance", key=f"maintenance:{plan.id}",
                     title=f"{plan.kind.capitalize()} of {plan.asset_name} "
                           f"({plan.schedule.describe()})", due=min(dues),
                     lead=plan.lead, about=f"asset:{plan.asset_id}",
                     occurrence=f"after:{format_date(last)}")


def schedule_public(db: Db, plan: Plan) -> dict[str, Any]:
    """The JSON shape of a maintenance schedule (docs/json.md#maintenance-schedule)."""
    last = anchor(db, plan)
    cand = candidate(db, plan, last)
    return {"id": plan.id, "key": f"maintenance:{plan.id}", "asset_id": plan.asset_id,
            "kind": plan.kind, "every": plan.schedule.describe(), "rule": plan.rule,
            "every_amount": plan.every_amount, "every_unit": plan.every_unit,
            "lead": plan.lead, "last_done": iso(last),
            "next_due": iso(cand.due) if cand else None}


def list_schedules(*, db: Db, asset_id: int | None = None) -> list[dict[str, Any]]:
    """Every schedule (or ``asset_id``'s) with when it was last done and is next due."""
    if asset_id is None:
        return [schedule_public(db, plan) for plan in plans(db)]
    if db.execute("SELECT 1 FROM asset WHERE id = ?", (asset_id,)).fetchone() is None:
        raise NotFound(f"no asset with id {asset_id}")
    return [schedule_public(db, plan)
            for plan in plans(db, where="s.asset_id = ?", params=(asset_id,))]


@source("maintenance")
def maintenance(conn: Db, start: date, end: date) -> list[Candidate]:
    found = (candidate(conn, plan) for plan in plans(conn, where=f"a.status NOT IN {OUT_OF_USE}"))
    return [c for c in found if c is not None and c.due < end]
