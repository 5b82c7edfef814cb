"""An RFC 5545 calendar of upcoming occurrences, written with the icalendar library.

Timed occurrences are wall-clock times in the configured zone (config ``timezone``,
else the system's: :func:`time_zone`), written with a TZID and the calendar's one
VTIMEZONE; all-day ones are DATE values. A fixed-schedule own reminder is one event
with its RRULE; so is a subscription whose charges one rule repeats exactly
(:func:`series_rule`). Every other occurrence, a cancel-by date among them, is an event
of its own.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from stuffctl import config
from stuffctl.dates import Recurrence
from stuffctl.errors import InvalidInput
from stuffctl.services.remind.collect import collect
from stuffctl.services.remind.due import ACTIVE_SUBS, Charges, Sub
from stuffctl.services.remind.engine import caught_up, window
from stuffctl.services.remind.settings import Settings
from stuffctl.services.remind.sources import Candidate, Due, Skipped
from stuffctl.store.handle import Db

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from icalendar import Event, vRecur

AHEAD = timedelta(days=366)
ZONE_AHEAD = timedelta(days=3653)  # the VTIMEZONE's transitions: ten years past the clock
LOCALTIME = "/etc/localtime"


def calendar_bytes(*, db: Db, now: datetime, settings: Settings,
                   skipped: list[Skipped] | None = None) -> bytes:
    """Every open occurrence from today on (recurring own reminders and regular
    subscriptions as RRULE); a row the engine cannot follow is left out and added to
    ``skipped``."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//stuffctl//remind ics//EN")
    cal.add("version", "2.0")
    zone = time_zone(str(settings.values.get("timezone") or ""))
    start, end = window(now, settings)[0], (now + AHEAD).date()
    found = caught_up(collect(db, start, end, skipped=skipped), now, skipped)
    series = _series(db, found, end)
    for c in found:
        if c.key not in series:
            cal.add_component(_event(c, now, zone))
        elif series[c.key][0] is c:
            cal.add_component(_event(c, now, zone, uid=c.key, rule=series[c.key][1]))
    timed = [c.due_at for c in found if not c.all_day]
    if timed:  # a VTIMEZONE for the TZID (none for UTC: its times end in Z)
        first = min(timed).date()
        cal.add_missing_timezones(first_date=first, last_date=max(now.date(), first)
                                  + ZONE_AHEAD)
    return bytes(cal.to_ical())


def time_zone(configured: str) -> ZoneInfo:
    """The zone of timed items: ``configured`` (an IANA name), else $TZ when it names
    one, else the zone /etc/localtime links to, else UTC."""
    from zoneinfo import ZoneInfo

    for name in (configured, os.environ.get("TZ", "").removeprefix(":"), _linked_zone()):
        try:
            if found := config.timezone_name(name):
                return ZoneInfo(found)
        except InvalidInput:  # a POSIX rule ("CET-1CEST"), a path: no name to write
            continue
    return ZoneInfo("UTC")


def _linked_zone() -> str:
    """The zone name /etc/localtime links to ("…/zoneinfo/Europe/Amsterdam"), or ''."""
    try:
        target = os.readlink(LOCALTIME)
    except OSError:  # missing, or a copy rather than a link
        return ""
    _, linked, name = target.rpartition("zoneinfo/")
    return name if linked else ""


