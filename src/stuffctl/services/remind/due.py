"""What falls due, read in plain SQL: subscription charges and cancel-by dates,
projects and tasks, loans.

The reminder engine's sources (``services.remind.linked``) and the status
sections are built on these; none of it needs SQLAlchemy (``store.sql``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import Any, Protocol

from stuffctl.dates import Recurrence, add_months
from stuffctl.money import money_json
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import iso, literals, select_all
from stuffctl.vocabulary import CLOSED_STATUSES

MAX_POSTS = 10_000  # per run: a daily rule ten years back, not an endless loop


class Charges(Protocol):
    """What a charge schedule needs: a Subscription row or model."""

    @property
    def rule(self) -> str: ...

    @property
    def anchor_on(self) -> date: ...


def occurrences(sub: Charges, after: date | None = None) -> Iterator[date]:
    """Charge dates of ``sub`` from its anchor (those after ``after`` if given).

    Monthly and yearly rules count from the first charge with the day clamped to
    the month's end (31 Jan → 28 Feb → 31 Mar); other rules follow RFC 5545.
    """
    parts = dict(p.partition("=")[::2] for p in sub.rule.split(";"))
    months = {"MONTHLY": 1, "YEARLY": 12}.get(parts["FREQ"])
    if months and set(parts) <= {"FREQ", "INTERVAL"}:
        step, n = months * int(parts.get("INTERVAL", "1")), 0
        while True:
            day = add_months(sub.anchor_on, n * step)
            if after is None or day > after:
                yield day
            n += 1
    start = datetime.combine(sub.anchor_on, time())
    for moment in Recurrence(sub.rule).rrule(start):
        if after is None or moment.date() > after:
            yield moment.date()


@dataclass
class Sub:
    """What renewals and posting charges read of a subscription (posting moves
    ``next_on`` and ``cancel_by`` on)."""

    id: int
    name: str
    amount_minor: int
    currency: str
    rule: str
    anchor_on: date
    next_on: date
    category: str | None
    account: str | None
    asset_id: int | None
    cancel_by: date | None
    status: str

    @classmethod
    def of(cls, row: Row) -> Sub:
        """A stored subscription row (dates as ISO text), read by name."""
        values = {f.name: row[f.name] for f in fields(cls)}
        for name in ("anchor_on", "next_on", "cancel_by"):
            values[name] = date.fromisoformat(values[name]) if values[name] else None
        return cls(**values)


ACTIVE_SUBS = f"{select_all('subscription')} WHERE status = 'active'"


def upcoming_renewals(*, db: Db, start: date, end: date) -> list[dict[str, Any]]:
    """Charges and cancel-by dates of active subscriptions in [start, end], by date.

    Each is ``{subscription_id, name, kind, date, amount}`` with kind ``renewal``
    or ``cancel_by``.
    """
    found = []
    for sub in map(Sub.of, db.rows(ACTIVE_SUBS)):
        base = {"subscription_id": sub.id, "name": sub.name,
                "amount": money_json(sub.amount_minor, sub.currency)}
        if sub.cancel_by and start <= sub.cancel_by <= end:
            found.append(base | {"kind": "cancel_by", "date": iso(sub.cancel_by)})
        day, following = sub.next_on, occurrences(sub, after=sub.next_on)
        while day <= end and len(found) < MAX_POSTS:
            if day >= start:
                found.append(base | {"kind": "renewal", "date": iso(day)})
            day = next(following, date.max)  # a rule with an end runs out
    return sorted(found, key=lambda r: (r["date"], r["name"], r["kind"]))


OPEN_PROJECT = f"p.status NOT IN {literals(CLOSED_STATUSES)}"
PROJECTS_DUE = (f"SELECT 'project', p.id, p.name, p.due_on, p.name FROM project p"
                f" WHERE {OPEN_PROJECT} AND p.due_on >= ? AND p.due_on < ?")
TASKS_DUE = ("SELECT 'task', t.id, t.title, t.due_on, p.name FROM task t"
             f" JOIN project p ON p.id = t.project_id WHERE {OPEN_PROJECT}"
             " AND t.status = 'open' AND t.due_on >= ? AND t.due_on < ?")


def due_items(*, db: Db, start: date, end: date) -> list[dict[str, Any]]:
    """Open projects and open tasks due in ``[start, end)``, soonest first.

    Each is ``{"kind": "project"|"task", "id", "title", "due", "project"}``.
    """
    conn, span = db, (start.isoformat(), end.isoformat())
    items = [{"kind": kind, "id": i, "title": title, "due": due, "project": project}
             for query in (PROJECTS_DUE, TASKS_DUE)
             for kind, i, title, due, project in conn.execute(query, span)]
    return sorted(items, key=lambda x: (x["due"], x["kind"], x["id"]))


LOANS_DUE = ("SELECT l.id, a.id, a.name, p.name, l.direction, l.due_on FROM loan l"
             " JOIN asset a ON a.id = l.asset_id JOIN person p ON p.id = l.person_id"
             " WHERE l.returned_on IS NULL AND l.due_on >= ? AND l.due_on <= ?"
             " ORDER BY l.due_on, l.id")


def loans_due(*, db: Db, start: date, end: date) -> list[dict[str, Any]]:
    """Open loans due back between ``start`` and ``end`` (inclusive)."""
    rows = db.execute(LOANS_DUE, (start.isoformat(), end.isoformat()))
    return [{"loan_id": lid, "asset_id": aid, "asset_name": aname, "person": pname,
             "direction": direction, "due": due}
            for lid, aid, aname, pname, direction, due in rows]
