"""An RFC 5545 calendar of upcoming occurrences, written with the icalendar library."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from stuffctl.services.remind.collect import collect
from stuffctl.services.remind.engine import caught_up, window
from stuffctl.services.remind.settings import Settings
from stuffctl.services.remind.sources import Candidate, Skipped
from stuffctl.store.handle import Db

if TYPE_CHECKING:
    from icalendar import Event

AHEAD = timedelta(days=366)


def calendar_bytes(*, db: Db, now: datetime, settings: Settings,
                   skipped: list[Skipped] | None = None) -> bytes:
    """Every open occurrence from today on (recurring own reminders as RRULE); a row
    the engine cannot follow is left out and added to ``skipped``."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//stuffctl//remind ics//EN")
    cal.add("version", "2.0")
    start = window(now, settings)[0]
    found = collect(db, start, (now + AHEAD).date(), skipped=skipped)
    for c in caught_up(found, now, skipped):
        cal.add_component(_event(c, now))
    return bytes(cal.to_ical())


# RFC 5545 (3.1, 3.3.11) allows no control character in a TEXT value but HTAB; a line
# break is written escaped (``\n``, as icalendar does for CR and LF), so only the rest
# is dropped.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    return _FORBIDDEN.sub("", value)


def _event(c: Candidate, now: datetime) -> Event:
    from icalendar import Event, vRecur

    ev = Event()
    ev.add("uid", _text(f"{c.key}/{c.occurrence_id}@stuffctl"))
    ev.add("dtstamp", now.astimezone().astimezone(tz=None))
    ev.add("summary", _text(c.title))
    ev.add("dtstart", c.due)
    if c.all_day:
        ev.add("dtend", c.due + timedelta(days=1))
    else:
        ev.add("duration", timedelta(minutes=30))
    if c.rule and c.anchor is not None:
        ev.add("rrule", vRecur.from_ical(c.rule))
    ev.add("categories", [_text(c.kind)])
    if c.about:
        ev.add("description", _text(f"about {c.about} ({c.key})"))
    return ev