# What a subscription's one event may say in its RRULE: the parts calendar importers
# read. calcurse 4.7 drops BYSETPOS, BYWEEKNO, BYYEARDAY, WKST and BYHOUR without a word
# (it would show other dates), and COUNT would count from the next charge, not the first:
# a subscription with any of those keeps one event per charge.
SERIES_PARTS = frozenset({"FREQ", "INTERVAL", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY"})


def series_rule(sub: Charges) -> str | None:
    """The RFC 5545 rule that repeats ``sub``'s charges exactly from any of them, or None.

    stuffctl counts a plain monthly or yearly rule from the first charge with the day
    clamped to the month's end (31 Jan → 28 Feb → 31 Mar: ``due.occurrences``); RFC 5545
    skips the months without that day instead. From a 31st every charge is its month's
    last day: BYMONTHDAY=-1 says so. A yearly rule from 29 Feb is February's last day:
    BYMONTH=2;BYMONTHDAY=-1. From a 29th or 30th a monthly charge is that day or February's
    last: RFC 5545 says so only with BYSETPOS (BYMONTHDAY=28,29,30;BYSETPOS=-1), which
    calcurse reads as three charges a month, so those keep one event per charge. (An
    anchor on the last day of a shorter month, 30 Apr, is no month end: 30 May follows.)
    """
    parts = dict(p.partition("=")[::2] for p in sub.rule.split(";"))
    if not parts.keys() <= SERIES_PARTS or parts["FREQ"] not in (
            "DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        return None
    if not parts.keys() <= {"FREQ", "INTERVAL"} or parts["FREQ"] not in ("MONTHLY", "YEARLY"):
        return sub.rule  # counted as RFC 5545 counts it (dateutil)
    day = sub.anchor_on
    if parts["FREQ"] == "MONTHLY" and day.day > 28:
        return f"{sub.rule};BYMONTHDAY=-1" if day.day == 31 else None
    if parts["FREQ"] == "YEARLY" and (day.month, day.day) == (2, 29):
        return f"{sub.rule};BYMONTH=2;BYMONTHDAY=-1"
    return sub.rule


def _series(db: Db, found: list[Candidate], end: date) -> dict[str, tuple[Candidate, str]]:
    """Each subscription whose charges in ``found`` (before ``end``) one rule repeats: its
    renewal key → (its first charge there, the rule)."""
    charges: dict[str, list[Candidate]] = {}
    for c in found:
        if c.kind == "renewal" and c.key.startswith("renewal:subscription:"):
            charges.setdefault(c.key, []).append(c)
    if not charges:
        return {}
    subs = {f"renewal:subscription:{s.id}": s for s in map(Sub.of, db.rows(ACTIVE_SUBS))}
    series = {}
    for key, these in charges.items():
        rule = series_rule(subs[key]) if key in subs else None
        if rule is not None and _repeats(rule, [c.due for c in these], end):
            series[key] = (these[0], rule)
    return series


def _repeats(rule: str, days: list[Due], end: date) -> bool:
    """Whether ``rule`` from the first of ``days`` makes exactly ``days`` before ``end``:
    a guard (a first charge off the rule, a capped listing keep one event per charge)."""
    start = datetime.combine(days[0], time())
    made = Recurrence(rule).rrule(start).between(start, datetime.combine(end, time()),
                                                 inc=True)
    return [m.date() for m in made if m.date() < end] == days


# RFC 5545 (3.1, 3.3.11) allows no control character in a TEXT value but HTAB; a line
# break is written escaped (``\n``, as icalendar does for CR and LF), so only the rest
# is dropped.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    return _FORBIDDEN.sub("", value)


def _event(c: Candidate, now: datetime, zone: ZoneInfo, *, uid: str | None = None,
           rule: str | None = None) -> Event:
    """``c`` as a VEVENT (UID: its key and occurrence); with ``rule``, one repeating
    event whose UID is ``uid`` alone."""
    from icalendar import Event

    ev = Event()
    ev.add("uid", _text(f"{uid or f'{c.key}/{c.occurrence_id}'}@stuffctl"))
    ev.add("dtstamp", now.astimezone().astimezone(tz=None))
    ev.add("summary", _text(c.title))
    start = c.due if c.all_day else c.due_at.replace(tzinfo=zone)
    ev.add("dtstart", start)
    if c.all_day:
        ev.add("dtend", c.due + timedelta(days=1))
    else:
        ev.add("duration", timedelta(minutes=30))
    rule = rule or (c.rule if c.anchor is not None else None)
    if rule:
        ev.add("rrule", _recur(rule, start))
    ev.add("categories", [_text(c.kind)])
    if c.about:
        ev.add("description", _text(f"about {c.about} ({c.key})"))
    return ev


def _recur(rule: str, start: Due) -> vRecur:
    """``rule`` for an event from ``start``: its UNTIL (stored as local wall-clock time,
    or a date) becomes what RFC 5545 asks beside that start: a DATE beside a DATE, UTC
    beside a time with a TZID (the same last occurrence either way)."""
    from icalendar import vRecur

    recur: vRecur = vRecur.from_ical(rule)
    if "UNTIL" in recur:
        until = recur["UNTIL"][0]
        if not isinstance(start, datetime):
            recur["UNTIL"] = [until.date() if isinstance(until, datetime) else until]
        elif start.tzinfo is not None:
            wall = until if isinstance(until, datetime) else datetime.combine(until, time())
            recur["UNTIL"] = [wall.replace(tzinfo=start.tzinfo).astimezone(UTC)]
    return recur
