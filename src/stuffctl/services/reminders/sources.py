"""Where occurrences come from: a registry of sources, one function each.

A source is ``fn(session, start: date, end: date) -> list[Candidate]``: the
occurrences it knows of that fall due in ``[start, end)`` (own reminders are
returned whatever their date: they are few and always pending). Adding a
source is a decorated function; see docs/reminders.md, "Sources".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cached_property
from typing import Any

from sqlmodel import Session, col, select

from stuffctl.models import Asset, Reminder

Due = date | datetime


@dataclass(frozen=True)
class Candidate:
    """One occurrence that may need attention.

    ``key`` names the thing for good ("warranty:asset:12"); ``occurrence``
    names this occurrence of it (default: the due date or time in ISO form).
    ``lead`` is a duration text such as ``30d``; None takes ``lead.<kind>``.
    ``rule``/``anchor`` make a fixed-schedule recurring candidate that the
    engine rolls forward to the latest occurrence already due.
    """

    kind: str
    key: str
    title: str
    due: Due
    lead: str | None = None
    about: str | None = None
    occurrence: str | None = None
    rule: str | None = None
    anchor: datetime | None = None
    missed: int = 0
    reminder_id: int | None = None
    snoozed_until: datetime | None = None

    @cached_property
    def due_at(self) -> datetime:
        """The due moment, local time; a date falls due at the start of its day."""
        if isinstance(self.due, datetime):
            return self.due
        return datetime.combine(self.due, time())

    @property
    def all_day(self) -> bool:
        return not isinstance(self.due, datetime)

    @property
    def occurrence_id(self) -> str:
        return self.occurrence or self.due.isoformat()

    def moved(self, **changes: Any) -> Candidate:
        return replace(self, **changes)


Source = Callable[[Session, date, date], list[Candidate]]
SOURCES: dict[str, Source] = {}


def source(name: str) -> Callable[[Source], Source]:
    """Register a source under ``name`` (a decorator)."""

    def register(fn: Source) -> Source:
        SOURCES[name] = fn
        return fn

    return register


def collect(session: Session, start: date, end: date) -> list[Candidate]:
    """Every candidate of every registered source."""
    # Importing these registers their sources.
    from stuffctl.services.reminders import alerts, linked, schedules  # noqa: F401

    found: list[Candidate] = []
    for fn in SOURCES.values():
        found.extend(fn(session, start, end))
    return found


def reminder_due(r: Any) -> Due:
    return datetime.combine(r.due_on, r.due_time) if r.due_time is not None else r.due_on


def reminder_candidate(r: Any) -> Candidate:
    """A reminder (the model, or a row of ``CANDIDATE_COLUMNS``) as a candidate."""
    fixed = r.rule is not None and not r.from_done
    anchor = datetime.combine(r.start_on, r.due_time or time())
    return Candidate(
        kind=r.kind, key=f"reminder:{r.id}", title=r.title, due=reminder_due(r), lead=r.lead,
        about=f"{r.about_kind}:{r.about_id}" if r.about_kind else None,
        rule=r.rule, anchor=anchor if fixed else None, reminder_id=r.id,
        snoozed_until=r.snoozed_until,
    )


CANDIDATE_COLUMNS = ("id", "kind", "title", "due_on", "due_time", "start_on", "rule",
                     "from_done", "lead", "about_kind", "about_id", "snoozed_until")


@source("reminder")
def own_reminders(session: Session, start: date, end: date) -> list[Candidate]:
    """Every open reminder (their leads are their own, so ``end`` does not bound them);
    read as plain rows, not ORM objects: a home may have thousands."""
    columns = [col(getattr(Reminder, name)) for name in CANDIDATE_COLUMNS]
    rows = session.exec(select(*columns).where(col(Reminder.state) == "open"))
    return [reminder_candidate(r) for r in rows]


@source("warranty")
def warranties(session: Session, start: date, end: date) -> list[Candidate]:
    rows = session.exec(
        select(Asset.id, Asset.name, Asset.warranty_until).where(
            col(Asset.warranty_until) >= start, col(Asset.warranty_until) < end,
            col(Asset.status).not_in(("retired", "sold", "lost")))
    )
    return [Candidate(kind="warranty", key=f"warranty:asset:{i}", title=f"Warranty of {n} ends",
                      due=d, about=f"asset:{i}") for i, n, d in rows]
