"""An RFC 5545 calendar of upcoming occurrences, written with the icalendar library."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from stuffctl.services.remind.collect import collect
from stuffctl.services.remind.engine import catch_up, window
from stuffctl.services.remind.settings import Settings
from stuffctl.services.remind.sources import Candidate
from stuffctl.store.handle import Db

if TYPE_CHECKING:
    from icalendar import Event

AHEAD = timedelta(days=366)


def calendar_bytes(*, db: Db, now: datetime, settings: Settings) -> bytes:
    """Every open occurrence from today on (recurring own reminders as RRULE)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//stuffctl//remind ics//EN")
    cal.add("version", "2.0")
    start = window(now, settings)[0]
    for c in collect(db, start, (now + AHEAD).date()):
        cal.add_component(_event(catch_up(c, now), now))
    return bytes(cal.to_ical())


def _event(c: Candidate, now: datetime) -> Event:
    from icalendar import Event, vRecur

    ev = Event()
    ev.add("uid", f"{c.key}/{c.occurrence_id}@stuffctl")
    ev.add("dtstamp", now.astimezone().astimezone(tz=None))
    ev.add("summary", c.title)
    ev.add("dtstart", c.due)
    if c.all_day:
        ev.add("dtend", c.due + timedelta(days=1))
    else:
        ev.add("duration", timedelta(minutes=30))
    if c.rule and c.anchor is not None:
        ev.add("rrule", vRecur.from_ical(c.rule))
    ev.add("categories", [c.kind])
    if c.about:
        ev.add("description", f"about {c.about} ({c.key})")
    return ev
