"""The demo household's reminders: a year of history, replayed through the engine."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from random import Random

from sqlmodel import Session

from stuffctl.dates import parse_recurrence, parse_schedule
from stuffctl.services.reminders import engine, own, schedules
from stuffctl.services.reminders.settings import Settings

OWN = [  # title, first due (days before today), every, from done, lead, time
    ("Take vitamins", 365, "daily", False, "0d", time(8, 30)),
    ("Bins out", 365, "every monday", False, "1d", None),
    ("Pay rent", 365, "every 1st", False, "3d", None),
    ("Replace water filter", 365, "every 2 months", True, "7d", None),
    ("Renew car registration", 300, "every nov 5", False, "30d", None),
]


def build(session: Session, rng: Random, today: date, asset_ids: dict[str, int]) -> None:
    for title, back, every, from_done, lead, at in OWN:
        first = today - timedelta(days=back)
        due = datetime.combine(first, at) if at else first
        values = {"title": title, "due": due, "rule": parse_recurrence(every).rule,
                  "from_done": from_done, "lead": lead}
        own.add_reminder(db=session, changes=own.ReminderChanges(values))
    for name, every, kind in (("Car", "every 6 months or 15000 km", "service"),
                              ("Boiler", "yearly", "inspection")):
        if name in asset_ids:
            schedules.add_schedule(db=session, asset_id=asset_ids[name], kind=kind,
                                   schedule=parse_schedule(every), lead=None)
    session.flush()
    _replay(session, rng, today)


def _replay(session: Session, rng: Random, today: date) -> None:
    """A run every fourth morning of the past year; the person acts on most due items."""
    settings = Settings.load()
    day = today - timedelta(days=365)
    while day < today:
        now = datetime.combine(day, time(9))
        result = engine.run(db=session, now=now, settings=settings, remember=False)
        for item in result.new:
            ref = str(item.cand.reminder_id) if item.cand.reminder_id else None
            if ref is None or item.band != "due" or rng.random() < 0.1:
                continue
            action = "skip" if rng.random() < 0.1 else "done"
            own.act(db=session, ref=ref, action=action, now=now, settings=settings)
        day += timedelta(days=4)
